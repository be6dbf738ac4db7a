"""Evaluate the small condition language the law tables use on manifest facts.

    {fact: PATH, is: true} | {fact: PATH, equals: V} | {fact: PATH, any_of: [...]}
    | {fact: PATH, present: true} | {all: [...]} | {any: [...]} | {not: {...}}

PATH is dotted; relative paths are read under ``use_case.capabilities``.
"""

from __future__ import annotations

from typing import Any, Mapping

CAPABILITIES = ("use_case", "capabilities")


def fact(data: Mapping[str, Any], path: str) -> Any:
    parts = path.split(".")
    node: Any = data
    if len(parts) == 1:
        for key in CAPABILITIES:
            node = node.get(key) if isinstance(node, dict) else None
    for part in parts:
        node = node.get(part) if isinstance(node, dict) else None
    return node


def fact_path(path: str) -> tuple[str, ...]:
    """Where a fact lives in the manifest, for locating findings."""
    parts = tuple(path.split("."))
    return CAPABILITIES + parts if len(parts) == 1 else parts


def holds(condition: Mapping[str, Any], data: Mapping[str, Any]) -> bool:
    if "all" in condition:
        return all(holds(part, data) for part in condition["all"])
    if "any" in condition:
        return any(holds(part, data) for part in condition["any"])
    if "not" in condition:
        return not holds(condition["not"], data)
    value = fact(data, condition["fact"])
    if "is" in condition:
        return value is condition["is"]
    if "equals" in condition:
        return bool(value == condition["equals"])
    if "any_of" in condition:
        wanted = set(condition["any_of"])
        if isinstance(value, list):
            return bool(wanted.intersection(v for v in value if isinstance(v, str)))
        return value in wanted
    if "present" in condition:
        return (value not in (None, "", [], {})) is bool(condition["present"])
    raise ValueError(f"unknown condition {dict(condition)!r}")


def first_fact(condition: Mapping[str, Any]) -> str | None:
    """The first fact a condition names: where a finding about it should point."""
    for key in ("all", "any"):
        if key in condition:
            for part in condition[key]:
                found = first_fact(part)
                if found:
                    return found
    if "not" in condition:
        return first_fact(condition["not"])
    found = condition.get("fact")
    return found if isinstance(found, str) else None
