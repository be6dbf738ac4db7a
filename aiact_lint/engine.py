"""From one parsed manifest to its determination, obligations and findings.

This is the seam between loading (manifest.py) and the law (classify, obligations, rules).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiact_lint.manifest import Manifest
from aiact_lint.options import Options
from aiact_lint.result import SystemResult

if TYPE_CHECKING:
    from aiact_lint.repo.code_scan import CodeScans


def analyse(
    manifest: Manifest, options: Options, code_scans: CodeScans | None = None
) -> SystemResult:
    name = manifest.get("system", "name")
    system = SystemResult(
        manifest=manifest.path,
        name=name if isinstance(name, str) else None,
        findings=list(manifest.findings),
    )
    if not manifest.parsed:
        return system  # no document to read facts from
    from aiact_lint.classify import determine
    from aiact_lint.facts import Facts
    from aiact_lint.obligations import evaluate
    from aiact_lint.rules import run_rules
    from aiact_lint.rules.context import RuleContext

    # One bad field does not void the manifest: a value of the wrong type is an unknown fact
    # (the schema finding says where), and everything else is still classified and checked.
    facts = Facts(manifest.data, derived=options.derived_facts.get(manifest.path))
    det = determine(manifest.data, options.as_of, options.policy, facts)
    inspector = None
    if not options.manifest_only:
        from aiact_lint.repo.evidence import EvidenceInspector

        inspector = EvidenceInspector(manifest)
    check = inspector.problem if inspector is not None else None
    obligations = evaluate(manifest.data, det, options.as_of, check)
    ctx = RuleContext(manifest=manifest, det=det, obligations=obligations, options=options)
    system.findings.extend(run_rules(ctx))
    if inspector is not None:
        system.findings.extend(inspector.findings(det, obligations))
    if code_scans is not None and not options.manifest_only:
        from aiact_lint.repo.code_scan import check_manifest_code

        # Asked for last: git has been searching the repository while the rules ran.
        index = code_scans.index_for(manifest)
        system.findings.extend(check_manifest_code(manifest, det, index, index.manifest_dirs))
    system.in_scope = det.in_scope
    system.roles = det.roles
    system.risk = det.risk
    system.routes = det.routes
    system.models = [m.as_json() for m in det.models]
    system.obligations = [o.as_json() for o in obligations]
    system.reasons = [r.as_json() for r in det.reasons]
    system.questions = [q.as_json() for _, q in sorted(det.questions.items(), key=_key)]
    system.legacy = det.legacy.as_json() if det.legacy is not None else None
    return system


def _key(item: tuple[tuple[str, int | None], object]) -> tuple[str, int]:
    (name, model), _ = item
    return name, -1 if model is None else model
