"""Legal rules: small functions, one concern each, in an explicit registry.

Each rule takes the RuleContext (manifest, determination, obligations, options) and yields
findings through ``ctx.finding``; severities come from the catalogue, never from the rule.
"""

from __future__ import annotations

from typing import Callable, Iterable

from aiact_lint.findings import Finding
from aiact_lint.rules import (
    gpai_models,
    prohibited,
    purpose_text,
    questions,
    risk,
    scope,
    transparency_obligations,
)
from aiact_lint.rules.context import RuleContext

Rule = Callable[[RuleContext], Iterable[Finding]]

REGISTRY: tuple[Rule, ...] = (
    scope.out_of_scope,
    scope.exclusions,
    scope.market_undeclared,
    scope.open_source_system,
    scope.role_shifts,
    risk.undeclared_annex_iii,
    risk.claimed_vs_determined,
    risk.derogation,
    risk.annex_i_facts,
    prohibited.practices,
    purpose_text.art5_from_text,
    purpose_text.annex_i_from_text,
    purpose_text.art50_from_text,
    transparency_obligations.obligations,
    transparency_obligations.transitional,
    gpai_models.models,
    questions.open_questions,  # last: obligations may add questions of their own
)


def run_rules(ctx: RuleContext) -> list[Finding]:
    findings: list[Finding] = []
    for rule in REGISTRY:
        findings.extend(rule(ctx))
    if not ctx.det.in_scope:
        # Out of scope: only informational findings. The Art. 2(12) exemption covers the
        # SYSTEM only: general-purpose model duties (Arts. 53-55) still apply to its provider.
        model_duties_remain = ctx.det.exemption_article == "Art. 2(12)"
        findings = [
            f
            for f in findings
            if f.severity == "info"
            or f.subject.startswith("question:")
            or (model_duties_remain and f.subject.startswith(("model:", "obligation:gpai")))
        ]
    return findings
