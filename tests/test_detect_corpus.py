"""The development corpus (tests/data/purposes_dev_*.yaml): well formed, broad, and measured.

The frame tables were tuned on this corpus, so its figures are not the honest ones (the held-out
set is: tests/test_detect_heldout.py); these floors only catch regressions of the tuning.
"""

from __future__ import annotations

from collections import Counter

from tests.detect_corpus import DEV_FILES, KINDS, LABELS, LANGUAGES, load, measure

MIN_ITEMS = 420
FIELDS = {"id", "lang", "purpose", "sector", "affected_persons", "expected", "kind"}
DEV_FLOOR = 0.97  # precision and recall, overall and in every language


def test_development_corpus_is_large_and_broad() -> None:
    items = load(DEV_FILES)
    assert len(items) >= MIN_ITEMS
    assert len({item["id"] for item in items}) == len(items)
    per_language = Counter(item["lang"] for item in items)
    assert set(per_language) == set(LANGUAGES)
    assert min(per_language.values()) >= 55
    assert {item["kind"] for item in items} == KINDS
    labelled = {label for item in items for label in item["expected"]}
    assert labelled == set(LABELS), set(LABELS) ^ labelled
    for item in items:
        assert set(item) <= {
            "id",
            "lang",
            "purpose",
            "sector",
            "affected_persons",
            "expected",
            "kind",
        }
        assert set(item["expected"]) <= set(LABELS), item["id"]
        assert item["kind"] in KINDS, item["id"]
        assert bool(item["expected"]) or item["kind"] in ("negative", "near_miss", "carve_out")
    assert sum(1 for item in items if len(str(item["purpose"]).split()) >= 35) >= 3  # long ones


def test_development_precision_and_recall() -> None:
    result = measure(load(DEV_FILES))
    for miss in result.misses:
        print("  ", *miss)
    assert result.overall.precision >= DEV_FLOOR and result.overall.recall >= DEV_FLOOR
    for language, score in result.by_language.items():
        assert score.precision >= DEV_FLOOR, (language, score)
        assert score.recall >= DEV_FLOOR, (language, score)
