"""High-risk classification (Art. 6): undeclared Annex III use, claimed vs determined risk."""

from __future__ import annotations

from typing import Any, Iterator

from aiact_lint.classify import RISK_ORDER
from aiact_lint.findings import Finding
from aiact_lint.lawdata import table
from aiact_lint.rules.context import RuleContext
from aiact_lint.rules.purpose_text import FIELDS, suspicions


def _point(point: str) -> dict[str, Any]:
    found: dict[str, Any] = next(
        (p for p in table("annex_iii")["points"] if p["point"] == point), {"title": point}
    )
    return found


def undeclared_annex_iii(ctx: RuleContext) -> Iterator[Finding]:
    """AIA301/AIA306: an Annex III use implied by the capabilities or described by the text
    (the frame matcher, :mod:`aiact_lint.detect`) that use_case.annex_iii does not list."""
    det = ctx.det
    listed = ctx.manifest.get("use_case", "annex_iii")  # a value of the wrong type lists nothing
    declared = [p for p in listed if isinstance(p, str)] if isinstance(listed, list) else []
    annex_key = ("use_case", "annex_iii")
    fix_both = (
        'Declare annex_iii: ["{point}"] and set risk.classification: high, or declare it and '
        "document an Art. 6(3) derogation (use_case.derogation.condition and .assessment)."
    )
    for point, fact in det.implied_annex_iii.items():
        info = _point(point)
        yield ctx.finding(
            "AIA301" if not declared else "AIA306",
            ctx.first_present(annex_key, ("use_case", "capabilities", fact)),
            f"use_case.capabilities.{fact} makes this an Annex III {point} system "
            f"({info['title']}) but use_case.annex_iii "
            + ("is empty" if not declared else f"lists only {', '.join(declared)}"),
            article=f"Art. 6(2), Annex III {point}",
            fix=fix_both.format(point=point),
            subject=f"annex_iii:{point}",
        )
    for suspicion in suspicions(ctx):
        if suspicion.kind != "annex_iii":
            continue
        if suspicion.point in declared or suspicion.point in det.implied_annex_iii:
            continue
        info = _point(suspicion.point)
        at = (
            annex_key
            if not declared and annex_key in ctx.manifest.doc.keys
            else FIELDS[suspicion.field]
        )
        yield ctx.finding(
            "AIA301" if not declared else "AIA306",
            at,
            f"{suspicion.explanation} ({info['title']}), but use_case.annex_iii "
            + ("is empty" if not declared else f"lists only {', '.join(declared)}"),
            article=f"Art. 6(2), Annex III {suspicion.point}",
            fix=fix_both.format(point=suspicion.point),
            subject=f"annex_iii:{suspicion.point}",
        )


def route_articles(ctx: RuleContext) -> str:
    """The provisions that decide the determined tier (not the whole of Arts. 5, 6 and 50)."""
    det = ctx.det
    if det.risk == "prohibited":
        return ", ".join(p.article for p in det.practices if p.status == "prohibited")
    if det.risk == "high":
        parts = [f"Art. 6(2), Annex III {p}" for p in det.annex_iii if "annex_iii" in det.flags]
        if det.annex_i:
            parts.append("Art. 6(1), Annex I")
        return "; ".join(parts) or "Art. 6"
    if det.risk == "limited":
        paragraphs = sorted({r.split(":", 1)[1] for r in det.routes if r.startswith("art50:")})
        return ", ".join(f"Art. 50({p})" for p in paragraphs)
    return "Art. 6"


def claimed_vs_determined(ctx: RuleContext) -> Iterator[Finding]:
    det = ctx.det
    if not det.in_scope:
        return
    claimed = ctx.manifest.get("risk", "classification")
    routes = ", ".join(det.routes) or "no Art. 5, Art. 6 or Art. 50 route"
    if claimed is None:
        yield ctx.finding(
            "AIA308",
            ctx.first_present(("risk",), ("roles",)),
            f"risk.classification is not declared; the facts give {det.risk} ({routes})",
            fix=f"Set risk.classification: {det.risk}.",
        )
        return
    if not isinstance(claimed, str) or claimed not in RISK_ORDER:
        return
    at = ("risk", "classification")
    if RISK_ORDER[claimed] < RISK_ORDER[det.risk]:
        yield ctx.finding(
            "AIA302",
            at,
            f"risk.classification claims {claimed}, but the declared facts make the system "
            f"{det.risk} ({routes})",
            article=route_articles(ctx),
            fix=f"Set risk.classification: {det.risk}, or correct the facts that drive it.",
            value=True,
        )
    elif RISK_ORDER[claimed] > RISK_ORDER[det.risk]:
        yield ctx.finding(
            "AIA303",
            at,
            f"risk.classification claims {claimed}, but the declared facts give only "
            f"{det.risk} ({routes})",
            article=route_articles(ctx),
            value=True,
        )


def derogation(ctx: RuleContext) -> Iterator[Finding]:
    det = ctx.det
    at = ("use_case", "derogation")
    if det.derogation == "voided_by_profiling":
        yield ctx.finding(
            "AIA304",
            ctx.first_present(("use_case", "profiling"), at),
            "use_case.profiling is true, so the Art. 6(3) derogation does not apply: an Annex III "
            "system that profiles natural persons is always high-risk",
        )
    elif det.derogation == "incomplete":
        # An assessment without a condition: the derogation is not established. (A condition
        # without its documented assessment is a valid claim with a missing Art. 6(4) duty.)
        yield ctx.finding(
            "AIA305",
            ctx.first_present(at + ("condition",), at),
            "use_case.derogation has no condition: the Art. 6(3) derogation needs one of its "
            "four conditions (a)-(d); the system is treated as high-risk",
            article="Art. 6(3)",
        )


def annex_i_facts(ctx: RuleContext) -> Iterator[Finding]:
    if ctx.det.annex_i_undetermined:
        yield ctx.finding(
            "AIA307",
            ("use_case", "annex_i"),
            f"use_case.annex_i lists {', '.join(ctx.det.annex_i)} but use_case.product does not "
            "say whether the system is a safety component and whether the product needs "
            "third-party conformity assessment; treated as high-risk under Art. 6(1)",
        )
