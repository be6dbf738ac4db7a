"""After the dialogue: the questions the law still asks, from the legal engine itself.

``check`` reports every fact the manifest does not state that could make the system prohibited
or high-risk, or make a duty apply (AIA404, AIA309, AIA705, AIA212; law/facts.yaml has the
questions). So that a manifest ``init`` writes passes its own ``check``, ``init`` asks the same
questions, taken from the same determination: at a terminal each one (Enter takes the default,
"no" for a yes/no question, none for a list); with ``--fact NAME=VALUE`` as flags; with ``--yes``
the defaults, each listed for the user to check. A question with no safe default (a date, a
name, a country) stays open and is listed with the flag that answers it.
"""

from __future__ import annotations

import datetime
from typing import Any, NamedTuple, Optional

from aiact_lint.facts import CAPABILITIES, fact_path, question
from aiact_lint.lawdata import table

UNANSWERED = object()


class Open(NamedTuple):
    name: str  # the fact's name in law/facts.yaml
    path: tuple[str, ...]  # where the manifest declares it
    question: str
    consequences: str  # "prohibited: ... (Art. 5(1)(c)); ..."


def open_questions(data: dict[str, Any], as_of: datetime.date, policy: str) -> list[Open]:
    """The questions ``check`` would ask about ``data`` (the per-model ones, AIA601's, aside)."""
    from aiact_lint.classify import determine
    from aiact_lint.obligations import evaluate

    det = determine(data, as_of, policy)
    for obligation in evaluate(data, det, as_of):
        if obligation.status != "open":
            continue
        for name in obligation.open_facts:
            if not name.startswith("models["):
                det.ask([name], "duty", f"{obligation.id}: {obligation.title}", obligation.article)
    found = []
    for (name, model), item in sorted(det.questions.items(), key=lambda kv: kv[0][0]):
        if model is not None or name.startswith("models["):
            continue
        path = tuple(str(part) for part in fact_path(name))
        effects = "; ".join(f"{effect} ({article})" for effect, article in item.consequences)
        found.append(Open(name, path, question(name) or f"What is {'.'.join(path)}?", effects))
    return found


def spec(name: str) -> dict[str, Any]:
    found: dict[str, Any] = table("facts")["facts"].get(name, {})
    return found


def default(name: str) -> Any:
    """The answer Enter (or --yes) gives, or UNANSWERED when there is no safe one."""
    entry = spec(name)
    kind, when_null = entry.get("type"), entry.get("when_null")
    if kind == "boolean":
        return False
    if kind == "list":
        return []
    if when_null == "none":
        return None  # an explicit null declares the thing absent (no authorisation, no change)
    return UNANSWERED


def choices(path: tuple[str, ...]) -> Optional[list[str]]:
    """The values the schema allows at ``path`` (an enum, or a list of enums), if any."""
    from aiact_lint.manifest import schema

    node: Any = schema()
    for key in path:
        properties = node.get("properties") if isinstance(node, dict) else None
        if not isinstance(properties, dict) or key not in properties:
            return None
        node = properties[key]
    if isinstance(node, dict) and node.get("type") == "array":
        node = node.get("items", {})
    values = node.get("enum") if isinstance(node, dict) else None
    return [v for v in values if isinstance(v, str)] if isinstance(values, list) else None


def parse_flag(text: str) -> tuple[str, Any]:
    """``--fact NAME=VALUE``: the fact's name (as in law/facts.yaml, or its dotted manifest key)
    and a YAML value (true, false, null, [a, b], a word)."""
    from aiact_lint.yamlsafe import YamlProblem, load

    name, sep, raw = text.partition("=")
    name = name.strip().removeprefix("use_case.capabilities.")
    if not sep or not name:
        raise ValueError(f"--fact {text!r}: write NAME=VALUE, e.g. social_scoring=false")
    if name not in table("facts")["facts"]:
        raise ValueError(f"--fact {name}: not a fact the law tables name (law/facts.yaml)")
    try:
        value = load(raw.strip() or "null").data
    except YamlProblem as problem:
        raise ValueError(f"--fact {text!r}: {problem.message}") from None
    return name, value


def under_capabilities(path: tuple[str, ...]) -> bool:
    return path[: len(CAPABILITIES)] == tuple(CAPABILITIES)
