"""The second blind corpus (tests/data/purposes_heldout2.yaml, 377 purposes): written by an
engineer who read only the law, never the detector, its tables or the first corpus; copied here
unchanged. It is the honest estimate of the detector, measured on 2026-12-02:

* main before the tuning round on the first corpus: precision 0.833, recall 0.945;
* after that round (the first blind measurement of it): 0.837 / 0.913 — recall fell;
* after two mechanism fixes found on its errors (an Art. 50 use in another clause of a prohibited
  system; a phrase inside a fixed expression; proctoring cancelling grading only in its clause):
  0.836 / 0.929. Those two fixes were found here, so the corpus is no longer wholly blind.

The corpus's own conventions differ from the detector's in two places, normalised below: its
Art. 5 labels are written ``art5:a`` (ours ``art5:(a)``) and it has one ``art50:4`` label (ours
splits deep fakes and public-interest text). It labels Art. 50(3) notices, which the detector does
not infer from text (they follow from the declared capabilities), so those labels are left out.
It also labels a chatbot Art. 50(1) only, where the detector adds Art. 50(2) (a chatbot's answers
are generated text): that disagreement counts against the detector's precision here.

Floors are the measured figures minus 0.03; the issue's targets (>= 0.95 English, >= 0.90 other
languages, both measures) are NOT met on this corpus.
"""

from __future__ import annotations

from collections import defaultdict

from tests.detect_corpus import DATA, LABELS, LANGUAGES, Score, load, predicted

HELDOUT2 = DATA / "purposes_heldout2.yaml"
FLOORS = {
    "all": (0.80, 0.89),
    "en": (0.77, 0.88),
    "de": (0.81, 0.93),
    "fr": (0.84, 0.97),
    "nl": (0.77, 0.86),
    "es": (0.83, 0.93),
    "it": (0.77, 0.79),
    "pl": (0.90, 0.93),
}


def _normal(label: str) -> str:
    if label.startswith("art5:") and "(" not in label:
        return f"art5:({label[5:]})"
    return "art50:4" if label.startswith("art50:4") else label


def _measure() -> dict[str, Score]:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for item in load([HELDOUT2]):
        want = {_normal(label) for label in item["expected"] if label != "art50:3"}
        got = {_normal(label) for label in predicted(item)}
        for label in got | want:
            slot = 0 if label in got and label in want else 1 if label in got else 2
            for name in ("all", item["lang"]):
                counts[name][slot] += 1
    return {name: Score(*value) for name, value in counts.items()}


def test_second_heldout_corpus_is_blind_and_well_formed() -> None:
    items = load([HELDOUT2])
    assert len(items) >= 350 and len({item["id"] for item in items}) == len(items)
    assert {item["lang"] for item in items} == set(LANGUAGES)
    known = {_normal(label) for label in LABELS} | {"art50:3", "art50:4"}
    for item in items:
        assert {_normal(label) for label in item["expected"]} <= known, item["id"]
    assert "Written blind" in HELDOUT2.read_text(encoding="utf-8")[:600]


def test_second_heldout_precision_and_recall_stay_above_their_floors() -> None:
    scores = _measure()
    for name, (min_precision, min_recall) in FLOORS.items():
        assert scores[name].precision >= min_precision, (name, scores[name])
        assert scores[name].recall >= min_recall, (name, scores[name])
