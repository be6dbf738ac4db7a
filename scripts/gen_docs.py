#!/usr/bin/env python3
"""Regenerate docs generated from the rule catalogue: docs/rules.md and the README rule table.

``--check`` exits 1 when either is stale (the test suite runs it).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aiact_lint.catalogue import rules  # noqa: E402
from aiact_lint.cli import explain_text  # noqa: E402

README = ROOT / "README.md"
RULES_DOC = ROOT / "docs" / "rules.md"
START, END = "<!-- rules:start -->", "<!-- rules:end -->"


def rule_table() -> str:
    lines = ["| Code | Name | Severity | Articles | Title |", "|---|---|---|---|---|"]
    for rule in rules().values():
        anchor = f"docs/rules.md#{rule.code.lower()}"
        articles = rule.article or "—"
        flag = " (unverified)" if not rule.verified else ""
        lines.append(
            f"| [{rule.code}]({anchor}) | {rule.name} | {rule.severity} | {articles} | "
            f"{rule.title}{flag} |"
        )
    return "\n".join(lines)


def rules_doc() -> str:
    parts = [
        "# aiact-lint rules",
        "",
        "Generated from the rule catalogue (`aiact_lint/law/rules_*.yaml`) by "
        "`scripts/gen_docs.py`; `aiact-lint explain CODE` prints the same text.",
        "",
    ]
    for rule in rules().values():
        parts.append(f'<a id="{rule.code.lower()}"></a>')
        text = explain_text(rule.code) or ""
        head, _, body = text.partition("\n")
        parts.append(f"## {head}")
        parts.append(body.replace("## ", "### "))
    return "\n".join(parts).rstrip() + "\n"


def readme() -> str:
    text = README.read_text(encoding="utf-8")
    before, _, rest = text.partition(START)
    _, _, after = rest.partition(END)
    return f"{before}{START}\n{rule_table()}\n{END}{after}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    stale = []
    for path, text in ((RULES_DOC, rules_doc()), (README, readme())):
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current != text:
            stale.append(path)
            if not args.check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
    if args.check and stale:
        for path in stale:
            print(f"stale: {path.relative_to(ROOT)} (run scripts/gen_docs.py)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
