#!/usr/bin/env python3
"""Regenerate the README's detector section from a measurement on the held-out corpus.

The section (between ``<!-- detector:start -->`` and ``<!-- detector:end -->``) prints precision
and recall per language and per point on tests/data/purposes_heldout.yaml (written blind,
measured blind once, a development corpus since), and lists every miss and false alarm.
``--check`` exits 1 when the section is stale (the test suite runs it), so a change of the
detector that moves a figure shows here.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.detect_corpus import DEV_FILES, HELDOUT, Score, load, measure  # noqa: E402

README = ROOT / "README.md"
START, END = "<!-- detector:start -->", "<!-- detector:end -->"
BLIND_FIRST = (0.681, 0.867)  # the one blind measurement, frozen tables (commit f47b706)


def _row(name: str, score: Score) -> str:
    return (
        f"| {name} | {score.precision:.3f} | {score.recall:.3f} | "
        f"{score.tp} | {score.fp} | {score.fn} |"
    )


def section() -> str:
    heldout = measure(load([HELDOUT]))
    dev = measure(load(DEV_FILES))
    head = "| | precision | recall | right | false alarms | misses |\n|---|---|---|---|---|---|"
    lines = [
        f"First blind corpus: {heldout.n} purposes written blind "
        f"(`tests/data/purposes_heldout.yaml`), measured once with the tables frozen "
        f"(precision {BLIND_FIRST[0]:.3f}, recall {BLIND_FIRST[1]:.3f}) and since then tuned on "
        f"by cause, so these figures are development figures; the honest ones come from a new "
        f"blind corpus the lead measures. Original development corpus ({dev.n} purposes): "
        f"precision {dev.overall.precision:.3f}, recall {dev.overall.recall:.3f}. "
        f"Counted over (purpose, label) pairs.",
        "",
        head,
        _row("**all**", heldout.overall),
    ]
    lines += [_row(language, score) for language, score in heldout.by_language.items()]
    lines += ["", "Per point (first blind corpus):", "", head.replace("| |", "| point |", 1)]
    lines += [_row(f"`{label}`", score) for label, score in heldout.by_label.items()]
    lines += [
        "",
        "<details><summary>Every miss and false alarm on the first blind corpus</summary>",
        "",
        "| id | | label | detected | purpose |",
        "|---|---|---|---|---|",
    ]
    for ident, kind, label, got, text in heldout.misses:
        short = " ".join(text.split())
        short = short if len(short) <= 140 else short[:137] + "..."
        shown = ", ".join(got) or "nothing"
        lines.append(f"| {ident} | {kind} | `{label}` | {shown} | {short.replace('|', '/')} |")
    lines += ["", "</details>"]
    return "\n".join(lines)


def readme() -> str:
    text = README.read_text(encoding="utf-8")
    before, found, rest = text.partition(START)
    if not found:
        raise SystemExit(f"README.md has no {START} marker")
    _, _, after = rest.partition(END)
    return f"{before}{START}\n{section()}\n{END}{after}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if README.md is stale")
    args = parser.parse_args()
    text = readme()
    if README.read_text(encoding="utf-8") == text:
        return 0
    if args.check:
        print(
            "stale: README.md detector section (run scripts/gen_detector_report.py)",
            file=sys.stderr,
        )
        return 1
    README.write_text(text, encoding="utf-8")
    print("wrote README.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
