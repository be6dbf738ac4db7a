#!/usr/bin/env python3
"""One manifest, whole process: aiact-lint against named baselines, side by side.

Runs each command N times, alternating, and prints median wall time, peak RSS and the median of
pair-by-pair ratios against aiact-lint. Baselines: the interpreter floor (`python -c pass`),
yamllint and check-jsonschema on the same file (install them with `pip install -e ".[bench]"`).
Targets (DEVELOPERS.md): <= 80 ms, <= 30 MiB, faster than yamllint.

    python benchmarks/bench_manifest.py [--runs 30] [--manifest PATH]
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


TIME = "/usr/bin/time" if os.path.exists("/usr/bin/time") else None


def run_once(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MiB and exit code of one whole process.

    Peak RSS comes from GNU time (%M): the rusage of a forked child would count the pages it
    shared with this (larger) parent before exec.
    """
    wrapped = [TIME, "-f", "%M", *command] if TIME else command
    start = time.perf_counter()
    proc = subprocess.run(
        wrapped, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False
    )
    wall = time.perf_counter() - start
    peak = 0.0
    if TIME:
        lines = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        peak = float(lines[-1]) / 1024 if lines and lines[-1].isdigit() else 0.0
    return wall, peak, proc.returncode


def script(name: str) -> str | None:
    candidate = Path(sys.executable).parent / name
    if candidate.exists():
        return str(candidate)
    return shutil.which(name)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--manifest", default="examples/customer-chatbot/aiact.yaml")
    args = parser.parse_args()
    manifest = (ROOT / args.manifest).resolve()
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # measure as installed: with bytecode caches
    env["NO_COLOR"] = "1"
    compileall.compile_dir(str(ROOT / "aiact_lint"), quiet=1)
    aiact = script("aiact-lint")
    commands: dict[str, list[str]] = {
        "aiact-lint check --manifest-only": (
            [aiact] if aiact else [sys.executable, "-m", "aiact_lint"]
        )
        + ["check", "--manifest-only", str(manifest)],
        "aiact-lint check (with repository)": (
            [aiact] if aiact else [sys.executable, "-m", "aiact_lint"]
        )
        + ["check", str(manifest)],
        "python -c pass (floor)": [sys.executable, "-c", "pass"],
    }
    yamllint = script("yamllint")
    if yamllint:
        commands["yamllint"] = [yamllint, "-d", "relaxed", str(manifest)]
    cjs = script("check-jsonschema")
    if cjs:
        schema = ROOT / "aiact_lint" / "schema" / "aiact.schema.json"
        commands["check-jsonschema"] = [cjs, "--schemafile", str(schema), str(manifest)]
    cwd = manifest.parent
    for command in commands.values():  # warm caches
        run_once(command, cwd, env)
    walls: dict[str, list[float]] = {name: [] for name in commands}
    peaks: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, command in commands.items():
            wall, peak, _code = run_once(command, cwd, env)
            walls[name].append(wall)
            peaks[name].append(peak)
    reference = "aiact-lint check --manifest-only"
    version = sys.version.split()[0]
    print(f"manifest: {manifest.relative_to(ROOT)}  runs: {args.runs}  python: {version}")
    print(f"{'command':<36} {'median ms':>10} {'peak MiB':>9} {'x aiact-lint':>13}")
    for name in commands:
        ratios = [b / a for a, b in zip(walls[reference], walls[name])]
        print(
            f"{name:<36} {statistics.median(walls[name]) * 1000:>10.1f} "
            f"{max(peaks[name]):>9.1f} {statistics.median(ratios):>13.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
