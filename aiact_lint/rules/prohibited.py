"""Prohibited practices (Art. 5): the practice, its coming date, or the exception relied on."""

from __future__ import annotations

from typing import Iterator

from aiact_lint.facts import dotted, fact_path
from aiact_lint.findings import Finding
from aiact_lint.rules.context import RuleContext


def practices(ctx: RuleContext) -> Iterator[Finding]:
    for practice in ctx.det.practices:
        at = fact_path(practice.fact)
        subject = f"art5:{practice.point}"
        if practice.status == "prohibited":
            pending = ", ".join(dotted(fact_path(f)) for f in practice.unestablished)
            yield ctx.finding(
                "AIA401",
                at,
                f"{dotted(at)} describes a prohibited practice: {practice.title} "
                f"({practice.article}), prohibited since {practice.applies_from.isoformat()}"
                + (
                    f"; an exception would need {pending}, which is not declared" if pending else ""
                ),
                article=practice.article,
                subject=subject,
                fix=(
                    f"Remove the capability, or, if an exception applies, declare its facts "
                    f"({pending})."
                    if pending
                    else None
                ),
            )
        elif practice.status == "upcoming":
            yield ctx.finding(
                "AIA402",
                at,
                f"{dotted(at)} describes {practice.title}, prohibited from "
                f"{practice.applies_from.isoformat()} ({practice.article})",
                article=f"{practice.article}; Art. 113(a)",
                fix=f"Remove the capability, or put adequate safeguards in place, before "
                f"{practice.applies_from.isoformat()}.",
                subject=subject,
            )
        else:
            yield ctx.finding(
                "AIA403",
                at,
                f"{dotted(at)} would be prohibited ({practice.article}: {practice.title}) but "
                f"the exception applies: {practice.exception} ({practice.exception_article})",
                article=practice.exception_article or practice.article,
                subject=subject,
            )
