"""One self-contained HTML page: no script, no network, no external font; printable, accessible.

Every string from a manifest (names, purposes, paths, messages, waiver reasons...) is untrusted:
it goes through :func:`html.escape` (attributes too) and links are relative paths, percent-encoded,
so no value can open a scheme. A Content-Security-Policy forbids scripts and every fetch.
"""

from __future__ import annotations

import datetime
from html import escape
from typing import Any, Callable, Iterable, Mapping, Optional, Sequence
from urllib.parse import quote

from aiact_lint.options import today_utc
from aiact_lint.report_doc.timeline import STATUS_COLOUR, human_date, milestones, svg


def findings_outside_systems(
    document: Mapping[str, Any], systems: Sequence[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """Findings of the run that belong to no system (e.g. a missing path on the command line)."""

    def key(finding: Mapping[str, Any]) -> tuple[Any, ...]:
        return (
            finding.get("path"),
            finding.get("line"),
            finding.get("rule"),
            finding.get("message"),
        )

    listed = {key(f) for s in systems for f in s.get("findings") or [] if isinstance(f, dict)}
    return [
        f for f in document.get("findings") or [] if isinstance(f, dict) and key(f) not in listed
    ]


CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
RISK_LABEL = {
    "prohibited": "Prohibited",
    "high": "High-risk",
    "limited": "Limited risk",
    "minimal": "Minimal risk",
    "out_of_scope": "Out of scope",
}
RISK_NOTE = {
    "prohibited": "An Art. 5 practice: it may not be placed on the market, put into service or "
    "used in the Union.",
    "high": "High-risk (Art. 6): the Chapter III requirements apply from the dates below.",
    "limited": "Transparency duties (Art. 50) apply.",
    "minimal": "No Art. 5, Art. 6 or Art. 50 route; AI literacy (Art. 4) still applies.",
    "out_of_scope": "Outside the scope of the AI Act for the reasons below.",
}
STATUS_SYMBOL = {
    "met": "✔",
    "missing": "✘",
    "unverified": "!",
    "open": "?",
    "upcoming": "◷",
    "legacy": "◌",
    "exempt": "–",
}
SEVERITY_SYMBOL = {"error": "✘", "warning": "▲", "info": "ℹ"}

Link = Callable[[Mapping[str, Any], str], Optional[str]]

STYLE = """
:root { color-scheme: light; --ink: #111827; --muted: #4b5563; --line: #d1d5db; --bg: #f8fafc; }
* { box-sizing: border-box; }
html { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  sans-serif; font-size: 15px; line-height: 1.45; color: var(--ink); background: #fff; }
body { margin: 0 auto; max-width: 1100px; padding: 24px 28px 48px; }
h1 { font-size: 1.7rem; margin: 0 0 4px; }
h2 { font-size: 1.4rem; margin: 0 0 6px; display: flex; flex-wrap: wrap; align-items: center;
  gap: 10px; }
h3 { font-size: 1.1rem; margin: 22px 0 8px; border-bottom: 1px solid var(--line);
  padding-bottom: 3px; }
p { margin: 6px 0; }
a { color: #1d4ed8; }
code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono",
  monospace; font-size: 0.88em; }
.meta { color: var(--muted); }
header.page { border-bottom: 3px solid var(--ink); padding-bottom: 12px; margin-bottom: 18px; }
.summary { display: flex; flex-wrap: wrap; gap: 8px 22px; margin: 10px 0 0; padding: 0; }
.summary div { display: flex; gap: 6px; }
.summary dt { color: var(--muted); }
.summary dd { margin: 0; font-weight: 700; }
nav ul { margin: 6px 0 0; padding-left: 20px; }
section.system { border: 1px solid var(--line); border-radius: 8px; padding: 18px 20px 10px;
  margin: 22px 0; background: #fff; }
.risk { display: inline-block; font-size: 0.85rem; font-weight: 700; letter-spacing: 0.02em;
  padding: 3px 10px; border-radius: 999px; border: 2px solid currentColor; }
.risk-prohibited { color: #fff; background: #7f1d1d; border-color: #7f1d1d; }
.risk-high { color: #fff; background: #c2410c; border-color: #c2410c; }
.risk-limited { color: #713f12; background: #fef3c7; border-color: #d97706; }
.risk-minimal { color: #14532d; background: #dcfce7; border-color: #16a34a; }
.risk-out_of_scope, .risk-unknown { color: #374151; background: #f3f4f6; border-color: #9ca3af; }
ul.reasons { margin: 4px 0; padding-left: 20px; }
.article { color: var(--muted); white-space: nowrap; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 10px; font-size: 0.93rem; }
caption { text-align: left; color: var(--muted); padding: 2px 0 6px; caption-side: top; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 8px; text-align: left;
  vertical-align: top; }
thead th { background: var(--bg); border-bottom: 2px solid #9ca3af; white-space: nowrap; }
tbody th { font-weight: 600; }
th .small, td .small { font-weight: 400; }
td, th { overflow-wrap: anywhere; }  /* a long key or path never widens the table (min-content) */
td code, th code { overflow-wrap: anywhere; }
table.about th[scope="row"] { width: 14em; }
.raised, .changed { color: #c2410c; font-weight: 700; }
del { color: #b91c1c; }
ins { color: #1a7f37; font-weight: 700; text-decoration: underline; }
.lock-matches, .lock-reviewed { color: #1a7f37; font-weight: 700; }
.lock-differs, .lock-unreadable { color: #c62828; font-weight: 700; }
.lock-missing { color: #92400e; font-weight: 700; }
th.rule { min-width: 10em; }
td.loc { min-width: 11em; }
td.nowrap, th.nowrap { white-space: nowrap; }
.status { font-weight: 700; white-space: nowrap; }
.status-met { color: #1a7f37; }
.status-missing { color: #c62828; }
.status-upcoming { color: #1f5fbf; }
.status-exempt { color: #4b5563; }
.sev-error { color: #c62828; font-weight: 700; }
.sev-warning { color: #92400e; font-weight: 700; }
.sev-info { color: #1f5fbf; font-weight: 700; }
.fix { color: var(--muted); }
.small { font-size: 0.86rem; }
figure { margin: 8px 0; }
figure svg { display: block; width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: 0.9rem; }
.empty { color: var(--muted); font-style: italic; }
.unverified { color: #92400e; font-size: 0.8rem; }
footer { margin-top: 28px; color: var(--muted); font-size: 0.85rem; border-top: 1px solid
  var(--line); padding-top: 8px; }
@media print {
  html { font-size: 11pt; }
  body { max-width: none; padding: 0; }
  nav { display: none; }
  section.system { border: none; padding: 0; margin: 0 0 16pt; break-before: page; }
  section.system:first-of-type { break-before: auto; }
  h2, h3 { break-after: avoid; }
  figure, tr { break-inside: avoid; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  a { color: inherit; text-decoration: none; }
}
@page { margin: 14mm 12mm; }
"""


def e(value: Any) -> str:
    """Escaped text of any value (None is empty)."""
    return "" if value is None else escape(str(value), quote=True)


def _date(value: Any) -> Optional[datetime.date]:
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None


def _time(value: Any) -> str:
    day = _date(value)
    if day is None:
        return e(value) or "—"
    return f'<time datetime="{day.isoformat()}">{e(human_date(day))}</time>'


def _risk_badge(risk: Optional[str]) -> str:
    key = risk if risk in RISK_LABEL else "unknown"
    label = RISK_LABEL.get(str(risk), "Not determined")
    return f'<span class="risk risk-{e(key)}">{e(label)}</span>'


def _items(values: Any) -> list[str]:
    if isinstance(values, (list, tuple)):
        return [str(v) for v in values if v not in (None, "")]
    return [] if values in (None, "") else [str(values)]


def href_of(path: str) -> str:
    """A relative link to ``path``: percent-encoded, so no value can form a scheme. A file name
    that is not valid UTF-8 (a lone surrogate here) is encoded as its original bytes."""
    return quote(path, safe="/", errors="surrogateescape")


def _evidence(system: Mapping[str, Any], value: Any, link: Optional[Link]) -> str:
    cells = []
    for item in _items(value):
        href = link(system, item) if link is not None else None
        text = f"<code>{e(item)}</code>"
        cells.append(f'<a href="{e(href_of(href))}">{text}</a>' if href else text)
    return ", ".join(cells) or "—"


def _table(caption: str, head: Iterable[str], rows: list[str], cls: str = "") -> str:
    headers = "".join(f'<th scope="col">{h}</th>' for h in head)
    klass = f' class="{cls}"' if cls else ""
    return (
        f"<table{klass}><caption>{caption}</caption><thead><tr>{headers}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _determination(system: Mapping[str, Any]) -> str:
    risk = system.get("risk")
    routes = ", ".join(f"<code>{e(r)}</code>" for r in system.get("routes") or []) or "none"
    roles = ", ".join(e(r) for r in system.get("roles") or []) or "none"
    in_scope = system.get("in_scope")
    scope = "unknown" if in_scope is None else ("yes" if in_scope else "no")
    parts = [
        f"<p><strong>Risk tier:</strong> {_risk_badge(risk)} "
        f"{e(RISK_NOTE.get(str(risk), 'The manifest could not be classified (see findings).'))}"
        "</p>",
        f"<p><strong>Routes:</strong> {routes} · <strong>Roles:</strong> {roles} · "
        f"<strong>In scope:</strong> {scope}</p>",
    ]
    reasons = [r for r in system.get("reasons") or [] if isinstance(r, dict)]
    if reasons:
        items = "".join(
            f'<li>{e(r.get("reason"))} <span class="article">({e(r.get("article"))})</span>'
            + (' <span class="unverified">unverified</span>' if r.get("verified") is False else "")
            + "</li>"
            for r in reasons
        )
        parts.append(f'<p><strong>Why:</strong></p><ul class="reasons">{items}</ul>')
    models = [m for m in system.get("models") or [] if isinstance(m, dict)]
    if models:
        rows = []
        for model in models:
            flop = model.get("cumulative_compute_flop")
            compute = f"{flop:.2g} FLOP" if isinstance(flop, (int, float)) else "—"
            if model.get("compute_estimated"):
                compute += " (estimated)"
            provider = "yes" if model.get("we_are_model_provider") else "no"
            rows.append(
                f'<tr><th scope="row"><code>{e(model.get("id"))}</code></th>'
                f"<td>{e(model.get('gpai_status'))}</td><td>{e(compute)}</td>"
                f"<td>{provider}</td></tr>"
            )
        parts.append(
            _table(
                f"Models ({e(models[0].get('policy') or '')} policy)".replace(" ( policy)", ""),
                ["Model", "GPAI status", "Cumulative compute", "We provide the model"],
                rows,
            )
        )
    return "".join(parts)


def _obligations(system: Mapping[str, Any], link: Optional[Link]) -> str:
    items = [o for o in system.get("obligations") or [] if isinstance(o, dict)]
    if not items:
        return '<p class="empty">No obligations for these roles and facts.</p>'
    rows = []
    for item in items:
        status = str(item.get("status"))
        symbol = STATUS_SYMBOL.get(status, "")
        name = f"<code>{e(item.get('id'))}</code>"
        if item.get("model"):
            name += f' <span class="small">(model <code>{e(item["model"])}</code>)</span>'
        title = e(item.get("title"))
        if item.get("verified") is False:
            title += ' <span class="unverified">unverified provision</span>'
        evidence = _evidence(system, item.get("evidence"), link)
        if item.get("reason"):
            evidence += f'<div class="small">{e(item["reason"])}</div>'
        rows.append(
            f'<tr><td class="status status-{e(status)}">{symbol} {e(status)}</td>'
            f'<th scope="row">{name}<div class="small">{title}</div></th>'
            f'<td class="nowrap">{e(item.get("article"))}</td><td>{e(item.get("role"))}</td>'
            f'<td class="nowrap">{_time(item.get("applies_from"))}</td><td>{evidence}</td></tr>'
        )
    counts: dict[str, int] = {}
    for item in items:
        counts[str(item.get("status"))] = counts.get(str(item.get("status")), 0) + 1
    caption = ", ".join(f"{n} {e(s)}" for s, n in counts.items())
    noun = "obligation" if len(items) == 1 else "obligations"
    return _table(
        f"{len(items)} {noun}: {caption}",
        ["Status", "Obligation", "Article", "Role", "Applies from", "Evidence"],
        rows,
        "obligations",
    )


def _location(finding: Mapping[str, Any]) -> str:
    return (
        f"<code>{e(finding.get('path'))}:{e(finding.get('line'))}:{e(finding.get('column'))}</code>"
    )


def _findings(findings: Sequence[Mapping[str, Any]], about: str = "") -> str:
    active = [f for f in findings if not f.get("waived")]
    if not active:
        return '<p class="empty">No open findings.</p>'
    rows = []
    for finding in active:
        severity = str(finding.get("severity"))
        message = e(finding.get("message"))
        if finding.get("fix"):
            message += f'<div class="fix small"><strong>Fix:</strong> {e(finding["fix"])}</div>'
        rows.append(
            f'<tr><td class="nowrap sev-{e(severity)}">{SEVERITY_SYMBOL.get(severity, "")} '
            f"{e(severity)}</td>"
            f'<th scope="row" class="rule"><code>{e(finding.get("rule"))}</code>'
            f'<div class="small">{e(finding.get("title"))}</div></th>'
            f"<td>{message}</td><td>{e(finding.get('article')) or '—'}</td>"
            f'<td class="loc">{_location(finding)}</td></tr>'
        )
    return _table(
        f"{len(active)} open finding{'' if len(active) == 1 else 's'}{about}",
        ["Severity", "Rule", "Message", "Article", "Location"],
        rows,
    )


def _waivers(system: Mapping[str, Any]) -> str:
    waivers = [w for w in system.get("waivers") or [] if isinstance(w, dict)]
    waived = [f for f in system.get("findings") or [] if isinstance(f, dict) and f.get("waived")]
    if not waivers and not waived:
        return '<p class="empty">No waivers.</p>'
    parts = []
    if waivers:
        rows = []
        for waiver in waivers:
            limits = ", ".join(
                f"{key} <code>{e(waiver[key])}</code>"
                for key in ("path", "model", "obligation")
                if waiver.get(key)
            )
            rows.append(
                f'<tr><th scope="row"><code>{e(waiver.get("rule"))}</code>'
                + (f'<div class="small">{limits}</div>' if limits else "")
                + f"</th><td>{e(waiver.get('reason'))}</td><td>{e(waiver.get('owner'))}</td>"
                f'<td class="nowrap">{_time(waiver.get("expires"))}</td>'
                f"<td>{e(waiver.get('status'))}</td><td>{e(waiver.get('waived', 0))}</td></tr>"
            )
        parts.append(
            _table(
                f"{len(waivers)} waivers declared in the manifest",
                ["Rule", "Reason", "Owner", "Expires", "Status", "Findings waived"],
                rows,
            )
        )
    if waived:
        rows = [
            f'<tr><th scope="row" class="nowrap"><code>{e(f.get("rule"))}</code></th>'
            f"<td>{e(f.get('message'))}</td><td>{e(f.get('waiver_reason'))}</td>"
            f"<td>{_location(f)}</td></tr>"
            for f in waived
        ]
        parts.append(
            _table(
                f"{len(waived)} waived findings",
                ["Rule", "Message", "Waiver (owner, expiry)", "Location"],
                rows,
            )
        )
    return "".join(parts)


def _timeline(
    system: Mapping[str, Any],
    ident: str,
    as_of: datetime.date,
    timeline: Mapping[str, Any],
    today: Optional[datetime.date],
) -> str:
    marks = milestones(system, timeline)
    picture = svg(system, marks, as_of, f"{ident}-timeline", today=today)
    rows = []
    for mark in marks:
        state = "applies" if mark.date <= as_of else "to come"
        summary = mark.summary() or "—"
        rows.append(
            f'<tr><td class="nowrap">{_time(mark.date.isoformat())}</td>'
            f'<th scope="row">{e(mark.label)}</th><td>{e(mark.article)}'
            + ("" if mark.verified else ' <span class="unverified">unverified</span>')
            + f"</td><td>{state}</td><td>{e(summary)}</td></tr>"
        )
    table = _table(
        "The same dates as a table",
        ["Date", "Milestone", "Article", "As of the report", "Obligations from this date"],
        rows,
    )
    colours = ", ".join(
        f"{STATUS_SYMBOL[s]} {s} ({name})"
        for s, name in (
            ("met", "green dot"),
            ("missing", "red square"),
            ("unverified", "ochre square"),
            ("open", "amber open square"),
            ("upcoming", "blue ring"),
            ("legacy", "grey dashed ring"),
            ("exempt", "grey diamond"),
        )
        if s in STATUS_COLOUR
    )
    caption = (
        f"Application dates that concern this system, the report date ({e(human_date(as_of))}, "
        f"dashed line) and each obligation at the date it applies from: {e(colours)}. "
        "The table below gives the same dates in words."
    )
    return (
        f'<figure aria-labelledby="{ident}-timeline-caption">{picture}'
        f'<figcaption id="{ident}-timeline-caption" class="small">{caption}</figcaption>'
        f"</figure>{table}"
    )


def _code_spans(text: str) -> str:
    """Escaped text whose `backticked` parts (commands) become <code>."""
    parts = text.split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick: plain text
        return e(text)
    return "".join(f"<code>{e(p)}</code>" if i % 2 else e(p) for i, p in enumerate(parts))


def _lines(lines: Sequence[str], empty: str = "—") -> str:
    return "<br>".join(e(line) for line in lines) or empty


def _about(system: Mapping[str, Any]) -> str:
    """The facts the verdict rests on, where they were read and who reviewed the verdict."""
    from aiact_lint.report.legal_effect import lock_status

    about = system.get("about") or {}
    markets = ", ".join(str(r) for r in about.get("regions") or []) or "not declared"
    if about.get("output_used_in_eu") is True:
        markets += "; output used in the Union"
    if about.get("placed_on_market"):
        markets += f"; placed on the market {about['placed_on_market']}"
    lock = about.get("lock") or system.get("lock")
    state, words = lock_status(lock, str(system.get("manifest")))
    review = f'<span class="lock-{e(state)}">{_code_spans(words)}</span>'
    if isinstance(lock, Mapping) and lock.get("note"):
        review += f'<div class="small">Note: {e(lock["note"])}</div>'
    rows = [
        ("Intended purpose", e(about.get("purpose")) or "not declared"),
        ("Affected persons", e(", ".join(about.get("affected_persons") or [])) or "not declared"),
        ("Markets", e(markets)),
        ("Roles", e(", ".join(system.get("roles") or [])) or "none"),
        ("Manifest", f"<code>{e(system.get('manifest'))}</code>"),
        ("Commit", f"<code>{e(about.get('commit') or 'unknown')}</code>"),
        ("Lock review", review),
    ]
    body = [f'<tr><th scope="row">{k}</th><td>{v}</td></tr>' for k, v in rows]
    return _table("About this system", ["Fact", "Value"], body, "about")


def _value_of(lines: list[str], index: int) -> str:
    """Line ``index`` of a determination summary without its label ("roles: ...")."""
    if index >= len(lines):
        return "—"
    return lines[index].split(": ", 1)[1] if index > 0 and ": " in lines[index] else lines[index]


def _purpose_row(purpose: Any) -> list[str]:
    """The full intended purpose before and after, the removed words struck through and the
    added ones marked (a word diff laid out for reading)."""
    if not isinstance(purpose, Mapping):
        return []
    before, after = purpose.get("before"), purpose.get("after")
    if not isinstance(before, str) or not isinstance(after, str):
        return []
    from aiact_lint.textdiff import sides

    old, new = sides(
        before, after, e, lambda w: f"<del>{e(w)}</del>", lambda w: f"<ins>{e(w)}</ins>"
    )
    return [f'<tr><th scope="row">Intended purpose</th><td>{old}</td><td>{new}</td></tr>']


def _change(record: Optional[Mapping[str, Any]], base: str) -> str:
    """Before and after of one system, the duties that newly apply and those that end."""
    if record is None:
        return ""
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
        label = labels[index] if index < len(labels) else ""
        mark = ' class="changed"' if old != new else ""
        rows.append(
            f'<tr><th scope="row">{e(label)}</th><td>{e(old)}</td><td{mark}>{e(new)}</td></tr>'
        )
    rows += _purpose_row(record.get("purpose"))
    parts = [
        f"<h3>Change since {e(base)}</h3>",
        f"<p><strong>{e(status[0].upper() + status[1:])}.</strong></p>",
        _table(f"Determination at {e(base)} and now", ["Fact", "Before", "After"], rows),
    ]
    for key, title in (
        ("obligations_added", "Duties that newly apply"),
        ("obligations_ended", "Duties that no longer apply"),
    ):
        duties = [d for d in record.get(key) or [] if isinstance(d, Mapping)]
        if not duties:
            continue
        body = [
            f'<tr><th scope="row"><code>{e(d.get("id"))}</code>'
            + (
                f' <span class="small">(model <code>{e(d["model"])}</code>)</span>'
                if d.get("model")
                else ""
            )
            + f'<div class="small">{e(d.get("title"))}</div></th>'
            f'<td class="nowrap">{e(d.get("article"))}</td><td>{e(d.get("role"))}</td>'
            f'<td class="nowrap">{_time(d.get("applies_from"))}</td>'
            f'<td class="status status-{e(d.get("status"))}">{e(d.get("status"))}</td></tr>'
            for d in duties
        ]
        parts.append(
            _table(
                f"{title} ({len(duties)})",
                ["Obligation", "Article", "Role", "Applies from", "Status"],
                body,
            )
        )
    return "".join(parts)


def legal_effect(document: Mapping[str, Any]) -> str:
    """The report's opening "Legal effect of this change" section (``--diff-base``)."""
    from aiact_lint.report.legal_effect import base_label, rows, shown

    if "diff" not in document:
        return ""
    found = rows(document)
    listed = [row for row in found if shown(row)]
    base = base_label(document)
    intro = (
        f"<p>Compared with <code>{e(base)}</code>: {len(listed)} system"
        f"{'' if len(listed) == 1 else 's'} changed, {len(found) - len(listed)} unchanged.</p>"
    )
    body = ""
    if listed:
        table_rows = []
        for row in listed:
            after = _lines(row.after)
            if row.raised and row.after:
                first, _, rest = after.partition("<br>")
                after = f'<span class="raised">{first}</span>' + (f"<br>{rest}" if rest else "")
            table_rows.append(
                f'<tr><th scope="row">{e(row.name)}<div class="small"><code>{e(row.manifest)}'
                f'</code></div><div class="small">{e(row.status_text)}</div></th>'
                f"<td>{_lines(row.before)}</td><td>{after}</td>"
                f'<td class="small">{_lines(row.duties, "none")}</td>'
                f'<td><span class="lock-{e(row.lock_state)}">{_code_spans(row.lock)}</span></td>'
                "</tr>"
            )
        body = _table(
            "Per system: the determination before and after, the duties that newly apply and "
            "the lock",
            ["System", "Before", "After", "Duties that newly apply", "Lock"],
            table_rows,
            "effect",
        )
    else:
        body = '<p class="empty">No change to the legal determination of any system.</p>'
    return (
        '<section class="system" id="legal-effect" aria-labelledby="legal-effect-h">'
        f'<h2 id="legal-effect-h">Legal effect of this change</h2>{intro}{body}</section>'
    )


def _system(
    system: Mapping[str, Any],
    index: int,
    as_of: datetime.date,
    timeline: Mapping[str, Any],
    link: Optional[Link],
    today: Optional[datetime.date],
    change: Optional[Mapping[str, Any]] = None,
    base: str = "",
) -> str:
    ident = f"system-{index}"
    name = system.get("name") or "unnamed system"
    findings = [f for f in system.get("findings") or [] if isinstance(f, dict)]
    return (
        f'<section class="system" id="{ident}" aria-labelledby="{ident}-name">'
        f'<h2 id="{ident}-name"><span>{e(name)}</span> {_risk_badge(system.get("risk"))}</h2>'
        f'<p class="meta">Manifest <code>{e(system.get("manifest"))}</code></p>'
        f"{_about(system)}"
        f"{_change(change, base)}"
        f"<h3>Determination</h3>{_determination(system)}"
        f"<h3>Timeline</h3>{_timeline(system, ident, as_of, timeline, today)}"
        f"<h3>Obligations</h3>{_obligations(system, link)}"
        f"<h3>Open findings</h3>{_findings(findings)}"
        f"<h3>Waivers</h3>{_waivers(system)}"
        "</section>"
    )


def render(
    document: Mapping[str, Any],
    timeline: Mapping[str, Any],
    link: Optional[Link] = None,
    today: Optional[datetime.date] = None,
) -> str:
    as_of = _date(document.get("as_of")) or today_utc()
    systems = [s for s in document.get("systems") or [] if isinstance(s, dict)]
    summary = document.get("summary") or {}
    tool = document.get("tool") or {}
    policy = (document.get("policy") or {}).get("modification")
    title = f"EU AI Act obligations report — {human_date(as_of)}"
    if len(systems) == 1:
        title = f"{systems[0].get('name') or 'AI system'} — {title}"
    cells = [
        ("Systems", summary.get("systems", len(systems))),
        ("Errors", summary.get("error", 0)),
        ("Warnings", summary.get("warning", 0)),
        ("Info", summary.get("info", 0)),
        ("Waived", summary.get("waived", 0)),
    ]
    stats = "".join(f"<div><dt>{k}</dt><dd>{e(v)}</dd></div>" for k, v in cells)
    nav = ""
    if systems:
        entries = "".join(
            f'<li><a href="#system-{i}">{e(s.get("name") or "unnamed system")}</a> — '
            f"{e(RISK_LABEL.get(str(s.get('risk')), 'not determined'))}</li>"
            for i, s in enumerate(systems, 1)
        )
        nav = f'<nav aria-label="Systems"><strong>Systems</strong><ul>{entries}</ul></nav>'
    changes = {
        str(r.get("manifest")): r
        for r in (document.get("diff") or {}).get("systems") or []
        if isinstance(r, Mapping)
    }
    base = str((document.get("diff") or {}).get("base") or "")
    body = "".join(
        _system(
            system,
            index,
            as_of,
            timeline,
            link,
            today,
            changes.get(str(system.get("manifest"))),
            base,
        )
        for index, system in enumerate(systems, 1)
    )
    if not systems:
        body = '<p class="empty">No aiact.yaml manifest was found.</p>'
    others = findings_outside_systems(document, systems)
    if others:
        body += (
            '<section class="system" id="other-findings" aria-labelledby="other-findings-h">'
            '<h2 id="other-findings-h">Findings outside the systems</h2>'
            f"{_findings(others, ' about no single system')}</section>"
        )
    law = document.get("law") or "Regulation (EU) 2024/1689"
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="{e(tool.get("name", "aiact-lint"))} '
        f'{e(tool.get("version", ""))}">\n'
        '<link rel="icon" href="data:,">\n'
        f"<title>{e(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        '<header class="page"><h1>EU AI Act obligations report</h1>'
        f'<p class="meta">As of <strong>{_time(as_of.isoformat())}</strong> under {e(law)}'
        + (f" · modification policy <code>{e(policy)}</code>" if policy else "")
        + f" · {e(tool.get('name', 'aiact-lint'))} {e(tool.get('version', ''))}</p>"
        f'<dl class="summary">{stats}</dl></header>\n'
        f"{nav}\n<main>{legal_effect(document)}{body}</main>\n"
        "<footer><p>Generated by aiact-lint from the aiact.yaml manifests and the repository. "
        "Application dates follow Art. 113 as amended by Regulation (EU) 2026/1744 and Art. 111; "
        "facts marked unverified rest on text not checked against EUR-Lex. Not legal advice."
        "</p></footer>\n</body>\n</html>\n"
    )
