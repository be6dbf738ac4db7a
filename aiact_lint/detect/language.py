"""Tell the language of a purpose text from its function words (and a few letters).

Function words ("the", "und", "les", "het", "los", "della", "się"...) are frequent, short and
distinctive, so a handful of them settles the language of even a one-line purpose. A text with
none (a sector such as "Personalwesen") takes the language of the manifest's other texts.
"""

from __future__ import annotations

from typing import Mapping, Optional

from aiact_lint.detect.lexicon import languages
from aiact_lint.detect.text import Token, fold

LETTER_WEIGHT = 2  # a letter only one language uses (ß, ł, ñ...) counts as two function words


def identify(toks: list[Token], text: str) -> Optional[str]:
    """The most likely language of ``text`` (its tokens given), or None when nothing tells."""
    table = languages()
    scores: dict[str, int] = {}
    words = [fold(t.lower) for t in toks]
    lowered = text.lower()
    for language, (function_words, letters) in table.items():
        score = sum(1 for word in words if word in function_words)
        score += LETTER_WEIGHT * sum(1 for letter in letters if letter in lowered)
        if score:
            scores[language] = score
    if not scores:
        return None
    best = max(scores.values())
    # Ties go to the earlier language in the table (English first: EU teams' lingua franca).
    return next(language for language in table if scores.get(language) == best)


def choose(
    detected: Mapping[str, Optional[str]], declared: Optional[str], order: list[str]
) -> dict[str, str]:
    """The language to read each field in: the declared one, else the field's own, else the
    language of the first field (in ``order``) that has one, else English."""
    if declared:
        return {name: declared for name in detected}
    fallback = next((detected[n] for n in order if detected.get(n)), None) or "en"
    return {name: (language or fallback) for name, language in detected.items()}
