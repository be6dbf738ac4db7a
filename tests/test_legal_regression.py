"""The legal regression corpus (issue 11): each exclusion, exception and date boundary, both sides.

``tests/legal_regression/*.yaml`` are systems written for this suite (not copies of any example),
in the scenario format of tests/test_scenarios.py: a leading comment block says what the law gives
and, after ``# expect:``, the outcome per run (``as_of``, optional ``policy``). Every run goes
through the real CLI's JSON in a fresh git repository.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.legal_harness import assert_outcome, check, expectations, marked_lines

CORPUS = Path(__file__).resolve().parent / "legal_regression"
FILES = sorted(CORPUS.glob("*.yaml"))


def _runs() -> list[tuple[Path, int]]:
    return [
        (path, index)
        for path in FILES
        for index, _ in enumerate(expectations(path.read_text(encoding="utf-8")))
    ]


@pytest.mark.parametrize(("path", "index"), _runs(), ids=[f"{p.stem}#{i}" for p, i in _runs()])
def test_regression_case(path: Path, index: int, tmp_path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    expect = expectations(text)[index]
    outcome = check(
        text,
        tmp_path / "repo",
        as_of=str(expect["as_of"]),
        policy=expect.get("policy"),
        process=False,
    )
    assert_outcome(outcome, expect, path.name, marked_lines(text))


def test_corpus_covers_every_boundary() -> None:
    names = {p.stem for p in FILES}
    for needed in (
        "scope-2-3-dual-use",
        "scope-2-6-commercial",
        "scope-2-8-real-world-testing",
        "scope-2-10-company",
        "art5-h-urgency-within-24h",
        "art111-2-legacy",
        "art111-4-legacy-generator",
        "art26-10-post-rbi",
    ):
        assert needed in names
    # every date boundary is tested on both sides (the day before and the day of)
    dated = [p for p in FILES if len(expectations(p.read_text(encoding="utf-8"))) > 1]
    assert len(dated) >= 5
