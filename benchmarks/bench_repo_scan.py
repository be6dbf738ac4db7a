#!/usr/bin/env python3
"""Whole-repository scan: `aiact-lint check` against `git grep -l -E` with the same patterns.

Generates once (cached in the temp folder) a git repository of 100,000 files: mostly small
Python, TypeScript, JavaScript, Markdown, JSON and YAML files, a few hundred of them with model
references taken from the examples in ``aiact_lint/law/model_patterns.yaml``, a few weights
files, and an ``aiact.yaml`` at the root declaring half of the models. Then it runs, alternating
and as whole processes:

  A  git grep -l -E -e '<the fixed strings of model_patterns.yaml as one alternation>' -- <globs>
  B  python -m aiact_lint check -q   (the whole check: startup, manifest, law, scan, report)
  C  git grep -l -E with the smaller pre-filter set aiact-lint hands to git (for reference)

and reports the medians, the median of the pair-by-pair B/A ratios (goal: <= 1.5), B/C, and the
peak RSS of each (``/usr/bin/time -f %M`` when present, else ``getrusage`` of the children).

    python benchmarks/bench_repo_scan.py                # 100,000 files, 10 pairs
    python benchmarks/bench_repo_scan.py --files 20000 --runs 20 --pcre
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aiact_lint.repo.code_scan import patterns  # noqa: E402

GENERATOR_VERSION = 1
TIME = "/usr/bin/time"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@example.com",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@example.com",
}

PY = '''"""{name}: order handling helpers."""

from __future__ import annotations

import dataclasses
import logging

LOG = logging.getLogger(__name__)


@dataclasses.dataclass
class {cls}:
    ident: int
    label: str = "{word}"
    amount: float = {amount}

    def total(self, rate: float) -> float:
        """Return the amount including tax at ``rate``."""
        return round(self.amount * (1 + rate), 2)


def {func}(items: list[{cls}], rate: float = 0.{n}) -> float:
    LOG.debug("summing %d items", len(items))
    return sum(item.total(rate) for item in items if item.label != "{word2}")
'''

TS = """import {{ {func} }} from "../lib/{word}";

export interface {cls} {{
  id: number;
  label: string;
  amount: number;
}}

export function total{n}(items: {cls}[], rate = 0.{n}): number {{
  return items
    .filter((item) => item.label !== "{word2}")
    .reduce((sum, item) => sum + {func}(item.amount, rate), 0);
}}
"""

MD = """# {cls}

The {word} module sums {word2} items. Run `make {func}` to rebuild the docs.

- amount: {amount}
- rate: 0.{n}
"""

JSON = """{{
  "name": "{word}-{n}",
  "version": "1.{n}.0",
  "private": true,
  "scripts": {{"build": "tsc -p .", "test": "vitest run {word2}"}}
}}
"""

YAML = """service: {word}
replicas: {n}
env:
  LOG_LEVEL: info
  FEATURE_{cls_upper}: "true"
"""

WORDS = [
    *("alpha", "basket", "cargo", "delta", "ember", "fable", "garnet", "harbor", "ivory"),
    *("jade", "kettle", "lumen", "meadow", "nectar", "orbit", "pepper", "quartz", "raven"),
    *("saffron", "tundra"),
]


def bench_dir(files: int) -> Path:
    base = Path(os.environ.get("AIACT_BENCH_DIR") or tempfile.gettempdir())
    return base / "aiact-lint-bench" / f"repo-{files}-v{GENERATOR_VERSION}"


def _git(repo: Path, *args: str) -> None:
    env = {**os.environ, **GIT_ENV}
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def _example_files() -> list[tuple[str, str, str]]:
    """(file name, code, model) for every pattern example that names a model."""
    found = []
    pats = patterns()
    for entry in pats.entries:
        for example in entry.examples:
            if example.get("nothing") or not example.get("model"):
                continue
            name = example.get("file") or pats.example_files[entry.languages[0]]
            found.append((str(name), str(example["code"]), str(example["model"])))
    return found


def generate(path: Path, files: int, references: int, seed: int = 1689) -> None:
    """Write and commit the repository once; later runs reuse it."""
    if (path / ".bench-complete").exists():
        return
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    rng = random.Random(seed)
    examples = _example_files()
    declared = sorted({model for _, _, model in examples if model})[::2]
    manifest = (
        "schema_version: 1\nsystem:\n  name: Benchmark monolith\nroles: [provider]\n"
        "market:\n  regions: [EU]\nrisk:\n  classification: minimal\nmodels:\n"
        + "".join(f'  - id: "{model}"\n' for model in declared)
    )
    (path / "aiact.yaml").write_text(manifest, encoding="utf-8")
    reference_slots = set(rng.sample(range(files - 1), references))
    written = 1
    used = 0
    for number in range(files - 1):
        folder = path / f"pkg{number // 1000:03d}" / f"mod{(number // 100) % 10}"
        if number % 100 == 0:
            folder.mkdir(parents=True, exist_ok=True)
        words = rng.sample(WORDS, 2)
        values = {
            "name": f"m{number}",
            "cls": f"{words[0].title()}{number}",
            "cls_upper": f"{words[0].upper()}_{number}",
            "func": f"{words[1]}_{number}",
            "word": words[0],
            "word2": words[1],
            "amount": rng.randint(1, 10_000),
            "n": rng.randint(1, 99),
        }
        if number in reference_slots:
            name, code, _ = examples[used % len(examples)]
            used += 1
            suffix = Path(name).suffix or (name if name.startswith(".") else "." + name)
            (folder / f"ai_{number}{suffix}").write_text(code, encoding="utf-8")
        else:
            kind = rng.random()
            if kind < 0.6:
                target, text = folder / f"f{number}.py", PY
            elif kind < 0.8:
                target, text = folder / f"f{number}.ts", TS
            elif kind < 0.9:
                target, text = folder / f"f{number}.md", MD
            elif kind < 0.95:
                target, text = folder / f"f{number}.json", JSON
            else:
                target, text = folder / f"f{number}.yaml", YAML
            target.write_text(text.format(**values), encoding="utf-8")
        written += 1
    weights = path / "models"
    weights.mkdir()
    for name in ("adapter.safetensors", "classifier.onnx", "tiny-q4.gguf"):
        (weights / name).write_bytes(b"\x00weights\x00" * 16)
        written += 1
    (path / ".gitignore").write_text("*.log\n", encoding="utf-8")
    _git(path, "init", "-q", "-b", "main")
    _git(path, "add", "-A")
    _git(path, "commit", "-q", "-m", "benchmark repository")
    (path / ".git" / "info" / "exclude").write_text(".bench-complete\n", encoding="utf-8")
    (path / ".bench-complete").write_text(f"{written} files\n", encoding="utf-8")


def _ere(tokens: set[str]) -> str:
    return "|".join(re.sub(r"([.^$*+?()\[\]{}|\\])", r"\\\1", t) for t in sorted(tokens))


def grep_command(kind: str) -> list[str]:
    """git grep alone over the same file globs as the scan, with one of three pattern sets:

    fixed      the entries' fixed strings, one ERE alternation (the baseline of the goal)
    prefilter  the pre-filter strings aiact-lint itself hands to git, one ERE alternation
    pcre       every model regex of every entry, as -P patterns (what a naive scan would run)
    """
    pats = patterns()
    globs = sorted({g for globs in pats.languages.values() for g in globs})
    if kind == "pcre":
        args: list[str] = []
        for entry in pats.entries:
            for regex in entry.patterns:
                args += ["-e", regex]
        return ["git", "grep", "-l", "-P", *args, "--", *globs]
    if kind == "prefilter":
        tokens = {t for _, fixed in pats.prefilter for t in fixed}
    else:
        tokens = {t for language in pats.languages for t in pats.tokens(language)}
    return ["git", "grep", "-l", "-E", "-e", _ere(tokens), "--", *globs]


def check_command() -> list[str]:
    return [sys.executable, "-m", "aiact_lint", "check", "-q", "--as-of", "2026-11-25"]


def measure(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float | None, int]:
    """Wall seconds, peak RSS in MiB (None when unknown) and the exit code of one run."""
    use_time = os.path.exists(TIME)
    full = [TIME, "-f", "%M", *command] if use_time else command
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    proc = subprocess.run(full, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    rss: float | None = None
    if use_time:
        last = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        if last and last[-1].isdigit():
            rss = int(last[-1]) / 1024
    else:
        after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        rss = after / 1024 if after > before else None  # a running maximum over all children
    return wall, rss, proc.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=100_000)
    parser.add_argument("--references", type=int, default=300)
    parser.add_argument("--runs", type=int, default=10, help="pairs of runs (alternating)")
    parser.add_argument("--pcre", action="store_true", help="also time git grep -P, full regexes")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()

    repo = bench_dir(args.files)
    started = time.perf_counter()
    generate(repo, args.files, args.references)
    prepared = time.perf_counter() - started
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("GITHUB_ACTIONS", None)

    commands = {
        "git grep -l -E (fixed strings)": grep_command("fixed"),
        "aiact-lint check": check_command(),
        "git grep -l -E (pre-filter set)": grep_command("prefilter"),
    }
    if args.pcre:
        commands["git grep -l -P (full regexes)"] = grep_command("pcre")
    for command in commands.values():  # warm the page cache
        measure(command, repo, env)
    walls: dict[str, list[float]] = {name: [] for name in commands}
    rsses: dict[str, list[float]] = {name: [] for name in commands}
    codes: dict[str, set[int]] = {name: set() for name in commands}
    names = list(commands)
    for run in range(args.runs):
        order = names if run % 2 == 0 else names[::-1]
        for name in order:
            wall, rss, code = measure(commands[name], repo, env)
            walls[name].append(wall)
            codes[name].add(code)
            if rss is not None:
                rsses[name].append(rss)
    base, ours = "git grep -l -E (fixed strings)", "aiact-lint check"

    def ratio(of: str, to: str) -> float:
        return round(statistics.median(b / a for a, b in zip(walls[to], walls[of])), 2)

    result: dict[str, Any] = {
        "files": args.files,
        "repository": str(repo),
        "prepared_s": round(prepared, 1),
        "runs": args.runs,
        "commands": {
            name: {
                "median_ms": round(statistics.median(walls[name]) * 1000, 1),
                "min_ms": round(min(walls[name]) * 1000, 1),
                "peak_rss_mib": round(max(rsses[name]), 1) if rsses[name] else None,
                "exit_codes": sorted(codes[name]),
            }
            for name in names
        },
        "ratio_check_vs_grep": ratio(ours, base),
        "ratio_check_vs_prefilter_grep": ratio(ours, "git grep -l -E (pre-filter set)"),
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"repository: {repo} ({args.files} files; prepared in {prepared:.1f} s)")
    print(f"{args.runs} alternating runs each, whole processes, warm page cache\n")
    print(f"{'command':34} {'median ms':>10} {'min ms':>9} {'peak MiB':>9}  exit")
    for name, row in result["commands"].items():
        peak = "-" if row["peak_rss_mib"] is None else f"{row['peak_rss_mib']:.1f}"
        print(
            f"{name:34} {row['median_ms']:>10.1f} {row['min_ms']:>9.1f} {peak:>9}  "
            f"{','.join(map(str, row['exit_codes']))}"
        )
    goal = result["ratio_check_vs_grep"]
    verdict = "within" if goal <= 1.5 else "OVER"
    print(f"\naiact-lint check / {base} (median of pairs): {goal:.2f} ({verdict} 1.5)")
    other = result["ratio_check_vs_prefilter_grep"]
    print(f"aiact-lint check / git grep -l -E (pre-filter set): {other:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
