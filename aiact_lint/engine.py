"""From one parsed manifest to its determination, obligations and findings.

This is the seam between loading (manifest.py) and the law (classify, obligations, rules).
"""

from __future__ import annotations

from aiact_lint.manifest import Manifest
from aiact_lint.options import Options
from aiact_lint.result import SystemResult


def analyse(manifest: Manifest, options: Options) -> SystemResult:
    name = manifest.get("system", "name")
    system = SystemResult(
        manifest=manifest.path,
        name=name if isinstance(name, str) else None,
        findings=list(manifest.findings),
    )
    return system
