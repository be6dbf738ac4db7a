"""Read YAML into plain data plus the exact location of every key and value.

ruamel.yaml's event parser is iterative; its composer and constructor are recursive and expand
aliases. So this module builds the tree itself from the event stream, which lets it refuse, with a
location and before any expansion: duplicate keys (both places), documents nested too deep, alias
graphs that would expand too far, and several documents in one file.

Manifests are YAML 1.2 (the core schema): a ``%YAML 1.1`` directive, under which ``yes``, ``on``
and ``y`` are booleans, is refused rather than read; only ``true`` and ``false`` are booleans.
NEL, LS and PS (U+0085, U+2028, U+2029) are ordinary characters in YAML 1.2, not line breaks
(ruamel.yaml treats them as breaks, so they are masked while it reads). A number no manifest
fact can have (beyond :data:`MAX_NUMBER`, infinite or NaN) stays text (:class:`OutOfRange`),
which the schema then reports at its location: nothing downstream ever computes with it.
"""

from __future__ import annotations

import datetime
import math
from typing import Any, Dict, List, Tuple, Union

from aiact_lint.findings import Span

MAX_DEPTH = 64
MAX_EXPANDED_NODES = 10_000  # nodes added by expanding aliases (a literal list may be longer)
# No fact of a manifest comes near it (training compute is ~1e26 FLOP), and the product of two
# facts below it (6 * N * D) is still a finite float.
MAX_NUMBER = 1e100
_YAML_BREAKS = ("\x85", "\u2028", "\u2029")

PathKey = Tuple[Union[str, int], ...]
Json = Any


class YamlProblem(Exception):
    """A reason to refuse the document, with the rule code and where it happened."""

    def __init__(self, code: str, message: str, span: Span, related: Span | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.span = span
        self.related = related


class OutOfRange(str):
    """A plain scalar that YAML reads as a number no manifest can hold (``1e999``, ``.nan``, a
    400-digit integer): kept as its text, so the schema rejects it where it stands."""


class Located:
    """The document as JSON-compatible data plus spans keyed by path.

    ``values[path]`` is the span of the value at ``path``; ``keys[path]`` the span of the mapping
    key that leads to it. A finding about a key points at the key; about a list item, at the item.
    """

    def __init__(self, data: Json) -> None:
        self.data = data
        self.values: Dict[PathKey, Span] = {}
        self.keys: Dict[PathKey, Span] = {}

    def span(self, path: PathKey) -> Span:
        """Where to point for ``path``: its key, else its value, else the nearest ancestor."""
        current = tuple(path)
        while current:
            if current in self.keys:
                return self.keys[current]
            if current in self.values:
                return self.values[current]
            current = current[:-1]
        return self.values.get((), (1, 1, 1, 1))

    def value_span(self, path: PathKey) -> Span:
        current = tuple(path)
        if current in self.values:
            return self.values[current]
        return self.span(current)


def _span(event: Any) -> Span:
    start, end = event.start_mark, event.end_mark
    return (start.line + 1, start.column + 1, end.line + 1, end.column + 1)


def _scalar(value: str, tag: str) -> Json:
    """Plain-scalar values under the YAML 1.2 core schema, kept JSON-compatible."""
    name = tag.rsplit(":", 1)[-1]
    if name == "null":
        return None
    if name == "bool":
        # Only the YAML 1.2 words: a fact is never false because a resolver said "no" meant it.
        lowered = value.lower()
        return True if lowered == "true" else False if lowered == "false" else value
    if name == "int":
        text = value.replace("_", "")
        if len(text) > 120:  # far beyond MAX_NUMBER, and int() of a huge text is slow
            return OutOfRange(value)
        try:
            if text.lower().startswith(("0x", "-0x", "+0x")):
                whole = int(text, 16)
            elif text.lower().startswith(("0o", "-0o", "+0o")):
                whole = int(text.replace("o", "").replace("O", ""), 8)
            else:
                whole = int(text)
        except ValueError:
            return value
        return whole if abs(whole) <= MAX_NUMBER else OutOfRange(value)
    if name == "float":
        try:
            number = float(value.replace("_", ""))
        except ValueError:  # .inf, .nan (Python spells them inf, nan)
            return OutOfRange(value) if value.lower().lstrip("+-") in (".inf", ".nan") else value
        # .inf, .nan, 1e999 and 1e300 are kept as text: no fact in a manifest is infinite or
        # that large, and the schema then reports them as out of range at their location.
        return number if math.isfinite(number) and abs(number) <= MAX_NUMBER else OutOfRange(value)
    # Timestamps stay strings: the schema checks their format and the engine parses them.
    return value


def _mask_breaks(text: str) -> tuple[str, dict[int, str] | None]:
    """``text`` with NEL, LS and PS replaced, one for one, by private-use characters it does
    not contain, and the table that turns them back (None when there is nothing to mask)."""
    if not any(char in text for char in _YAML_BREAKS):
        return text, None
    masks: dict[int, str] = {}
    candidate = 0x10FF00
    for char in _YAML_BREAKS:
        while chr(candidate) in text:
            candidate += 1
        masks[candidate] = char
        text = text.replace(char, chr(candidate))
        candidate += 1
    return text, masks


def _refuse_other_versions(text: str) -> None:
    """A ``%YAML`` directive for anything but 1.2 is refused before parsing: under 1.1,
    ``yes``/``on``/``y`` are booleans (and ruamel.yaml asserts on 1.0 or 1.3). Only a line
    starting with ``%`` in column 1 can be a directive."""
    if "%YAML" not in text:
        return
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("---") or line.startswith("..."):
            return
        if not line.startswith("%YAML"):
            continue
        words = line.split("#", 1)[0].split()
        version = words[1] if len(words) > 1 else "(none)"
        if version == "1.2":
            return
        raise YamlProblem(
            "AIA001",
            f"the %YAML {version} directive is not supported: a manifest is YAML 1.2, where "
            "only true and false are booleans (under YAML 1.1, yes, no, on, off, y and n are "
            "too); remove the directive",
            (number, 1, number, len(line) + 1),
        )


def load(text: str) -> Located:
    """Parse one YAML document. Raises YamlProblem for anything the linter refuses."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError
    from ruamel.yaml.nodes import ScalarNode

    _refuse_other_versions(text)
    text, masks = _mask_breaks(text)

    yaml = YAML(typ="safe", pure=True)  # no comment gathering: ~30 % faster than "rt"
    resolver = yaml.resolver
    located = Located(data=None)

    anchors: Dict[str, Tuple[Json, int]] = {}
    # Each open container: [kind, value, path, pending_key, key_span, size, anchor, start_span]
    stack: List[List[Any]] = []
    documents = 0
    expanded = 0

    def attach(value: Json, span: Span, size: int, anchor: str | None) -> None:
        if anchor:
            anchors[anchor] = (value, size)
        if not stack:
            located.data = value
            located.values[()] = span
            return
        parent = stack[-1]
        if parent[0] == "seq":
            index = len(parent[1])
            parent[1].append(value)
            located.values[parent[2] + (index,)] = span
        elif parent[3] is None:
            key = value
            if isinstance(key, (dict, list)):
                raise YamlProblem("AIA005", "mapping keys must be plain scalars", span)
            key_text = (
                "null" if key is None else str(key).lower() if isinstance(key, bool) else str(key)
            )
            if key_text in parent[1]:
                first = located.keys[parent[2] + (key_text,)]
                raise YamlProblem(
                    "AIA002",
                    f'duplicate key "{key_text}" (first defined at line {first[0]}, '
                    f"column {first[1]})",
                    span,
                    related=first,
                )
            parent[3] = key_text
            parent[4] = span
        else:
            key_text = parent[3]
            parent[1][key_text] = value
            located.keys[parent[2] + (key_text,)] = parent[4]
            located.values[parent[2] + (key_text,)] = span
            parent[3] = None
        parent[5] += size

    def child_path() -> PathKey:
        if not stack:
            return ()
        parent = stack[-1]
        if parent[0] == "seq":
            return (*parent[2], len(parent[1]))
        if parent[3] is None:
            return (*parent[2], "<key>")
        return (*parent[2], parent[3])

    try:
        for event in yaml.parse(text):
            kind = type(event).__name__
            if kind == "DocumentStartEvent":
                version = getattr(event, "version", None)
                if version is not None and tuple(version) != (1, 2):  # (pre-checked above)
                    raise YamlProblem("AIA001", "only %YAML 1.2 is supported", _span(event))
                documents += 1
                if documents > 1:
                    raise YamlProblem(
                        "AIA005",
                        "the file holds several YAML documents; a manifest is one document",
                        _span(event),
                    )
            elif kind == "ScalarEvent":
                raw = event.value if masks is None else _unmask(event.value, masks)
                if event.style is None and event.tag in (None, "!"):
                    tag = resolver.resolve(ScalarNode, raw, event.implicit)
                    value = _scalar(raw, str(tag))
                else:
                    value = raw
                attach(value, _span(event), 1, event.anchor)
            elif kind in ("MappingStartEvent", "SequenceStartEvent"):
                if len(stack) >= MAX_DEPTH:
                    raise YamlProblem(
                        "AIA004",
                        f"the document is nested more than {MAX_DEPTH} levels deep",
                        _span(event),
                    )
                container: Json = {} if kind == "MappingStartEvent" else []
                stack.append(
                    [
                        "map" if kind == "MappingStartEvent" else "seq",
                        container,
                        child_path(),
                        None,
                        None,
                        1,
                        event.anchor,
                        _span(event),
                    ]
                )
            elif kind in ("MappingEndEvent", "SequenceEndEvent"):
                done = stack.pop()
                start = done[7]
                end = _span(event)
                attach(done[1], (start[0], start[1], end[2], end[3]), done[5], done[6])
            elif kind == "AliasEvent":
                if event.anchor not in anchors:
                    raise YamlProblem(
                        "AIA001", f'alias "*{event.anchor}" refers to no anchor', _span(event)
                    )
                value, size = anchors[event.anchor]
                expanded += size
                if expanded > MAX_EXPANDED_NODES:
                    raise YamlProblem(
                        "AIA004",
                        f"its aliases expand to more than {MAX_EXPANDED_NODES:,} nodes; "
                        "refusing to expand them",
                        _span(event),
                    )
                attach(value, _span(event), size, None)
    except YamlProblem:
        raise
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        problem = error.problem or error.context or "invalid YAML"
        raise YamlProblem("AIA001", str(problem), (line, column, line, column + 1)) from None
    except (YAMLError, ValueError, TypeError, RecursionError, AssertionError) as error:
        raise YamlProblem("AIA001", str(error).splitlines()[0], (1, 1, 1, 2)) from None
    return located


def _unmask(value: str, masks: dict[int, str]) -> str:
    return value.translate(masks) if any(chr(code) in value for code in masks) else value


def iso_date(value: Json) -> datetime.date | None:
    """A manifest date string as a date, or None when it is absent or impossible."""
    if not isinstance(value, str):
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None
