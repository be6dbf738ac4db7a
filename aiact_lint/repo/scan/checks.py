"""The per-manifest checks: the detectors that hold the code one manifest governs against it.

Each detector is one module of this package (models, capabilities, model_cards; unowned runs
once per run, marking from the evidence check) with its own tests.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from aiact_lint.findings import Finding

if TYPE_CHECKING:
    from aiact_lint.classify import Determination
    from aiact_lint.manifest import Manifest
from aiact_lint.repo.scan.capabilities import _capability_findings
from aiact_lint.repo.scan.models import model_findings
from aiact_lint.repo.scan.ownership import _display, _Ownership, _ownership
from aiact_lint.repo.scan.records import CodeIndex
from aiact_lint.repo.scan.suppressions import _suppression_findings


def check_manifest_code(
    manifest: Manifest,
    det: Determination,
    index: CodeIndex,
    manifests_dirs: list[str],
) -> list[Finding]:
    """Findings for the code this manifest governs: the files under its folder that no nested
    manifest's folder holds."""
    folder = manifest.folder
    ownership = _ownership(index, manifests_dirs, index.manifest_dirs)
    if folder not in ownership.dirs:  # a manifest git does not list: its folder counts too
        ownership = _Ownership(index, ownership.dirs | {folder})

    def governed(path: str) -> bool:
        return ownership.owner(path) == folder

    def path_of(rel: str) -> str:
        return _display(manifest, rel)

    # The one provision an undeclared model touches: the technical documentation of a high-risk
    # system names the pre-trained models it integrates (Annex IV point 2(a)); otherwise what the
    # model is (Art. 3(63)) decides the model duties.
    article = "Art. 11(1), Annex IV point 2(a)" if det.high_risk else "Art. 3(63)"
    findings, files = model_findings(manifest, index, governed, path_of, article)
    if det.in_scope:
        findings.extend(_capability_findings(manifest, index, governed, path_of))
    findings.extend(run_detectors(manifest, det, index, governed, path_of))
    files.update(ownership.suppressed.get(folder, ()))
    findings.extend(_suppression_findings(index, files, path_of))
    return findings


def run_detectors(
    manifest: Manifest,
    det: Determination,
    index: CodeIndex,
    governed: Callable[[str], bool],
    path_of: Callable[[str], str],
) -> list[Finding]:
    """The detectors that each hold one kind of repository file against the manifest."""
    from aiact_lint.repo.scan.model_cards import check_cards

    return check_cards(manifest, index, governed, path_of)
