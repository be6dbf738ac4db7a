"""i18n catalogues: the strings a UI shows, decoded from JSON, YAML, gettext PO and XLIFF.

A notice kept in a catalogue is stored escaped (``\\u00e9``, ``&amp;``, PO line continuations)
and split across keys; this module extracts each translatable string so that a disclosure text
is looked for as the user would read it, and tells which language a catalogue holds (from its
path: ``fr.json``, ``locales/fr/``, ``messages.fr.xlf``; or from its content: XLIFF
``target-language``, the PO ``Language:`` header). Read-only and parser-safe: JSON with the
standard library, YAML with the project's own bounded loader, PO and XLIFF with plain regular
expressions (no XML entity expansion).
"""

from __future__ import annotations

import ast
import html
import json
import posixpath
import re
from typing import Any, Iterator, Optional

SUFFIXES = {".json": "json", ".arb": "json", ".yaml": "yaml", ".yml": "yaml"}
SUFFIXES.update({".po": "po", ".pot": "po", ".xlf": "xliff", ".xliff": "xliff"})
_LANG = re.compile(r"^([a-z]{2,3})(?:[-_]([A-Za-z]{2}|\d{3}|[A-Za-z]{4}))?$")
_PO_ENTRY = re.compile(r'^(?:msgid|msgstr(?:\[\d+\])?)[ \t]+("(?:[^"\\\n]|\\.)*")', re.MULTILINE)
_PO_MORE = re.compile(r'\A\s*\n[ \t]*("(?:[^"\\\n]|\\.)*")')
_XLIFF_TEXT = re.compile(r"<(source|target)\b[^>]*>(.*?)</\1\s*>", re.DOTALL | re.IGNORECASE)
_XLIFF_LANG = re.compile(r'\b(?:target-language|trgLang)\s*=\s*["\']([^"\']+)["\']')
_PO_LANG = re.compile(r'^"Language:\s*([A-Za-z_-]+)\\n"', re.MULTILINE)
_TAG = re.compile(r"<[^<>]{0,2000}>")


def kind(rel: str) -> Optional[str]:
    return SUFFIXES.get(posixpath.splitext(rel)[1].lower())


def _primary(tag: str) -> Optional[str]:
    match = _LANG.match(tag.strip())
    return match.group(1).lower() if match else None


def language(rel: str, text: str) -> Optional[str]:
    """The primary language subtag a catalogue holds (``fr`` for ``fr-CA``), or None."""
    form = kind(rel)
    if form is None:
        return None
    if form == "xliff":
        match = _XLIFF_LANG.search(text[:4000])
        if match and _primary(match.group(1)):
            return _primary(match.group(1))
    if form == "po":
        match = _PO_LANG.search(text[:4000])
        if match and _primary(match.group(1)):
            return _primary(match.group(1))
    stem = posixpath.basename(rel).split(".")
    candidates = [stem[-2]] if len(stem) > 2 else []  # messages.fr.json
    candidates.append(stem[0])  # fr.json, fr-FR.json
    candidates += reversed(posixpath.dirname(rel).split("/"))  # locales/fr/, fr/LC_MESSAGES
    for candidate in candidates:
        if candidate in ("LC_MESSAGES",):
            continue
        found = _primary(candidate)
        if found is not None and len(candidate) <= 7:
            return found
    return None


def _walk(value: Any) -> Iterator[str]:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _po_string(literal: str) -> str:
    try:
        value = ast.literal_eval(literal)  # a C-style string literal; never code
    except (ValueError, SyntaxError):
        return literal.strip('"')
    return value if isinstance(value, str) else ""


def _po(text: str) -> list[str]:
    found = []
    for match in _PO_ENTRY.finditer(text):
        parts = [_po_string(match.group(1))]
        end = match.end()
        while True:
            more = _PO_MORE.match(text, end)
            if more is None:
                break
            parts.append(_po_string(more.group(1)))
            end = more.end()
        found.append("".join(parts))
    return found


def strings(rel: str, text: str) -> Optional[list[str]]:
    """Every string the catalogue shows, decoded; None when ``rel`` is not a readable catalogue."""
    form = kind(rel)
    if form == "json":
        try:
            return list(_walk(json.loads(text)))
        except (ValueError, RecursionError):
            return None
    if form == "yaml":
        from aiact_lint.yamlsafe import YamlProblem, load

        try:
            return list(_walk(load(text).data))
        except YamlProblem:
            return None
    if form == "po":
        return _po(text)
    if form == "xliff":
        return [html.unescape(_TAG.sub("", body)) for _, body in _XLIFF_TEXT.findall(text)]
    return None


def contains(rel: str, text: str, notice: str) -> bool:
    """Whether ``notice`` appears in the file: as written, or in one of its catalogue strings."""
    from aiact_lint.repo.documents import contains_disclosure

    if contains_disclosure(text, notice):
        return True
    decoded = strings(rel, text)
    return bool(decoded) and any(contains_disclosure(item, notice) for item in decoded or ())
