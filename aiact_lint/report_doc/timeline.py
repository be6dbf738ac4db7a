"""The timeline of one system: the application dates that concern it, as data and as inline SVG.

Dates come from ``law/timeline.yaml`` (Art. 113 as amended by Regulation (EU) 2026/1744, Art.
111) and from the system's own obligations; which milestones concern a system is read from its
determination (routes, models, obligations, findings) in the result document. The picture marks
the ``as_of`` date and every obligation at the date it applies from, shaped by its status (shape
and colour both, so that it survives greyscale printing). Every text in it is escaped.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from html import escape
from typing import Any, Callable, Mapping, Optional

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
STATUSES = ("met", "missing", "unverified", "open", "upcoming", "legacy", "exempt")
STATUS_LABEL = {
    "met": "met",
    "missing": "missing",
    "unverified": "unverified (not found in the code)",
    "open": "open (a fact to declare)",
    "upcoming": "upcoming",
    "legacy": "legacy (Art. 111(2))",
    "exempt": "exempt",
}
STATUS_COLOUR = {
    "met": "#1a7f37",
    "missing": "#c62828",
    "unverified": "#9a6700",
    "open": "#b45309",
    "upcoming": "#1f5fbf",
    "legacy": "#6b7280",
    "exempt": "#6b7280",
}
FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'

System = Mapping[str, Any]


def human_date(day: datetime.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


@dataclass
class Milestone:
    key: str
    date: datetime.date
    label: str
    article: str
    obligations: list[dict[str, Any]] = field(default_factory=list)
    verified: bool = True

    def counts(self) -> dict[str, int]:
        counts = {status: 0 for status in STATUSES}
        for item in self.obligations:
            status = str(item.get("status"))
            counts[status] = counts.get(status, 0) + 1
        return {status: n for status, n in counts.items() if n}

    def summary(self) -> str:
        counts = self.counts()
        if not counts:
            return ""
        noun = "obligation" if sum(counts.values()) == 1 else "obligations"
        parts = [f"{n} {STATUS_LABEL.get(s, s)}" for s, n in counts.items()]
        return f"{', '.join(parts)} {noun}"


def _routes(system: System) -> list[str]:
    return [str(r) for r in system.get("routes") or []]


def _obligations(system: System) -> list[dict[str, Any]]:
    return [o for o in system.get("obligations") or [] if isinstance(o, dict)]


def _rules(system: System) -> set[str]:
    return {str(f.get("rule")) for f in system.get("findings") or [] if isinstance(f, dict)}


def _has_gpai(system: System) -> bool:
    """GPAI model duties concern the system when we provide a GPAI model (not when we use one)."""
    provided = any(
        m.get("we_are_model_provider") and m.get("gpai_status") in ("gpai", "gpai_systemic_risk")
        for m in system.get("models") or []
        if isinstance(m, dict)
    )
    return provided or any(str(o.get("id")).startswith("gpai") for o in _obligations(system))


# (timeline key, label, relevant?) in date order; "always" milestones frame every system.
Relevance = Callable[[System], bool]
MILESTONES: tuple[tuple[str, str, Relevance], ...] = (
    ("entry_into_force", "Entry into force", lambda s: True),
    ("prohibitions", "Prohibitions (Art. 5) and AI literacy (Art. 4)", lambda s: True),
    ("gpai", "General-purpose AI model duties", _has_gpai),
    (
        "general",
        "General application; Art. 50 transparency",
        lambda s: True,
    ),
    (
        "prohibitions_2026",
        "New prohibitions, Art. 5(1)(ba)-(bb)",
        lambda s: (
            "AIA402" in _rules(s)
            or any(r in ("art5:(ba)", "art5:(bb)", "art50:4") for r in _routes(s))
        ),
    ),
    ("transparency_marking_legacy", "Art. 50(2) marking, systems placed before", lambda s: False),
    ("gpai_legacy", "GPAI models placed before 2 Aug 2025", lambda s: False),
    (
        "high_risk_annex_iii",
        "High-risk, Annex III (Art. 6(2))",
        lambda s: any(r.startswith("annex_iii:") or r == "art6_3_derogation" for r in _routes(s)),
    ),
    (
        "high_risk_annex_i",
        "High-risk, Annex I products (Art. 6(1))",
        lambda s: any(r.startswith("annex_i:") for r in _routes(s)),
    ),
    (
        "high_risk_public_authorities",
        "Legacy high-risk systems of public authorities",
        lambda s: False,
    ),
)


def _date(value: Any) -> Optional[datetime.date]:
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None


def milestones(system: System, table: Mapping[str, Any]) -> list[Milestone]:
    """The dates that concern ``system``, each with the obligations applying from it."""
    entries = dict(table.get("dates") or {})
    entries["entry_into_force"] = table.get("entry_into_force") or {}
    found: dict[datetime.date, Milestone] = {}
    for key, label, relevant in MILESTONES:
        entry = entries.get(key) or {}
        day = _date(entry.get("date"))
        if day is None or not relevant(system) or day in found:
            continue
        found[day] = Milestone(
            key, day, label, str(entry.get("article", "")), verified=entry.get("verified") is True
        )
    labels = {key: label for key, label, _ in MILESTONES}
    for item in _obligations(system):
        day = _date(item.get("applies_from"))
        if day is None:
            continue
        if day not in found:
            # A date only an obligation brings in (a transitional date): name it from the table.
            key = _entry_for(entries, day, str(item.get("article", "")))
            entry = entries.get(key) or {}
            found[day] = Milestone(
                key or "obligation",
                day,
                labels.get(key, "Obligations apply"),
                str(entry.get("article", item.get("article", ""))),
                verified=entry.get("verified", True) is True,
            )
        found[day].obligations.append(item)
    return [found[day] for day in sorted(found)]


def _entry_for(entries: Mapping[str, Any], day: datetime.date, article: str) -> str:
    """The timeline entry of ``day`` that best fits an obligation's article ('' if none)."""
    same = [k for k, e in entries.items() if isinstance(e, dict) and _date(e.get("date")) == day]
    head = article.split(",")[0].split("(")[0].strip()  # "Art. 50(2), ..." -> "Art. 50"
    for key in same:
        if head and head in str(entries[key].get("article", "")):
            return key
    return same[0] if same else ""


# --- the picture ------------------------------------------------------------------------------

WIDTH = 960
PAD_X = 48
DOT = 10  # size of an obligation mark
DOT_GAP = 13
ROWS = 5  # obligation marks per column above a date
CHAR_W = 7.0  # average width of a 13px character, for laying out labels
LINE_H = 16


def _shape(status: str, x: float, y: float, title: str) -> str:
    colour = STATUS_COLOUR.get(status, "#6b7280")
    half = DOT / 2
    tip = f"<title>{escape(title)}</title>"
    if status == "met":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{half:.1f}" fill="{colour}">{tip}</circle>'
    if status in ("missing", "unverified"):
        return (
            f'<rect x="{x - half:.1f}" y="{y - half:.1f}" width="{DOT}" height="{DOT}" '
            f'fill="{colour}">{tip}</rect>'
        )
    if status == "upcoming":
        return (
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{half - 1:.1f}" fill="#ffffff" '
            f'stroke="{colour}" stroke-width="2">{tip}</circle>'
        )
    if status == "open":
        return (
            f'<rect x="{x - half + 1:.1f}" y="{y - half + 1:.1f}" width="{DOT - 2}" '
            f'height="{DOT - 2}" fill="#ffffff" stroke="{colour}" stroke-width="2">{tip}</rect>'
        )
    if status == "legacy":
        return (
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{half - 1:.1f}" fill="#ffffff" '
            f'stroke="{colour}" stroke-width="2" stroke-dasharray="2 2">{tip}</circle>'
        )
    corners = ((x, y - half), (x + half, y), (x, y + half), (x - half, y))
    points = " ".join(f"{px:.1f},{py:.1f}" for px, py in corners)
    return f'<polygon points="{points}" fill="{colour}">{tip}</polygon>'


def _label_lines(mark: Milestone) -> list[tuple[str, str, str]]:
    lines = [
        (human_date(mark.date), "600", "#111827"),
        (mark.label, "400", "#111827"),
        (mark.article + ("" if mark.verified else " (unverified)"), "400", "#4b5563"),
    ]
    summary = mark.summary()
    if summary:
        lines.append((summary, "600", _summary_colour(mark)))
    return lines


def _label_width(mark: Milestone) -> float:
    return max(_text_width(text) for text, _, _ in _label_lines(mark)) + 6


def _text_width(text: str, size: float = 13) -> float:
    return len(text) * CHAR_W * size / 13


def svg(
    system: System,
    marks: list[Milestone],
    as_of: datetime.date,
    ident: str,
    today: Optional[datetime.date] = None,
) -> str:
    """An accessible inline SVG: ``role=img`` with a title and a description (``ident`` makes
    their ids unique in the page)."""
    days = [m.date for m in marks] + [as_of]
    start = min(days) - datetime.timedelta(days=75)
    length = (max(days) - start).days + 120
    if marks:
        # Room after the last milestone for its label, so that it reads left to right.
        axis = WIDTH - 2 * PAD_X
        room = WIDTH - 4 - PAD_X - _label_width(marks[-1])
        offset = (marks[-1].date - start).days
        if room > axis / 3:
            length = max(length, min(2 * length, int(axis * offset / room) + 1))
    end = start + datetime.timedelta(days=length)
    span = max((end - start).days, 1)

    def x_of(day: datetime.date) -> float:
        return PAD_X + (WIDTH - 2 * PAD_X) * (day - start).days / span

    most = max((len(m.obligations) for m in marks), default=0)
    rows = min(most, ROWS)
    top = 34  # room for the as-of label
    axis_y = top + 12 + rows * DOT_GAP + 10
    parts: list[str] = []
    # Years along the axis.
    for year in range(start.year + 1, end.year + 1):
        x = x_of(datetime.date(year, 1, 1))
        parts.append(
            f'<line x1="{x:.1f}" y1="{axis_y - 4}" x2="{x:.1f}" y2="{axis_y + 4}" '
            'stroke="#9aa3ad"/>'
            f'<text x="{x:.1f}" y="{axis_y + 17}" text-anchor="middle" font-size="11" '
            f'fill="#4b5563">{year}</text>'
        )
    # The axis: the part already in the past drawn solid.
    x_now = x_of(as_of)
    parts.insert(
        0,
        f'<line x1="{PAD_X - 8}" y1="{axis_y}" x2="{WIDTH - PAD_X + 8}" y2="{axis_y}" '
        f'stroke="#c3c9d1" stroke-width="4" stroke-linecap="round"/>'
        f'<line x1="{PAD_X - 8}" y1="{axis_y}" x2="{x_now:.1f}" y2="{axis_y}" '
        f'stroke="#374151" stroke-width="4" stroke-linecap="round"/>',
    )
    # Labels below the axis, in lanes so that they never overlap.
    lanes: list[float] = []  # right edge of the last label in each lane
    label_top = axis_y + 30
    lane_h = 4 * LINE_H + 8
    labels: list[str] = []
    for mark in marks:
        x = x_of(mark.date)
        lines = _label_lines(mark)
        width = _label_width(mark)
        anchor = "start"
        x0 = x - 4
        if x0 + width > WIDTH - 4:
            anchor, x0 = "end", x + 4 - width
        lane = next((i for i, right in enumerate(lanes) if right + 10 < x0), None)
        if lane is None:
            lanes.append(0.0)
            lane = len(lanes) - 1
        lanes[lane] = x0 + width
        y = label_top + lane * lane_h
        tx = x + 5 if anchor == "start" else x - 5
        labels.append(
            f'<line x1="{x:.1f}" y1="{axis_y + 7}" x2="{x:.1f}" y2="{y + 2 * LINE_H + 4}" '
            f'stroke="#9aa3ad" stroke-dasharray="2 3"/>'
        )
        for row, (text, weight, colour) in enumerate(lines):
            labels.append(
                f'<text x="{tx:.1f}" y="{y + row * LINE_H + 11}" text-anchor="{anchor}" '
                f'font-size="13" font-weight="{weight}" fill="{colour}">{escape(text)}</text>'
            )
        # The milestone on the axis: filled once it applies, hollow before.
        applies = mark.date <= as_of
        fill = "#374151" if applies else "#ffffff"
        state = "applies" if applies else "not yet applicable"
        parts.append(
            f'<circle cx="{x:.1f}" cy="{axis_y}" r="7" fill="{fill}" stroke="#374151" '
            f'stroke-width="2"><title>{escape(human_date(mark.date))}: '
            f"{escape(mark.label)} ({state})</title></circle>"
        )
        # One mark per obligation above its date, by status.
        ordered = sorted(
            mark.obligations,
            key=lambda o: STATUSES.index(o.get("status")) if o.get("status") in STATUSES else 9,
        )
        columns = (len(ordered) + ROWS - 1) // ROWS
        for n, item in enumerate(ordered):
            column, row = divmod(n, ROWS)
            cx = x + (column - (columns - 1) / 2) * DOT_GAP
            cy = axis_y - 16 - row * DOT_GAP
            title = f"{item.get('id')} ({item.get('article')}): {item.get('status')}"
            parts.append(_shape(str(item.get("status")), cx, cy, title))
    height_lanes = max(len(lanes), 1) * lane_h
    legend_y = label_top + height_lanes + 14
    # The as-of marker, over everything else.
    # Always "As of": the report depends on --as-of, never on the clock (``today`` is unused).
    now_text = f"As of: {human_date(as_of)}"
    anchor = "middle"
    if x_now + _text_width(now_text) / 2 > WIDTH - 4:
        anchor = "end"
    elif x_now - _text_width(now_text) / 2 < 4:
        anchor = "start"
    parts.append(
        f'<line x1="{x_now:.1f}" y1="{top - 6}" x2="{x_now:.1f}" y2="{axis_y + 10}" '
        f'stroke="#b45309" stroke-width="2" stroke-dasharray="6 4"/>'
        f'<text x="{x_now:.1f}" y="{top - 12}" text-anchor="{anchor}" font-size="13" '
        f'font-weight="700" fill="#92400e">{escape(now_text)}</text>'
    )
    legend = _legend(legend_y)
    height = legend_y + 18
    title_id, desc_id = f"{ident}-title", f"{ident}-desc"
    name = str(system.get("name") or "unnamed system")
    description = describe(marks, as_of)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" font-family="{escape(FONT)}" '
        f'aria-labelledby="{title_id} {desc_id}" class="timeline">'
        f'<title id="{title_id}">Timeline of the EU AI Act dates for {escape(name)}</title>'
        f'<desc id="{desc_id}">{escape(description)}</desc>'
        + "".join(parts)
        + "".join(labels)
        + legend
        + "</svg>"
    )


def _summary_colour(mark: Milestone) -> str:
    counts = mark.counts()
    if counts.get("missing"):
        return STATUS_COLOUR["missing"]
    if counts.get("unverified"):
        return STATUS_COLOUR["unverified"]
    if counts.get("upcoming"):
        return STATUS_COLOUR["upcoming"]
    if counts.get("met"):
        return STATUS_COLOUR["met"]
    return STATUS_COLOUR["exempt"]


def _legend(y: float) -> str:
    items = []
    x: float = PAD_X - 8
    for status in STATUSES:
        items.append(_shape(status, x + DOT / 2, y, f"obligation {status}"))
        text = f"obligation {STATUS_LABEL[status]}"
        items.append(
            f'<text x="{x + DOT + 6:.1f}" y="{y + 4}" font-size="13" fill="#374151">{text}</text>'
        )
        x += DOT + 6 + _text_width(text) + 22
    items.append(
        f'<circle cx="{x + 6:.1f}" cy="{y}" r="6" fill="#374151" stroke="#374151" '
        f'stroke-width="2"/><text x="{x + 18:.1f}" y="{y + 4}" font-size="13" '
        f'fill="#374151">date applies</text>'
    )
    x += 18 + _text_width("date applies") + 22
    items.append(
        f'<circle cx="{x + 6:.1f}" cy="{y}" r="6" fill="#ffffff" stroke="#374151" '
        f'stroke-width="2"/><text x="{x + 18:.1f}" y="{y + 4}" font-size="13" '
        f'fill="#374151">date to come</text>'
    )
    return '<g class="legend">' + "".join(items) + "</g>"


def describe(marks: list[Milestone], as_of: datetime.date) -> str:
    """The picture in words (its SVG description, and the page's text alternative)."""
    parts = []
    for mark in marks:
        state = "applies" if mark.date <= as_of else "to come"
        summary = mark.summary()
        parts.append(
            f"{human_date(mark.date)}: {mark.label} ({mark.article}), {state}"
            + (f"; {summary}" if summary else "")
        )
    return f"As of {human_date(as_of)}. " + ". ".join(parts) + "."
