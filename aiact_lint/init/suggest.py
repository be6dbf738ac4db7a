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
    where: list[str] = field(default_factory=list)  # "src/app.py:12" (shown, at most 3)
    places: list[tuple[str, int]] = field(default_factory=list)  # every (root-relative, line)
    weights_only: bool = False  # only a weights file names it (no source line to suppress)


@dataclass
class CodeFindings:
    models: list[ModelSuggestion] = field(default_factory=list)
    capabilities: dict[str, list[str]] = field(default_factory=dict)  # hint -> places shown
    hint_places: dict[str, list[tuple[str, int]]] = field(default_factory=dict)  # every place
    available: bool = True  # False: no scanner in this installation
    problem: Optional[str] = None  # the scan failed: why
    root: Optional[Path] = None  # the repository root the places are relative to
    covered: list[str] = field(default_factory=list)  # nested manifests under the folder
    services: dict[str, int] = field(default_factory=dict)  # service folder -> references


def annex_iii_points() -> list[dict[str, Any]]:
    points: list[dict[str, Any]] = table("annex_iii")["points"]
    return points


def point_title(point: str) -> str:
    for entry in annex_iii_points():
        if entry["point"] == point:
            return str(entry["title"])
    return point


def annex_i_titles() -> dict[str, str]:
    """Annex I acts by their manifest code: 'Medical devices (Annex I, Section A, point 11)'."""
    acts = table("annex_i")["acts"]
    return {
        code: f"{act['title']} (Annex I, Section {act['section']}, point {act['point']})"
        for code, act in acts.items()
    }


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
            ", ".join(f'"{word}"' for word in s.words) + f" in {FIELD_NAMES.get(s.field, s.field)}",
        )
        for s in detect({name: text for name, text in texts.items() if text})
    ]


ACCESS_BY_KIND = {"api": "api", "hub": "weights", "local": "weights", "weights": "weights"}
HINT_FACTS = {"interaction": "chat", "image": "image", "audio": "audio", "video": "video"}


def _inside(rel: str, folder: str) -> bool:
    return not folder or rel == folder or rel.startswith(folder + "/")


def scan_code(folder: Path) -> CodeFindings:
    """Models and capability hints in the code under ``folder`` (read-only; never raises).

    The repository is scanned from its root (git lists what is tracked and not ignored), and
    only ``folder``'s subtree counts, minus the folders of manifests nested in it: their code
    belongs to those systems and is never swept into this one."""
    try:
        from aiact_lint.repo import code_scan
    except ImportError:
        return CodeFindings(available=False)
    import shutil

    from aiact_lint.manifest import find_root
    from aiact_lint.repo.services import service_of

    absolute = folder.resolve()
    root = find_root(absolute) or absolute
    use_git = (root / ".git").exists() and shutil.which("git") is not None
    found = CodeFindings(root=root)
    try:
        index = code_scan.scan_repository(root, use_git=use_git)
    except Exception as error:  # a scanner failure must not stop the wizard
        found.problem = f"{type(error).__name__}: {error}"
        return found
    here = absolute.relative_to(root).as_posix() if absolute != root else ""
    nested = [d for d in index.manifest_dirs if d != here and _inside(d, here)]
    found.covered = sorted(nested)

    def counts(rel: str) -> bool:
        if not _inside(rel, here):
            return False
        return not any(rel.startswith(d + "/") for d in nested)

    by_id: dict[str, ModelSuggestion] = {}
    weights: dict[str, list[str]] = {}
    for ref in index.references:
        model = ref.model
        if not isinstance(model, str) or not model or not counts(ref.path):
            continue
        service = service_of(root, here, ref.path)
        found.services[service] = found.services.get(service, 0) + 1
        suggestion = by_id.get(model)
        if suggestion is None:
            suggestion = ModelSuggestion(
                id=model,
                sdk=ref.provider or None,
                access=ACCESS_BY_KIND.get(ref.kind),
                weights_only=True,
            )
            by_id[model] = suggestion
            found.models.append(suggestion)
        if ref.kind != "weights":
            suggestion.weights_only = False
            suggestion.places.append((ref.path, ref.line))
        else:
            weights.setdefault(model, []).append(ref.path)
    for suggestion in found.models:  # a source line where one exists, not a weights file
        shown = [f"{path}:{line}" for path, line in suggestion.places]
        suggestion.where = (shown + weights.get(suggestion.id, []))[:3]
    for hint in index.hints:
        fact = HINT_FACTS.get(hint.capability)
        if fact is None or not counts(hint.path):
            continue
        found.hint_places.setdefault(fact, []).append((hint.path, hint.line))
        places = found.capabilities.setdefault(fact, [])
        if len(places) < 3:
            places.append(f"{hint.path}:{hint.line}")
    return found
