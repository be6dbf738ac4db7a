"""General-purpose AI models: training compute, cumulative lineage, thresholds, who provides.

Pure functions over one manifest model entry. Thresholds and policies are data (law/gpai.yaml).
"""

from __future__ import annotations

import math
from typing import Any, Mapping, Optional

from aiact_lint.lawdata import table
from aiact_lint.record import Record


class ModelAssessment(Record):
    __slots__ = (
        "base_compute",
        "base_status",
        "cumulative_compute",
        "estimated",
        "id",
        "index",
        "modification_compute",
        "modified",
        "open_source",
        "policy",
        "reasons",
        "status",
        "we_are_provider",
    )

    def __init__(
        self,
        id: str,
        index: int,
        base_compute: Optional[float],
        estimated: bool,
        modification_compute: float,
        modified: bool,
        cumulative_compute: Optional[float],
        status: str,
        base_status: str,
        we_are_provider: bool,
        open_source: bool,
        policy: str,
        reasons: Optional[list[str]] = None,
    ) -> None:
        self.id = id
        self.index = index
        self.base_compute = (
            base_compute  # the original model's training compute (declared or estimated)
        )
        self.estimated = estimated  # base_compute comes from 6·N·D
        self.modification_compute = modification_compute  # what we added (0 when unknown)
        self.modified = modified
        self.cumulative_compute = cumulative_compute
        self.status = status  # not_gpai | gpai | gpai_systemic_risk | unknown
        self.base_status = base_status  # the status before our modifications
        self.we_are_provider = we_are_provider
        self.open_source = open_source
        self.policy = policy
        self.reasons: list[str] = [] if reasons is None else reasons

    __hash__ = None  # type: ignore[assignment]  # mutable

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "gpai_status": self.status,
            "cumulative_compute_flop": self.cumulative_compute,
            "compute_estimated": self.estimated,
            "modification_compute_flop": self.modification_compute if self.modified else None,
            "we_are_model_provider": self.we_are_provider,
            "policy": self.policy,
        }


def thresholds(policy: Optional[str] = None) -> Mapping[str, Any]:
    """The thresholds in force: the policy's own figures, under the keys the callers read."""
    data: dict[str, Any] = dict(table("gpai")["thresholds"])
    if policy is not None:
        own = table("gpai")["policies"][policy]["thresholds"]
        data["gpai_indicative_flop"] = own["gpai_flop"]
        data["systemic_risk_flop"] = own["systemic_risk_flop"]
        data["gpai_indicative_modalities"] = own["modalities"]
    return data


def policy_info(policy: str) -> Mapping[str, Any]:
    info: Mapping[str, Any] = table("gpai")["policies"][policy]
    return info


def estimate_compute(parameters: float, tokens: float) -> float:
    """C ≈ 6·N·D (dense transformer training compute)."""
    factor = float(table("gpai")["estimate"]["factor"])
    return factor * parameters * tokens


def exceeds_share(part: float, whole: float, ratio: Any) -> bool:
    """Whether ``part`` is MORE than ``ratio`` of ``whole``; exactly that share is not more.

    The ratio is read as the fraction it denotes (1/3, not 0.333...), and values within
    floating-point rounding of the boundary count as on it: with a float ratio,
    0.3333333333333333 x 1e23 < 1e23 / 3 would make "exactly one third" cross.
    """
    from fractions import Fraction  # only for modified models: ~3 ms off the hook's start-up

    share = Fraction(str(ratio)).limit_denominator(1000)
    scaled_part = float(part) * share.denominator
    scaled_whole = float(whole) * share.numerator
    return scaled_part > scaled_whole and not math.isclose(scaled_part, scaled_whole, rel_tol=1e-9)


def _number(value: Any) -> Optional[float]:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def classify_compute(
    compute: Optional[float],
    general_purpose: Optional[bool],
    generates: Optional[list[str]],
    designated: bool = False,
    policy: str = "commission_one_third",
) -> str:
    """Status from compute and declarations. Thresholds are strict: '> 10^25', '> 10^23'.

    A model declared not general-purpose is never classified by the compute thresholds: Art. 51
    classifies general-purpose models only (the figure may still invite a second look, AIA605).
    """
    limits = thresholds(policy)
    if designated:
        return "gpai_systemic_risk"
    if general_purpose is False:
        return "not_gpai"
    if compute is not None and compute > float(limits["systemic_risk_flop"]):
        return "gpai_systemic_risk"
    if general_purpose is True:
        return "gpai"
    if compute is None:
        return "unknown"
    if compute > float(limits["gpai_indicative_flop"]):
        modalities = set(limits["gpai_indicative_modalities"])
        if not modalities:
            return "gpai"
        if generates is None:
            return "unknown"
        return "gpai" if modalities.intersection(generates) else "not_gpai"
    return "not_gpai"


def assess(
    entry: Mapping[str, Any],
    index: int,
    policy: str,
    system_provider: bool,
    open_source: Optional[bool] = None,
) -> ModelAssessment:
    """One model's status and whether we are its provider.

    ``open_source`` is the model's free and open-source fact (declared, or derived from its
    licence; None when unknown): the Art. 53(2) / 54(6) exemption needs it and public weights.
    """
    model_id = str(entry.get("id") or f"models[{index}]")
    declared = _number(entry.get("training_compute_flop"))
    estimated = False
    if declared is None:
        params, tokens = _number(entry.get("parameters")), _number(entry.get("training_tokens"))
        if params is not None and tokens is not None:
            declared = _number(estimate_compute(params, tokens))
            estimated = declared is not None
    info = policy_info(policy)
    modifications = [m for m in (entry.get("modifications") or []) if isinstance(m, dict)]
    if info["provider_rule"] == "every_modification":
        # White paper: fine-tuning within the scope of the original documentation, by or as
        # anticipated by the original provider, does not make a new model.
        counted = [m for m in modifications if m.get("within_documented_scope") is not True]
    else:
        counted = modifications
    modified = bool(counted)
    added = 0.0
    for modification in modifications:
        added += _number(modification.get("compute_flop")) or 0.0
    general = entry.get("general_purpose")
    general_purpose = general if isinstance(general, bool) else None
    generates = entry.get("generates")
    generates_list = list(generates) if isinstance(generates, list) else None
    designated = entry.get("systemic_risk_designated") is True
    base_status = classify_compute(declared, general_purpose, generates_list, designated, policy)
    # Art. 51(2) counts the cumulative computation: pre-training plus every modification.
    cumulative = None if declared is None else _number(declared + added)
    status = classify_compute(cumulative, general_purpose, generates_list, designated, policy)
    free = entry.get("free_open_source") if open_source is None else open_source
    open_model = (
        free is True and entry.get("open_weights") is True and status != "gpai_systemic_risk"
    )
    places = entry.get("placed_on_market_by_us") is True
    own_model = entry.get("developer") == "us"
    reasons: list[str] = []
    limits = thresholds(policy)
    we_provide = False
    if not modified:
        we_provide = places or (own_model and system_provider)
        if places:
            reasons.append("we place this model on the market (Art. 3(3))")
        elif own_model and system_provider:
            reasons.append(
                "we developed this model and integrate it into our own system placed on the "
                "market or put into service, which places the model on the market (Recital 97)"
            )
    elif info["provider_rule"] == "one_third":
        ratio = float(info["ratio"])
        if declared is not None:
            reference, basis = declared, "the original model's training compute"
        else:
            systemic = base_status == "gpai_systemic_risk"
            key = "systemic_risk_flop" if systemic else "gpai_indicative_flop"
            reference, basis = float(limits[key]), f"the {float(limits[key]):.0e} FLOP threshold"
        crosses = exceeds_share(added, reference, ratio)
        reasons.append(
            f"modification compute {added:.3g} FLOP is {'more' if crosses else 'not more'} than "
            f"one third of {basis} ({ratio * reference:.3g} FLOP) [policy {policy}]"
        )
        we_provide = (crosses and (places or system_provider)) or (own_model and system_provider)
    else:  # every modification makes a new model, provided by whoever places it
        reasons.append(
            "every modification makes a new model whose category follows cumulative compute "
            f"alone [policy {policy}]"
        )
        we_provide = places or system_provider
    if we_provide and status in ("not_gpai", "unknown"):
        reasons.append(f"the model is {status}, so no GPAI model duties follow")
    return ModelAssessment(
        id=model_id,
        index=index,
        base_compute=declared,
        estimated=estimated,
        modification_compute=added,
        modified=modified,
        cumulative_compute=cumulative,
        status=status,
        base_status=base_status,
        we_are_provider=we_provide,
        open_source=open_model,
        policy=policy,
        reasons=reasons,
    )


def explain_compute(
    *,
    params: Optional[float],
    tokens: Optional[float],
    base_flop: Optional[float],
    modification_flop: Optional[float],
    policy: str,
) -> str:
    """A worked explanation of a compute figure against the thresholds (``aiact-lint compute``)."""
    limits = thresholds(policy)
    info = policy_info(policy)
    gpai_flop = float(limits["gpai_indicative_flop"])
    systemic_flop = float(limits["systemic_risk_flop"])
    modalities = list(limits["gpai_indicative_modalities"])
    lines = [f"Policy {policy}: {info['title']} ({info['article']})."]
    if base_flop is None:
        assert params is not None and tokens is not None
        base_flop = estimate_compute(params, tokens)
        lines.append(
            f"Estimated training compute: 6 x {params:.3g} parameters x {tokens:.3g} tokens "
            f"= {base_flop:.3g} FLOP (an estimate, C ≈ 6·N·D for dense transformers; that the "
            "Commission uses the factor 6 is UNVERIFIED)."
        )
    else:
        lines.append(f"Declared training compute: {base_flop:.3g} FLOP.")
    added = modification_flop or 0.0
    cumulative = base_flop + added
    if modification_flop is not None:
        lines.append(
            f"Cumulative compute with the modification: {base_flop:.3g} + {added:.3g} = "
            f"{cumulative:.3g} FLOP (Art. 51(2) counts cumulative computation)."
        )

    def category(value: float) -> str:
        if value > systemic_flop:
            return "GPAI model with systemic risk (presumed, Art. 51(2): > 1e25 FLOP)"
        if value > gpai_flop:
            if not modalities:
                return f"GPAI model (presumed by cumulative compute alone: > {gpai_flop:.0e} FLOP)"
            return (
                f"GPAI model if it can generate {', '.join(modalities)} (indicative criterion "
                f"> {gpai_flop:.0e} FLOP, Commission guidelines of 18 July 2025)"
            )
        return f"below the GPAI criterion (<= {gpai_flop:.0e} FLOP): presumed not a GPAI model"

    lines.append(f"Category: {category(cumulative)}.")
    if modification_flop is not None:
        if info["provider_rule"] == "one_third":
            ratio = info["ratio"]
            crosses = exceeds_share(added, base_flop, ratio)
            share = f"{added / base_flop:.1%} of" if base_flop else "more than"
            lines.append(
                f"Policy {policy}: the modification is {share} the original "
                f"compute; {'more' if crosses else 'not more'} than one third, so the modifier "
                f"{'IS' if crosses else 'is NOT'} the provider of the modified model "
                "(UNVERIFIED wording of the guidelines)."
            )
        else:
            lines.append(
                f"Policy {policy}: every modification makes a new model (except fine-tuning "
                "within the scope of the original documentation); whoever places it on the "
                "market is its provider, with duties limited to the modification (Recital 109) "
                "unless the cumulative compute reaches a new category."
            )
    return "\n".join(lines) + "\n"
