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


def obligations(ctx: RuleContext) -> Iterator[Finding]:
    upcoming: dict[tuple[str, str], list[Obligation]] = defaultdict(list)
    # One finding per missing document: obligations that name the same evidence key (the
    # provider's and the deployer's duty on logs, two models' documentation) share it.
    missing: dict[str, list[Obligation]] = {}
    for obligation in ctx.obligations:
        if obligation.status == "upcoming":
            key = (obligation.applies_from.isoformat(), obligation.applies_from_article or "")
            upcoming[key].append(obligation)
            continue
        if obligation.status != "missing" or obligation.problem:
            continue
        missing.setdefault(obligation.evidence_key or f"({obligation.id})", []).append(obligation)
    for group in missing.values():
        yield _missing(ctx, group)
    for (date, article), group in sorted(upcoming.items()):
        listed = ", ".join(f"{o.id} ({o.article})" for o in group[:8])
        more = f" and {len(group) - 8} more" if len(group) > 8 else ""
        at = ctx.first_present(("use_case", "annex_iii"), ("use_case", "annex_i"), ("roles",))
        yield ctx.finding(
            "AIA702",
            at,
            f"{len(group)} obligation(s) apply from {date} ({article or 'Art. 113'}): "
            f"{listed}{more}",
            article=article or "Art. 113",
            fix=f"Prepare the evidence before {date}; `aiact-lint check --as-of {date}` shows "
            "what will be missing.",
            subject=f"upcoming:{date}",
        )


def _duty(obligation: Obligation) -> str:
    who = f"the {obligation.role}"
    if obligation.model:
        who += f" of model {obligation.model}"
    since = obligation.applies_from.isoformat()
    if obligation.applies_from_article and obligation.applies_from_article != "Art. 113":
        since += f" ({obligation.applies_from_article})"
    return (
        f"{obligation.id} ({obligation.article}): {obligation.title} — applies to {who} "
        f"since {since}"
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


def transitional(ctx: RuleContext) -> Iterator[Finding]:
    """Art. 111(2) legacy status of a high-risk system; Art. 111(3) for legacy GPAI models."""
    det = ctx.det
    legacy = det.legacy
    if legacy is not None:
        held = [o for o in ctx.obligations if o.status == "legacy"]
        if legacy.status == "legacy":
            text = (
                f"{legacy.reason}; {len(held)} high-risk obligation(s) have legacy status "
                "(Art. 111(2)). Record any significant change in design as "
                "market.significant_change: it brings the system under the full rules"
            )
        elif legacy.status == "public_authorities":
            text = f"{legacy.reason} (Art. 111(2), second sentence)"
        else:
            text = legacy.reason
        yield ctx.finding(
            "AIA704",
            ctx.first_present(("market", "significant_change"), ("market", "placed_on_market")),
            text,
            article="Art. 111(2)",
            subject="legacy:art111_2",
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
