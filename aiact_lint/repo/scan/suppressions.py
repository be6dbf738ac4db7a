"""Inline suppressions (``# aiact-lint: ignore[CODE] reason``): parsed from a text, and the
findings about suppressions that name no rule or give no reason (AIA856, AIA857).
"""

from __future__ import annotations

import re
from typing import Callable, Iterable

from aiact_lint.catalogue import make_finding, resolve
from aiact_lint.findings import Finding
from aiact_lint.repo.scan.lines import _Lines
from aiact_lint.repo.scan.records import CodeIndex, Suppression

_SUPPRESSION = re.compile(
    r"(?:#|//|/\*|<!--)[ \t]*aiact-lint:[ \t]*ignore\b(?P<bracket>\[(?P<codes>[^\]\n]*)\])?"
    r"(?P<reason>[^\n]*)"
)
_REASON_JUNK = re.compile(r"^[\s:;,\-–—]+|(?:\*/|-->)\s*$")


def _suppressions(rel: str, text: str, lines: _Lines) -> list[Suppression]:
    found = []
    for match in _SUPPRESSION.finditer(text):
        line, column = lines.at(match.start())
        line_start = lines.starts[line - 1]
        own_line = not text[line_start : match.start()].strip()
        end = match.end()
        while end > match.start() and text[end - 1] in "\r \t":
            end -= 1
        codes: list[str] = []
        unknown: list[str] = []
        for token in re.split(r"[\s,]+", match.group("codes") or ""):
            if not token:
                continue
            rule = resolve(token)
            if rule is None:
                unknown.append(token)
            elif rule.code not in codes:
                codes.append(rule.code)
        reason = match.group("reason") or ""
        reason = _REASON_JUNK.sub("", reason.strip()).strip()
        found.append(
            Suppression(
                path=rel,
                line=line,
                column=column,
                end_column=column + (end - match.start()),
                codes=tuple(codes),
                unknown=tuple(unknown),
                bracket=match.group("bracket") is not None,
                reason=reason,
                own_line=own_line,
            )
        )
    return found


def _suppression_findings(
    index: CodeIndex, paths: Iterable[str], path_of: Callable[[str], str]
) -> list[Finding]:
    findings = []
    for rel in sorted(set(paths)):
        for item in index.suppressions.get(rel, ()):
            span = (item.line, item.column, item.line, item.end_column)
            if not item.bracket or (not item.codes and not item.unknown):
                findings.append(
                    make_finding(
                        "AIA857",
                        path_of(rel),
                        span,
                        "this suppression names no rule; write ignore[CODE] followed by the reason",
                        subject=f"suppression:{rel}",
                    )
                )
            for token in item.unknown:
                findings.append(
                    make_finding(
                        "AIA857",
                        path_of(rel),
                        span,
                        f'"{token}" is not a rule code or name; it suppresses nothing',
                        subject=f"suppression:{rel}:{token}",
                    )
                )
            if item.codes and not item.reason:
                codes = ", ".join(item.codes)
                findings.append(
                    make_finding(
                        "AIA856",
                        path_of(rel),
                        span,
                        f"suppression of {codes} gives no reason, so it is not honoured; "
                        "add the reason after the brackets",
                        subject=f"suppression:{rel}:{codes}",
                    )
                )
    return findings
