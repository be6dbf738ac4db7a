"""Tell the language of a purpose text from its function words (and a few letters).

Function words ("the", "und", "les", "het", "los", "della", "się"...) are frequent, short and
distinctive, so a handful of them settles the language of even a one-line purpose; letters only
one language uses (ñ, ł, ß) and typical word endings (-ción, -zione, -ung) break the ties that
short Romance sentences leave ("la", "de", "en"). A text with
none (a sector such as "Personalwesen") takes the language of the manifest's other texts.
"""

from __future__ import annotations

from typing import Mapping, Optional

from aiact_lint.detect.lexicon import languages
from aiact_lint.detect.text import Token, fold

TIE = 1  # in a short text, languages this close to the best are read with their lexicons
SHORT = 4  # ... a text whose best score is at most this is short
LETTER_WEIGHT = 2  # a letter only one language uses (ß, ł, ñ...) counts as two function words


def identify(toks: list[Token], text: str) -> Optional[str]:
    """The most likely language of ``text`` (its tokens given), or None when nothing tells."""
    ranked = candidates(toks, text)
    return ranked[0] if ranked else None


def candidates(toks: list[Token], text: str) -> list[str]:
    """The languages ``text`` may be in, best first: one, or the few that tie within a point
    (short Romance sentences: "Decide qué clientes obtienen un préstamo")."""
    table = languages()
    scores: dict[str, int] = {}
    words = [fold(t.lower) for t in toks]
    lowered = text.lower()
    for language, (function_words, letters, endings) in table.items():
        score = sum(1 for word in words if word in function_words)
        score += LETTER_WEIGHT * sum(1 for letter in letters if letter in lowered)
        score += sum(1 for word in words if len(word) > 4 and word.endswith(endings))
        if score:
            scores[language] = score
    if not scores:
        return []
    best = max(scores.values())
    # Table order breaks exact ties (English first: EU teams' lingua franca).
    margin = TIE if best <= SHORT else 0
    return [language for language in table if scores.get(language, -9) >= best - margin]


def choose(
    detected: Mapping[str, Optional[str]], declared: Optional[str], order: list[str]
) -> dict[str, str]:
    """The language to read each field in: the declared one, else the field's own, else the
    language of the first field (in ``order``) that has one, else English."""
    if declared:
        return {name: declared for name in detected}
    fallback = next((detected[n] for n in order if detected.get(n)), None) or "en"
    return {name: (language or fallback) for name, language in detected.items()}
