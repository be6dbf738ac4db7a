"""Loading and measuring the labelled purpose corpora (development and held-out).

Shared by the corpus tests and ``scripts/gen_detector_report.py``. An item is
``{id, lang, purpose, sector?, affected_persons?, expected: [labels], kind}``; it is read the way
the linter reads a manifest (purpose, sector, affected persons joined by commas).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any, Iterable, Mapping, NamedTuple

from ruamel.yaml import YAML

from aiact_lint.detect import detect

DATA = Path(__file__).resolve().parent / "data"
DEV_FILES = sorted(DATA.glob("purposes_dev_*.yaml"))
HELDOUT = DATA / "purposes_heldout.yaml"
LANGUAGES = ("en", "de", "fr", "nl", "es", "it", "pl")
KINDS = {"positive", "negative", "near_miss", "carve_out", "mixed"}
ANNEX_III = [
    "1(a)", "1(b)", "1(c)", "2", "3(a)", "3(b)", "3(c)", "3(d)", "4(a)", "4(b)",
    "5(a)", "5(b)", "5(c)", "5(d)", "6(a)", "6(b)", "6(c)", "6(d)", "6(e)",
    "7(a)", "7(b)", "7(c)", "7(d)", "8(a)", "8(b)",
]  # fmt: skip
ART5 = [f"art5:({p})" for p in ("a", "b", "ba", "bb", "c", "d", "e", "f", "g", "h")]
ART50 = ["art50:1", "art50:2", "art50:4_deep_fake", "art50:4_text"]
LABELS = ANNEX_III + ART5 + ["annex_i"] + ART50


def load(paths: Iterable[Path]) -> list[dict[str, Any]]:
    yaml = YAML(typ="safe", pure=True)
    items: list[dict[str, Any]] = []
    for path in paths:
        with path.open(encoding="utf-8") as handle:
            items.extend(yaml.load(handle) or [])
    return items


def texts_of(item: Mapping[str, Any]) -> dict[str, str]:
    """The detector's input, shaped as the linter builds it from a manifest."""
    texts = {"purpose": str(item.get("purpose") or ""), "sector": str(item.get("sector") or "")}
    texts["affected_persons"] = ", ".join(str(p) for p in item.get("affected_persons") or [])
    return texts


def predicted(item: Mapping[str, Any]) -> set[str]:
    return {s.label for s in detect(texts_of(item))}


class Score(NamedTuple):
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


class Measurement(NamedTuple):
    overall: Score
    by_language: dict[str, Score]
    by_label: dict[str, Score]
    misses: list[tuple[str, str, str, list[str], str]]  # id, "miss"/"false alarm", label, got, text
    n: int


def measure(items: list[dict[str, Any]]) -> Measurement:
    """Precision and recall over (item, label) pairs, overall, per language and per label."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    by_lang: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    by_label: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    misses = []
    for item in items:
        got, want = predicted(item), set(item["expected"])
        for label in sorted(got | want):
            slot = 0 if label in got and label in want else 1 if label in got else 2
            for table in (counts["all"], by_lang[item["lang"]], by_label[label]):
                table[slot] += 1
            if slot:
                kind = "false alarm" if slot == 1 else "miss"
                misses.append((item["id"], kind, label, sorted(got), str(item["purpose"])))
    return Measurement(
        Score(*counts["all"]),
        {k: Score(*v) for k, v in sorted(by_lang.items())},
        {k: Score(*v) for k, v in sorted(by_label.items(), key=lambda kv: _order(kv[0]))},
        misses,
        len(items),
    )


def _order(label: str) -> tuple[int, str]:
    return (LABELS.index(label), "") if label in LABELS else (len(LABELS), label)
