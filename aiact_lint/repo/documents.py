"""Document content: placeholders, required sections by heading, disclosure texts.

Matching is deliberately generous (case, numbering, punctuation and markup ignored): the goal
is to catch a missing section or notice, not to grade prose.
"""

from __future__ import annotations

import html
import re
from typing import Any, Iterable

from aiact_lint.lawdata import table

_WORDS = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")
_TAGS = re.compile(r"<[^>]*>|\{[^{}]*\}")


def normalise(text: str) -> str:
    """Case-folded words joined by single spaces: the form all matching happens in."""
    return " ".join(_WORDS.findall(text.casefold().replace("’", "'")))


def headings(text: str) -> list[str]:
    """Markdown (#, setext), reStructuredText and bold-line headings, normalised."""
    found = []
    lines = text.splitlines()
    for index, line in enumerate(lines):
        stripped = line.strip()
        following = lines[index + 1].strip() if index + 1 < len(lines) else ""
        if stripped.startswith("#"):
            found.append(stripped.lstrip("#"))
        elif stripped and following and set(following) <= set("=-~^*") and len(following) >= 3:
            found.append(stripped)
        elif re.fullmatch(r"\*\*[^*]{2,80}\*\*:?", stripped):
            found.append(stripped.strip("*:"))
    # Numbering ("1.", "(a)", "Annex IV 2") needs no stripping: matching is by contained words.
    return [normalise(heading) for heading in found]


def _covers(heading_list: Iterable[str], synonyms: list[str]) -> bool:
    for heading in heading_list:
        padded = f" {heading} "
        if any(f" {normalise(s)} " in padded for s in synonyms):
            return True
    return False


def missing_sections(text: str, document: str) -> list[dict[str, Any]]:
    """The sections of ``document`` (law/documents.yaml) no heading covers."""
    spec = table("documents")["documents"][document]
    found = headings(text)
    if not found:  # a document without headings: search the body instead
        found = [normalise(text)]
    return [s for s in spec["sections"] if not _covers(found, s["headings"])]


def placeholder_reason(text: str) -> str | None:
    config = table("documents")["placeholders"]
    words = _WORDS.findall(text.casefold())
    if not words:
        return "it is empty"
    lowered = text.casefold()
    for marker in config["markers"]:
        pattern = r"(?<![a-z])" + re.escape(marker.casefold()) + r"(?![a-z])"
        if re.search(pattern, lowered):
            return f'it is marked "{marker}"'
    if len(words) < int(config["min_words"]):
        return f"it holds only {len(words)} words"
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
