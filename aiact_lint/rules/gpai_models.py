"""General-purpose AI models (Arts. 51-55): status, compute, who provides a modified model."""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from aiact_lint.findings import Finding
from aiact_lint.gpai import ModelAssessment, thresholds
from aiact_lint.lawdata import table
from aiact_lint.rules.context import RuleContext

LABEL = {
    "gpai": "a general-purpose AI model",
    "gpai_systemic_risk": "a general-purpose AI model with systemic risk",
    "not_gpai": "not a general-purpose AI model",
    "unknown": "of unknown status",
}


def models(ctx: RuleContext) -> Iterator[Finding]:
    limits = thresholds(ctx.options.policy)
    gpai_flop = float(limits["gpai_indicative_flop"])
    systemic_flop = float(limits["systemic_risk_flop"])
    for model in ctx.det.models:
        base = ("models", model.index)
        subject = f"model:{model.id}"
        entry = ctx.manifest.get(*base) or {}
        if model.status == "unknown" and model.base_compute is None:
            yield ctx.finding(
                "AIA601",
                base + ("id",),
                f"model {model.id}: neither general_purpose nor training compute (or parameters "
                "and training_tokens) is declared, so its GPAI status is unknown",
                subject=subject,
            )
        if model.estimated and model.base_compute is not None:
            yield ctx.finding(
                "AIA603",
                ctx.first_present(base + ("parameters",), base + ("id",)),
                f"model {model.id}: training compute estimated as 6 x parameters x tokens = "
                f"{model.base_compute:.3g} FLOP (an estimate; the factor 6 is UNVERIFIED as the "
                "Commission's method)",
                subject=subject,
            )
        if model.modified and model.base_compute is not None and model.cumulative_compute:
            for limit, name in ((systemic_flop, "systemic-risk"), (gpai_flop, "GPAI")):
                if model.base_compute <= limit < model.cumulative_compute:
                    yield ctx.finding(
                        "AIA604",
                        ctx.first_present(base + ("modifications",), base + ("id",)),
                        f"model {model.id}: the modifications take cumulative training compute "
                        f"from {model.base_compute:.3g} to {model.cumulative_compute:.3g} FLOP, "
                        f"above the {limit:.0e} FLOP {name} threshold",
                        article="Art. 51(2), Art. 52(1)"
                        if name == "systemic-risk"
                        else "Art. 3(63)",
                        subject=f"{subject}:{name}",
                    )
                    break
        if model.modified and model.we_are_provider:
            yield ctx.finding(
                "AIA602",
                ctx.first_present(base + ("modifications",), base + ("id",)),
                f"model {model.id}: this organisation is the provider of the modified model, "
                f"{LABEL[model.status]}: {_why_provider(model, limits)}",
                subject=subject,
            )
        declared = entry.get("general_purpose") if isinstance(entry, dict) else None
        compute = model.cumulative_compute
        if declared is False and compute is not None:
            generates = entry.get("generates") or []
            modalities = set(limits["gpai_indicative_modalities"])
            if compute > systemic_flop or (compute > gpai_flop and modalities & set(generates)):
                yield ctx.finding(
                    "AIA605",
                    base + ("general_purpose",),
                    f"model {model.id}: general_purpose is false but its training compute "
                    f"({compute:.3g} FLOP) meets the "
                    + (
                        "systemic-risk presumption"
                        if compute > systemic_flop
                        else "indicative GPAI criterion"
                    ),
                    subject=subject,
                )


def _why_provider(model: ModelAssessment, limits: Mapping[str, Any]) -> str:
    """The one-third test in numbers: what was added, the original compute, its third."""
    if model.policy != "commission_one_third":
        return "; ".join(model.reasons)
    ratio = float(table("gpai")["policies"]["commission_one_third"]["ratio"])
    added = model.modification_compute
    if model.base_compute is not None:
        reference = model.base_compute
        basis = f"the original model's training compute of {reference:.3g} FLOP"
    else:
        key = (
            "systemic_risk_flop"
            if model.base_status == "gpai_systemic_risk"
            else ("gpai_indicative_flop")
        )
        reference = float(limits[key])
        basis = f"the {reference:.0e} FLOP threshold (the original model's compute is not declared)"
    return (
        f"the modifications add {added:.3g} FLOP, more than one third ({ratio * reference:.3g} "
        f"FLOP) of {basis} [policy commission_one_third]"
    )
