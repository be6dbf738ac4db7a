"""Detector: Art. 50 capabilities the code shows that the manifest does not declare (AIA853,
AIA854)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from aiact_lint.catalogue import make_finding
from aiact_lint.findings import Finding

if TYPE_CHECKING:
    from aiact_lint.manifest import Manifest
from aiact_lint.repo.scan.records import CodeIndex, Hint

MODALITIES = ("image", "audio", "video")


def _capability_findings(
    manifest: Manifest,
    index: CodeIndex,
    governed: Callable[[str], bool],
    path_of: Callable[[str], str],
) -> list[Finding]:
    generates = manifest.get("use_case", "capabilities", "generates_synthetic_content", default=[])
    generates = generates if isinstance(generates, list) else []
    interacts = manifest.get("use_case", "capabilities", "interacts_with_natural_persons")
    wanted: dict[str, str] = {}
    for modality in MODALITIES:
        if modality not in generates:
            wanted[modality] = "AIA853"
    if interacts is not True:
        wanted["interaction"] = "AIA854"
    places: dict[str, list[Hint]] = {}
    for hint in index.hints:
        code = wanted.get(hint.capability)
        if code is None or not governed(hint.path):
            continue
        if index.suppressed(hint.path, [hint.line], code):
            continue
        places.setdefault(hint.capability, []).append(hint)
    findings = []
    for capability, hints in sorted(places.items()):
        first = hints[0]
        others = len(hints) - 1
        more = f" (and {others} other place{'s' if others > 1 else ''})" if others else ""
        if capability == "interaction":
            message = (
                f'"{first.text}" ({first.provider}) is a chat endpoint{more}, but '
                f"{manifest.path} says the system does not interact with natural persons "
                "(use_case.capabilities.interacts_with_natural_persons)"
            )
            code = "AIA854"
        else:
            message = (
                f'"{first.text}" ({first.provider}) generates {capability}{more}, but '
                f"{manifest.path} does not list {capability} in "
                "use_case.capabilities.generates_synthetic_content"
            )
            code = "AIA853"
        findings.append(
            make_finding(
                code, path_of(first.path), first.span, message, subject=f"capability:{capability}"
            )
        )
    return findings
