"""The rule catalogue: every rule's code, severity, articles and documentation, read from data.

Codes are stable and never reused. The catalogue is split into files by concern
(``law/rules_*.yaml``); this module merges them and answers look-ups.
"""

from __future__ import annotations

from functools import cache
from typing import Any, NamedTuple

from aiact_lint.findings import Finding
from aiact_lint.lawdata import table, table_names


class Rule(NamedTuple):
    code: str
    name: str
    title: str
    severity: str
    input_error: bool
    articles: tuple[str, ...]
    what: str
    why: str
    example: str
    fix: str
    references: tuple[str, ...] = ()
    verified: bool = True

    @property
    def article(self) -> str:
        return ", ".join(self.articles)

    @property
    def group(self) -> str:
        return self.code[:4] + "xx"


def _rule(entry: dict[str, Any]) -> Rule:
    return Rule(
        code=entry["code"],
        name=entry["name"],
        title=entry["title"],
        severity=entry["severity"],
        input_error=bool(entry.get("input_error", False)),
        articles=tuple(entry.get("articles") or ()),
        what=entry["what"].strip(),
        why=entry["why"].strip(),
        example=entry["example"].rstrip(),
        fix=entry["fix"].strip(),
        references=tuple(entry.get("references") or ()),
        verified=bool(entry.get("verified", True)),
    )


@cache
def rules() -> dict[str, Rule]:
    """All rules by code, in code order."""
    merged: dict[str, Rule] = {}
    for name in table_names():
        if name.startswith("rules_"):
            for entry in table(name)["rules"]:
                rule = _rule(entry)
                if rule.code in merged:
                    raise ValueError(f"rule code {rule.code} defined twice")
                merged[rule.code] = rule
    return dict(sorted(merged.items()))


def get(code: str) -> Rule:
    return rules()[code]


def resolve(token: str) -> Rule | None:
    """A rule by code (case-insensitive) or by kebab-case name."""
    token = token.strip()
    by_code = rules().get(token.upper())
    if by_code is not None:
        return by_code
    for rule in rules().values():
        if rule.name == token.lower():
            return rule
    return None


def make_finding(
    code: str,
    path: str,
    span: tuple[int, int, int, int],
    message: str,
    *,
    article: str | None = None,
    fix: str | None = None,
    subject: str = "",
) -> Finding:
    """A finding for rule ``code``; severity, default article and fix come from the catalogue."""
    rule = get(code)
    line, column, end_line, end_column = span
    return Finding(
        rule=code,
        severity=rule.severity,
        message=message,
        article=rule.article if article is None else article,
        path=path,
        line=line,
        column=column,
        end_line=end_line,
        end_column=end_column,
        fix=rule.fix if fix is None else fix,
        subject=subject,
    )
