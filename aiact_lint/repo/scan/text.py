"""Scanning one text: the model references and capability hints a file's code shows.

A model named through a constant (``model=MODEL``) is resolved to the string literal assigned to
that name in the same file (``_resolve``).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import cache, lru_cache
from typing import Iterable

from aiact_lint.lawdata import table
from aiact_lint.repo.scan.lines import _Lines
from aiact_lint.repo.scan.patterns import SUPPRESSION_MARK, Entry, _compiled, patterns
from aiact_lint.repo.scan.records import Hint, Reference, Suppression
from aiact_lint.repo.scan.suppressions import _suppressions

_ASSIGN_TAIL = (
    r"[ \t]*(?::[^=\n]{1,80})?=[ \t]*"
    r"(?:(?:os\.getenv|os\.environ\.get)\(\s*[\"'][^\"'\n]*[\"']\s*,\s*)?"
    r"(?P<q>[\"'`])(?P<model>[^\"'`\s\\{}$<>]{1,200})(?P=q)"
)


_ASSIGNMENT_HEAD = (
    r"^[ \t]*(?:export[ \t]+)?(?:(?:const|let|var|final|static|readonly|private)[ \t]+)*"
)


@lru_cache(maxsize=512)
def _assignment(name: str) -> re.Pattern[str]:
    """``NAME = "value"`` (Python, annotated), ``const NAME = "value"`` (JS/TS), at line start."""
    return re.compile(
        _ASSIGNMENT_HEAD + re.escape(name) + r"(?![\w$])" + _ASSIGN_TAIL, re.MULTILINE
    )


# Every assignment of a string literal to a (dotted) name, in one pass over a file.
_ANY_ASSIGNMENT = re.compile(
    _ASSIGNMENT_HEAD + r"(?P<name>[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)(?![\w$])" + _ASSIGN_TAIL,
    re.MULTILINE,
)


class _Assignments:
    """The string literals assigned to names in one file, found in ONE pass (not one pass per
    reference: a file of 200,000 ``model=`` references must not be rescanned for each)."""

    def __init__(self, text: str) -> None:
        self.by_name: dict[str, tuple[list[int], list[tuple[int, int, str]]]] = {}
        for match in _ANY_ASSIGNMENT.finditer(text):
            starts, found = self.by_name.setdefault(match.group("name"), ([], []))
            starts.append(match.start())
            found.append((match.start("model"), match.end("model"), match.group("model")))

    def resolve(self, name: str, before: int) -> tuple[int, int, str] | None:
        """The literal assigned to ``name``: the last one before ``before``, else the first one
        after it. Dotted names also try their last part (``settings.MODEL``)."""
        candidates = [name]
        if "." in name:
            candidates.append(name.rsplit(".", 1)[1])
        for candidate in candidates:
            entry = self.by_name.get(candidate)
            if entry is None:
                continue
            starts, found = entry
            position = bisect_left(starts, before)
            return found[position - 1] if position > 0 else found[0]
        return None


def _resolve(text: str, name: str, before: int) -> tuple[int, int, str] | None:
    """The string literal assigned to ``name`` in this file (see :class:`_Assignments`)."""
    return _Assignments(text).resolve(name, before)


def _may_match(regex: str, text: str) -> bool:
    """False when ``text`` holds none of the literals ``regex`` cannot match without (computed
    at build time, law/compiled.json): then it is neither compiled nor run on this file."""
    needed = _literals().get(regex)
    return not needed or any(literal in text for literal in needed)


@cache
def _literals() -> dict[str, list[str]]:
    found: dict[str, list[str]] = table("model_pattern_literals")
    return found


def _plausible(value: str) -> bool:
    return bool(value) and not value.isdigit() and len(value) <= 200


def scan_text(
    rel: str, text: str, entries: Iterable[Entry], ref_ignore: frozenset[str] | None = None
) -> tuple[list[Reference], list[Hint], list[Suppression]]:
    """The model references, capability hints and suppressions in one file's text."""
    if ref_ignore is None:
        ref_ignore = patterns().ref_ignore
    lines: _Lines | None = None
    assignments: _Assignments | None = None
    references: dict[tuple[int, int], Reference] = {}
    hints: dict[tuple[int, str], Hint] = {}

    for entry in entries:
        if not entry.applies(text):
            continue
        for regex in entry.patterns:
            if not _may_match(regex, text):
                continue
            for match in _compiled(regex).finditer(text):
                groups = match.groupdict()
                use_line = 0
                if groups.get("model") is not None:
                    start, end = match.span("model")
                    model: str | None = groups["model"]
                elif groups.get("ref") is not None:
                    if groups["ref"] in ref_ignore:
                        continue
                    start, end = match.span("ref")
                    assignments = assignments or _Assignments(text)
                    resolved = assignments.resolve(groups["ref"], start)
                    if resolved is None:
                        model = None
                    else:
                        lines = lines or _Lines(text)
                        use_line = lines.at(start)[0]
                        start, end, model = resolved
                else:
                    continue
                if model is not None and not _plausible(model):
                    continue
                if (start, end) in references:
                    continue
                lines = lines or _Lines(text)
                span = lines.span(start, end)
                references[(start, end)] = Reference(
                    rel,
                    *span,
                    model=model,
                    provider=entry.name,
                    kind=entry.kind,
                    use_line=use_line if use_line != span[0] else 0,
                )
        for capability, regex in entry.hints:
            if not _may_match(regex, text):
                continue
            for match in _compiled(regex).finditer(text):
                start, end = match.span()
                for name, value in match.groupdict().items():
                    if name.startswith("at") and value is not None:
                        start, end = match.span(name)
                        break
                if (start, capability) in hints:
                    continue
                lines = lines or _Lines(text)
                hints[(start, capability)] = Hint(
                    rel, *lines.span(start, end), capability, entry.name, text[start:end]
                )
    suppressions: list[Suppression] = []
    if SUPPRESSION_MARK in text:
        suppressions = _suppressions(rel, text, lines or _Lines(text))
    ordered = sorted(references.items())
    return [r for _, r in ordered], [h for _, h in sorted(hints.items())], suppressions
