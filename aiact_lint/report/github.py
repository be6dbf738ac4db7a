"""GitHub Actions workflow commands: one annotation per finding, on stdout.

``::error file=F,line=L,col=C,endLine=L,endColumn=E,title=T::message`` (``info`` becomes
``::notice``). Data is escaped as actions/toolkit's ``command.ts`` does: ``%`` first, then CR and
LF in the message, plus ``:`` and ``,`` in property values, so no finding can end the command
early or start a new one. Other control characters (ANSI escapes, C1), bidi overrides and line
separators go through :func:`aiact_lint.safetext.escape` and are written as ``\\xNN``/``\\uNNNN``.

GitHub keeps at most 10 annotations per level per step: the most severe findings come first,
at most 10 per level, and one closing annotation says how many were left out. That closing line
takes one of the 10 slots of its own level, so it is never the one GitHub drops. Waived
findings are not annotated. The plain summary line ends the output (not a command).
"""

from __future__ import annotations

from typing import Any

from aiact_lint.report import RenderContext
from aiact_lint.report._common import TOOL_NAME, by_severity, summary_line
from aiact_lint.safetext import escape

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}
PER_LEVEL = 10


def escape_data(text: str) -> str:
    """actions/toolkit's escaping (``%``, CR, LF), then :func:`aiact_lint.safetext.escape`
    for every other control, bidi or separator character (shown, not obeyed)."""
    return escape(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, properties: list[tuple[str, str]], message: str) -> str:
    props = ",".join(f"{key}={escape_property(value)}" for key, value in properties if value != "")
    return f"::{name}{' ' + props if props else ''}::{escape_data(message)}"


def annotation(finding: dict[str, Any]) -> str:
    line = int(finding["line"])
    end_line = int(finding.get("end_line") or line)
    properties = [("file", str(finding["path"])), ("line", str(line))]
    if end_line == line:
        properties.append(("col", str(finding["column"])))
        properties.append(("endLine", str(end_line)))
        properties.append(("endColumn", str(finding.get("end_column") or finding["column"])))
    else:
        # actions/toolkit: columns "cannot be sent when startLine and endLine are different".
        properties.append(("endLine", str(end_line)))
    title = f"{TOOL_NAME} {finding['rule']}"
    if finding.get("title"):
        title += f": {finding['title']}"
    properties.append(("title", title))
    # The annotation already sits at the file and line and its title names the rule: the
    # message is the finding itself, not "path:line:col: CODE" again.
    message = str(finding["message"])
    if finding.get("article"):
        message += f" [{finding['article']}]"
    if finding.get("fix"):
        message += f"\nfix: {finding['fix']}"
    return command(COMMANDS.get(finding["severity"], "warning"), properties, message)


def _select(findings: list[dict[str, Any]], quota: dict[str, int]) -> list[int]:
    shown: list[int] = []
    used = dict.fromkeys(quota, 0)
    for i, finding in enumerate(findings):
        level = COMMANDS.get(finding["severity"], "warning")
        if used[level] < quota[level]:
            used[level] += 1
            shown.append(i)
    return shown


def plan(findings: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], int, str]:
    """The findings to annotate, how many are left out, and the level of the note saying so."""
    ordered = by_severity(f for f in findings if not f.get("waived"))
    quota = dict.fromkeys(COMMANDS.values(), PER_LEVEL)
    shown = _select(ordered, quota)
    if len(shown) == len(ordered):
        return ordered, 0, ""
    kept = set(shown)
    serious = any(f["severity"] != "info" for i, f in enumerate(ordered) if i not in kept)
    level = "warning" if serious else "notice"
    quota[level] = PER_LEVEL - 1  # keep a slot for the note itself
    shown = _select(ordered, quota)
    return [ordered[i] for i in shown], len(ordered) - len(shown), level


def render(document: dict[str, Any], context: RenderContext) -> str:
    shown, hidden, level = plan(document["findings"])
    lines = [annotation(finding) for finding in shown]
    if hidden:
        noun = "finding" if hidden == 1 else "findings"
        lines.append(f"::{level}::{hidden} more {noun} not annotated; see the job summary or SARIF")
    # Plain output, not a command; it never holds a line break, so it cannot start one either.
    lines.append(escape(" ".join(summary_line(document).splitlines())))
    return "\n".join(lines) + "\n"
