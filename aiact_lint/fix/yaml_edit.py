"""Edit a manifest through ruamel.yaml's round trip: comments, key order, quoting and layout kept.

The file's own indentation is measured (mapping indent, and whether list items are indented
under their key) so that the untouched part of the file comes back byte for byte; ``null`` stays
``null``. Every edit is checked afterwards: the new text must parse to exactly the data the
edits asked for, or nothing is written.
"""

from __future__ import annotations

import copy
import io
import re
from typing import Any, Callable

_MAP_INDENT = re.compile(
    r"^[A-Za-z_][^\n]*:[ \t]*(?:#[^\n]*)?\n(?:[ \t]*(?:#[^\n]*)?\n)*( +)[A-Za-z_\"']", re.M
)
_SEQ_INDENT = re.compile(
    r"^( *)[A-Za-z_][\w-]*:[ \t]*(?:#[^\n]*)?\n(?:[ \t]*(?:#[^\n]*)?\n)*( *)- ", re.M
)


class EditFailed(Exception):
    """The round trip would not give back the intended data (nothing is written)."""


def _indents(text: str) -> tuple[int, int]:
    mapping = _MAP_INDENT.search(text)
    mapping_indent = len(mapping.group(1)) if mapping else 2
    sequence = _SEQ_INDENT.search(text)
    offset = len(sequence.group(2)) - len(sequence.group(1)) if sequence else mapping_indent
    return mapping_indent, max(0, offset)


def _yaml(text: str) -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a long line the user wrote
    mapping, offset = _indents(text)
    yaml.indent(mapping=mapping, sequence=offset + 2, offset=offset)

    def null(representer: Any, _data: None) -> Any:
        return representer.represent_scalar("tag:yaml.org,2002:null", "null")

    yaml.representer.add_representer(type(None), null)
    return yaml


def plain(value: Any) -> Any:
    """ruamel's containers as plain dicts and lists (scalars as their Python values)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        return str(value)
    return value


_PREAMBLE = re.compile(r"\A(?:[ \t]*(?:#[^\n]*)?\n)*---[ \t]*(?:#[^\n]*)?\n")


def edit(text: str, change: Callable[[Any], None]) -> str:
    """``text`` after ``change`` (which edits the round-trip document in place).

    What precedes an explicit ``---`` (the schema modeline, header comments) is kept aside and
    put back verbatim: ruamel would drop comments that stand before the document start."""
    if "\r\n" in text:  # keep Windows line endings: edit with \n, write back with \r\n
        return edit(text.replace("\r\n", "\n"), change).replace("\n", "\r\n")
    preamble = _PREAMBLE.match(text)
    if preamble is not None:
        head = preamble.group(0)
        return head + edit(text[len(head) :], change)
    yaml = _yaml(text)
    document = yaml.load(text)
    if not isinstance(document, dict):
        raise EditFailed("the manifest is not a mapping")
    expected = copy.deepcopy(plain(document))
    change(document)
    _apply_plain(expected, change)
    out = io.StringIO()
    yaml.dump(document, out)
    result = out.getvalue()
    if not text.endswith("\n\n"):  # a removed last entry leaves its blank line behind
        result = result.rstrip("\n") + "\n"
    again = _yaml(result).load(result)
    if plain(again) != expected:
        raise EditFailed("the edited manifest does not read back as intended")
    return result


def _apply_plain(expected: Any, change: Callable[[Any], None]) -> None:
    """Run ``change`` on a ruamel-free copy too: what the new text must read back as."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    def wrap(value: Any) -> Any:
        if isinstance(value, dict):
            mapping = CommentedMap()
            for key, item in value.items():
                mapping[key] = wrap(item)
            return mapping
        if isinstance(value, list):
            return CommentedSeq([wrap(v) for v in value])
        return value

    shadow = wrap(expected)
    change(shadow)
    expected.clear()
    expected.update(plain(shadow))


# --- trailing comments -------------------------------------------------------------------------
#
# ruamel keeps the comment lines and blank lines that follow a node on the node's last key. When a
# fix appends after that node, those lines would land above the new entry (and the blank line
# before the next section would be lost): they move to the new last entry; an end-of-line
# comment stays where it was.


def _last_slot(node: Any) -> tuple[Any, Any] | None:
    """The (container, key) whose comment slot holds what follows ``node``."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(node, CommentedMap) and len(node):
        key = list(node)[-1]
        return _last_slot(node[key]) or (node, key)
    if isinstance(node, CommentedSeq) and len(node):
        return _last_slot(node[-1]) or (node, len(node) - 1)
    return None


def _slot_token(container: Any, key: Any) -> Any:
    from ruamel.yaml.comments import CommentedMap

    entry = container.ca.items.get(key)
    if not entry:
        return None
    return entry[2] if isinstance(container, CommentedMap) else entry[0]


def _set_slot_token(container: Any, key: Any, token: Any) -> None:
    from ruamel.yaml.comments import CommentedMap

    entry = container.ca.items.setdefault(key, [None, None, None, None])
    if isinstance(container, CommentedMap):
        entry[2] = token
    else:
        entry[0] = token


def _column(node: Any) -> int:
    """The column of ``node``'s keys (a mapping) or items (a sequence), as parsed."""
    lc = getattr(node, "lc", None)
    col = getattr(lc, "col", None)
    return col if isinstance(col, int) else 0


def _comment_at(line: str, column: int) -> bool:
    stripped = line.lstrip(" ")
    return stripped.startswith("#") and len(line) - len(stripped) >= max(column, 1)


def move_trailing(before: Any, after: Any, keep_notes: bool = False) -> None:
    """Move the own-line comments and blank lines that followed ``before`` to follow ``after``
    (with ``keep_notes``, the comment lines right under ``before``, indented as its keys, stay:
    a note about that entry, not about what follows it)."""
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    old, new = _last_slot(before), _last_slot(after)
    if old is None or new is None:
        return
    token = _slot_token(*old)
    if token is None or not isinstance(token.value, str):
        return
    value: str = token.value
    # What stays with ``before``: its end-of-line comment and the comment lines right under it,
    # indented as its keys are (a note about that entry); from the first blank line or
    # shallower comment on, what follows belongs after the new entry.
    column = _column(before)
    lines = value.split("\n")
    kept = 1
    while keep_notes and kept < len(lines) - 1 and _comment_at(lines[kept], column):
        kept += 1
    keep, rest = "\n".join(lines[:kept]), "\n".join(lines[kept:])
    if not keep.strip():
        moved = value
        _set_slot_token(*old, None)
    else:
        token.value = keep + "\n"
        moved = "\n" + rest if rest else ""
    if moved.strip("\n") or len(moved) > 1:
        _set_slot_token(*new, CommentToken(moved, CommentMark(0), None))


# --- the edits ----------------------------------------------------------------------------------


def mapping(entries: dict[str, Any]) -> Any:
    from ruamel.yaml.comments import CommentedMap

    result = CommentedMap()
    for key, value in entries.items():
        result[key] = value
    return result


def add_model(entry: dict[str, Any]) -> Callable[[Any], None]:
    """Append ``entry`` to ``models`` (created before ``use_case`` when absent)."""

    def change(document: Any) -> None:
        from ruamel.yaml.comments import CommentedSeq

        models = document.get("models")
        if not isinstance(models, list):
            models = CommentedSeq()
            keys = list(document)
            at = keys.index("use_case") if "use_case" in keys else len(keys)
            document.insert(at, "models", models)
        if any(isinstance(m, dict) and m.get("id") == entry["id"] for m in models):
            return
        new = mapping(entry)
        last = models[-1] if len(models) else None
        models.append(new)
        if last is not None and hasattr(last, "ca"):
            move_trailing(last, new, keep_notes=True)

    return change


def set_model_facts(index: int, facts: dict[str, Any]) -> Callable[[Any], None]:
    """Set keys of ``models[index]`` that are not declared yet (declared ones are kept)."""

    def change(document: Any) -> None:
        model = document["models"][index]
        last = list(model)[-1] if len(model) else None
        added = False
        for key, value in facts.items():
            if key not in model:
                model[key] = value
                added = True
        if added and last is not None and hasattr(model, "ca"):
            _move_key_tail(model, last)
            if "general_purpose" in facts:
                _drop_comment_lines(model, list(model)[-1], STALE_NOTE)

    return change


def _move_key_tail(model: Any, last: Any) -> None:
    """After keys were appended to ``model``: what followed its old last key follows the new."""
    from ruamel.yaml.comments import CommentedMap

    token = _slot_token(model, last)
    if token is None:
        return
    holder = CommentedMap()
    holder[last] = None
    _set_slot_token(holder, last, token)
    tail = CommentedMap()
    tail[list(model)[-1]] = None
    move_trailing(holder, tail)
    _set_slot_token(model, last, _slot_token(holder, last))
    _set_slot_token(model, list(model)[-1], _slot_token(tail, list(model)[-1]))


STALE_NOTE = "# GPAI status unknown"  # init's note under a model, answered once this is set


def _drop_comment_lines(container: Any, key: Any, marker: str) -> None:
    token = _slot_token(container, key)
    if token is None or not isinstance(token.value, str):
        return
    lines = token.value.split("\n")
    token.value = "\n".join(line for line in lines if not line.strip().startswith(marker))


def remove_waiver(index: int, rule: str) -> Callable[[Any], None]:
    def change(document: Any) -> None:
        waivers = document.get("waivers")
        if not isinstance(waivers, list) or not 0 <= index < len(waivers):
            return
        entry = waivers[index]
        if not isinstance(entry, dict) or str(entry.get("rule", "")).strip().upper() != rule:
            return
        del waivers[index]
        if not waivers:
            del document["waivers"]

    return change


def set_classification(tier: str) -> Callable[[Any], None]:
    def change(document: Any) -> None:
        risk = document.get("risk")
        if not isinstance(risk, dict):
            document["risk"] = mapping({"classification": tier})
        else:
            risk["classification"] = tier

    return change


def add_role(role: str) -> Callable[[Any], None]:
    def change(document: Any) -> None:
        roles = document.get("roles")
        if isinstance(roles, list) and role not in roles:
            roles.insert(0, role)

    return change
