"""Renderings of the `register` document (aiact_lint/register.py): Markdown and JSON."""

from __future__ import annotations

import json
from typing import Any

from aiact_lint.report import encodable


def _cell(text: Any) -> str:
    value = " ".join(str(text).split())
    return value.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


def _value(field: dict[str, Any]) -> str:
    value = field.get("value")
    if isinstance(value, dict):
        shown = "; ".join(f"{k}: {v}" for k, v in value.items())
    else:
        shown = "" if value is None else str(value)
    for name, part in (field.get("parts") or {}).items():
        shown += f"{'; ' if shown else ''}{name.replace('_', ' ')}: {part['value']}"
    return shown


def _where(field: dict[str, Any]) -> str:
    status = field["status"]
    if status == "gap":
        return "**gap**: declare " + ", ".join(f"`{k}`" for k in field["declare"])
    if status == "not_submitted":
        return str(field.get("note", ""))
    if status == "where_applicable":
        return "not declared (where applicable)"
    if status == "optional":
        return "not declared (optional)"
    sources = [field.get("source")] + [p["source"] for p in (field.get("parts") or {}).values()]
    return ", ".join(f"`{s}`" for s in sources if s)


def markdown(document: dict[str, Any]) -> str:
    document = encodable(document)
    lines = [
        "# EU database registration draft (Art. 49, Annex VIII)",
        "",
        f"{document['law']}, as of {document['as_of']}. A draft to review, not a submission.",
    ]
    if not document.get("annex_viii_verified", True):
        lines += ["", f"> UNVERIFIED: {document.get('note', '')}"]
    for system in document["systems"]:
        lines += ["", f"## {_cell(system.get('name') or system['manifest'])}", ""]
        lines.append(f"Manifest: `{_cell(system['manifest'])}`")
        state = system.get("registration")
        reason = system.get("reason")
        if state == "not_checked":
            lines += ["", f"Not checked: {system.get('reason', '')}; run `aiact-lint check`."]
            continue
        if state == "unknown" and not isinstance(reason, dict):
            lines += ["", "**Undecided**: registration turns on facts the manifest does not state."]
        if state == "legacy":
            lines += [
                "",
                "**Legacy (Art. 111(2))**: due when the system's design changes significantly.",
            ]
        if state in ("not_required", "unknown") and isinstance(reason, dict):
            verdict = "No registration needed" if state == "not_required" else "Undecided"
            lines += ["", f"**{verdict}**: {_cell(reason['text'])} ({reason['article']})."]
        for note in system.get("notes") or ():
            lines += ["", f"**{note['article']}**: {_cell(note['text'])}"]
        for question in system.get("questions") or ():
            then = (
                f"Declare `{_cell(question['declare'])}`."
                if question.get("declare")
                else "`aiact-lint check` shows how to resolve it."
            )
            lines += [
                "",
                f"**Question** ({question['article']}): {_cell(question['question'])} {then}",
            ]
        for section in system.get("sections") or ():
            obligation = section["obligation"]
            lines += [
                "",
                f"### {section['title']} ({section['article']})",
                "",
                f"Obligation `{obligation['id']}`: {obligation['status']}, applies from "
                f"{obligation['applies_from']}. Gaps: {section['gaps']}.",
            ]
            if section.get("conditional"):
                lines.append("Applies only if the open facts above hold (see the questions).")
            if section["secure_non_public_section"]:
                lines.append("Registered in the secure non-public section (Art. 49(4)).")
            lines += [
                "",
                "| Point | Information | Value | From / to declare |",
                "|---|---|---|---|",
            ]
            for field in section["fields"]:
                lines.append(
                    f"| {field['point']} | {_cell(field['text'])} | {_cell(_value(field))} "
                    f"| {_where(field)} |"
                )
    return "\n".join(lines) + "\n"


def as_json(document: dict[str, Any]) -> str:
    return json.dumps(encodable(document), indent=2, ensure_ascii=False) + "\n"
