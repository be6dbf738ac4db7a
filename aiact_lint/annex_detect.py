"""Annex III suspicions only: the part of :mod:`aiact_lint.detect` that ``init`` suggests from.

Kept so that callers written for the Annex III detector (the init wizard) keep working; the
matcher, its frames and its lexicons live in :mod:`aiact_lint.detect`.
"""

from __future__ import annotations

from typing import Mapping, Optional

from aiact_lint.detect import Suspicion, frame_table
from aiact_lint.detect import detect as detect_all


def detect(texts: Mapping[str, str], language: Optional[str] = None) -> list[Suspicion]:
    """The Annex III points ``texts`` (field -> text) describe, in Annex III order."""
    return [s for s in detect_all(texts, language) if s.kind == "annex_iii"]


def points() -> list[str]:
    """The Annex III point ids, in table order."""
    return [p["point"] for p in frame_table()["points"] if p["kind"] == "annex_iii"]
