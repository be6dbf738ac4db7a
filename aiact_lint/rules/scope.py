"""Scope (Art. 2) and roles (Arts. 3, 25)."""

from __future__ import annotations

from typing import Iterator

from aiact_lint.findings import Finding
from aiact_lint.rules.context import RuleContext


def out_of_scope(ctx: RuleContext) -> Iterator[Finding]:
    if ctx.det.in_scope:
        return
    reason = ctx.det.reasons[-1] if ctx.det.reasons else None
    text = reason.text if reason else "outside the Regulation"
    article = reason.article if reason else "Art. 2"
    at = ctx.first_present(("exclusions",), ("market",), ("roles",))
    yield ctx.finding("AIA201", at, f"out of scope: {text} ({article})", article=article)


def exclusions(ctx: RuleContext) -> Iterator[Finding]:
    for problem in ctx.det.exclusion_problems:
        yield ctx.finding(
            "AIA202",
            ("exclusions", problem.index, "kind"),
            problem.message,
            article=problem.article,
            subject=f"exclusions.{problem.kind}",
        )


def market_undeclared(ctx: RuleContext) -> Iterator[Finding]:
    if ctx.det.in_scope and not ctx.det.market_declared:
        yield ctx.finding(
            "AIA203",
            ctx.first_present(("market",), ("roles",)),
            "market.regions and market.output_used_in_eu are not declared; the system is "
            "treated as placed on the market or used in the Union",
        )


def open_source_system(ctx: RuleContext) -> Iterator[Finding]:
    if ctx.det.open_source_exemption_refused:
        yield ctx.finding(
            "AIA204",
            ("market", "free_open_source"),
            f"the system is released as free and open source, but as a {ctx.det.risk}-risk "
            f"system ({', '.join(ctx.det.routes)}) it is not exempt",
        )


def role_shifts(ctx: RuleContext) -> Iterator[Finding]:
    det = ctx.det
    for shift in det.role_shifts:
        if shift.article.startswith("Art. 25(1)"):
            yield ctx.finding(
                "AIA210",
                ("roles",),
                f"roles [{', '.join(det.declared_roles)}] omit provider, but this organisation "
                f"{shift.text}: "
                f"it is the provider of this high-risk system ({shift.article}); provider "
                "obligations are applied",
                article=shift.article,
                fix="Add provider to roles and plan the provider obligations (Art. 16), or "
                "remove the trigger.",
                subject=f"roles.{shift.article}",
            )
        elif shift.article == "Art. 3(3)":
            yield ctx.finding(
                "AIA211",
                ("roles",),
                f"roles [{', '.join(det.declared_roles)}] omit provider, but this organisation "
                f"{shift.text}, "
                "which makes it the provider too (Art. 3(3)); provider obligations are applied",
                subject="roles.art3",
            )
