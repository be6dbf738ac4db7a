"""Document content: placeholders, required sections by heading, disclosure texts.

Matching is deliberately generous (case, numbering, punctuation and markup ignored): the goal
is to catch a missing section or notice, not to grade prose.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from itertools import islice
from typing import Any, Iterable

from aiact_lint.lawdata import table

_WORDS = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")
# A tag never holds "<" (nor a JSX expression "{"): each match attempt stops at the next one, so
# the scan is linear (``<[^>]*>`` rescanned the rest of the text for every "<": quadratic).
_TAGS = re.compile(r"<[^<>]*>|\{[^{}]*\}")


def normalise(text: str) -> str:
    """Case-folded words joined by single spaces: the form all matching happens in."""
    return " ".join(_WORDS.findall(text.casefold().replace("’", "'")))


# Over the document's stripped lines joined by "\n": ATX (``# Title``), setext (a line followed
# by ``===`` / ``---``...) and bold-line (``**Title**``) headings. One regex pass each instead of
# a Python loop over every line: 1.6 million lines are read in well under a second.
_ATX = re.compile(r"^#+([^\n]*)", re.MULTILINE)
_SETEXT = re.compile(r"^([^#\n][^\n]*)\n(?=[=\-~^*]{3,}$)", re.MULTILINE)
_BOLD = re.compile(r"^\*\*([^*\n]{2,80})\*\*:?$", re.MULTILINE)
_WORD_OR_BREAK = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*|\n")


def _raw_headings(text: str) -> list[str]:
    """Markdown (#, setext), reStructuredText and bold-line headings, as written."""
    block = "\n".join(line.strip() for line in text.splitlines())
    found = _ATX.findall(block)
    found += _SETEXT.findall(block)
    found += _BOLD.findall(block)
    return list(dict.fromkeys(found))


def headings(text: str) -> list[str]:
    """Markdown (#, setext), reStructuredText and bold-line headings, normalised."""
    # Numbering ("1.", "(a)", "Annex IV 2") needs no stripping: matching is by contained words.
    return [normalise(heading) for heading in _raw_headings(text)]


def _heading_block(text: str) -> str:
    """Every normalised heading padded with spaces, one per line (what :func:`_covers` searches),
    built with one regex pass over all of them; the body when the document has no heading."""
    found = _raw_headings(text)
    if not found:  # a document without headings: search the body instead
        return f" {normalise(text)} "
    tokens = _WORD_OR_BREAK.findall("\n".join(found).casefold().replace("’", "'"))
    return " " + " ".join(tokens) + " "


def _covers(heading_list: Iterable[str] | str, synonyms: list[str]) -> bool:
    """Whether a heading contains one of ``synonyms`` as whole words. ``heading_list`` may be
    the joined form (:func:`_heading_block`): one substring search per synonym, not one per
    heading (1.6 million headings times the synonyms of every section took 42 s)."""
    if isinstance(heading_list, str):
        joined = heading_list
    else:
        joined = "\n".join(f" {heading} " for heading in heading_list)
    return any(f" {normalise(s)} " in joined for s in synonyms)


def missing_sections(text: str, document: str) -> list[dict[str, Any]]:
    """The sections of ``document`` (law/documents.yaml) no heading covers."""
    spec = table("documents")["documents"][document]
    joined = _heading_block(text)
    return [s for s in spec["sections"] if not _covers(joined, s["headings"])]


@lru_cache(maxsize=4)
def _markers(markers: tuple[str, ...]) -> re.Pattern[str]:
    """All placeholder markers in one pattern: one pass over a document, not one per marker."""
    words = "|".join(re.escape(m.casefold()) for m in sorted(markers, key=len, reverse=True))
    return re.compile(rf"(?<![a-z])(?:{words})(?![a-z])")


@lru_cache(maxsize=16)
def placeholder_reason(text: str) -> str | None:
    """Why ``text`` is a placeholder (empty, marked TODO..., too short), or None. Cached: the
    obligations ask about the same evidence file several times."""
    config = table("documents")["placeholders"]
    lowered = text.casefold()
    minimum = int(config["min_words"])
    words = sum(1 for _ in islice(_WORDS.finditer(lowered), minimum))
    if not words:
        return "it is empty"
    markers = config["markers"]
    found = {match.group(0) for match in _markers(tuple(markers)).finditer(lowered)}
    for marker in markers:  # the first one in the table's order, as written there
        if marker.casefold() in found:
            return f'it is marked "{marker}"'
    if found:  # markers that overlap ("lorem" inside "lorem ipsum"): one by one, in order
        for marker in markers:
            if re.search(rf"(?<![a-z]){re.escape(marker.casefold())}(?![a-z])", lowered):
                return f'it is marked "{marker}"'
    if words < minimum:
        return f"it holds only {words} words"
    return None


def visible_text(text: str) -> str:
    """Text as a user could see it: entities decoded, tags and JSX expressions removed."""
    return normalise(_TAGS.sub(" ", html.unescape(text)))


def contains_disclosure(text: str, disclosure: str) -> bool:
    wanted = normalise(disclosure)
    if not wanted:
        return True
    raw = normalise(html.unescape(text).replace("\\n", " "))
    return wanted in raw or wanted in visible_text(text)
