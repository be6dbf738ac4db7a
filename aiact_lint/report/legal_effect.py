"""The "Legal effect of this change" section, as plain text rows the renderers escape and lay out.

Read from the result document's ``diff`` (``--diff-base``): per system the determination before
and after, the duties that newly apply with their dates, and the lock's status. Shared by the
step summary (report/markdown.py) and the HTML and Markdown reports (report_doc/); it words the
data and decides nothing.
"""

from __future__ import annotations

import posixpath
from typing import Any, Mapping, NamedTuple, Optional

MAX_DUTIES = 8
TIER = {
    "prohibited": "prohibited",
    "high": "high-risk",
    "limited": "limited risk",
    "minimal": "minimal risk",
    "out_of_scope": "out of scope",
}
ROUTE_LABELS = (
    ("art5:", "Art. 5(1)"),
    ("annex_iii:", "Annex III "),
    ("annex_i:", "Annex I "),
    ("art50:", "Art. 50"),
)
STATUS = {
    "added": "new system",
    "removed": "removed",
    "moved": "moved",
    "changed": "changed",
    "unchanged": "unchanged",
    "not_compared": "not compared (unreadable at the base revision)",
}


class Row(NamedTuple):
    name: str
    manifest: str
    status: str  # a key of STATUS
    status_text: str
    before: list[str]  # lines
    after: list[str]
    raised: bool  # the tier went up (or a high-risk system appeared)
    duties: list[str]
    lock_state: str  # matches | reviewed | differs | missing | unreadable | none
    lock: str


def route_label(route: str) -> str:
    for prefix, label in ROUTE_LABELS:
        if route.startswith(prefix):
            value = route[len(prefix) :]
            if prefix == "art50:":
                return f"{label}({value})"
            return label + value
    if route == "art6_3_derogation":
        return "Art. 6(3) derogation"
    return route


def determination_lines(facts: Optional[Mapping[str, Any]], full: bool = False) -> list[str]:
    """Tier with routes, roles, models (GPAI status): one line each; ``full`` keeps the models
    line when there are none, so that before and after line up."""
    if not facts:
        return []
    risk = str(facts.get("risk"))
    routes = [route_label(str(r)) for r in facts.get("routes") or []]
    lines = [TIER.get(risk, risk) + (f" ({', '.join(routes)})" if routes else "")]
    roles = [str(r) for r in facts.get("roles") or []]
    lines.append("roles: " + (", ".join(roles) or "none"))
    models = [m for m in facts.get("models") or [] if isinstance(m, Mapping)]
    if models or full:
        described = ", ".join(f"{m.get('id')} ({m.get('gpai_status')})" for m in models)
        lines.append("models: " + (described or "none"))
    return lines


RANK = {"out_of_scope": -1, "minimal": 0, "limited": 1, "high": 2, "prohibited": 3}


def _raised(record: Mapping[str, Any]) -> bool:
    before = (record.get("before") or {}).get("risk")
    after = (record.get("after") or {}).get("risk")
    if after is None:
        return False
    if before is None:
        return after in ("high", "prohibited")
    return RANK.get(str(after), 0) > RANK.get(str(before), 0)


STATUS_WORDS = {
    "legacy": "legacy system: only after a significant change in its design, Art. 111(2)",
}


def _duties(record: Mapping[str, Any], as_of: str) -> list[str]:
    """One line per date and status: the duties that newly apply (from a coming date, or since
    one, with their status), in the law table's order."""
    items = [d for d in record.get("obligations_added") or [] if isinstance(d, Mapping)]
    groups: dict[tuple[str, str], list[str]] = {}
    for duty in items:
        name = f"{duty.get('id')} ({duty.get('article')})"
        if duty.get("model"):
            name = f"{duty.get('id')} for model {duty['model']} ({duty.get('article')})"
        key = (str(duty.get("applies_from")), str(duty.get("status")))
        groups.setdefault(key, []).append(name)
    lines = []
    for (when, status), names in sorted(groups.items()):
        shown = ", ".join(names[:MAX_DUTIES])
        if len(names) > MAX_DUTIES:
            shown += f" and {len(names) - MAX_DUTIES} more"
        head = f"from {when}" if when > as_of else f"since {when}"
        if status != "upcoming":
            head += f" ({STATUS_WORDS.get(status, status)})"
        lines.append(f"{head}: {shown}")
    return lines


def lock_command(manifest: str) -> str:
    folder = posixpath.dirname(manifest)
    return 'aiact-lint lock --reviewer "NAME"' + (f" {folder}" if folder else "")


def lock_status(lock: Optional[Mapping[str, Any]], manifest: str) -> tuple[str, str]:
    """(state, words) of a system's lock for a reader."""
    if not lock:
        return "none", "no lock (the system is gone or was not determined)"
    status = str(lock.get("status"))
    who = f"{lock.get('reviewed_by')} on {lock.get('reviewed_on')}"
    if status == "matches":
        if lock.get("reviewed_in_this_change"):
            return "reviewed", f"reviewed in this change by {who}"
        return "matches", f"matches the review by {who}"
    if status == "differs":
        return "differs", f"differs from the review by {who}: run `{lock_command(manifest)}`"
    if status == "unreadable":
        return "unreadable", f"{lock.get('path')} cannot be read: run `{lock_command(manifest)}`"
    return "missing", f"no lock: run `{lock_command(manifest)}` after review"


def _purpose_line(record: Mapping[str, Any]) -> list[str]:
    """A kept system whose intended purpose changed says so: the tier may be the same while
    the classification has to be redone for the new purpose (Art. 3(12), Art. 3(23))."""
    return ["intended purpose changed"] if isinstance(record.get("purpose"), Mapping) else []


def rows(document: Mapping[str, Any]) -> list[Row]:
    diff = document.get("diff") or {}
    found = []
    for record in diff.get("systems") or []:
        if not isinstance(record, Mapping):
            continue
        manifest = str(record.get("manifest"))
        status = str(record.get("status"))
        text = STATUS.get(status, status)
        if status == "moved" and record.get("moved_from"):
            text = f"moved from {record['moved_from']}"
        state, words = lock_status(record.get("lock"), manifest)
        found.append(
            Row(
                name=str(record.get("name") or "unnamed system"),
                manifest=manifest,
                status=status,
                status_text=text,
                before=determination_lines(record.get("before")),
                after=determination_lines(record.get("after")) + _purpose_line(record),
                raised=_raised(record),
                duties=_duties(record, str(document.get("as_of") or "")),
                lock_state=state,
                lock=words,
            )
        )
    return found


def shown(row: Row) -> bool:
    """Whether the section lists the system: it changed, or its lock needs attention."""
    return row.status != "unchanged" or row.lock_state in ("differs", "unreadable")


def base_label(document: Mapping[str, Any]) -> str:
    return str((document.get("diff") or {}).get("base") or "the base revision")
