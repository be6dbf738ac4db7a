"""The frame matcher (aiact_lint/detect): the issue's examples, carve-outs scoped to their clause,
negation, languages, the API the facts layer will read, and what it costs to import."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from aiact_lint.detect import LANGUAGES, Suspicion, detect, frame_table
from aiact_lint.detect.build import concepts_used
from aiact_lint.detect.match import near
from tests.conftest import ROOT
from tests.detect_corpus import DEV_FILES, load


def labels(purpose: str, language: str | None = None, **fields: str) -> set[str]:
    return {s.label for s in detect({"purpose": purpose, **fields}, language)}


# --------------------------------------------------------------------------- the issue's cases


@pytest.mark.parametrize(
    ("purpose", "label"),
    [
        ("Decides which customers get a loan", "5(b)"),
        ("Decides which employees get promoted", "4(b)"),
        ("Customer support chatbot and applicant ranking", "4(a)"),
        ("Customer support chatbot and applicant ranking", "art50:1"),
        ("Credit scoring of applicants, with a fraud module", "5(b)"),
        ("Matches shoppers' faces against our watchlist; new customers go through KYC", "1(a)"),
        (
            "Scores citizens on their social behaviour and restricts services for low scorers",
            "art5:(c)",
        ),
        ("Detects the emotions of employees from their webcam during meetings", "art5:(f)"),
    ],
)
def test_issue_examples_are_caught_with_the_right_point(purpose: str, label: str) -> None:
    assert label in labels(purpose)


def test_a_carve_out_cancels_only_its_own_clause() -> None:
    assert "5(b)" in labels("Credit scoring of applicants, with a fraud module")
    assert "5(b)" in labels("Credit scoring and fraud detection for retail customers")
    assert "5(b)" not in labels("Fraud scoring of card payments")
    assert "1(a)" in labels("Face recognition identifies banned fans; face verification for staff")
    assert "1(a)" not in labels("Face recognition to unlock employees' laptops")


def test_clinical_decision_support_is_annex_i_never_5b_or_5d() -> None:
    found = labels("Clinical decision support: suggests treatment plans and doses to doctors")
    assert "annex_i" in found
    assert not found & {"5(b)", "5(d)"}


def test_negation_cancels_what_follows_it() -> None:
    assert labels("We do not rank or score applicants; the tool only converts CVs") == set()
    assert "4(a)" in labels("Does not make the decision, but ranks the applicants for each job")
    assert "art5:(c)" in labels("Punteggio del cittadino basato su multe non pagate", "it")


@pytest.mark.parametrize(
    ("purpose", "language", "label"),
    [
        ("KI-gestützte Personalauswahl für Lagerjobs.", "de", "4(a)"),
        ("Entscheidet, welche Kunden einen Kredit bekommen.", "de", "5(b)"),
        ("Décide quels clients obtiennent un prêt.", "fr", "5(b)"),
        ("Bepaalt welke klanten een lening krijgen.", "nl", "5(b)"),
        ("Decide qué clientes obtienen un préstamo.", "es", "5(b)"),
        ("Decide quali clienti ottengono un prestito.", "it", "5(b)"),
        ("Decyduje, którzy klienci dostaną kredyt.", "pl", "5(b)"),
    ],
)
def test_every_language_reads_the_same_frames(purpose: str, language: str, label: str) -> None:
    assert label in labels(purpose)  # the language is told from the text
    found = detect({"purpose": purpose})
    assert {s.language for s in found} == {language}


def test_a_declared_language_is_used() -> None:
    assert detect({"purpose": "Bewerberranking"}, "de")[0].language == "de"
    assert "4(a)" in labels("Bewerberranking", "de")


def test_one_typo_is_forgiven_when_the_rest_of_the_frame_is_there() -> None:
    assert "4(a)" in labels("Shortlsits applicants for the vacancy")
    assert "4(a)" in labels("Shortlists aplicants for the vacancy")
    assert near("shortlist", "shortlsit") and near("applic", "aplic")
    assert not near("expedient", "experient")  # a changed letter is not a typo we forgive


# --------------------------------------------------------------------------- the API


def test_suspicion_says_why_in_one_line_quoting_the_words_as_written() -> None:
    text = "Our tool RANKS incoming job applications.\nIt also drafts emails."
    found = [s for s in detect({"use_case.purpose": text}) if s.label == "4(a)"]
    assert len(found) == 1
    s = found[0]
    assert isinstance(s, Suspicion)
    assert (s.kind, s.point, s.field, s.language) == ("annex_iii", "4(a)", "use_case.purpose", "en")
    assert "RANKS" in s.words
    assert text[s.span[0] : s.span[1]] == "Our tool RANKS incoming job applications"
    assert s.explanation.startswith("use_case.purpose describes ")
    assert s.explanation.endswith("→ Annex III 4(a)")
    assert '"RANKS"' in s.explanation and "\n" not in s.explanation
    assert s.frame in {f["id"] for p in frame_table()["points"] for f in p["frames"]}


def test_an_art5_practice_replaces_the_annex_iii_point_for_the_same_use() -> None:
    found = labels("Detects stress and boredom of pupils in class from the webcam")
    assert "art5:(f)" in found and "1(c)" not in found


def test_at_most_one_suspicion_per_point_first_field_first() -> None:
    found = detect({"sector": "recruitment", "purpose": "Ranks job applicants. Ranks CVs."})
    assert [s.field for s in found if s.label == "4(a)"] == ["purpose"]


def test_empty_and_hostile_input() -> None:
    assert detect({}) == []
    assert detect({"purpose": "", "sector": "   "}) == []
    assert detect({"purpose": "\x00\ufeff;;;,,,"}) == []
    long = "Ranks job applicants. " + "lorem ipsum " * 5000
    assert "4(a)" in {s.label for s in detect({"purpose": long})}


def run_python(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def test_nothing_is_loaded_when_every_text_is_empty() -> None:
    out = run_python(
        "import sys\n"
        "from aiact_lint.detect import detect\n"
        "from aiact_lint.detect import lexicon\n"
        "detect({'purpose': '', 'sector': ' '})\n"
        "print('Stemmer' in sys.modules, sorted(lexicon.LOADED))\n"
    )
    assert out == "False []"


def test_only_the_languages_used_are_loaded() -> None:
    out = run_python(
        "from aiact_lint.detect import detect, lexicon\n"
        "detect({'purpose': 'Die Software bewertet Bewerbungen und sortiert die Kandidaten.'})\n"
        "print(sorted(lexicon.LOADED))\n"
    )
    assert out == "['de']"


# --------------------------------------------------------------------------- the tables


def test_every_frame_has_its_point_article_and_an_example_it_catches() -> None:
    for entry in frame_table()["points"]:
        for key in ("kind", "point", "label", "article", "target"):
            assert str(entry[key]).strip(), (entry["point"], key)
        for frame in entry["frames"]:
            example = example_of(frame["id"])
            assert entry["label"] in labels(example, "en"), (frame["id"], example)


def example_of(frame_id: str) -> str:
    from ruamel.yaml import YAML

    source: Any = YAML(typ="safe", pure=True).load(
        (ROOT / "aiact_lint" / "law" / "detect" / "frames.yaml").read_text(encoding="utf-8")
    )
    for entry in source["points"]:
        for frame in entry["frames"] + (entry.get("carve_outs") or []):
            if frame["id"] == frame_id:
                return str(frame["example"])
    raise KeyError(frame_id)


def test_every_lexicon_defines_every_concept_the_frames_use() -> None:
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    folder = ROOT / "aiact_lint" / "law" / "detect"
    used = concepts_used(yaml.load((folder / "frames.yaml").read_text(encoding="utf-8")))
    for language in LANGUAGES:
        source = yaml.load((folder / f"lexicon.{language}.yaml").read_text(encoding="utf-8"))
        assert set(source["concepts"]) == used, (language, used ^ set(source["concepts"]))


def test_corpus_sentences_are_not_copied_into_the_lexicons() -> None:
    """Lexicons are vocabulary: no term is a corpus sentence, no term is longer than six words."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    purposes = {str(item["purpose"]).lower().rstrip(".") for item in load(DEV_FILES)}
    folder = ROOT / "aiact_lint" / "law" / "detect"
    for language in LANGUAGES:
        source = yaml.load((folder / f"lexicon.{language}.yaml").read_text(encoding="utf-8"))
        for terms in source["concepts"].values():
            for term in terms:
                assert len(str(term).split()) <= 6, term
                assert str(term).lower().lstrip("=!") not in purposes, term
