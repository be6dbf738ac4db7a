"""The ``aiact-lint:`` properties an ML-BOM carries, shared by the CycloneDX and SPDX 3 renderers.

Pairs of (name, value) strings, in a stable order; docs/integrations.md lists the names.
"""

from __future__ import annotations

import math
import re
from typing import Any

NAMESPACE = "aiact-lint"
OPEN_STATUSES = ("missing", "unverified", "upcoming")
Pair = tuple[str, str]


def text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def pair(name: str, value: Any) -> Pair:
    return (f"{NAMESPACE}:{name}", text(value))


def obligation(item: dict[str, Any]) -> Pair:
    value = f"{item['status']} ({item.get('article', '')})"
    if item["status"] == "upcoming":
        value += f" from {item.get('applies_from', '')}"
    return pair(f"obligation:{item['id']}", value)


def system_pairs(system: dict[str, Any], document: dict[str, Any]) -> list[Pair]:
    pairs = [
        pair("manifest", system.get("manifest")),
        pair("law", document.get("law", "")),
        pair("as_of", document.get("as_of", "")),
        pair("in_scope", system.get("in_scope")),
        pair("risk", system.get("risk")),
    ]
    pairs += [pair("role", role) for role in system.get("roles") or ()]
    pairs += [pair("route", route) for route in system.get("routes") or ()]
    for item in system.get("obligations") or ():
        if item.get("status") in OPEN_STATUSES and not item.get("model"):
            pairs.append(obligation(item))
    counts = {"error": 0, "warning": 0, "info": 0}
    for finding in system.get("findings") or ():
        if not finding.get("waived") and finding.get("severity") in counts:
            counts[finding["severity"]] += 1
    pairs += [pair(f"findings:{level}", count) for level, count in counts.items()]
    return pairs


def model_pairs(
    declared: dict[str, Any], assessed: dict[str, Any], system: dict[str, Any]
) -> list[Pair]:
    pairs = []
    if assessed:
        pairs += [
            pair("gpai_status", assessed.get("gpai_status")),
            pair("we_are_model_provider", assessed.get("we_are_model_provider")),
        ]
        if assessed.get("cumulative_compute_flop") is not None:
            pairs.append(pair("cumulative_compute_flop", assessed["cumulative_compute_flop"]))
    for item in system.get("obligations") or ():
        if item.get("model") == declared["id"] and item["status"] in OPEN_STATUSES:
            pairs.append(obligation(item))
    for key in ("access", "open_weights", "free_open_source", "general_purpose"):
        if key in declared:
            pairs.append(pair(key, declared[key]))
    pairs += [pair("modification", kind) for kind in declared.get("modifications", ())]
    return pairs


def figure_pairs(declared: dict[str, Any]) -> list[Pair]:
    """The declared figures that are finite numbers (an unusable value is reported elsewhere)."""
    pairs = []
    for key in ("parameters", "training_tokens", "training_compute_flop"):
        value = declared.get(key)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            continue
        try:
            number = float(value)
        except OverflowError:
            continue
        if math.isfinite(number):
            pairs.append(pair(key, number))
    return pairs


_C1 = re.compile("[\x7f-\x9f]")


def escape_controls(text: str) -> str:
    """JSON text with DEL and the C1 controls escaped too (json.dumps leaves them raw), so that
    no terminal or log that shows the document interprets them. They occur only in strings."""
    return _C1.sub(lambda match: f"\\u{ord(match.group()):04x}", text)
