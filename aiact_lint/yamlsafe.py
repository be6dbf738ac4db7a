"""Read YAML into plain data plus the exact location of every key and value.

ruamel.yaml's event parser is iterative; its composer and constructor are recursive and expand
aliases. So this module builds the tree itself from the event stream, which lets it refuse, with a
location and before any expansion: duplicate keys (both places), documents nested too deep, alias
graphs that would expand too far, and several documents in one file.
"""

from __future__ import annotations

import datetime
import math
from typing import Any, Dict, List, Tuple, Union

from aiact_lint.findings import Span

MAX_DEPTH = 64
MAX_EXPANDED_NODES = 10_000

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
        return value.lower() == "true"
    if name == "int":
        text = value.replace("_", "")
        try:
            if text.lower().startswith(("0x", "-0x", "+0x")):
                return int(text, 16)
            if text.lower().startswith(("0o", "-0o", "+0o")):
                return int(text.replace("o", "").replace("O", ""), 8)
            return int(text)
        except ValueError:
            return value
    if name == "float":
        try:
            number = float(value.replace("_", ""))
        except ValueError:
            return value
        # .inf, .nan and 1e999 are kept as text: no fact in a manifest is infinite, and the
        # schema then reports them as "not a number" at their location.
        return number if math.isfinite(number) else value
    # Timestamps stay strings: the schema checks their format and the engine parses them.
    return value


def load(text: str) -> Located:
    """Parse one YAML document. Raises YamlProblem for anything the linter refuses."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError
    from ruamel.yaml.nodes import ScalarNode

    yaml = YAML(typ="safe", pure=True)  # no comment gathering: ~30 % faster than "rt"
    resolver = yaml.resolver
    located = Located(data=None)

    anchors: Dict[str, Tuple[Json, int]] = {}
    # Each open container: [kind, value, path, pending_key, key_span, size, anchor, start_span]
    stack: List[List[Any]] = []
    documents = 0
    total_nodes = 0

    def attach(value: Json, span: Span, size: int, anchor: str | None) -> None:
        nonlocal total_nodes
        total_nodes += size
        if total_nodes > MAX_EXPANDED_NODES:
            raise YamlProblem(
                "AIA004",
                f"document expands to more than {MAX_EXPANDED_NODES:,} nodes (YAML aliases); "
                "refusing to expand it",
                span,
            )
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
                documents += 1
                if documents > 1:
                    raise YamlProblem(
                        "AIA005",
                        "the file holds several YAML documents; a manifest is one document",
                        _span(event),
                    )
            elif kind == "ScalarEvent":
                if event.style is None and event.tag in (None, "!"):
                    tag = resolver.resolve(ScalarNode, event.value, event.implicit)
                    value = _scalar(event.value, str(tag))
                else:
                    value = event.value
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
                attach(value, _span(event), size, None)
    except YamlProblem:
        raise
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        problem = error.problem or error.context or "invalid YAML"
        raise YamlProblem("AIA001", str(problem), (line, column, line, column + 1)) from None
    except (YAMLError, ValueError, TypeError, RecursionError) as error:
        raise YamlProblem("AIA001", str(error).splitlines()[0], (1, 1, 1, 2)) from None
    return located


def iso_date(value: Json) -> datetime.date | None:
    """A manifest date string as a date, or None when it is absent or impossible."""
    if not isinstance(value, str):
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None
