"""The first blind corpus (tests/data/purposes_heldout.yaml): written blind by another engineer
and copied here unchanged. It was measured blind once, with the frame tables frozen (commit
f47b706: precision 0.681, recall 0.867), and has since been used as a DEVELOPMENT corpus: the
tables were tuned on its errors by cause (never by listing its sentences). Its figures are
therefore no longer honest estimates; a new blind corpus, written by another engineer and not
read by the tuning, is measured by the lead.

Floors are the figures measured after tuning minus 0.03, overall and per language: they catch
regressions. Targets (issue 12): precision and recall >= 0.95 in English and >= 0.90 in the other
languages, on a blind corpus.
"""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT
from tests.detect_corpus import HELDOUT, LABELS, LANGUAGES, load, measure

# Blind measurement 2026-12-01 (frozen tables, commit f47b706): precision 0.681, recall 0.867.
# After tuning by cause (a development figure now), precision/recall: all 0.955/0.978; en
# 0.941/0.966; de 0.976/1.000; fr 0.946/0.972; nl 1.000/0.963; es 0.946/1.000; it 0.971/0.971; pl
# 0.946/1.000. Then an Art. 50 use in another clause of a prohibited system counted again (a
# convention this corpus labels Art. 5 only): all 0.943/0.978, de 0.930/1.000, pl 0.897/1.000.
FLOORS = {
    "all": (0.91, 0.94),
    "en": (0.91, 0.93),
    "de": (0.90, 0.97),
    "fr": (0.91, 0.94),
    "nl": (0.97, 0.93),
    "es": (0.91, 0.97),
    "it": (0.94, 0.94),
    "pl": (0.86, 0.97),
}


def test_heldout_corpus_is_the_blind_one_and_well_formed() -> None:
    items = load([HELDOUT])
    assert len(items) >= 400
    assert {item["lang"] for item in items} == set(LANGUAGES)
    for item in items:
        assert set(item["expected"]) <= set(LABELS), item["id"]
    assert "Written blind" in HELDOUT.read_text(encoding="utf-8")[:400]


def test_heldout_precision_and_recall_stay_above_their_floors() -> None:
    result = measure(load([HELDOUT]))
    scores = {"all": result.overall, **result.by_language}
    for name, (min_precision, min_recall) in FLOORS.items():
        score = scores[name]
        assert score.precision >= min_precision, (name, score)
        assert score.recall >= min_recall, (name, score)


def test_readme_detector_section_is_current() -> None:
    result = subprocess.run(
        [sys.executable, "scripts/gen_detector_report.py", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
