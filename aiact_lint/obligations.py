"""Determination + date -> the obligations that apply, each with its status.

Status: ``met`` (evidence declared and, when the repository is checked, present and valid),
``missing``, ``unverified`` (evidence declared, but the repository check could not find it
implemented, e.g. Art. 50(2) marking absent from the code), ``upcoming`` (applies after
``as_of``), ``exempt`` (with the exempting article),
``legacy`` (Art. 111(2): a high-risk system placed on the market before its Chapter III date, with
no significant design change since) and ``open`` (applies if a fact the manifest does not state
holds: ``open_facts`` names them, and the question is asked). The table is law/obligations.yaml;
this module only evaluates it.
"""

from __future__ import annotations

import datetime
from typing import Any, Callable, Optional

from aiact_lint.classify import Determination, date_fact, timeline_article, timeline_date
from aiact_lint.facts import holds
from aiact_lint.gpai import ModelAssessment
from aiact_lint.lawdata import table
from aiact_lint.record import Record
from aiact_lint.yamlsafe import iso_date

# Checks a declared evidence value (manifest key, value) -> None when acceptable, else why not.
EvidenceCheck = Callable[[str, Any], Optional[str]]


class Unverified(str):
    """A check's answer: the evidence is declared but its implementation was not found; the
    obligation is ``unverified`` (not ``missing``) and the text says what was searched."""


class Verified(str):
    """A check's answer: acceptable, and found at this place (``file:line``)."""


class Obligation(Record):
    __slots__ = (
        "applies_from",
        "applies_from_article",
        "article",
        "evidence",
        "evidence_key",
        "extent",
        "found_at",
        "id",
        "model",
        "model_index",
        "note",
        "open_facts",
        "problem",
        "reason",
        "role",
        "rule",
        "status",
        "title",
        "verified",
    )

    def __init__(
        self,
        id: str,
        article: str,
        title: str,
        role: str,
        applies_from: datetime.date,
        status: str,
        evidence_key: Optional[str],
        evidence: Any,
        reason: Optional[str] = None,
        model: Optional[str] = None,
        model_index: Optional[int] = None,
        verified: bool = True,
        note: Optional[str] = None,
        rule: Optional[str] = None,
        problem: Optional[str] = None,
        extent: Optional[str] = None,
        found_at: Optional[str] = None,
        applies_from_article: Optional[str] = None,
        open_facts: Optional[list[str]] = None,
    ) -> None:
        self.id = id
        self.article = article
        self.title = title
        self.role = role
        self.applies_from = applies_from
        self.status = status
        self.evidence_key = evidence_key
        self.evidence = evidence
        self.reason = reason
        self.model = model
        self.model_index = model_index
        self.verified = verified
        self.note = note
        self.rule = rule
        self.problem = problem  # why declared evidence does not count (repository check)
        self.extent = extent  # GPAI modifier duties: "modification" (Recital 109) | "full"
        self.found_at = found_at  # where the repository check found it implemented
        self.applies_from_article = applies_from_article  # where the date comes from
        self.open_facts: list[str] = open_facts or []  # status open: the facts it hangs on

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "article": self.article,
            "title": self.title,
            "role": self.role,
            "applies_from": self.applies_from.isoformat(),
            "status": self.status,
            "evidence": self.evidence,
        }
        if self.model is not None:
            data["model"] = self.model
        if self.reason:
            data["reason"] = self.reason
        if not self.verified:
            data["verified"] = False
        if self.extent is not None:
            data["extent"] = self.extent
        if self.found_at is not None:
            data["found_at"] = self.found_at
        if self.status == "unverified" and self.problem:
            data["reason"] = self.problem
        if self.applies_from_article:
            data["applies_from_article"] = self.applies_from_article
        if self.open_facts:
            data["open_facts"] = self.open_facts
        return data


def evidence_value(data: dict[str, Any], key: Optional[str]) -> Any:
    """What the manifest declares for an obligation's evidence key, or None."""
    if key is None:
        return None
    node: Any = data
    for part in key.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    if key.startswith("transparency."):
        if not isinstance(node, dict):
            return None
        if node.get("method") == "none":
            return None
        files = node.get("evidence")
        return files if files else None
    if key == "evidence.downstream_documentation" and not node:
        return evidence_value(data, "evidence.technical_documentation")
    return node if node not in ("", [], {}) else None


def _owner(roles: list[str], effective: list[str]) -> Optional[str]:
    return next((role for role in roles if role in effective), None)


def _start(
    entry: dict[str, Any],
    det: Determination,
    model: Optional[ModelAssessment],
    data: dict[str, Any],
) -> tuple[datetime.date, str]:
    """The date a duty applies from for this system (or model), and the article that sets it."""
    key = entry["applies_from"]
    if key == "high_risk":
        start = det.high_risk_from or timeline_date("high_risk_annex_iii")
        article = timeline_article(
            "high_risk_annex_iii"
            if start == timeline_date("high_risk_annex_iii")
            else "high_risk_annex_i"
        )
    else:
        start, article = timeline_date(key), timeline_article(key)
    rule: Optional[dict[str, Any]] = entry.get("transitional")
    placed: Any = None
    if model is not None and entry.get("scope") == "model":
        rule = table("obligations")["model_transitional"]
        placed = iso_date(det.facts.raw("models", model.index, "placed_on_market"))
    elif rule is not None:
        placed = date_fact(det.facts, "market.placed_on_market")
    if rule is None or not isinstance(placed, datetime.date):
        return start, article
    if placed < timeline_date(rule["placed_before"]):
        return timeline_date(rule["applies_from"]), str(rule["article"])
    return start, article


def evaluate(
    data: dict[str, Any],
    det: Determination,
    as_of: datetime.date,
    check: Optional[EvidenceCheck] = None,
) -> list[Obligation]:
    obligations: list[Obligation] = []
    for entry in table("obligations")["obligations"]:
        role = _owner(entry["roles"], det.roles)
        if entry.get("scope") == "model":
            if not det.in_scope and det.exemption_article != "Art. 2(12)":
                continue
            # Placing a GPAI model on the market makes us its provider (Art. 3(3)) whatever
            # role we hold for the system that integrates it.
            role = role or ("provider" if "provider" in entry["roles"] else None)
            if role is None:
                continue
            for model in det.models:
                flags = set(det.flags)
                open_flags = dict(det.open_flags)
                if model.we_are_provider and model.status in ("gpai", "gpai_systemic_risk"):
                    flags.add("gpai_provider")
                if model.we_are_provider and model.status == "gpai_systemic_risk":
                    flags.add("gpai_systemic_provider")
                if model.we_are_provider and model.status == "unknown":
                    open_flags["gpai_provider"] = [f"models[{model.index}].general_purpose"]
                if model.open_source:
                    flags.add("model_open_source")
                verdict = applies(entry, flags, open_flags)
                if verdict is not False:
                    obligations.append(
                        _status(entry, role, flags, det, data, as_of, check, model, verdict)
                    )
        elif role is None:
            continue
        elif det.in_scope:
            verdict = applies(entry, det.flags, det.open_flags)
            if verdict is not False:
                obligations.append(
                    _status(entry, role, det.flags, det, data, as_of, check, None, verdict)
                )
    return obligations


def applies(
    entry: dict[str, Any], flags: set[str], open_flags: Optional[dict[str, list[str]]] = None
) -> Any:
    """True when the duty applies; the list of open facts when it applies only if they hold.

    ``when``: every flag holds; ``when_any``: every flag of at least one alternative holds.
    False when it does not apply.
    """
    open_flags = open_flags or {}
    options = entry["when_any"] if "when_any" in entry else [entry["when"]]
    pending: list[str] = []
    for option in options:
        if all(flag in flags for flag in option):
            return True
        if all(flag in flags or flag in open_flags for flag in option):
            for flag in option:
                pending.extend(f for f in open_flags.get(flag, ()) if f not in pending)
    return pending or False


def _legacy_status(
    entry: dict[str, Any], det: Determination, start: datetime.date
) -> tuple[Optional[str], Optional[datetime.date], Optional[str]]:
    """Art. 111(2) for a duty dated from a Chapter III date: (status, new start, reason)."""
    legacy = det.legacy
    if legacy is None or legacy.status == "ended" or entry.get("legacy") is False:
        return None, None, None
    if entry["applies_from"] not in ("high_risk", "high_risk_annex_iii"):
        return None, None, None
    if legacy.status == "public_authorities":
        return None, legacy.applies_from, f"Art. 111(2): {legacy.reason}"
    return "legacy", None, f"Art. 111(2): {legacy.reason}"


def _status(
    entry: dict[str, Any],
    role: str,
    flags: set[str],
    det: Determination,
    data: dict[str, Any],
    as_of: datetime.date,
    check: Optional[EvidenceCheck],
    model: Optional[ModelAssessment],
    verdict: Any = True,
) -> Obligation:
    start, start_article = _start(entry, det, model, data)
    key = entry.get("evidence")
    value = evidence_value(data, key)
    reason = None
    problem = None
    found_at = None
    legacy, legacy_start, legacy_reason = _legacy_status(entry, det, start)
    if legacy_start is not None:
        start, start_article = legacy_start, "Art. 111(2)"
    exemption = next((e for e in entry.get("exempt_when", []) if e["flag"] in flags), None)
    met_when = entry.get("met_when")
    if exemption is not None:
        status = "exempt"
        reason = f"{exemption['article']}: {exemption['reason']}"
    elif legacy is not None:
        status = "legacy"
        reason = legacy_reason
    elif verdict is not True:
        status = "open"
    elif start > as_of:
        status = "upcoming"
        reason = legacy_reason
    elif value is None and met_when is not None and holds(met_when, det.facts):
        status = "met"
        reason = f"{entry['article']}: {entry.get('met_reason', '')}".rstrip(": ")
    elif value is None:
        status = "missing"
    else:
        problem = check(key, value) if (check is not None and key is not None) else None
        if isinstance(problem, Verified):
            found_at, problem = str(problem), None
        status = "missing" if problem else "met"
        if isinstance(problem, Unverified):
            status = "unverified"
    note = entry.get("note")
    extent = None
    if model is not None and model.modified and model.we_are_provider:
        # Recital 109: a modifier's duties are limited to the modification where the original
        # model's provider has met them; a category the original model did not have brings
        # its duties in full (white paper, cases 2 and 4; the Commission guidelines alike).
        systemic_duty = "gpai_systemic_provider" in entry.get("when", ())
        base_had_category = (
            model.base_status == "gpai_systemic_risk"
            if systemic_duty
            else model.base_status in ("gpai", "gpai_systemic_risk")
        )
        extent = "modification" if base_had_category else "full"
        limited = (
            "limited to the modification (Recital 109)"
            if base_had_category
            else "in full: the original model was not in this category"
        )
        note = (
            f"{note + ' ' if note else ''}Under the {model.policy} policy this duty is {limited}."
        )
    return Obligation(
        id=entry["id"],
        article=entry["article"],
        title=entry["title"],
        role=role,
        applies_from=start,
        status=status,
        evidence_key=key,
        evidence=value,
        reason=reason,
        model=model.id if model is not None else None,
        model_index=model.index if model is not None else None,
        verified=bool(entry.get("verified", True)),
        note=note,
        rule=entry.get("rule"),
        problem=problem,
        extent=extent,
        found_at=found_at,
        applies_from_article=start_article,
        open_facts=list(verdict) if isinstance(verdict, list) else None,
    )
