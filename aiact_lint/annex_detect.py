"""Suspect undeclared Annex III uses from the words of the manifest.

The phrases live in ``aiact_lint/law/annex_iii.yaml`` (the law as data, reviewed by lawyers);
this module only compiles them to regular expressions and applies them. Pure logic, stdlib only:
it runs in a pre-commit hook, so each phrase is compiled once per process, and only when a cheap
substring prefilter shows that it could match.

Phrase syntax (documented for reviewers in the YAML header):

* case-insensitive, matched on word boundaries;
* a trailing ``*`` on a word means "any word ending" (``shortlist*``);
* between two words the text may have spaces, line breaks, hyphens or slashes, optionally after
  an apostrophe or a possessive ``'s`` (``applicant* cvs`` matches "applicants' CVs");
* a hyphen inside a phrase word matches a hyphen, a space or nothing (``re-offend*``);
* ``...`` between two words allows up to three other words in between, within one clause.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any, Mapping, Match, NamedTuple, Optional, Pattern, Tuple

from aiact_lint.lawdata import table

#: Fields searched, best first: the first field holding a phrase gives the reported match.
FIELDS = ("purpose", "description", "sector", "affected_persons")

_MAX_GAPPED_WORDS = 3  # "..." allows up to this many words in between
_SEP = r"(?:['\u2019]s?)?[\s\-/]+"  # between two words of a phrase
_GAP = rf"(?:{_SEP}[\w'\u2019]+){{0,{_MAX_GAPPED_WORDS}}}{_SEP}"
_IN_WORD_HYPHEN = r"[\s\-]?"  # a hyphen inside a phrase word


class Suspicion(NamedTuple):
    """One Annex III point that the manifest's wording suggests."""

    point: str  # "4(a)"
    phrase: str  # the table phrase that matched
    field: str  # "purpose" | "sector" | "description" | "affected_persons"
    matched: str  # the text that matched, as written


# A phrase as written in the table, and a lowercase literal every match contains (a cheap
# prefilter). Plain tuples: building 1,500 of them must stay well under a millisecond.
_Phrase = Tuple[str, str]


class _Point(NamedTuple):
    point: str
    phrases: Tuple[_Phrase, ...]
    negative: Tuple[_Phrase, ...]
    context: Tuple[_Phrase, ...]


def _word(word: str) -> str:
    star = word.endswith("*")
    stem = word[:-1] if star else word
    if not stem or "*" in stem or "..." in stem:
        raise ValueError(f"bad word {word!r}: '*' only at the end of a word")
    pieces = [re.escape(piece) for piece in stem.split("-")]
    if any(not piece for piece in pieces):
        raise ValueError(f"bad word {word!r}: empty part around a hyphen")
    return _IN_WORD_HYPHEN.join(pieces) + (r"\w*" if star else r"(?!\w)")


def phrase_regex(phrase: str) -> str:
    """The regular expression (without groups) for one table phrase."""
    tokens = phrase.split()
    if not tokens or tokens[0] == "..." or tokens[-1] == "...":
        raise ValueError(f"bad phrase {phrase!r}: empty, or starts or ends with '...'")
    parts = [r"(?<!\w)"]
    gap = False
    for index, token in enumerate(tokens):
        if token == "...":
            if gap:
                raise ValueError(f"bad phrase {phrase!r}: '... ...'")
            gap = True
            continue
        if index:
            parts.append(_GAP if gap else _SEP)
        gap = False
        parts.append(_word(token))
    return "".join(parts)


def normalise_phrase(item: str) -> str:
    return " ".join(item.split())  # a malformed phrase fails when first compiled


def phrase_needle(phrase: str) -> str:
    """The longest literal piece of a phrase: every match contains it (the prefilter)."""
    pieces = [
        piece
        for word in phrase.split()
        if word != "..."
        for piece in word.rstrip("*").lower().split("-")
    ]
    return max(pieces, key=len)


def _phrases(entry: Mapping[str, Any], key: str) -> Tuple[_Phrase, ...]:
    # Needles are precomputed by scripts/build_generated.py (kept current by a test).
    needles: Mapping[str, str] = table("annex_iii_needles")
    found = []
    for item in entry.get(key) or []:
        text = normalise_phrase(str(item))
        needle = needles.get(text)
        found.append((text, needle if needle is not None else phrase_needle(text)))
    return tuple(found)


@cache
def _points() -> Tuple[_Point, ...]:
    compiled = []
    for entry in table("annex_iii")["points"]:
        phrases = _phrases(entry, "phrases")
        if not phrases:
            raise ValueError(f"Annex III point {entry['point']} has no phrases")
        compiled.append(
            _Point(
                point=str(entry["point"]),
                phrases=phrases,
                negative=_phrases(entry, "negative_phrases"),
                context=_phrases(entry, "context_required"),
            )
        )
    return tuple(compiled)


@cache
def _regex(phrase: str) -> Pattern[str]:
    """Compiled lazily: most phrases never get past the substring prefilter."""
    return re.compile(phrase_regex(phrase), re.IGNORECASE)


def _first(
    phrases: Tuple[_Phrase, ...], text: str, lowered: str
) -> Optional[Tuple[_Phrase, Match[str]]]:
    """The leftmost match of any of ``phrases`` (table order breaks ties)."""
    best: Optional[Tuple[_Phrase, Match[str]]] = None
    for phrase in phrases:
        if phrase[1] not in lowered:
            continue
        match = _regex(phrase[0]).search(text)
        if match is not None and (best is None or match.start() < best[1].start()):
            best = (phrase, match)
    return best


def _anywhere(phrases: Tuple[_Phrase, ...], fields: list[tuple[str, str, str]]) -> bool:
    return any(
        phrase[1] in lowered and _regex(phrase[0]).search(text) is not None
        for _, text, lowered in fields
        for phrase in phrases
    )


def _suspect(point: _Point, fields: list[tuple[str, str, str]]) -> Optional[Suspicion]:
    for name, text, lowered in fields:
        best = _first(point.phrases, text, lowered)
        if best is not None:
            phrase, match = best
            return Suspicion(point.point, phrase[0], name, match.group(0))
    return None


def _ordered(texts: Mapping[str, str]) -> list[tuple[str, str, str]]:
    known = [name for name in FIELDS if name in texts]
    others = [name for name in texts if name not in FIELDS]
    return [(name, texts[name], texts[name].lower()) for name in known + others if texts[name]]


def detect(texts: Mapping[str, str]) -> list[Suspicion]:
    """Annex III points suggested by ``texts`` (field name -> text), in table order.

    At most one suspicion per point: the first field (in :data:`FIELDS` order) that holds one of
    the point's phrases, and in it the leftmost match. A point is dropped when one of its
    negative phrases appears in any field, or when it has ``context_required`` phrases and none
    of them appears in any field.
    """
    fields = _ordered(texts)
    if not fields:
        return []
    found: list[Suspicion] = []
    for point in _points():
        suspicion = _suspect(point, fields)
        if suspicion is None:
            continue
        if point.negative and _anywhere(point.negative, fields):
            continue
        if point.context and not _anywhere(point.context, fields):
            continue
        found.append(suspicion)
    return found


def points() -> list[str]:
    """The Annex III point ids, in table order."""
    return [point.point for point in _points()]
