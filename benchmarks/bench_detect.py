#!/usr/bin/env python3
"""How much a long purpose costs: the detector on a 2,000-word purpose against a one-line one.

Target (issue 12): a 2,000-word purpose takes under 20 ms more than a one-line one. Measured in
process, after the language and its lexicon are loaded once (as in a hook run, where the first
text pays the load), as medians of N runs; also the whole process (`check --manifest-only`) on a
manifest with each purpose, against the same manifest with an empty purpose.

    python benchmarks/bench_detect.py [--runs 30]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ONE_LINE = "Ranks incoming job applications for warehouse roles."
PARAGRAPH = (
    "The platform supports the whole hiring process of our logistics company. Recruiters "
    "publish vacancies, candidates upload their CVs and cover letters, and the screening "
    "module extracts skills, certificates and work history. It scores each applicant against "
    "the requirements of the role and shows the recruiter a ranked shortlist. A chat assistant "
    "answers candidates' questions about the status of their application, and the planning "
    "team uses aggregated figures for headcount forecasts. Data is kept for six months. "
)


def long_purpose(words: int = 2000) -> str:
    text = ""
    while len(text.split()) < words:
        text += PARAGRAPH
    return " ".join(text.split()[:words])


def in_process(runs: int) -> dict[str, float]:
    from aiact_lint.detect import detect

    detect({"purpose": ONE_LINE})  # load English once
    long = long_purpose()
    out = {}
    for name, text in (("one line", ONE_LINE), ("2,000 words", long)):
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            detect({"purpose": text})
            times.append(time.perf_counter() - start)
        out[name] = statistics.median(times) * 1000
    return out


MANIFEST = """schema_version: 1
system: {{name: bench}}
roles: [provider]
market: {{regions: [EU]}}
use_case:
  purpose: {purpose!r}
  annex_iii: ["4(a)"]
risk: {{classification: high}}
"""


def whole_process(runs: int) -> dict[str, float]:
    out: dict[str, list[float]] = {"empty purpose": [], "one line": [], "2,000 words": []}
    env = dict(os.environ, NO_COLOR="1")
    with tempfile.TemporaryDirectory() as tmp:
        paths = {}
        for name, text in (("empty purpose", ""), ("one line", ONE_LINE)):
            paths[name] = Path(tmp) / f"{len(paths)}.yaml"
            paths[name].write_text(MANIFEST.format(purpose=text), encoding="utf-8")
        paths["2,000 words"] = Path(tmp) / "long.yaml"
        paths["2,000 words"].write_text(MANIFEST.format(purpose=long_purpose()), encoding="utf-8")
        for _ in range(runs):
            for name, path in paths.items():  # alternating, to share the machine's noise
                command = [sys.executable, "-m", "aiact_lint", "check", "--manifest-only"]
                start = time.perf_counter()
                subprocess.run([*command, str(path)], env=env, capture_output=True, check=False)
                out[name].append(time.perf_counter() - start)
    return {name: statistics.median(times) * 1000 for name, times in out.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    inner = in_process(args.runs)
    print(f"detect() in process, median of {args.runs}:")
    for name, ms in inner.items():
        print(f"  {name:14} {ms:8.2f} ms")
    print(f"  difference     {inner['2,000 words'] - inner['one line']:8.2f} ms  (target < 20 ms)")
    outer = whole_process(max(5, args.runs // 3))
    print("check --manifest-only, whole process, median:")
    for name, ms in outer.items():
        print(f"  {name:14} {ms:8.1f} ms")
    print(f"  difference     {outer['2,000 words'] - outer['one line']:8.1f} ms (long - one line)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
