#!/usr/bin/env python3
"""Which library reduces word forms: simplemma (lemmas) against Snowball stems (PyStemmer or
the pure-Python snowballstemmer) and no reduction at all, on the labelled corpora.

For each normaliser the same lexicons (aiact_lint/law/detect/lexicon.*.yaml) are compiled with it
in memory and the detector is measured on the development corpus and on the held-out corpus;
import-and-first-use time per language and installed size are measured too. Needs the
``compare`` extra (``pip install -e ".[compare]"``); simplemma loads a language's dictionary on
first use, which takes seconds and hundreds of MiB for Polish - one reason it is not the choice.

    python benchmarks/compare_normalisers.py
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable, Optional

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ruamel.yaml import YAML  # noqa: E402

from aiact_lint.detect import lexicon as lexicon_module  # noqa: E402
from aiact_lint.detect.build import compile_lexicon  # noqa: E402
from aiact_lint.detect.lexicon import LANGUAGES, STEMMERS, Lexicon  # noqa: E402
from aiact_lint.detect.text import fold  # noqa: E402
from tests.detect_corpus import DEV_FILES, HELDOUT, load, measure  # noqa: E402

Normalise = Callable[[list[str]], list[str]]


def pystemmer(language: str) -> Normalise:
    import Stemmer  # type: ignore[import-not-found]

    stemmer = Stemmer.Stemmer(STEMMERS[language])
    return lambda words: [fold(s) for s in stemmer.stemWords(words)]


def snowball_pure(language: str) -> Normalise:
    spec = importlib.util.find_spec("snowballstemmer")
    assert spec is not None
    import snowballstemmer  # type: ignore[import-not-found]

    stemmer = snowballstemmer.stemmer(STEMMERS[language])
    return lambda words: [fold(s) for s in stemmer.stemWords(words)]


def simplemma_lemmas(language: str) -> Normalise:
    import simplemma  # type: ignore[import-not-found]

    def normalise(words: list[str]) -> list[str]:
        return [fold(simplemma.lemmatize(w, lang=language)) for w in words]

    return normalise


def no_reduction(language: str) -> Normalise:
    return lambda words: [fold(w) for w in words]


BACKENDS: dict[str, tuple[Callable[[str], Normalise], Optional[str], str]] = {
    # name: (factory, distribution for the size, code to time importing + first use)
    "PyStemmer (Snowball, C)": (
        pystemmer,
        "PyStemmer",
        "import Stemmer; Stemmer.Stemmer('{algo}').stemWord('applicants')",
    ),
    "snowballstemmer (Snowball, Python)": (
        snowball_pure,
        "snowballstemmer",
        "import snowballstemmer; snowballstemmer.stemmer('{algo}').stemWord('applicants')",
    ),
    "simplemma (lemmas)": (
        simplemma_lemmas,
        "simplemma",
        "import simplemma; simplemma.lemmatize('applicants', lang='{lang}')",
    ),
    "none (lowercase, no accents)": (no_reduction, None, "pass"),
}


def compile_all(factory: Callable[[str], Normalise]) -> dict[str, Lexicon]:
    yaml = YAML(typ="safe", pure=True)
    folder = ROOT / "aiact_lint" / "law" / "detect"
    out = {}
    for language in LANGUAGES:
        source = yaml.load((folder / f"lexicon.{language}.yaml").read_text(encoding="utf-8"))
        normalise = factory(language)
        out[language] = Lexicon(compile_lexicon(source, normalise), normalise)
    return out


def install_size(distribution: Optional[str]) -> str:
    if distribution is None:
        return "-"
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import distribution as dist

    try:
        files = dist(distribution).files or []
    except PackageNotFoundError:
        return "not installed"
    total = sum((f.locate().stat().st_size for f in files if Path(f.locate()).exists()), 0)
    return f"{total / 1024 / 1024:.1f} MiB"


def first_use_ms(code: str, env_python: str) -> dict[str, float]:
    times = {}
    for language in ("en", "de", "pl"):
        snippet = code.format(algo=STEMMERS[language], lang=language)
        runs = []
        for _ in range(3):
            start = time.perf_counter()
            subprocess.run([env_python, "-c", snippet], check=True, capture_output=True)
            runs.append(time.perf_counter() - start)
        base = []
        for _ in range(3):
            start = time.perf_counter()
            subprocess.run([env_python, "-c", "pass"], check=True, capture_output=True)
            base.append(time.perf_counter() - start)
        times[language] = (min(runs) - min(base)) * 1000
    return times


def main() -> int:
    dev, heldout = load(DEV_FILES), load([HELDOUT]) if HELDOUT.exists() else []
    rows: list[dict[str, Any]] = []
    for name, (factory, distribution, code) in BACKENDS.items():
        try:
            lexicons = compile_all(factory)
        except ImportError as error:
            print(f"{name}: not installed ({error})", file=sys.stderr)
            continue
        lexicon_module.load.cache_clear()
        original = lexicon_module.load
        lexicon_module.load = lambda language, _l=lexicons: _l.get(language)  # type: ignore
        import aiact_lint.detect.engine as engine  # noqa: F401

        try:
            from aiact_lint import detect as api

            real_load = api.load
            api.load = lexicon_module.load  # type: ignore[assignment]
            d, h = measure(dev), measure(heldout) if heldout else None
        finally:
            api.load = real_load  # type: ignore[assignment]
            lexicon_module.load = original  # type: ignore[assignment]
        rows.append(
            {
                "normaliser": name,
                "dev": (round(d.overall.precision, 3), round(d.overall.recall, 3)),
                "heldout": (round(h.overall.precision, 3), round(h.overall.recall, 3))
                if h
                else None,
                "first_use_ms": {
                    k: round(v) for k, v in first_use_ms(code, sys.executable).items()
                },
                "size": install_size(distribution),
            }
        )
        print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
