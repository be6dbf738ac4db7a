"""Per-language lexicons: which concept each word form stands for.

The lexicons are written for jurists in ``aiact_lint/law/detect/lexicon.<lang>.yaml`` and compiled
by ``scripts/build_generated.py`` into ``aiact_lint/law/detect/compiled/<lang>.json`` with every
term already reduced to its Snowball stem, so that a run only stems the manifest's own words.
A language is loaded (and its stemmer created) only when a text in that language is read.

Term syntax in the YAML (see the header of ``lexicon.en.yaml``):

* ``word`` matches any word with the same stem (``applicant`` matches "applicants");
* ``word*`` matches any word that starts with ``word`` (diacritics ignored), also inside a
  phrase (``zdolnoś* kredytow*``);
* ``=word`` matches exactly that word (acronyms: ``=cv``, ``=kyc``);
* ``two words`` matches the words in that order, skipping the language's function words;
* ``one ... two`` matches the words in that order with up to twelve others in between, in one
  sentence (German separable verbs: ``leitet ... ab``);
* ``!two words`` is a fixed expression: its words then stand for nothing else ("!short answer"
  is an exam format, not an answer);
* in compounding languages (German, Dutch) every plain term of five letters or more also
  matches inside a longer word ("bewerber" in "Bewerberranking"), unless that word contains
  one of the lexicon's ``not_parts`` ("wettbewerb"); in German only capitalised words (nouns,
  where compounds are) are searched for parts.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any, Callable, Optional

from aiact_lint.detect.text import fold

DATA = Path(__file__).resolve().parent.parent / "law" / "detect"
COMPILED = DATA / "compiled"
LANGUAGES = ("en", "de", "fr", "nl", "es", "it", "pl")
STEMMERS = {
    "en": "english",
    "de": "german",
    "fr": "french",
    "nl": "dutch",
    "es": "spanish",
    "it": "italian",
    "pl": "polish",
}
MIN_PART = 5  # shortest compound part matched inside a longer word

#: Languages whose compiled lexicon this process has loaded (the hook-cost test reads it).
LOADED: set[str] = set()

Normalise = Callable[[list[str]], list[str]]


class Lexicon:
    """One language's compiled lexicon and the function that reduces its words to keys."""

    __slots__ = (
        "capitalised_only",
        "clause_words",
        "contrast_words",
        "exact",
        "function_words",
        "language",
        "normalise",
        "not_parts",
        "parts",
        "phrase_prefix_lengths",
        "phrases",
        "prefix_lengths",
        "prefixes",
        "words",
    )

    def __init__(self, data: dict[str, Any], normalise: Normalise) -> None:
        self.language: str = data["language"]
        self.words: dict[str, list[str]] = data["words"]
        self.exact: dict[str, list[str]] = data["exact"]
        self.prefixes: dict[str, list[str]] = data["prefixes"]
        self.phrases: dict[str, list[list[Any]]] = data["phrases"]
        self.parts: dict[str, list[str]] = data["parts"]
        self.capitalised_only: bool = data["capitalised_only"]
        self.not_parts: tuple[str, ...] = tuple(data["not_parts"])
        self.function_words: frozenset[str] = frozenset(data["function_words"])
        self.clause_words: frozenset[str] = frozenset(data["clause_words"])
        self.contrast_words: frozenset[str] = frozenset(data["contrast_words"])
        self.normalise = normalise
        # Lengths of the prefixes a word is looked up by (each looked up once per word).
        self.prefix_lengths = tuple(sorted({len(p) for p in self.prefixes}))
        self.phrase_prefix_lengths = tuple(
            sorted({len(k) - 1 for k in self.phrases if k.startswith("*")})
        )


def snowball(language: str) -> Normalise:
    """Snowball stems, folded (the production normaliser). PyStemmer is a C extension: ~2 ms
    to import, well under a microsecond a word; the pure-Python snowballstemmer is the
    fallback (about 60 ms to import and 500 times slower a word)."""
    try:
        import Stemmer  # type: ignore[import-not-found]  # PyStemmer: C, no stubs

        stemmer: Any = Stemmer.Stemmer(STEMMERS[language])
    except ImportError:  # pragma: no cover - PyStemmer is a dependency
        import snowballstemmer  # type: ignore[import-not-found]

        stemmer = snowballstemmer.stemmer(STEMMERS[language])

    def normalise(words: list[str]) -> list[str]:
        unique = list(dict.fromkeys(words))  # long texts repeat their words: stem each once
        stems = dict(zip(unique, (fold(stem) for stem in stemmer.stemWords(unique))))
        return [stems[word] for word in words]

    return normalise


@cache
def load(language: str) -> Optional[Lexicon]:
    """The compiled lexicon of ``language``, or None when there is none."""
    if language not in STEMMERS:
        return None
    path = COMPILED / f"{language}.json"
    with path.open(encoding="utf-8") as handle:
        data = json.load(handle)
    LOADED.add(language)
    return Lexicon(data, snowball(language))


@cache
def languages() -> dict[str, tuple[frozenset[str], str, tuple[str, ...]]]:
    """Function words (folded), distinctive letters and word endings of each language."""
    with (COMPILED / "languages.json").open(encoding="utf-8") as handle:
        data: dict[str, dict[str, Any]] = json.load(handle)
    return {
        language: (
            frozenset(data[language]["function_words"]),
            str(data[language]["letters"]),
            tuple(data[language]["endings"]),
        )
        for language in LANGUAGES
        if language in data
    }
