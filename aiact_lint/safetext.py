"""Make text from the checked repository inert before it reaches a terminal, a CI log or a viewer.

Every string that comes from repository content (manifest values and keys, file and folder names,
configuration keys, git's messages) and reaches stdout, stderr, an annotation or a report goes
through :func:`escape`. It shows, instead of obeying:

- C0 and C1 control characters (ANSI escape sequences, CSI U+009B, NEL U+0085, DEL);
- bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C),
  which make a viewer display text in another order than it is read ("Trojan source");
- line and paragraph separators (U+2028, U+2029) and, in single-line contexts, CR and LF, so
  that data can never start a line of its own, hence never a workflow command (``::error``,
  ``::add-mask::``, ``##[...]``) in a GitHub Actions log.

Each such character is written as ``\\xNN`` or ``\\uNNNN``. :func:`json_dumps` is the one JSON
writer of the reports: the same characters are JSON-escaped (the data is unchanged for a JSON
reader, the bytes on a log are inert) and non-finite numbers are refused.

Nothing but ``functools`` is imported (translation tables, built on first use, instead of
regular expressions): this module sits on the pre-commit hook's path.
"""

from __future__ import annotations

from functools import cache
from typing import Any

# Shown, never obeyed, in every context: (first, last) code points.
_INERT = (
    (0x00, 0x08),  # C0 controls but TAB and LF...
    (0x0B, 0x1F),  # ...(CR among them: single-line contexts show it, multi-line ones make it LF)
    (0x7F, 0x9F),  # DEL and C1 (CSI U+009B, NEL U+0085)
    (0x061C, 0x061C),  # Arabic letter mark
    (0x200E, 0x200F),  # left-to-right and right-to-left marks
    (0x202A, 0x202E),  # bidi embeddings and overrides
    (0x2066, 0x2069),  # bidi isolates
    (0x2028, 0x2029),  # line and paragraph separators
    (0xFEFF, 0xFEFF),  # zero-width no-break space (BOM)
    (0xD800, 0xDFFF),  # lone surrogates (no encoding can write them)
)
# What a JSON writer leaves raw with ensure_ascii=False and a log or viewer would obey (json.dumps
# escapes the C0 controls itself; lone surrogates never reach it: report.encodable).
_JSON_RAW = tuple(r for r in _INERT if r[0] >= 0x7F and r != (0xD800, 0xDFFF))
_COMMAND_START = ("::", "##[")


def _shown(code: int) -> str:
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


@cache
def _table(newlines: bool) -> dict[int, str]:
    """A str.translate table (built once, cheaper to import than a regular expression)."""
    table = {code: _shown(code) for first, last in _INERT for code in range(first, last + 1)}
    if not newlines:
        table[0x09] = _shown(0x09)
        table[0x0A] = _shown(0x0A)
    return table


def escape(text: Any, *, newlines: bool = False) -> str:
    """``text`` with every control, bidi or separator character shown as an escape.

    ``newlines=True`` keeps LF and TAB (and turns CR LF and lone CR into LF) for multi-line
    fields such as a JUnit failure body; otherwise the result is one line.
    """
    value = "" if text is None else str(text)
    if newlines:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.translate(_table(newlines))


def inert_lines(text: str) -> str:
    """``text`` with no line that a CI runner would read as a workflow command: such a line
    (after its indentation) gets a visible ``./`` in front."""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        stripped = line.lstrip()
        if stripped.startswith(_COMMAND_START):
            lines[index] = line[: len(line) - len(stripped)] + "./" + stripped
    return "\n".join(lines)


def message(text: Any) -> str:
    """One line for stderr: escaped, and never a workflow command."""
    return inert_lines(escape(text))


@cache
def _json_table() -> dict[int, str]:
    return {code: f"\\u{code:04x}" for first, last in _JSON_RAW for code in range(first, last + 1)}


def json_dumps(value: Any, *, indent: int | None = 2, sort_keys: bool = False) -> str:
    """Strict JSON (RFC 8259): no NaN or Infinity (ValueError), and the characters a log would
    obey written as ``\\uNNNN`` escapes (they only ever occur inside JSON strings)."""
    import json

    text = json.dumps(
        value, indent=indent, ensure_ascii=False, allow_nan=False, sort_keys=sort_keys
    )
    return text.translate(_json_table())


def ascii_json(text: str) -> str:
    """JSON text with every non-ASCII character as a ``\\uNNNN`` escape (for an ASCII stdout)."""
    import re

    def one(match: re.Match[str]) -> str:
        code = ord(match.group(0))
        if code > 0xFFFF:
            code -= 0x10000
            return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
        return f"\\u{code:04x}"

    return re.sub("[^\x00-\x7f]", one, text)
