"""Access to the law-as-data tables.

The tables are written as YAML in ``aiact_lint/law/`` so that a lawyer can review them. Parsing
YAML in pure Python costs tens of milliseconds, which a pre-commit hook cannot afford, so
``scripts/build_generated.py`` compiles them into ``law/compiled.json`` (a test keeps the two
identical) and this module reads that JSON once.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

LAW_DIR = Path(__file__).resolve().parent / "law"
COMPILED = LAW_DIR / "compiled.json"


@cache
def _all() -> dict[str, Any]:
    with COMPILED.open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def table(name: str) -> Any:
    """One compiled table, by the stem of its YAML file (``rules``, ``annex_iii``...)."""
    return _all()[name]


def table_names() -> list[str]:
    return sorted(_all())
