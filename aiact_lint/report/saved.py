"""Read back a saved result (``check --format json``) for ``render --from``, trusting nothing.

The file may come from anywhere (a CI artifact, a pull request): it must be strict UTF-8 JSON
(no NaN, no Infinity), nested at most :data:`MAX_DEPTH` levels, and have exactly the shape every
renderer relies on (shared/spec/output.md): the keys, their types, rule codes like ``AIA301``,
severities among error/warning/info, positive line numbers. Anything else is one clear error
(exit code 2) naming the first place that is wrong. Strings are still escaped by the renderers.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Optional

MAX_DEPTH = 64
MAX_INT = 10**9
RULE = re.compile(r"[A-Z]{2,10}[0-9]{1,6}")
WORD = re.compile(r"[a-z][a-z0-9_]{0,63}")
SEVERITIES = ("error", "warning", "info")


class SavedResultError(ValueError):
    """The saved result cannot be rendered; the message says where and why."""


def _no_constant(name: str) -> Any:
    raise SavedResultError(f"{name} is not JSON (RFC 8259 has no NaN or Infinity)")


def parse(raw: bytes, source: str) -> dict[str, Any]:
    """The document in ``raw`` (the bytes of ``source``), checked; SavedResultError otherwise."""
    import json

    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise SavedResultError(
            f"{source}: not UTF-8 (byte 0x{raw[error.start]:02x} at offset {error.start})"
        ) from None
    refuse_deep(text, source)
    try:
        document = json.loads(text, parse_constant=_no_constant)
    except SavedResultError as error:
        raise SavedResultError(f"{source}: {error}") from None
    except (ValueError, RecursionError) as error:
        raise SavedResultError(f"{source}: not a JSON result: {error}") from None
    check(document, source)
    return document  # type: ignore[no-any-return]


def refuse_deep(text: str, source: str) -> None:
    """Nesting deeper than MAX_DEPTH, found in one pass without recursion."""
    depth = 0
    in_string = escaped = False
    for index, char in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise SavedResultError(
                    f"{source}: nested more than {MAX_DEPTH} levels deep (at offset {index}); "
                    "not an aiact-lint result"
                )
        elif char in "]}":
            depth -= 1


# --- the shape ----------------------------------------------------------------------------------

Check = Callable[[Any, str], None]


def _fail(where: str, what: str) -> None:
    raise SavedResultError(f"{where}: {what}")


def _string(value: Any, where: str) -> None:
    if not isinstance(value, str):
        _fail(where, "expected a string")


def _optional_string(value: Any, where: str) -> None:
    if value is not None:
        _string(value, where)


def _boolean(value: Any, where: str) -> None:
    if not isinstance(value, bool):
        _fail(where, "expected true or false")


def _optional_boolean(value: Any, where: str) -> None:
    if value is not None:
        _boolean(value, where)


def _count(value: Any, where: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_INT:
        _fail(where, "expected a whole number from 0 to 10^9")


def _position(value: Any, where: str) -> None:
    _count(value, where)
    if value < 1:
        _fail(where, "expected a line or column number of at least 1")


def _pattern(regex: re.Pattern[str], label: str) -> Check:
    def check(value: Any, where: str) -> None:
        if not isinstance(value, str) or not regex.fullmatch(value):
            _fail(where, f"expected {label}")

    return check


def _optional(check: Check) -> Check:
    def optional(value: Any, where: str) -> None:
        if value is not None:
            check(value, where)

    return optional


def _severity(value: Any, where: str) -> None:
    if value not in SEVERITIES:
        _fail(where, "expected error, warning or info")


def _list_of(item: Check) -> Check:
    def check(value: Any, where: str) -> None:
        if not isinstance(value, list):
            _fail(where, "expected a list")
        for index, element in enumerate(value):
            item(element, f"{where}[{index}]")

    return check


def _mapping(required: dict[str, Check], optional: Optional[dict[str, Check]] = None) -> Check:
    def check(value: Any, where: str) -> None:
        if not isinstance(value, dict):
            _fail(where, "expected an object")
        for key, item in required.items():
            if key not in value:
                _fail(where, f'missing "{key}"')
            item(value[key], f"{where}.{key}")
        for key, item in (optional or {}).items():
            if key in value:
                item(value[key], f"{where}.{key}")

    return check


def _anything(value: Any, where: str) -> None:
    return None


def _flat(value: Any, where: str) -> None:
    """An object of strings, numbers, booleans, nulls or lists of those (obligations, reasons)."""
    if not isinstance(value, dict):
        _fail(where, "expected an object")
    for key, item in value.items():
        items = item if isinstance(item, list) else [item]
        for element in items:
            if element is not None and not isinstance(element, (str, int, float, bool)):
                _fail(f"{where}.{key}", "expected a string, a number, true/false or a list")


FINDING = _mapping(
    {
        "rule": _pattern(RULE, "a rule code like AIA301"),
        "severity": _severity,
        "message": _string,
        "article": _string,
        "path": _string,
        "line": _position,
        "column": _position,
        "end_line": _position,
        "end_column": _position,
        "fix": _string,
        "waived": _boolean,
    },
    {"title": _string, "waiver_reason": _optional_string, "subject": _string},
)
# A reason names the facts that decided it (issue 11): objects with a fact, value and source.
REASON = _mapping(
    {"reason": _string, "article": _string},
    {"verified": _boolean, "facts": _list_of(_flat)},
)
SYSTEM = _mapping(
    {
        "manifest": _string,
        "name": _optional_string,
        "in_scope": _optional_boolean,
        "roles": _list_of(_pattern(WORD, "a role such as provider")),
        "risk": _optional(_pattern(WORD, "a risk tier such as high")),
        "routes": _list_of(_string),
        "findings": _list_of(FINDING),
    },
    {
        "models": _list_of(_mapping({})),
        "obligations": _list_of(_flat),
        "reasons": _list_of(REASON),
        "questions": _list_of(_mapping({"fact": _string, "stake": _string})),
        "risk_open": _list_of(_pattern(WORD, "a risk tier such as high")),
        "legacy": _optional(_flat),
    },
)
DOCUMENT = _mapping(
    {
        "version": _anything,
        "as_of": _pattern(re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"), "a date YYYY-MM-DD"),
        "systems": _list_of(SYSTEM),
        "findings": _list_of(FINDING),
        "summary": _mapping(
            {
                "systems": _count,
                "error": _count,
                "warning": _count,
                "info": _count,
                "waived": _count,
            },
            {"baseline_hidden": _count, "outside_diff": _count},
        ),
    },
    {
        "law": _string,
        "tool": _mapping({}, {"name": _string, "version": _string}),
        "policy": _mapping({}, {"modification": _string}),
    },
)


def check(document: Any, source: str) -> None:
    if not isinstance(document, dict) or document.get("version") != 1:
        raise SavedResultError(f"{source}: not an aiact-lint JSON result (version 1)")
    DOCUMENT(document, source)
