"""Words, sentences and clauses of a free-text field, with their positions as written.

Pure and stdlib only. A *sentence* ends at ``. ! ? ;``, a line break or a bullet; a *clause* also
ends at a comma, a colon, a bracket, a dash between spaces, a slash between spaces, or before a
coordinating word of the text's language (``and``, ``und``, ``et``...). Frames match within a
sentence; carve-outs cancel only the clause they occur in.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Iterable, NamedTuple

WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)?", re.UNICODE)
# A gap between two words that ends the sentence, or only the clause.
_SENTENCE_GAP = re.compile(r"[.!?;\n\u2022\u00b7]|\s[-\u2013\u2014*]\s*$|^\s*[-\u2013\u2014*]\s")
_CLAUSE_GAP = re.compile(r"[,:()\[\]{}\u2013\u2014]|\s[-/]\s")
# French and Italian articles and prepositions elided before a vowel ("l'", "dell'").
_ELIDED = frozenset(
    {"l", "d", "j", "m", "n", "s", "t", "c", "qu", "dell", "nell", "all", "dall", "sull", "un"}
)
# Letters that NFKD does not decompose into a base letter and a mark.
_FOLD = str.maketrans({"ł": "l", "ß": "ss", "ø": "o", "đ": "d", "æ": "ae", "œ": "oe"})


class Token(NamedTuple):
    start: int
    end: int
    surface: str  # as written
    lower: str  # lowercased, apostrophe-free
    sentence: int
    clause: int


def fold(word: str) -> str:
    """Lowercase without diacritics: 'Évaluation' -> 'evaluation', 'łódź' -> 'lodz'."""
    word = word.lower().translate(_FOLD)
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tokens(text: str, clause_words: Iterable[str] = ()) -> list[Token]:
    """The words of ``text`` with the sentence and clause each belongs to.

    ``clause_words`` (lowercase) start a new clause: the coordinating words of the language.
    An apostrophe inside a word is dropped ("applicant's" -> "applicants"), except after an
    elided French or Italian article, which is split off ("l'emploi" -> "emploi").
    """
    breaks = frozenset(clause_words)
    found: list[Token] = []
    sentence = clause = 0
    last_end = 0
    for match in WORD.finditer(text):
        start, end = match.span()
        surface = match.group()
        gap = text[last_end:start]
        if found and gap and gap != " ":
            if _SENTENCE_GAP.search(gap):
                sentence += 1
                clause += 1
            elif _CLAUSE_GAP.search(gap):
                clause += 1
        lower = surface.lower()
        quote = max(lower.find("'"), lower.find("\u2019"))
        if quote > 0:
            head, tail = lower[:quote], lower[quote + 1 :]
            if head in _ELIDED and len(tail) > 2:
                # French/Italian elision: "l'emploi", "dell'esame", "d'accès" -> the noun
                start += quote + 1
                surface = surface[quote + 1 :]
                lower = tail
            else:
                lower = head + tail  # "applicant's" -> "applicants", "doesn't" -> "doesnt"
        if found and lower in breaks:
            clause += 1
        found.append(Token(start, end, surface, lower, sentence, clause))
        last_end = end
    return found


def sentence_spans(text: str, toks: list[Token]) -> dict[int, tuple[int, int]]:
    """Character span (first word start, last word end) of each sentence."""
    spans: dict[int, tuple[int, int]] = {}
    for tok in toks:
        if tok.sentence in spans:
            spans[tok.sentence] = (spans[tok.sentence][0], tok.end)
        else:
            spans[tok.sentence] = (tok.start, tok.end)
    return spans
