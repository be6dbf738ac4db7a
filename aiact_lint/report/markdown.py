"""GitHub-flavoured Markdown for ``$GITHUB_STEP_SUMMARY`` and pull-request comments.

Every piece of data goes through :func:`cell`: control, bidi and separator characters are shown
as escapes (:func:`aiact_lint.safetext.escape`), pipes, angle brackets, ampersands, backticks,
markdown punctuation and ``@`` mentions are escaped and line breaks become ``<br>``, so a
message can neither break a table nor inject HTML or ping anyone. The output stays under
GitHub's 1 MiB step-summary limit; past it the report is cut at a line with a note.
"""

from __future__ import annotations

import re
from typing import Any

from aiact_lint.report import RenderContext
from aiact_lint.report._common import SEVERITY_ORDER, TOOL_NAME, help_uri, plural, summary_line
from aiact_lint.safetext import escape

MAX_BYTES = 1024 * 1024  # GitHub: "$GITHUB_STEP_SUMMARY ... 1 MiB" per step
_RESERVE = 512  # room for the truncation note
HEADINGS = {"error": "Errors", "warning": "Warnings", "info": "Info"}
ICONS = {"error": ":x:", "warning": ":warning:", "info": ":information_source:"}
_ESCAPES = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    "`": "&#96;",
    "@": "&#64;",
    "|": "\\|",
    "\\": "\\\\",
    "*": "\\*",
    "_": "\\_",
    "[": "\\[",
    "]": "\\]",
    "~": "\\~",
    "#": "\\#",
}
_SPECIAL = re.compile("[" + re.escape("".join(_ESCAPES)) + "]")


def cell(value: Any) -> str:
    """Inline text safe in a table cell, a heading or a list item."""
    if value is None or value == "":
        return ""
    text = escape(value, newlines=True).replace("\t", " ")
    text = _SPECIAL.sub(lambda match: _ESCAPES[match.group(0)], text)
    return "<br>".join(text.split("\n"))


def _value(value: Any) -> str:
    """A scalar or a list (evidence may be several files) as escaped cell text."""
    if isinstance(value, (list, tuple)):
        return ", ".join(cell(item) for item in value if item is not None and item != "")
    return cell(value)


def _obligation(item: dict[str, Any]) -> list[str]:
    status = cell(item.get("status"))
    if item.get("reason"):
        status += f": {cell(item['reason'])}"
    name = cell(item.get("id"))
    if item.get("model"):
        name += f" ({cell(item['model'])})"
    return [
        status,
        name,
        cell(item.get("article")),
        cell(item.get("role")),
        cell(item.get("applies_from")),
        _value(item.get("evidence")) or "—",
    ]


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _location(finding: dict[str, Any]) -> str:
    return cell(f"{finding['path']}:{finding['line']}:{finding['column']}")


def _rule(finding: dict[str, Any]) -> str:
    code = str(finding["rule"])
    linkable = re.fullmatch(r"[A-Z]+[0-9]+", code) is not None
    link = f"[{code}]({help_uri(code)})" if linkable else cell(code)
    if finding.get("title"):
        link += f" {cell(finding['title'])}"
    return link


def _system(system: dict[str, Any]) -> list[str]:
    name = cell(system.get("name") or "unnamed system")
    lines = [f"### {name} ({cell(system['manifest'])})", ""]
    risk = system.get("risk")
    routes = ", ".join(system.get("routes") or []) or "none"
    roles = ", ".join(system.get("roles") or []) or "none"
    in_scope = system.get("in_scope")
    scope = "scope unknown" if in_scope is None else "in scope" if in_scope else "out of scope"
    risk_text = f"**{cell(risk)}**" if risk else "not determined"
    lines.append(
        f"Risk: {risk_text} · routes: {cell(routes)} · roles: {cell(roles)} · {scope} · "
        f"{plural(len(system.get('findings') or []), 'finding')}"
    )
    obligations = system.get("obligations") or []
    if obligations:
        rows = [_obligation(item) for item in obligations]
        lines += [
            "",
            *_table(["Status", "Obligation", "Article", "Role", "Applies from", "Evidence"], rows),
        ]
    lines.append("")
    return lines


def _findings(findings: list[dict[str, Any]]) -> list[str]:
    lines: list[str] = []
    active = [f for f in findings if not f.get("waived")]
    for severity in SEVERITY_ORDER:
        group = [f for f in active if f["severity"] == severity]
        if not group:
            continue
        lines += [f"### {ICONS[severity]} {HEADINGS[severity]} ({len(group)})", ""]
        rows = []
        for finding in group:
            message = cell(finding["message"])
            if finding.get("fix"):
                message += f"<br>**Fix:** {cell(finding['fix'])}"
            rows.append([_location(finding), _rule(finding), message, cell(finding.get("article"))])
        lines += [*_table(["Location", "Rule", "Message", "Article"], rows), ""]
    waived = [f for f in findings if f.get("waived")]
    if waived:
        lines += [f"### Waived ({len(waived)})", ""]
        rows = [
            [
                _location(f),
                _rule(f),
                cell(f["message"]),
                cell(f.get("waiver_reason") or "—"),
            ]
            for f in waived
        ]
        lines += [*_table(["Location", "Rule", "Message", "Reason"], rows), ""]
    return lines


def _fit(lines: list[str], limit: int) -> list[str]:
    """Cut at a whole line so the text, with the note, stays within ``limit`` UTF-8 bytes."""
    total = sum(len(line.encode("utf-8")) + 1 for line in lines)
    if total <= limit:
        return lines
    budget = limit - _RESERVE
    kept: list[str] = []
    used = 0
    for line in lines:
        size = len(line.encode("utf-8")) + 1
        if used + size > budget:
            break
        kept.append(line)
        used += size
    left_out = len(lines) - len(kept)
    return [
        *kept,
        "",
        f"> **Report truncated:** {left_out} more lines did not fit GitHub's size limit; "
        f"run `{TOOL_NAME} check` locally or see the JSON or SARIF output for everything.",
    ]


def render(document: dict[str, Any], context: RenderContext, limit: int = MAX_BYTES) -> str:
    summary = document["summary"]
    if summary["error"]:
        verdict = ":x:"
    elif summary["warning"]:
        verdict = ":warning:"
    else:
        verdict = ":white_check_mark:"
    lines = [f"## {verdict} {TOOL_NAME} report", "", cell(summary_line(document)), ""]
    policy = (document.get("policy") or {}).get("modification")
    if policy:
        lines += [f"Modification policy: {cell(policy)}", ""]
    systems = document.get("systems") or []
    if systems:
        lines += ["## Systems", ""]
        for system in systems:
            lines += _system(system)
    findings = document.get("findings") or []
    if findings:
        lines += ["## Findings", "", *_findings(findings)]
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(_fit(lines, limit)) + "\n"
