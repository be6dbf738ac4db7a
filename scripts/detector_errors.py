#!/usr/bin/env python3
"""Print the detector's false alarms and misses on the labelled corpora, grouped for diagnosis.

For each language and label: every false alarm with the frame that fired and its one-line
explanation (the words it matched), and every miss with what was detected instead. A developer
tool for tuning the frame tables by cause; the tests do not run it.

    scripts/detector_errors.py [--corpus dev|heldout|all] [--lang en] [--label 4(a)]
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aiact_lint.detect import detect  # noqa: E402
from tests.detect_corpus import DEV_FILES, HELDOUT, load, measure, texts_of  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", choices=("dev", "heldout", "all"), default="heldout")
    parser.add_argument("--lang")
    parser.add_argument("--label")
    parser.add_argument("--summary", action="store_true", help="figures only")
    args = parser.parse_args()
    paths = {"dev": DEV_FILES, "heldout": [HELDOUT], "all": [*DEV_FILES, HELDOUT]}[args.corpus]
    items = [i for i in load(paths) if not args.lang or i["lang"] == args.lang]
    result = measure(items)
    print(f"{result.n} items  P={result.overall.precision:.3f} R={result.overall.recall:.3f}")
    for lang, score in result.by_language.items():
        print(f"  {lang}: P={score.precision:.3f} R={score.recall:.3f} {score}")
    if args.summary:
        return 0
    by_id = {item["id"]: item for item in items}
    groups: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for ident, kind, label, got, _text in result.misses:
        if args.label and label != args.label:
            continue
        item = by_id[ident]
        found = {s.label: s for s in detect(texts_of(item))}
        line = f"  {ident} want={item['expected']} got={got}\n      {item['purpose']!r}"
        if item.get("sector") or item.get("affected_persons"):
            line += f"\n      sector={item.get('sector')!r} affected={item.get('affected_persons')}"
        if kind == "false alarm":
            s = found[label]
            line += f"\n      [{s.frame}] {s.explanation}"
        groups[(item["lang"], label, kind)].append(line)
    for (lang, label, kind), lines in sorted(groups.items()):
        print(f"\n== {lang} {label} {kind} ({len(lines)})")
        print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
