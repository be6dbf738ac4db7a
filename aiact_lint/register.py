"""`aiact-lint register`: the EU-database registration draft (Art. 49, Annex VIII) per system.

Which section a system needs is read from the engine's obligations (``registration``,
``derogation_registration``, ``deployer_registration``), never re-derived here; the fields of
each section and the manifest keys that fill them are data (law/registration.yaml). Every
field the manifest cannot fill is a gap naming the key to declare; a system that needs no
registration says why, and an open fact that could make it need one is a question, not a "no".
"""

from __future__ import annotations

import datetime
from typing import Any, Optional

from aiact_lint.lawdata import table
from aiact_lint.manifest import Manifest
from aiact_lint.result import CheckResult, SystemResult

QUESTION_RULES = ("AIA3",)  # open risk-classification findings that could change the answer


def _value(manifest: Manifest, key: str) -> Any:
    return manifest.get(*key.split("."))


def _member_states(regions: Any) -> Optional[str]:
    if not isinstance(regions, list):
        return None
    from aiact_lint.classify import union_codes

    codes = [r for r in regions if isinstance(r, str)]
    if "EU" in codes or "EEA" in codes:
        return "all Member States (market.regions: " + ", ".join(codes) + ")"
    union = [c for c in codes if c in union_codes()]
    return ", ".join(union) if union else None


def _status(placed: Any, as_of: datetime.date) -> Optional[str]:
    from aiact_lint.yamlsafe import iso_date

    date = iso_date(placed)
    if date is None:
        return None
    if date <= as_of:
        return f"on the market / in service (since {date.isoformat()})"
    return f"not yet placed on the market (planned for {date.isoformat()})"


def _read(
    manifest: Manifest, source: dict[str, Any], as_of: datetime.date
) -> tuple[Any, list[str]]:
    """(the value, the sub-keys still to declare) of one source; value None when undeclared."""
    key, kind = source["key"], source["kind"]
    raw = _value(manifest, key)
    if kind == "party":
        if not isinstance(raw, dict):
            return None, []
        fields = table("registration")["party_fields"]
        found = {f: raw[f] for f in fields if isinstance(raw.get(f), str) and raw[f].strip()}
        return (found or None), [f"{key}.{f}" for f in fields if f not in found]
    if kind == "status":
        return _status(raw, as_of), []
    if kind == "member_states":
        return _member_states(raw), []
    if kind == "list":
        items = [str(v) for v in raw] if isinstance(raw, list) else []
        return (", ".join(items) or None), []
    if isinstance(raw, bool) or raw is None or raw == "":
        return None, []
    if kind == "document":
        return (f"{raw} (attach a copy)" if isinstance(raw, str) else None), []
    return (str(raw) if isinstance(raw, (str, int, float)) else None), []


def _field(
    manifest: Manifest, spec: dict[str, Any], restricted: bool, as_of: datetime.date
) -> dict[str, Any]:
    out: dict[str, Any] = {"point": spec["point"], "id": spec["id"], "text": spec["text"]}
    if restricted and (spec.get("omit_if_restricted") or not spec.get("restricted")):
        out.update(status="not_submitted", note="not part of the Art. 49(4) secure section")
        return out
    main = [s for s in spec["sources"] if "part" not in s]
    parts = [s for s in spec["sources"] if "part" in s]
    value: Any = None
    source: Optional[str] = None
    missing: list[str] = []
    for candidate in main:
        value, missing = _read(manifest, candidate, as_of)
        if value is not None:
            source = candidate["key"]
            break
    gaps = list(missing) if value is not None else []
    if value is None and spec["applies"] == "always":
        gaps.append(main[0]["key"])
    extra: dict[str, Any] = {}
    for name in sorted({p["part"] for p in parts}):
        options = [p for p in parts if p["part"] == name]
        for candidate in options:
            found, _ = _read(manifest, candidate, as_of)
            if found is not None:
                extra[name] = {"value": found, "source": candidate["key"]}
                break
        else:
            if all(p.get("required", True) for p in options):
                gaps.append(options[0]["key"])
    if value is not None:
        out.update(value=value, source=source)
    if extra:
        out["parts"] = extra
    if gaps:
        out.update(status="gap", declare=gaps)
    elif value is None:
        out["status"] = "optional" if spec["applies"] == "optional" else "where_applicable"
    else:
        out["status"] = "filled"
    return out


def _annex_points(system: SystemResult, manifest: Manifest) -> list[str]:
    points = [r.split(":", 1)[1] for r in system.routes if r.startswith("annex_iii:")]
    if not points:  # an Art. 6(3) derogation lists no Annex III route
        declared = manifest.get("use_case", "annex_iii", default=[])
        points = [p for p in declared if isinstance(p, str)] if isinstance(declared, list) else []
    return points


def _restricted(system: SystemResult, manifest: Manifest) -> tuple[bool, Optional[dict[str, str]]]:
    """(Art. 49(4) secure section applies, a question when that turns on an undeclared fact)."""
    rules = table("registration")["restricted_section"]
    areas = {p.split("(")[0] for p in _annex_points(system, manifest)}
    if areas & set(rules["annex_iii_areas"]):
        return True, None
    if areas & set(rules["annex_iii_areas_if_enforcement"]):
        fact = _value(manifest, rules["enforcement_fact"])
        if fact is True:
            return True, None
        if fact is None:
            return False, {
                "article": rules["article"],
                "question": "Is the Annex III point 1 (biometrics) system used in law "
                "enforcement, migration, asylum or border control management? Then it is "
                "registered in the secure non-public section with fewer points.",
                "declare": rules["enforcement_fact"],
            }
    return False, None


def _no_registration(system: SystemResult, manifest: Manifest) -> Optional[str]:
    routes = system.routes
    annex_iii = any(r.startswith("annex_iii:") for r in routes)
    if system.in_scope is False:
        return "out_of_scope"
    if system.risk == "prohibited":
        return "prohibited"
    if system.risk == "high" and not annex_iii and any(r.startswith("annex_i:") for r in routes):
        return "annex_i_only"
    if system.risk != "high" and "art6_3_derogation" not in routes:
        return "not_high_risk"
    if "deployer" in system.roles and manifest.get("organisation", "public_authority") is False:
        return "deployer_not_public"
    return "other_role"


def _questions(system: SystemResult, sections: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The engine's open facts a section hangs on (obligation status ``open``), and open
    risk-classification findings: each could change whether or how the system registers."""
    questions: list[dict[str, Any]] = []
    for section in sections:
        for fact in section["obligation"].get("open_facts") or ():
            questions.append(
                {
                    "article": section["article"],
                    "question": f"Section {section['section']} ({section['title']}) applies if "
                    f"{fact} holds, which the manifest does not state.",
                    "declare": fact,
                }
            )
    for finding in system.findings:
        if finding.waived or finding.severity == "info":
            continue
        if finding.rule.startswith(QUESTION_RULES):
            questions.append(
                {
                    "article": finding.article,
                    "question": f"{finding.rule}: {finding.message}.",
                    "declare": None,
                }
            )
    return questions


def draft(system: SystemResult, manifest: Manifest, as_of: datetime.date) -> dict[str, Any]:
    """The registration draft of one system (JSON-ready)."""
    law = table("registration")
    out: dict[str, Any] = {"manifest": system.manifest, "name": system.name}
    if not manifest.valid:
        out.update(registration="not_checked", reason="the manifest has input errors")
        return out
    obligations = {o["id"]: o for o in system.obligations}
    restricted, restricted_question = _restricted(system, manifest)
    sections = []
    for spec in law["sections"]:
        obligation = obligations.get(spec["obligation"])
        if obligation is None or obligation["status"] == "exempt":
            continue
        fields = [_field(manifest, f, restricted, as_of) for f in spec["fields"]]
        sections.append(
            {
                "section": spec["id"],
                "title": spec["title"],
                "article": spec["article"],
                "obligation": {
                    k: obligation.get(k)
                    for k in ("id", "status", "applies_from", "evidence", "open_facts")
                    if k in obligation
                },
                # status open: applies only if facts the manifest does not state hold
                "conditional": obligation["status"] == "open",
                "secure_non_public_section": restricted,
                "fields": fields,
                "gaps": sum(1 for f in fields if f["status"] == "gap"),
            }
        )
    notes = [
        {"article": item["article"], "text": item["text"]}
        for item in law["elsewhere"]
        if item["obligation"] in obligations
    ]
    questions = _questions(system, sections)
    if restricted_question and sections:
        questions.append(restricted_question)
    statuses = {section["obligation"]["status"] for section in sections}
    if statuses - {"open", "legacy"}:
        out["registration"] = "required"
    elif "open" in statuses:
        out["registration"] = "unknown"  # a question, never a silent "no"
    elif statuses:
        out["registration"] = "legacy"  # Art. 111(2): due at the next significant change
    elif notes:
        out["registration"] = "national"
    else:
        why = _no_registration(system, manifest)
        reason = next(r for r in law["no_registration"] if r["when"] == why)
        # An open risk fact matters only where the risk tier is why no registration is due.
        undecided = bool(questions) and why == "not_high_risk"
        out["registration"] = "unknown" if undecided else "not_required"
        out["reason"] = {"article": reason["article"], "text": reason["text"]}
    out.update(sections=sections, notes=notes, questions=questions)
    return out


def drafts(result: CheckResult) -> dict[str, Any]:
    """Every system's draft, in manifest order: the document `register` prints."""
    from aiact_lint import LAW_VERSION, __version__

    law = table("registration")
    pairs = sorted(zip(result.systems, result.manifests), key=lambda pair: pair[0].manifest)
    return {
        "version": 1,
        "tool": {"name": "aiact-lint", "version": __version__},
        "law": LAW_VERSION,
        "as_of": result.options.as_of.isoformat(),
        "annex_viii_verified": bool(law.get("verified", True)),
        "note": law.get("note", ""),
        "systems": [draft(s, m, result.options.as_of) for s, m in pairs],
    }
