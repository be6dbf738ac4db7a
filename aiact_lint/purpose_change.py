"""A change of intended purpose seen by ``--diff-base``, as a derived fact for the classification.

Changing the intended purpose of a system already on the market is a significant change in its
design (a substantial modification, Art. 3(23)). Under Art. 111(2) such a change made as from the
date Chapter III applies ends a legacy system's transitional status; the classification reads it as
``market.significant_change`` derived on the date checked (a declared value is overridden: the
repository's history is the evidence).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

from aiact_lint.facts import Fact
from aiact_lint.yamlsafe import YamlProblem, load

if TYPE_CHECKING:
    from aiact_lint.history import History
    from aiact_lint.manifest import Manifest
    from aiact_lint.options import Options


def _purpose(data: Any) -> Optional[str]:
    use_case = data.get("use_case") if isinstance(data, dict) else None
    purpose = use_case.get("purpose") if isinstance(use_case, dict) else None
    return " ".join(purpose.split()) if isinstance(purpose, str) else None


def purpose_change(history: History, manifest: Manifest, options: Options) -> Optional[Fact]:
    """The derived significant-change fact when the purpose differs from REF's, else None."""
    path = history.relative(manifest.file)
    if path is None:
        return None
    text = history.read(history.base, path)
    if text is None:
        return None  # a new system: nothing was on the market under another purpose
    try:
        old = load(text).data
    except YamlProblem:
        return None
    before, after = _purpose(old), _purpose(manifest.data)
    if before is None or after is None or before == after:
        return None
    return Fact(
        "market.significant_change",
        options.as_of.isoformat(),
        "derived",
        ("market", "significant_change"),
        via=f"use_case.purpose changed since {history.label}",
        article="Art. 3(23), Art. 111(2)",
    )
