"""Realistic systems, one manifest each, through the real CLI (issue 3: prove the legal engine).

Each ``tests/scenarios/*.yaml`` starts with a comment block that says what the system is and,
after ``# expect:``, the outcome the Regulation gives (one mapping, or a list of runs at several
dates). Keys: ``as_of`` (required), ``policy``, ``exit``, ``in_scope``, ``risk``, ``routes``,
``roles``, ``obligations`` (id or ``id@model`` -> status, a mapping of fields, or null for "does
not apply"), ``findings`` (legal rule codes that must appear, ``CODE@LINE`` to pin the line),
``absent`` (codes that must not appear) and ``models`` (fields of the model entries). A
``# <- AIA301`` comment on a manifest line pins where that expected finding must point.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.legal_harness import assert_outcome, check, expectations, marked_lines

SCENARIOS = Path(__file__).resolve().parent / "scenarios"
FILES = sorted(SCENARIOS.glob("*.yaml"))

# What the suite must cover (issue 3): the eight Annex III areas and the other routes.
ANNEX_III_AREAS = {"1", "2", "3", "4", "5", "6", "7", "8"}


def _runs() -> list[tuple[Path, int]]:
    runs = []
    for path in FILES:
        for index, _ in enumerate(expectations(path.read_text(encoding="utf-8"))):
            runs.append((path, index))
    return runs


@pytest.mark.parametrize(
    ("path", "index"), _runs(), ids=[f"{p.stem}#{i}" for p, i in _runs()] or None
)
def test_scenario(path: Path, index: int, tmp_path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    expect = expectations(text)[index]
    outcome = check(
        text, tmp_path / "repo", as_of=str(expect["as_of"]), policy=expect.get("policy")
    )
    assert_outcome(outcome, expect, path.name, marked_lines(text))


def test_suite_is_large_and_broad_enough() -> None:
    assert len(FILES) >= 32
    routes: set[str] = set()
    risks: set[str] = set()
    for path in FILES:
        for expect in expectations(path.read_text(encoding="utf-8")):
            routes.update(expect.get("routes") or [])
            risks.add(str(expect.get("risk")))
    areas = {r.split(":", 1)[1][0] for r in routes if r.startswith("annex_iii:")}
    assert areas >= ANNEX_III_AREAS, sorted(ANNEX_III_AREAS - areas)
    for needed in ("5(b)", "5(c)", "5(d)"):
        assert f"annex_iii:{needed}" in routes
    for point in ("(ba)", "(bb)", "(f)", "(h)"):
        assert f"art5:{point}" in routes
    for paragraph in ("1", "2", "3", "4"):
        assert f"art50:{paragraph}" in routes
    assert "annex_i:MDR" in routes
    assert "art6_3_derogation" in routes
    assert risks >= {"prohibited", "high", "limited", "minimal", "out_of_scope"}


def test_every_scenario_documents_itself() -> None:
    for path in FILES:
        text = path.read_text(encoding="utf-8")
        assert text.startswith("# "), path.name
        for expect in expectations(text):
            assert "as_of" in expect, path.name
            assert "exit" in expect, path.name
