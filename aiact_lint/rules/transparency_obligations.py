"""Obligations by role, classification and date (AIA5xx for Art. 50, AIA70x for the rest)."""

from __future__ import annotations

from collections import defaultdict
from typing import Iterator

from aiact_lint.classify import timeline_date
from aiact_lint.findings import Finding
from aiact_lint.obligations import Obligation
from aiact_lint.rules.context import RuleContext
from aiact_lint.yamlsafe import PathKey, iso_date

TRIGGERS = {
    "ai_interaction_notice": ("interacts_with_natural_persons",),
    "synthetic_content_marking": ("generates_synthetic_content",),
    "emotion_or_biometric_notice": ("emotion_recognition", "biometric_categorisation"),
    "deep_fake_disclosure": ("deep_fake",),
    "ai_generated_text_disclosure": ("public_interest_text",),
}


def _location(ctx: RuleContext, obligation: Obligation) -> PathKey:
    key = obligation.evidence_key or ""
    path = tuple(key.split(".")) if key else ()
    candidates: list[PathKey] = [path] if path else []
    if key.startswith("transparency."):
        candidates += [("use_case", "capabilities", fact) for fact in TRIGGERS.get(path[-1], ())]
    if obligation.model_index is not None:
        candidates.append(("models", obligation.model_index, "id"))
    if path:
        candidates.append(path[:1])
    candidates.append(("roles",))
    return ctx.first_present(*candidates)


def _in_grace(ctx: RuleContext, obligation: Obligation) -> bool:
    if obligation.id != "synthetic_content_marking":
        return False
    placed = iso_date(ctx.manifest.get("market", "placed_on_market"))
    return (
        placed is not None
        and placed < timeline_date("general")
        and ctx.options.as_of < timeline_date("transparency_marking_legacy")
    )


def obligations(ctx: RuleContext) -> Iterator[Finding]:
    upcoming: dict[str, list[Obligation]] = defaultdict(list)
    # One finding per missing document: obligations that name the same evidence key (the
    # provider's and the deployer's duty on logs, two models' documentation) share it.
    missing: dict[str, list[Obligation]] = {}
    for obligation in ctx.obligations:
        if obligation.status == "upcoming":
            upcoming[obligation.applies_from.isoformat()].append(obligation)
            continue
        if obligation.status != "missing" or obligation.problem or _in_grace(ctx, obligation):
            continue
        missing.setdefault(obligation.evidence_key or f"({obligation.id})", []).append(obligation)
    for group in missing.values():
        yield _missing(ctx, group)
    for date, group in sorted(upcoming.items()):
        listed = ", ".join(f"{o.id} ({o.article})" for o in group[:8])
        more = f" and {len(group) - 8} more" if len(group) > 8 else ""
        at = ctx.first_present(("use_case", "annex_iii"), ("use_case", "annex_i"), ("roles",))
        yield ctx.finding(
            "AIA702",
            at,
            f"{len(group)} obligation(s) apply from {date}: {listed}{more}",
            article="Art. 113",
            fix=f"Prepare the evidence before {date}; `aiact-lint check --as-of {date}` shows "
            "what will be missing.",
            subject=f"upcoming:{date}",
        )


def _duty(obligation: Obligation) -> str:
    who = f"the {obligation.role}"
    if obligation.model:
        who += f" of model {obligation.model}"
    return (
        f"{obligation.id} ({obligation.article}): {obligation.title} — applies to {who} "
        f"since {obligation.applies_from.isoformat()}"
    )


def _missing(ctx: RuleContext, group: list[Obligation]) -> Finding:
    """The finding for one missing document, at its own evidence key where the manifest has it."""
    first = next((o for o in group if o.verified), group[0])
    code = first.rule or ("AIA701" if first.verified else "AIA703")
    key = first.evidence_key
    duties = "; ".join(_duty(o) for o in group)
    notes = [o.note for o in group if o.note]
    unverified = [o for o in group if not o.verified]
    note = f" {notes[0]}" if notes and not unverified else ""
    flagged = f" UNVERIFIED: {unverified[0].note or ''}".rstrip() if unverified else ""
    articles = ", ".join(dict.fromkeys(o.article for o in group))
    ids = ",".join(dict.fromkeys(o.id for o in group))
    models = ",".join(dict.fromkeys(o.model or "" for o in group))
    return ctx.finding(
        code,
        _location(ctx, first),
        f"{duties}, but {key} declares no evidence.{note}{flagged}",
        article=articles,
        fix=f"Write the document and set {key} to its path."
        if (key or "").startswith("evidence.")
        else None,
        subject=f"obligation:{ids}:{models}",
    )


def marking_grace(ctx: RuleContext) -> Iterator[Finding]:
    for obligation in ctx.obligations:
        if obligation.status == "missing" and _in_grace(ctx, obligation):
            end = timeline_date("transparency_marking_legacy").isoformat()
            yield ctx.finding(
                "AIA506",
                _location(ctx, obligation),
                f"synthetic content is not marked as AI-generated (Art. 50(2)); systems placed on "
                f"the market before 2026-08-02 reportedly have until {end} (UNVERIFIED)",
                fix=f"Implement machine-readable marking before {end} and declare "
                "transparency.synthetic_content_marking.",
            )
    det = ctx.det
    placed = iso_date(ctx.manifest.get("market", "placed_on_market"))
    if det.high_risk and placed is not None and placed < timeline_date("high_risk_legacy_cutoff"):
        yield ctx.finding(
            "AIA704",
            ("market", "placed_on_market"),
            f"placed on the market on {placed.isoformat()}, before 2026-08-02: under Art. 111(2) "
            "the high-risk rules reach it only after significant design changes (public "
            "authorities: by 2030-08-02); whether Regulation (EU) 2026/1744 moved the cut-off "
            "is UNVERIFIED",
            article="Art. 111(2)",
        )
    legacy_end = timeline_date("gpai_legacy")
    for model in det.models:
        placed_model = iso_date(ctx.manifest.get("models", model.index, "placed_on_market"))
        if (
            model.we_are_provider
            and model.status in ("gpai", "gpai_systemic_risk")
            and placed_model is not None
            and placed_model < timeline_date("gpai_legacy_cutoff")
            and ctx.options.as_of < legacy_end
        ):
            yield ctx.finding(
                "AIA704",
                ("models", model.index, "placed_on_market"),
                f"model {model.id} was placed on the market on {placed_model.isoformat()}, "
                f"before 2025-08-02: under Art. 111(3) its provider must comply with the GPAI "
                f"model obligations by {legacy_end.isoformat()}",
                article="Art. 111(3)",
                subject=f"model:{model.id}:legacy",
            )
