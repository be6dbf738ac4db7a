"""The report as GitHub-flavoured Markdown: the same sections as the HTML page, the timeline as a
table. Every value goes through :func:`aiact_lint.report.markdown.cell` (escapes HTML, pipes,
markdown punctuation and ``@`` mentions)."""

from __future__ import annotations

import datetime
from typing import Any, Mapping, Optional, Sequence

from aiact_lint.options import today_utc
from aiact_lint.report.markdown import cell
from aiact_lint.report_doc.html_page import (
    RISK_LABEL,
    RISK_NOTE,
    STATUS_SYMBOL,
    Link,
    findings_outside_systems,
    href_of,
)
from aiact_lint.report_doc.timeline import human_date, milestones


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines + [""]


def _items(values: Any) -> list[str]:
    if isinstance(values, (list, tuple)):
        return [str(v) for v in values if v not in (None, "")]
    return [] if values in (None, "") else [str(values)]


def _evidence(system: Mapping[str, Any], value: Any, link: Optional[Link]) -> str:
    parts = []
    for item in _items(value):
        href = link(system, item) if link is not None else None
        parts.append(f"[{cell(item)}](<{href_of(href)}>)" if href else cell(item))
    return ", ".join(parts) or "—"


def _about(system: Mapping[str, Any]) -> list[str]:
    from aiact_lint.report.legal_effect import lock_status

    about = system.get("about") or {}
    markets = ", ".join(str(r) for r in about.get("regions") or []) or "not declared"
    if about.get("output_used_in_eu") is True:
        markets += "; output used in the Union"
    if about.get("placed_on_market"):
        markets += f"; placed on the market {about['placed_on_market']}"
    lock = about.get("lock") or system.get("lock")
    _, words = lock_status(lock, str(system.get("manifest")))
    if isinstance(lock, Mapping) and lock.get("note"):
        words += f" (note: {lock['note']})"
    rows = [
        ["Intended purpose", cell(about.get("purpose")) or "not declared"],
        [
            "Affected persons",
            cell(", ".join(about.get("affected_persons") or [])) or "not declared",
        ],
        ["Markets", cell(markets)],
        ["Roles", cell(", ".join(system.get("roles") or [])) or "none"],
        ["Manifest", cell(system.get("manifest"))],
        ["Commit", cell(about.get("commit") or "unknown")],
        ["Lock review", cell(words)],
    ]
    return ["### About this system", "", *_table(["Fact", "Value"], rows)]


def _value_of(lines: list[str], index: int) -> str:
    """Line ``index`` of a determination summary without its label ("roles: ...")."""
    if index >= len(lines):
        return "—"
    return lines[index].split(": ", 1)[1] if index > 0 and ": " in lines[index] else lines[index]


def _purpose_row(purpose: Any) -> list[list[str]]:
    """The full intended purpose before and after: removed words ~~struck through~~, added
    ones in **bold**."""
    if not isinstance(purpose, Mapping):
        return []
    before, after = purpose.get("before"), purpose.get("after")
    if not isinstance(before, str) or not isinstance(after, str):
        return []
    from aiact_lint.textdiff import sides

    old, new = sides(before, after, cell, lambda w: f"~~{cell(w)}~~", lambda w: f"**{cell(w)}**")
    return [["Intended purpose", old, new]]


def _change(record: Optional[Mapping[str, Any]], base: str) -> list[str]:
    if record is None:
        return []
    from aiact_lint.report.legal_effect import STATUS, determination_lines

    before = determination_lines(record.get("before"), full=True)
    after = determination_lines(record.get("after"), full=True)
    status = STATUS.get(str(record.get("status")), str(record.get("status")))
    if record.get("moved_from"):
        status += f" from {record['moved_from']}"
    labels = ["Risk tier and routes", "Roles", "Models"]
    rows = []
    for index in range(max(len(before), len(after))):
        old = _value_of(before, index)
        new = _value_of(after, index)
        shown = f"**{cell(new)}**" if old != new else cell(new)
        rows.append([labels[index] if index < len(labels) else "", cell(old), shown])
    rows += _purpose_row(record.get("purpose"))
    lines = [
        f"### Change since {cell(base)}",
        "",
        f"**{cell(status[0].upper() + status[1:])}.**",
        "",
        *_table(["Fact", "Before", "After"], rows),
    ]
    for key, title in (
        ("obligations_added", "Duties that newly apply"),
        ("obligations_ended", "Duties that no longer apply"),
    ):
        duties = [d for d in record.get(key) or [] if isinstance(d, Mapping)]
        if duties:
            lines += [f"{title}:", ""]
            lines += [
                f"- {cell(d.get('id'))} ({cell(d.get('article'))}), {cell(d.get('role'))}: "
                f"{cell(d.get('status'))}, applies from {cell(d.get('applies_from'))}"
                for d in duties
            ]
            lines.append("")
    return lines


def _system(
    system: Mapping[str, Any],
    as_of: datetime.date,
    timeline: Mapping[str, Any],
    link: Optional[Link],
    change: Optional[Mapping[str, Any]] = None,
    base: str = "",
) -> list[str]:
    risk = str(system.get("risk"))
    label = cell(RISK_LABEL.get(risk, "not determined"))
    lines = [
        f"## {cell(system.get('name') or 'unnamed system')} — {label}",
        "",
        f"Manifest: {cell(system.get('manifest'))}",
        "",
        *_about(system),
        *_change(change, base),
        "### Determination",
        "",
        f"**Risk tier: {label}.** {cell(RISK_NOTE.get(risk, ''))}",
        "",
        f"Routes: {cell(', '.join(system.get('routes') or []) or 'none')} · "
        f"roles: {cell(', '.join(system.get('roles') or []) or 'none')}",
        "",
    ]
    for reason in system.get("reasons") or []:
        if isinstance(reason, dict):
            lines.append(f"- {cell(reason.get('reason'))} ({cell(reason.get('article'))})")
    if system.get("reasons"):
        lines.append("")
    marks = milestones(system, timeline)
    lines += ["### Timeline", "", f"As of **{human_date(as_of)}**:", ""]
    rows = [
        [
            human_date(m.date),
            cell(m.label),
            cell(m.article) + ("" if m.verified else " (unverified)"),
            "applies" if m.date <= as_of else "to come",
            cell(m.summary()) or "—",
        ]
        for m in marks
    ]
    lines += _table(["Date", "Milestone", "Article", "As of the report", "Obligations"], rows)
    obligations = [o for o in system.get("obligations") or [] if isinstance(o, dict)]
    lines += ["### Obligations", ""]
    if obligations:
        rows = []
        for item in obligations:
            status = str(item.get("status"))
            name = cell(item.get("id"))
            if item.get("model"):
                name += f" (model {cell(item['model'])})"
            evidence = _evidence(system, item.get("evidence"), link)
            if item.get("reason"):
                evidence += f"<br>{cell(item['reason'])}"
            rows.append(
                [
                    f"{STATUS_SYMBOL.get(status, '')} {cell(status)}",
                    f"{name}<br>{cell(item.get('title'))}",
                    cell(item.get("article")),
                    cell(item.get("role")),
                    cell(item.get("applies_from")),
                    evidence,
                ]
            )
        lines += _table(
            ["Status", "Obligation", "Article", "Role", "Applies from", "Evidence"], rows
        )
    else:
        lines += ["No obligations for these roles and facts.", ""]
    findings = [f for f in system.get("findings") or [] if isinstance(f, dict)]
    lines += ["### Open findings", ""] + _findings(findings)
    lines += ["### Waivers", ""] + _waivers(system, findings)
    return lines


def _findings(findings: Sequence[Mapping[str, Any]]) -> list[str]:
    active = [f for f in findings if not f.get("waived")]
    if not active:
        return ["No open findings.", ""]
    rows = []
    for f in active:
        message = cell(f.get("message"))
        if f.get("fix"):
            message += f"<br>**Fix:** {cell(f['fix'])}"
        rows.append(
            [
                cell(f.get("severity")),
                f"{cell(f.get('rule'))} {cell(f.get('title'))}",
                message,
                cell(f.get("article")) or "—",
                cell(f"{f.get('path')}:{f.get('line')}:{f.get('column')}"),
            ]
        )
    return _table(["Severity", "Rule", "Message", "Article", "Location"], rows)


def _waivers(system: Mapping[str, Any], findings: Sequence[Mapping[str, Any]]) -> list[str]:
    waivers = [w for w in system.get("waivers") or [] if isinstance(w, dict)]
    waived = [f for f in findings if f.get("waived")]
    if not waivers and not waived:
        return ["No waivers.", ""]
    lines: list[str] = []
    if waivers:
        rows = [
            [
                cell(w.get("rule")),
                cell(w.get("reason")),
                cell(w.get("owner")),
                cell(w.get("expires")),
                cell(w.get("status")),
                cell(w.get("waived", 0)),
            ]
            for w in waivers
        ]
        lines += _table(["Rule", "Reason", "Owner", "Expires", "Status", "Findings waived"], rows)
    if waived:
        rows = [
            [cell(f.get("rule")), cell(f.get("message")), cell(f.get("waiver_reason"))]
            for f in waived
        ]
        lines += _table(["Rule", "Waived finding", "Waiver (owner, expiry)"], rows)
    return lines


def render(
    document: Mapping[str, Any],
    timeline: Mapping[str, Any],
    link: Optional[Link] = None,
) -> str:
    try:
        as_of = datetime.date.fromisoformat(str(document.get("as_of")))
    except ValueError:
        as_of = today_utc()
    summary = document.get("summary") or {}
    lines = [
        "# EU AI Act obligations report",
        "",
        f"As of **{human_date(as_of)}** under {cell(document.get('law') or '')}. "
        f"Systems: {cell(summary.get('systems', 0))} · errors: {cell(summary.get('error', 0))} · "
        f"warnings: {cell(summary.get('warning', 0))} · info: {cell(summary.get('info', 0))} · "
        f"waived: {cell(summary.get('waived', 0))}",
        "",
    ]
    from aiact_lint.report.markdown import legal_effect

    lines += legal_effect(dict(document))
    diff = document.get("diff") or {}
    changes = {
        str(r.get("manifest")): r for r in diff.get("systems") or [] if isinstance(r, Mapping)
    }
    base = str(diff.get("base") or "")
    systems = [s for s in document.get("systems") or [] if isinstance(s, dict)]
    for system in systems:
        lines += _system(
            system, as_of, timeline, link, changes.get(str(system.get("manifest"))), base
        )
    if not systems:
        lines += ["No aiact.yaml manifest was found.", ""]
    others = findings_outside_systems(document, systems)
    if others:
        lines += ["## Findings outside the systems", ""] + _findings(others)
    lines.append("Generated by aiact-lint. Not legal advice.")
    return "\n".join(lines) + "\n"
