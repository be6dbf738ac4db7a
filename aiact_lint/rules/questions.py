"""Open questions: facts the manifest does not state that could change the verdict or a duty.

An unknown fact is never read as "no" (facts.py). Each one that matters becomes ONE finding at
the key to declare, naming everything it could change and the articles: an error when it could
make the system prohibited (AIA404), a warning when it could make it high-risk (AIA309) or make a
duty apply (AIA705), a warning when a claimed exclusion or exemption is not established (AIA212).
"""

from __future__ import annotations

from typing import Iterator

from aiact_lint.facts import dotted, fact_path, question
from aiact_lint.findings import Finding
from aiact_lint.rules.context import RuleContext
from aiact_lint.yamlsafe import PathKey

CODES = {"prohibited": "AIA404", "high_risk": "AIA309", "duty": "AIA705", "scope": "AIA212"}


def _at(ctx: RuleContext, path: PathKey) -> PathKey:
    """The key itself when written (null, wrong type), else its nearest written parent."""
    candidates = [path[:n] for n in range(len(path), 0, -1)]
    return ctx.first_present(*candidates, ("roles",))


def open_questions(ctx: RuleContext) -> Iterator[Finding]:
    det = ctx.det
    for obligation in ctx.obligations:
        if obligation.status != "open":
            continue
        for name in obligation.open_facts:
            if name.startswith("models["):
                continue  # a model of unknown GPAI status: AIA601 asks
            det.ask([name], "duty", f"{obligation.id}: {obligation.title}", obligation.article)
    for (name, model), item in sorted(
        det.questions.items(), key=lambda kv: (kv[0][0], kv[0][1] or -1)
    ):
        path = fact_path(name, model)
        key = dotted(path)
        fact = det.facts.get(name, model)
        asked = question(name) or f"What is {key}?"
        effects = "; ".join(f"{effect} ({article})" for effect, article in item.consequences)
        articles = ", ".join(dict.fromkeys(article for _, article in item.consequences))
        state = f"is not usable ({fact.problem})" if fact.problem else "is not declared"
        yield ctx.finding(
            CODES[item.stake],
            _at(ctx, path),
            f"{key} {state}: {asked} If it holds: {effects}",
            article=articles,
            fix=f"Declare {key} (true or false, or its value) so the verdict rests on the facts.",
            subject=f"question:{key}",
        )
