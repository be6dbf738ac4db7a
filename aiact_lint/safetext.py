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

Only ``re`` is imported: this module sits on the pre-commit hook's path.
"""

from __future__ import annotations

import re
from typing import Any

# Shown, never obeyed, in every context.
_INERT = (
    "\x00-\x08\x0b-\x1f\x7f-\x9f"  # C0 (but TAB and LF), DEL, C1
    "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"  # bidi marks, embeddings, overrides, isolates
    "\u2028\u2029\ufeff"  # line and paragraph separators, zero-width no-break space
    "\ud800-\udfff"  # lone surrogates (no encoding can write them)
)
_MULTI_LINE = re.compile(f"[{_INERT}]")
_SINGLE_LINE = re.compile(f"[{_INERT}\t\n]")
# What a JSON writer leaves raw with ensure_ascii=False and a log or viewer would obey.
_JSON_RAW = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff]")
_COMMAND_START = ("::", "##[")


def _shown(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape(text: Any, *, newlines: bool = False) -> str:
    """``text`` with every control, bidi or separator character shown as an escape.

    ``newlines=True`` keeps LF and TAB (and turns CR LF and lone CR into LF) for multi-line
    fields such as a JUnit failure body; otherwise the result is one line.
    """
    value = "" if text is None else str(text)
    if newlines:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
        return _MULTI_LINE.sub(_shown, value)
    return _SINGLE_LINE.sub(_shown, value)


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


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group(0)):04x}"


def json_dumps(value: Any, *, indent: int | None = 2, sort_keys: bool = False) -> str:
    """Strict JSON (RFC 8259): no NaN or Infinity (ValueError), and the characters a log would
    obey written as ``\\uNNNN`` escapes (they only ever occur inside JSON strings)."""
    import json

    text = json.dumps(
        value, indent=indent, ensure_ascii=False, allow_nan=False, sort_keys=sort_keys
    )
    return _JSON_RAW.sub(_json_escape, text)


def ascii_json(text: str) -> str:
    """JSON text with every non-ASCII character as a ``\\uNNNN`` escape (for an ASCII stdout)."""

    def one(match: re.Match[str]) -> str:
        code = ord(match.group(0))
        if code > 0xFFFF:
            code -= 0x10000
            return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
        return f"\\u{code:04x}"

    return re.sub("[^\x00-\x7f]", one, text)
