#!/usr/bin/env python3
"""Where users stand: the quick start, a small repository and a 20,000-file one, whole process.

Three pairs, each run alternating and as whole processes, medians and pair-by-pair ratios:

  quick start   ``aiact-lint check examples/customer-chatbot`` from this repository's root
                against ``yamllint`` on that example's manifest            (goal: <= 1.0)
  small repo    a full ``aiact-lint check`` of a generated repository with one manifest and a
                handful of files, against ``yamllint`` on its manifest    (goal: <= 1.0)
  20,000 files  a full ``aiact-lint check`` of the benchmark repository of bench_repo_scan.py,
                against a bare ``git grep -l -E`` for nine common model patterns (goal: <= 2.0)

    python benchmarks/bench_where_users_stand.py [--runs 20] [--files 20000] [--json]

yamllint runs with its default configuration; install it with ``pip install -e ".[bench]"``.
Never a timed assertion in a test: these are figures to read, on an idle machine.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_repo_scan import bench_dir, generate, measure  # noqa: E402

# Nine patterns a hand-written "is there AI in this repository" grep would use.
NINE = [
    r"from_pretrained\(",
    r"openai",
    r"anthropic",
    r"\bpipeline\(",
    r"SentenceTransformer",
    r"genai",
    r"mistral",
    r"ollama",
    r"langchain",
]

SMALL = {
    "aiact.yaml": (ROOT / "examples" / "customer-chatbot" / "aiact.yaml").read_text(),
    "api/responses.py": (ROOT / "examples/customer-chatbot/api/responses.py").read_text(),
    "web/src/ChatWidget.tsx": (
        ROOT / "examples/customer-chatbot/web/src/ChatWidget.tsx"
    ).read_text(),
    "web/src/api.ts": (ROOT / "examples/customer-chatbot/web/src/api.ts").read_text(),
    "docs/ai/literacy.md": (ROOT / "examples/customer-chatbot/docs/ai/literacy.md").read_text(),
    "docs/ai/human-oversight.md": (
        ROOT / "examples/customer-chatbot/docs/ai/human-oversight.md"
    ).read_text(),
    "README.md": "# Shop assistant\n",
    "pyproject.toml": "[project]\nname = 'shop-assistant'\n",
}


def small_repo() -> Path:
    import subprocess

    path = Path(tempfile.gettempdir()) / "aiact-lint-bench" / "small-repo"
    if not (path / ".git").exists():
        shutil.rmtree(path, ignore_errors=True)
        for name, text in SMALL.items():
            (path / name).parent.mkdir(parents=True, exist_ok=True)
            (path / name).write_text(text.replace("../../aiact_lint/schema/", ""), encoding="utf-8")
        env = {**os.environ, "GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@example.com"}
        env.update(GIT_COMMITTER_NAME="b", GIT_COMMITTER_EMAIL="b@example.com")
        for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "s"]):
            subprocess.run(["git", *args], cwd=path, env=env, check=True, capture_output=True)
    return path


def pair(
    ours: list[str], baseline: list[str], cwd: Path, runs: int, env: dict[str, str]
) -> dict[str, Any]:
    for command in (ours, baseline):
        measure(command, cwd, env)  # warm the page cache and the bytecode
    a_walls, b_walls, a_rss, b_rss = [], [], [], []
    for run in range(runs):
        order = [(ours, a_walls, a_rss), (baseline, b_walls, b_rss)]
        for command, walls, rsses in order if run % 2 == 0 else order[::-1]:
            wall, rss, _code = measure(command, cwd, env)
            walls.append(wall)
            if rss is not None:
                rsses.append(rss)
    return {
        "aiact_lint_ms": round(statistics.median(a_walls) * 1000, 1),
        "baseline_ms": round(statistics.median(b_walls) * 1000, 1),
        "ratio": round(statistics.median(a / b for a, b in zip(a_walls, b_walls)), 2),
        "aiact_lint_peak_mib": round(max(a_rss), 1) if a_rss else None,
        "baseline_peak_mib": round(max(b_rss), 1) if b_rss else None,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--files", type=int, default=20_000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    yamllint = shutil.which("yamllint", path=str(Path(sys.executable).parent)) or shutil.which(
        "yamllint"
    )
    if yamllint is None:
        print('yamllint is not installed: pip install -e ".[bench]"', file=sys.stderr)
        return 2
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("GITHUB_ACTIONS", None)
    # Installed packages carry their bytecode; so does this checkout, from here on.
    compileall.compile_dir(str(ROOT / "aiact_lint"), quiet=1)
    check = [sys.executable, "-m", "aiact_lint", "check", "-q", "--as-of", "2026-11-25"]
    results: dict[str, Any] = {}
    example = "examples/customer-chatbot"
    results["quick start: check examples/customer-chatbot vs yamllint"] = pair(
        [*check, example], [yamllint, f"{example}/aiact.yaml"], ROOT, args.runs, env
    )
    small = small_repo()
    results["small repository: full check vs yamllint"] = pair(
        check, [yamllint, "aiact.yaml"], small, args.runs, env
    )
    big = bench_dir(args.files)
    generate(big, args.files, max(30, args.files // 330))
    grep = ["git", "grep", "-l", "-E", *(x for p in NINE for x in ("-e", p))]
    results[f"{args.files} files: full check vs git grep -l -E (nine patterns)"] = pair(
        check, grep, big, max(5, args.runs // 2), env
    )
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    for name, row in results.items():
        print(
            f"{name}\n  aiact-lint {row['aiact_lint_ms']} ms ({row['aiact_lint_peak_mib']} MiB), "
            f"baseline {row['baseline_ms']} ms ({row['baseline_peak_mib']} MiB), "
            f"ratio {row['ratio']}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
