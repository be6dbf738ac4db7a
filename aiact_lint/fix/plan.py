"""From the findings of one check to the edits that would fix them.

Safe fixes (``--fix``) only write what the repository itself shows or the known-models table
answers: a model the code uses but the manifest does not declare (with its access and, for a
well-known model, its GPAI status), the GPAI status of a declared well-known model, the removal
of a waiver that matches nothing. Unsafe fixes (``--unsafe-fixes``) change a legal claim: the
determined tier into ``risk.classification``, ``provider`` into ``roles`` when the facts make the
organisation the provider. ``--add-noqa REASON`` writes a suppression comment at each code
finding. No fix ever writes evidence: a missing document stays missing until someone writes it.
"""

from __future__ import annotations

import os
import posixpath
import re
from pathlib import Path
from typing import Any, Callable, NamedTuple, Optional

from aiact_lint.findings import Finding
from aiact_lint.fix import yaml_edit
from aiact_lint.fix.noqa import Placement
from aiact_lint.result import CheckResult, SystemResult

SAFE = "safe"
UNSAFE = "unsafe"
NOQA = "noqa"
CODE_RULES = ("AIA850", "AIA853", "AIA854", "AIA855")  # findings a code comment can suppress
CLAIM_RULES = ("AIA302", "AIA303", "AIA308")  # risk.classification differs from the facts
ACCESS_BY_KIND = {"api": "api", "hub": "weights", "local": "weights", "weights": "weights"}


class Edit(NamedTuple):
    file: Path  # absolute path of the file the edit changes
    kind: str  # SAFE | UNSAFE | NOQA
    finding: Finding
    description: str
    change: Optional[Callable[[Any], None]] = None  # a manifest edit (yaml_edit)
    placement: Optional[Placement] = None  # a code suppression (noqa)
    order: int = 0  # manifest edits apply in this order (waiver removals last, by index down)
    reason: str = ""  # a suppression's reason (--add-noqa REASON)


class Plan:
    def __init__(self) -> None:
        self.edits: list[Edit] = []
        self.hidden_unsafe = 0  # unsafe fixes available without --unsafe-fixes

    def add(self, edit: Edit) -> None:
        self.edits.append(edit)


def _base() -> Path:
    from aiact_lint.manifest import find_root

    cwd = Path(os.getcwd())
    return find_root(cwd) or cwd


def _absolute(base: Path, path: str) -> Path:
    return Path(path) if os.path.isabs(path) else base / path


class _Indexes:
    """One code scan per repository root, made only when a fix needs to know the code."""

    def __init__(self) -> None:
        self._by_root: dict[Path, Any] = {}

    def root_of(self, file: Path) -> Path:
        from aiact_lint.manifest import find_root

        return find_root(file.parent) or file.parent

    def get(self, root: Path) -> Any:
        index = self._by_root.get(root)
        if index is None:
            import shutil

            from aiact_lint.repo.code_scan import scan_repository

            use_git = (root / ".git").exists() and shutil.which("git") is not None
            index = scan_repository(root, use_git=use_git)
            self._by_root[root] = index
        return index


def _rel(root: Path, file: Path) -> str:
    return Path(os.path.relpath(file, root)).as_posix()


def plan_fixes(result: CheckResult, *, fix: bool, unsafe: bool, noqa_reason: Optional[str]) -> Plan:
    """Every edit the findings of ``result`` call for, under the modes asked for."""
    from aiact_lint.decide import is_protected

    base = _base()
    indexes = _Indexes()
    plan = Plan()
    owners = {id(f): s for s in result.systems for f in s.findings}
    seen_models: set[tuple[Path, str]] = set()
    for finding in result.findings:
        if finding.waived or is_protected(finding):
            continue
        system = owners.get(id(finding))
        manifest = _absolute(base, system.manifest) if system is not None else None
        if fix or unsafe:
            _manifest_fix(plan, finding, system, manifest, base, indexes, unsafe, seen_models)
        if noqa_reason is not None and finding.rule in CODE_RULES:
            _noqa(plan, finding, manifest, base, indexes, noqa_reason)
    return plan


def _manifest_fix(
    plan: Plan,
    finding: Finding,
    system: Optional[SystemResult],
    manifest: Optional[Path],
    base: Path,
    indexes: _Indexes,
    unsafe: bool,
    seen_models: set[tuple[Path, str]],
) -> None:
    if system is None or manifest is None:
        return
    rule, subject = finding.rule, finding.subject
    if rule == "AIA850" and subject.startswith("model-ref:"):
        model = subject.split(":", 1)[1]
        if (manifest, model.lower()) in seen_models:
            return
        seen_models.add((manifest, model.lower()))
        entry = _model_entry(model, _access(finding, model, base, indexes))
        plan.add(
            Edit(
                manifest,
                SAFE,
                finding,
                f"declare model {model} used in the code",
                yaml_edit.add_model(entry),
            )
        )
    elif rule == "AIA852" and subject.startswith("weights:"):
        root = indexes.root_of(manifest)
        weights = subject.split(":", 1)[1]
        folder = posixpath.dirname(_rel(root, manifest))
        model_id = posixpath.relpath(weights, folder) if folder else weights
        if (manifest, model_id.lower()) in seen_models:
            return
        seen_models.add((manifest, model_id.lower()))
        plan.add(
            Edit(
                manifest,
                SAFE,
                finding,
                f"declare the weights {weights}",
                yaml_edit.add_model({"id": model_id, "access": "weights"}),
            )
        )
    elif rule == "AIA902":
        match = re.match(r"waivers\[(\d+)\]:(.+)$", subject)
        if match is not None:
            index = int(match.group(1))
            plan.add(
                Edit(
                    manifest,
                    SAFE,
                    finding,
                    f"remove waivers[{index}], which matches nothing",
                    yaml_edit.remove_waiver(index, match.group(2)),
                    order=10**6 - index,
                )
            )
    elif rule == "AIA601" and subject.startswith("model:"):
        _gpai_fix(plan, finding, manifest, subject.split(":", 1)[1])
    elif rule in CLAIM_RULES and system.risk is not None:
        tier = "minimal" if system.risk == "out_of_scope" else system.risk
        edit = Edit(
            manifest,
            UNSAFE,
            finding,
            f"set risk.classification to {tier}",
            yaml_edit.set_classification(tier),
        )
        _unsafe(plan, edit, unsafe)
    elif rule == "AIA211":
        edit = Edit(
            manifest, UNSAFE, finding, "add provider to roles", yaml_edit.add_role("provider")
        )
        _unsafe(plan, edit, unsafe)


def _unsafe(plan: Plan, edit: Edit, enabled: bool) -> None:
    if enabled:
        plan.add(edit)
    else:
        plan.hidden_unsafe += 1


def _model_entry(model: str, access: Optional[str]) -> dict[str, Any]:
    from aiact_lint.known_models import lookup

    entry: dict[str, Any] = {"id": model}
    known = lookup(model)
    if known is not None and known.provider:
        entry["provider"] = known.provider
    if access:
        entry["access"] = access
    if known is not None and known.general_purpose is not None:
        entry["general_purpose"] = known.general_purpose
    if known is not None and known.provider:
        entry["developer"] = "third_party"  # the table names its provider (Art. 53, Recital 97)
    return entry


def _access(finding: Finding, model: str, base: Path, indexes: _Indexes) -> Optional[str]:
    """How the code reaches the model at the finding's place: a hosted API or weights."""
    file = _absolute(base, finding.path)
    root = indexes.root_of(file)
    rel = _rel(root, file)
    kinds = {
        ref.kind for ref in indexes.get(root).references if ref.model == model and ref.path == rel
    }
    access = {ACCESS_BY_KIND[k] for k in kinds if k in ACCESS_BY_KIND}
    return access.pop() if len(access) == 1 else None


def _gpai_fix(plan: Plan, finding: Finding, manifest: Path, model: str) -> None:
    from aiact_lint.known_models import lookup
    from aiact_lint.yamlsafe import YamlProblem, load

    known = lookup(model)
    if known is None or known.general_purpose is None:
        return
    try:
        data = load(manifest.read_text(encoding="utf-8")).data
    except (OSError, UnicodeDecodeError, YamlProblem):
        return
    models = data.get("models") if isinstance(data, dict) else None
    for index, entry in enumerate(models if isinstance(models, list) else []):
        if isinstance(entry, dict) and entry.get("id") == model:
            facts: dict[str, Any] = {"general_purpose": known.general_purpose}
            if known.provider:
                facts["provider"] = known.provider
                if entry.get("developer") is None:
                    facts["developer"] = "third_party"
            state = "a" if known.general_purpose else "not a"
            plan.add(
                Edit(
                    manifest,
                    SAFE,
                    finding,
                    f"declare {model} {state} general-purpose AI model ({known.family})",
                    yaml_edit.set_model_facts(index, facts),
                )
            )
            return


# --- suppressions --------------------------------------------------------------------------------


def _noqa(
    plan: Plan,
    finding: Finding,
    manifest: Optional[Path],
    base: Path,
    indexes: _Indexes,
    reason: str,
) -> None:
    """Suppress a code finding at every place it stands for (a capability shown in several
    places, AI use in several files of an unowned folder), not only the first."""
    file = _absolute(base, finding.path)
    root = indexes.root_of(file)
    places: list[tuple[str, int]] = [(_rel(root, file), finding.line)]
    if finding.rule in ("AIA853", "AIA854") and manifest is not None:
        capability = finding.subject.split(":", 1)[1]
        places = _hint_places(indexes.get(root), root, manifest, capability) or places
    elif finding.rule == "AIA855":
        folder = finding.subject.split(":", 1)[1]
        places = _unowned_places(indexes.get(root), folder) or places
    for rel, line in places:
        plan.add(
            Edit(
                root / rel,
                NOQA,
                finding,
                f"suppress {finding.rule}",
                placement=Placement(line, (finding.rule,)),
                reason=reason,
            )
        )


def _hint_places(index: Any, root: Path, manifest: Path, capability: str) -> list[tuple[str, int]]:
    from aiact_lint.repo.scan.ownership import _ordered_dirs, _owner

    folder = posixpath.dirname(_rel(root, manifest))
    dirs = _ordered_dirs(index.manifest_dirs, [folder])
    return sorted(
        {
            (hint.path, hint.line)
            for hint in index.hints
            if hint.capability == capability and _owner(hint.path, dirs) == folder
        }
    )


def _unowned_places(index: Any, folder: str) -> list[tuple[str, int]]:
    from aiact_lint.repo.scan.ownership import _ordered_dirs, _owner

    dirs = _ordered_dirs(index.manifest_dirs)
    return sorted(
        {
            (ref.path, ref.line)
            for ref in index.references
            if ref.kind != "weights"
            and _owner(ref.path, dirs) is None
            and (ref.path == folder or ref.path.startswith(folder + "/"))
        }
    )
