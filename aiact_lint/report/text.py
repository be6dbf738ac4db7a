"""Human output, ruff style: ``path:line:col: CODE severity  message [article]`` and a fix line."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from aiact_lint import LAW_VERSION
from aiact_lint.report import RenderContext
from aiact_lint.safetext import escape, inert_lines

COLOURS = {"error": "31", "warning": "33", "info": "36", "bold": "1", "dim": "2"}


def _paint(text: str, colour: str, enabled: bool) -> str:
    return f"\x1b[{COLOURS[colour]}m{text}\x1b[0m" if enabled else text


def clean(text: Any) -> str:
    """Neutralise control characters, bidi overrides and line breaks that data could smuggle in."""
    return escape(text)


def _display(path: str) -> str:
    """Paths in the document are relative to the repository root; show them from the cwd."""
    from aiact_lint.manifest import find_root

    cwd = Path(os.getcwd())
    absolute = path if os.path.isabs(path) else str((find_root(cwd) or cwd) / path)
    try:
        shown = os.path.relpath(absolute)
    except ValueError:
        shown = path
    shown = path if shown.startswith("../../..") else shown
    # A line of this report that starts "::" or "##[" would be a workflow command in a GitHub
    # Actions log (a forged annotation): such a folder name is shown as "./::name".
    return "./" + shown if shown.lstrip().startswith(("::", "##[")) else shown


def render(document: dict[str, Any], context: RenderContext) -> str:
    colour, quiet = context.colour, context.quiet
    lines: list[str] = []
    waived = []
    for finding in document["findings"]:
        if finding["waived"]:
            waived.append(finding)
            continue
        if quiet and finding["severity"] == "info":
            continue  # --quiet: what needs doing (errors and warnings) and the verdict
        location = f"{clean(_display(finding['path']))}:{finding['line']}:{finding['column']}:"
        severity = clean(finding["severity"])
        paint = severity if severity in ("error", "warning", "info") else "bold"
        head = (
            f"{_paint(location, 'bold', colour)} {_paint(clean(finding['rule']), paint, colour)} "
            f"{severity:<7} {clean(finding['message'])}"
        )
        if finding["article"]:
            head += f" [{clean(finding['article'])}]"
        lines.append(head)
        if not quiet and finding["fix"]:
            lines.append(_paint(f"  fix: {clean(finding['fix'])}", "dim", colour))
    if waived and not quiet:
        lines.append("")
        lines.append(f"Waived ({len(waived)}):")
        for finding in waived:
            lines.append(
                f"  {clean(_display(finding['path']))}:{finding['line']}:{finding['column']}: "
                f"{clean(finding['rule'])} {clean(finding['message'])} — waived: "
                f"{clean(finding.get('waiver_reason') or '')}"
            )
    if not quiet:
        if lines:
            lines.append("")
        for system in document["systems"]:
            if system["risk"] is None:
                continue
            routes = clean(", ".join(map(str, system["routes"]))) or "no route"
            roles = clean(", ".join(map(str, system["roles"]))) or "no role"
            could = [clean(str(tier)) for tier in system.get("risk_open") or ()]
            provisional = f", provisional: open questions could make it {' or '.join(could)}"
            lines.append(
                f"{clean(_display(system['manifest']))}: {clean(system['name'] or '?')} — "
                f"risk {clean(system['risk'])} ({routes}{provisional if could else ''}); "
                f"roles: {roles}"
            )
    lines.append(clean(summary_line(document)))
    return inert_lines("\n".join(lines)) + "\n"


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary_line(document: dict[str, Any]) -> str:
    """The one-line verdict, the same wording as the text format's last line."""
    summary = document["summary"]
    problems = summary["error"] + summary["warning"] + summary["info"]
    counts = (
        f"{plural(summary['error'], 'error')}, {plural(summary['warning'], 'warning')}, "
        f"{summary['info']} info"
    )
    if summary["waived"]:
        counts += f", {summary['waived']} waived"
    manifests = plural(summary["systems"], "manifest") if summary["systems"] else "no manifest"
    if problems:
        text = f"Found {plural(problems, 'problem')} ({counts}) in {manifests}"
    elif not summary["systems"]:
        scanned = summary.get("code_scanned", True)
        text = "Nothing to check: no aiact.yaml here" + (
            " and no AI use in the code" if scanned else " (the code was not scanned)"
        )
    else:
        text = f"All checks passed: {manifests}, no problems"
        if summary["waived"]:
            text += f" ({summary['waived']} waived)"
    hidden = summary.get("baseline_hidden") or 0
    if hidden:
        text += f"; {hidden} hidden by the baseline"
    outside = summary.get("outside_diff") or 0
    if outside:
        text += f"; {outside} not on lines changed since the diff base"
    law = document.get("law") or LAW_VERSION
    return f"{text}; as of {document['as_of']} under {law}."
