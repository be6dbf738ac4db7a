"""Write ``aiact-lint: ignore[CODE] reason`` comments into code, as ruff's ``--add-noqa`` does.

The comment goes at the end of the line the finding names (it covers that line), in the file's
own comment syntax, and joins an ``aiact-lint: ignore[...]`` already there instead of adding a
second. A reason is required: the scan honours no suppression without one (AIA856). Lines where
a comment would change the code (a backslash continuation, inside a Python triple-quoted string)
and files without comments (JSON) are left alone and reported.
"""

from __future__ import annotations

import posixpath
import re
from typing import NamedTuple, Optional

HASH = "#"
SLASHES = "//"
_HASH_SUFFIXES = frozenset(
    [
        ".py",
        ".pyi",
        ".sh",
        ".bash",
        ".zsh",
        ".rb",
        ".r",
        ".pl",
        ".yaml",
        ".yml",
        ".toml",
        ".cfg",
        ".ini",
        ".conf",
        ".env",
        ".tf",
        ".nix",
    ]
)
_SLASH_SUFFIXES = frozenset(
    [
        ".js",
        ".jsx",
        ".mjs",
        ".cjs",
        ".ts",
        ".tsx",
        ".mts",
        ".cts",
        ".go",
        ".java",
        ".kt",
        ".kts",
        ".swift",
        ".c",
        ".h",
        ".cc",
        ".cpp",
        ".hpp",
        ".rs",
        ".cs",
        ".php",
        ".scala",
        ".dart",
        ".vue",
        ".svelte",
    ]
)
_HASH_NAMES = ("dockerfile", "containerfile", "makefile", "procfile", "gemfile", "justfile")
_EXISTING = re.compile(
    r"(?P<head>(?:#|//)[ \t]*aiact-lint:[ \t]*ignore)(?:\[(?P<codes>[^\]\n]*)\])?"
)


class Placement(NamedTuple):
    line: int
    codes: tuple[str, ...]


class Skipped(NamedTuple):
    line: int
    why: str


def comment_token(rel: str) -> Optional[str]:
    """The line-comment marker of a file, by its name; None when it has none we can use."""
    base = posixpath.basename(rel).lower()
    suffix = posixpath.splitext(base)[1]
    if suffix in _HASH_SUFFIXES or base.startswith(_HASH_NAMES) or base.endswith(_HASH_NAMES):
        return HASH
    if suffix in _SLASH_SUFFIXES:
        return SLASHES
    return None


def clean_reason(reason: str) -> str:
    """One line, no bracket or comment closers that could end the comment early."""
    text = " ".join(reason.split())
    for closer in ("*/", "-->"):
        text = text.replace(closer, "")
    return text.strip()


def _triple_quoted(lines: list[str], index: int) -> bool:
    """Whether line ``index`` of a Python file starts inside a triple-quoted string."""
    text = "".join(lines[:index])
    count = 0
    position = 0
    while True:
        found = [p for p in (text.find('"""', position), text.find("'''", position)) if p >= 0]
        if not found:
            break
        position = min(found) + 3
        count += 1
    return count % 2 == 1


def _merge(line: str, match: re.Match[str], codes: tuple[str, ...], reason: str) -> str:
    present = [c.strip() for c in re.split(r"[\s,]+", match.group("codes") or "") if c.strip()]
    wanted = [c for c in codes if c not in present]
    after = line[match.end() :]
    unexplained = not after.strip() or after.strip() in ("*/", "-->")
    if not wanted and not unexplained:
        return line
    merged = ", ".join([*present, *wanted])
    if unexplained:
        after = f" {reason}{after}"  # a reason is needed for the suppression to count
    return line[: match.start()] + f"{match.group('head')}[{merged}]" + after


def add_suppressions(
    rel: str, text: str, placements: list[Placement], reason: str
) -> tuple[str, list[Skipped]]:
    """``text`` with a suppression for each placement; the lines that could not take one."""
    token = comment_token(rel)
    reason = clean_reason(reason)
    if token is None:
        return text, [Skipped(p.line, "this kind of file has no line comments") for p in placements]
    lines = text.splitlines(keepends=True)
    skipped: list[Skipped] = []
    wanted: dict[int, list[str]] = {}
    for placement in placements:
        listed = wanted.setdefault(placement.line, [])
        listed.extend(c for c in placement.codes if c not in listed)
    for number in sorted(wanted):
        codes = tuple(wanted[number])
        index = number - 1
        if not 0 <= index < len(lines):
            skipped.append(Skipped(number, "no such line"))
            continue
        raw = lines[index]
        body = raw.rstrip("\r\n")
        ending = raw[len(body) :]
        match = _EXISTING.search(body)
        if match is not None:
            lines[index] = _merge(body, match, codes, reason) + ending
            continue
        above = lines[index - 1].rstrip("\r\n") if index > 0 else ""
        match = _EXISTING.search(above)
        if match is not None and not above[: match.start()].strip():
            lines[index - 1] = _merge(above, match, codes, reason) + lines[index - 1][len(above) :]
            continue
        if body.rstrip().endswith("\\"):
            skipped.append(Skipped(number, "the line continues with a backslash"))
            continue
        if token == HASH and rel.endswith((".py", ".pyi")) and _triple_quoted(lines, index):
            skipped.append(Skipped(number, "the line is inside a triple-quoted string"))
            continue
        comment = f"{token} aiact-lint: ignore[{', '.join(codes)}] {reason}"
        stripped = body.rstrip()
        lines[index] = (f"{stripped}  {comment}" if stripped else comment) + (ending or "")
    return "".join(lines), skipped
