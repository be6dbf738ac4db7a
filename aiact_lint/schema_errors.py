"""Turn JSON Schema errors into findings with plain messages, locations and did-you-mean hints.

Imported only when the fast generated validator has already said the manifest is invalid, so
jsonschema's import cost (about 100 ms) is paid only on the error path.
"""

from __future__ import annotations

import difflib
from typing import Any

from aiact_lint.findings import Finding
from aiact_lint.manifest import Manifest, dotted
from aiact_lint.yamlsafe import OutOfRange, PathKey

TYPE_NAMES = {
    "object": "a mapping",
    "array": "a list",
    "string": "a string",
    "number": "a number",
    "integer": "a whole number",
    "boolean": "true or false",
    "null": "null",
}


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, OutOfRange):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"{shown}, which is out of range (numbers must be finite and at most 1e100)"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f'a string ("{shown}")'
    return f"a number ({value})"


def _expected(types: Any) -> str:
    names = [types] if isinstance(types, str) else list(types)
    return " or ".join(TYPE_NAMES.get(name, name) for name in names if name != "null") or "null"


def _suggest(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f' (did you mean "{close[0]}"?)' if close else ""


def _jsonschema() -> Any:
    """jsonschema, without the IRI checker it loads when rfc3987-syntax is installed: that one
    builds a lark grammar at import (seconds on a slow machine), and the manifest schema's only
    format is "date"."""
    import sys

    if "jsonschema" in sys.modules or "rfc3987_syntax" in sys.modules:
        import jsonschema

        return jsonschema
    sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]  # import fails: skipped
    try:
        import jsonschema
    finally:
        del sys.modules["rfc3987_syntax"]
    return jsonschema


def explain(manifest: Manifest, schema: dict[str, Any]) -> list[Finding]:
    jsonschema = _jsonschema()
    validator = jsonschema.Draft7Validator(
        schema, format_checker=jsonschema.FormatChecker(formats=("date",))
    )
    findings: dict[tuple[PathKey, str], Finding] = {}
    for error in validator.iter_errors(manifest.data):
        at: PathKey = tuple(error.absolute_path)
        for finding in _translate(manifest, error, at):
            key = (tuple(finding.subject.split("\x00")), finding.rule)
            findings.setdefault(key, finding)
    # One finding per node: a type error hides the enum/format errors of the same value.
    by_node: dict[str, Finding] = {}
    rank = {"AIA106": -1, "AIA103": 0, "AIA101": 1, "AIA102": 1, "AIA104": 2, "AIA105": 3}
    for finding in findings.values():
        node = finding.subject
        kept = by_node.get(node)
        if kept is None or rank.get(finding.rule, 9) < rank.get(kept.rule, 9):
            by_node[node] = finding
    return list(by_node.values())


def _translate(manifest: Manifest, error: Any, at: PathKey) -> list[Finding]:
    name = dotted(at)
    kind = error.validator
    if kind == "additionalProperties":
        instance = error.instance if isinstance(error.instance, dict) else {}
        known = sorted(error.schema.get("properties", {}))
        extra = [key for key in instance if key not in known and not str(key).startswith("x-")]
        where = f"in {name}" if at else "at the top level"
        return [
            manifest.finding(
                "AIA101",
                (*at, key),
                f'unknown key "{key}" {where}{_suggest(str(key), known)}',
                subject=dotted((*at, key)),
            )
            for key in extra
        ]
    if kind == "required":
        missing = error.message.split("'")[1] if "'" in error.message else str(error.message)
        where = f"{name}: " if at else ""
        return [
            manifest.finding(
                "AIA102",
                at,
                f'{where}missing required key "{missing}"',
                subject=dotted((*at, missing)),
            )
        ]
    if kind == "type":
        return [
            manifest.finding(
                "AIA103",
                at,
                f"{name}: expected {_expected(error.validator_value)}, "
                f"got {_describe(error.instance)}",
                value=True,
                subject=name,
            )
        ]
    if kind in ("enum", "const", "type") and at == ("schema_version",):
        return [
            manifest.finding(
                "AIA106",
                at,
                f"schema_version: {error.instance!r} is not supported; this aiact-lint reads "
                "version 1",
                value=True,
                subject=name,
            )
        ]
    if kind == "enum":
        allowed = [str(v) for v in error.validator_value if v is not None]
        shown = ", ".join(allowed[:8]) + (", ..." if len(allowed) > 8 else "")
        hint = _suggest(str(error.instance), allowed) if isinstance(error.instance, str) else ""
        return [
            manifest.finding(
                "AIA104",
                at,
                f'{name}: "{error.instance}" is not one of {shown}{hint}',
                value=True,
                subject=name,
            )
        ]
    messages = {
        "format": f'{name}: "{error.instance}" is not a valid {error.validator_value}',
        "pattern": f'{name}: "{error.instance}" does not have the expected form',
        "minimum": f"{name}: {error.instance} is below the minimum {error.validator_value}",
        "minLength": f"{name}: must not be empty",
        "maxLength": f"{name}: is longer than {error.validator_value} characters",
        "minItems": f"{name}: must hold at least {error.validator_value} item(s)",
        "uniqueItems": f"{name}: holds the same item twice",
        "const": f"{name}: must be {error.validator_value!r}",
    }
    message = messages.get(kind, f"{name}: {error.message}")
    if (kind == "pattern" and name.endswith("expires")) or "date" in str(error.validator_value):
        message = f'{name}: "{error.instance}" is not a date of the form YYYY-MM-DD'
    if kind == "pattern" and "AIA" in str(error.validator_value):
        message = f'{name}: "{error.instance}" is not a rule code like AIA301'
    if kind == "pattern" and "EEA" in str(error.validator_value):
        message = (
            f'{name}: "{error.instance}" is not a region: use an ISO 3166-1 alpha-2 code '
            "(DE, FR, US...), EU or EEA"
        )
    return [manifest.finding("AIA105", at, message, value=True, subject=name)]
