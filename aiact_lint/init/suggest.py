"""Suggestions the user accepts or rejects: Annex III points, models and capabilities.

Annex III points come from the legal engine's own detector (:func:`aiact_lint.annex_detect.detect`,
the one ``check`` uses for AIA301), so a rejected suggestion is exactly what ``check`` will raise.
Models and Art. 50 hints come from the repository scan (:mod:`aiact_lint.repo.code_scan`) when it
is installed; without it, or when it fails, there are simply no code suggestions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Optional

from aiact_lint.lawdata import table


@dataclass(frozen=True)
class PointSuggestion:
    point: str
    title: str
    why: str  # 'matched "shortlists" in the purpose' / 'emotion recognition is Annex III 1(c)'


@dataclass
class ModelSuggestion:
    id: str
    sdk: Optional[str] = None  # the SDK or library the code calls it through (not its provider)
    access: Optional[str] = None  # api | weights
    where: list[str] = field(default_factory=list)  # "src/app.py:12"


@dataclass
class CodeFindings:
    models: list[ModelSuggestion] = field(default_factory=list)
    capabilities: dict[str, list[str]] = field(default_factory=dict)  # hint -> places
    available: bool = True  # False: no scanner in this installation
    problem: Optional[str] = None  # the scan failed: why


def annex_iii_points() -> list[dict[str, Any]]:
    points: list[dict[str, Any]] = table("annex_iii")["points"]
    return points


def point_title(point: str) -> str:
    for entry in annex_iii_points():
        if entry["point"] == point:
            return str(entry["title"])
    return point


FIELD_NAMES = {
    "purpose": "the purpose",
    "description": "the description",
    "sector": "the sector",
    "affected_persons": "the affected persons",
}


def annex_suggestions(texts: Mapping[str, str]) -> list[PointSuggestion]:
    """Annex III points the words suggest (the engine's detector, table order)."""
    from aiact_lint.annex_detect import detect

    return [
        PointSuggestion(
            s.point,
            point_title(s.point),
            f'"{s.matched}" in {FIELD_NAMES.get(s.field, s.field)}',
        )
        for s in detect({name: text for name, text in texts.items() if text})
    ]


ACCESS_BY_KIND = {"api": "api", "hub": "weights", "local": "weights", "weights": "weights"}
HINT_FACTS = {"interaction": "chat", "image": "image", "audio": "audio", "video": "video"}


def scan_code(folder: Path) -> CodeFindings:
    """Models and capability hints in the code under ``folder`` (read-only; never raises)."""
    try:
        from aiact_lint.repo import code_scan
    except ImportError:
        return CodeFindings(available=False)
    scan: Any = getattr(code_scan, "scan_repository", None)
    if scan is None:
        return CodeFindings(available=False)
    found = CodeFindings()
    try:
        index = scan(folder, use_git=(folder / ".git").exists())
    except Exception as error:  # a scanner failure must not stop the wizard
        found.problem = f"{type(error).__name__}: {error}"
        return found
    by_id: dict[str, ModelSuggestion] = {}
    for ref in getattr(index, "references", []):
        model = getattr(ref, "model", None)
        if not isinstance(model, str) or not model:
            continue
        where = f"{getattr(ref, 'path', '?')}:{getattr(ref, 'line', '?')}"
        suggestion = by_id.get(model)
        if suggestion is None:
            kind = getattr(ref, "kind", None)
            sdk = getattr(ref, "provider", None)
            suggestion = ModelSuggestion(
                id=model,
                sdk=sdk if isinstance(sdk, str) and sdk else None,
                access=ACCESS_BY_KIND.get(kind) if isinstance(kind, str) else None,
            )
            by_id[model] = suggestion
            found.models.append(suggestion)
        if len(suggestion.where) < 3:
            suggestion.where.append(where)
    for hint in getattr(index, "hints", []):
        fact = HINT_FACTS.get(getattr(hint, "capability", ""))
        if fact is not None:
            places = found.capabilities.setdefault(fact, [])
            if len(places) < 3:
                places.append(f"{getattr(hint, 'path', '?')}:{getattr(hint, 'line', '?')}")
    return found
