"""Look a model id up in ``law/known_models.yaml``: is it a general-purpose AI model, and whose?

Used where the linter writes facts for the user (``init``, ``check --fix``), never to decide a
verdict on its own: a model the table does not know, or knows only as ``unknown``, stays unknown.
"""

from __future__ import annotations

import fnmatch
from functools import cache
from typing import Any, NamedTuple, Optional

from aiact_lint.lawdata import table


class KnownModel(NamedTuple):
    family: str
    provider: Optional[str]
    general_purpose: Optional[bool]  # None: unknown
    basis: str
    sources: tuple[str, ...]
    article: str


@cache
def _families() -> tuple[tuple[tuple[str, ...], KnownModel], ...]:
    data = table("known_models")
    article = str(data.get("article") or "Art. 3(63)")
    rows = []
    for entry in data["families"]:
        status: Any = entry.get("general_purpose")
        rows.append(
            (
                tuple(str(p).lower() for p in entry["patterns"]),
                KnownModel(
                    family=str(entry["name"]),
                    provider=entry.get("provider") or None,
                    general_purpose=status if isinstance(status, bool) else None,
                    basis=" ".join(str(entry.get("basis") or "").split()),
                    sources=tuple(str(s) for s in entry.get("sources") or ()),
                    article=article,
                ),
            )
        )
    return tuple(rows)


def lookup(model_id: str) -> Optional[KnownModel]:
    """The family ``model_id`` belongs to (first match), or None."""
    wanted = model_id.strip().lower()
    if not wanted:
        return None
    forms = {wanted, wanted.rsplit("/", 1)[-1]}
    for patterns, known in _families():
        if any(fnmatch.fnmatchcase(form, pattern) for form in forms for pattern in patterns):
            return known
    return None
