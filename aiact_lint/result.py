"""The outcome of a check: per system its determination, obligations and findings.

Every output format renders the same document (``to_document``), the JSON contract of
``shared/spec/output.md``; renderers never decide anything.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

from aiact_lint import __version__
from aiact_lint.catalogue import get
from aiact_lint.findings import SEVERITY_RANK, Finding, sort_findings
from aiact_lint.options import Options

if TYPE_CHECKING:
    from aiact_lint.manifest import Manifest


# The tiers an open question could still give (its stake), most serious first.
_STAKE_TIERS = (("prohibited", "prohibited"), ("high_risk", "high"))
_TIER_ORDER = {"out_of_scope": -1, "minimal": 0, "limited": 1, "high": 2, "prohibited": 3}


def open_tiers(risk: Optional[str], questions: list[dict[str, Any]]) -> list[str]:
    """The tiers above ``risk`` that undeclared facts could still give: a verdict with open
    questions is provisional, and says so rather than reading as a settled "minimal"."""
    if risk is None:
        return []
    stakes = {str(q.get("stake")) for q in questions}
    current = _TIER_ORDER.get(risk, 0)
    return [tier for stake, tier in _STAKE_TIERS if stake in stakes and _TIER_ORDER[tier] > current]


class SystemResult:
    """One system's determination and findings (filled in by the engine)."""

    def __init__(
        self, manifest: str, name: Optional[str], findings: Optional[list[Finding]] = None
    ) -> None:
        self.manifest = manifest
        self.name = name
        self.in_scope: Optional[bool] = None
        self.roles: list[str] = []
        self.risk: Optional[str] = None
        self.routes: list[str] = []
        self.models: list[dict[str, Any]] = []
        self.obligations: list[dict[str, Any]] = []
        self.reasons: list[dict[str, Any]] = []
        self.questions: list[dict[str, Any]] = []  # facts not declared that could change things
        self.legacy: Optional[dict[str, Any]] = None  # Art. 111(2) status
        self.findings: list[Finding] = findings if findings is not None else []
        # Set by the decision step: the determination lock's status (lock.py) and, with
        # --diff-base, the legal effect of the change on this system (changes.py).
        self.lock: Optional[dict[str, Any]] = None
        self.change: Optional[dict[str, Any]] = None
        # What the manifest declares (aiact_lint/inventory.py): identity, models, documents.
        self.inventory: dict[str, Any] = {}


class CheckResult:
    """Every system and every finding of one run, and the exit code they give."""

    def __init__(self, options: Options) -> None:
        self.options = options
        self.systems: list[SystemResult] = []
        self.manifests: list[Manifest] = []  # in the order of ``systems``
        self.findings: list[Finding] = []  # every finding, systems' included
        # Set by the decision step (decide.py): findings a --baseline hid (counted only), and
        # findings --new-only left out of the report that still count for the exit code.
        self.baseline_hidden = 0
        self.outside_diff = 0
        self.hidden: list[Finding] = []
        # With --diff-base: the base revision and the legal effect per system, removed ones too.
        self.diff: Optional[dict[str, Any]] = None
        # Files this run read (manifests, the evidence they name): never overwritten by a report.
        self.inputs: list[Path] = []

    @property
    def input_error(self) -> bool:
        every = self.findings + self.hidden
        return any(get(f.rule).input_error and not f.waived for f in every)

    def counts(self) -> dict[str, int]:
        counts = {"error": 0, "warning": 0, "info": 0, "waived": 0}
        for finding in sort_findings(self.findings):  # the findings as reported, each once
            if finding.waived:
                counts["waived"] += 1
            else:
                counts[finding.severity] += 1
        return counts

    def exit_code(self) -> int:
        if self.input_error:
            return 2
        if self.options.fail_on == "never":
            return 0
        floor = SEVERITY_RANK[self.options.fail_on]
        failing = any(
            not f.waived and SEVERITY_RANK[f.severity] >= floor for f in self.findings + self.hidden
        )
        return 1 if failing else 0


def finding_dict(finding: Finding) -> dict[str, Any]:
    rule = get(finding.rule)
    data: dict[str, Any] = {
        "rule": finding.rule,
        "severity": finding.severity,
        "title": rule.title,
        "message": finding.message,
        "article": finding.article,
        "path": finding.path,
        "line": finding.line,
        "column": finding.column,
        "end_line": finding.end_line,
        "end_column": finding.end_column,
        "fix": finding.fix,
        "waived": finding.waived,
    }
    if finding.subject:
        data["subject"] = finding.subject  # location-independent identity (fingerprints)
    if finding.change:  # the old and new value of a changed fact (--diff-base, the lock)
        values = json.loads(finding.change)
        data["before"], data["after"] = values.get("before"), values.get("after")
    if finding.waived:
        data["waiver_reason"] = finding.waiver_reason
    return data


def to_document(result: CheckResult) -> dict[str, Any]:
    """The JSON contract (version 1). Keys are fixed; order is deterministic."""
    systems: list[dict[str, Any]] = []
    for system in sorted(result.systems, key=lambda s: s.manifest):
        systems.append(
            {
                "manifest": system.manifest,
                "name": system.name,
                "in_scope": system.in_scope,
                "roles": system.roles,
                "risk": system.risk,
                "risk_open": open_tiers(system.risk, system.questions),
                "routes": system.routes,
                "models": system.models,
                "obligations": system.obligations,
                "reasons": system.reasons,
                "questions": system.questions,
                "legacy": system.legacy,
                "findings": [finding_dict(f) for f in sort_findings(system.findings)],
                "inventory": system.inventory,
            }
        )
        if system.lock is not None:
            systems[-1]["lock"] = system.lock
    counts = result.counts()
    document: dict[str, Any] = {
        "version": 1,
        "tool": {"name": "aiact-lint", "version": __version__},
        "law": "Regulation (EU) 2024/1689 as amended by Regulation (EU) 2026/1744",
        "as_of": result.options.as_of.isoformat(),
        "policy": {"modification": result.options.policy},
        "systems": systems,
        "findings": [finding_dict(f) for f in sort_findings(result.findings)],
        "summary": {
            "systems": len(result.systems),
            **counts,
            "baseline_hidden": result.baseline_hidden,
            "outside_diff": result.outside_diff,
            "code_scanned": not result.options.manifest_only,
        },
    }
    if result.diff is not None:
        document["diff"] = result.diff
    return document
