"""Manifest facts + the law tables -> the Determination: scope, roles, risk, routes, flags.

Computed once per system and pure: no file system, no clock (the date comes in as ``as_of``).
Every conclusion carries its reason and article so that findings and ``explain`` can show it.
"""

from __future__ import annotations

import datetime
from typing import Any, Optional

from aiact_lint.conditions import first_fact, holds
from aiact_lint.gpai import ModelAssessment, assess
from aiact_lint.lawdata import table
from aiact_lint.record import Record
from aiact_lint.yamlsafe import iso_date

RISK_ORDER = {"minimal": 0, "limited": 1, "high": 2, "prohibited": 3}


class Reason(Record):
    __slots__ = ("article", "text", "verified")

    def __init__(self, text: str, article: str, verified: bool = True) -> None:
        self.text = text
        self.article = article
        self.verified = verified

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"reason": self.text, "article": self.article}
        if not self.verified:
            data["verified"] = False
        return data


class Practice(Record):
    """An Art. 5 practice the capabilities describe, and what the law makes of it."""

    __slots__ = (
        "applies_from",
        "article",
        "exception",
        "exception_article",
        "fact",
        "point",
        "status",
        "title",
    )

    def __init__(
        self,
        point: str,
        article: str,
        title: str,
        fact: str,
        status: str,
        applies_from: datetime.date,
        exception: Optional[str] = None,
        exception_article: Optional[str] = None,
    ) -> None:
        self.point = point
        self.article = article
        self.title = title
        self.fact = fact  # the capability that triggered it
        self.status = status  # prohibited | upcoming | excepted
        self.applies_from = applies_from
        self.exception = exception
        self.exception_article = exception_article


class ExclusionProblem(Record):
    __slots__ = ("article", "index", "kind", "message")

    def __init__(self, index: int, kind: str, message: str, article: str) -> None:
        self.index = index
        self.kind = kind
        self.message = message
        self.article = article


class Determination(Record):
    __slots__ = (
        "annex_i",
        "annex_i_undetermined",
        "annex_iii",
        "declared_roles",
        "derogation",
        "exclusion_problems",
        "exemption_article",
        "flags",
        "high_risk_from",
        "implied_annex_iii",
        "in_scope",
        "market_declared",
        "models",
        "open_source_exemption_refused",
        "practices",
        "reasons",
        "risk",
        "role_shifts",
        "roles",
        "routes",
    )

    def __init__(
        self,
        in_scope: bool = True,
        declared_roles: Optional[list[str]] = None,
        roles: Optional[list[str]] = None,
        role_shifts: Optional[list[Reason]] = None,
        risk: str = "minimal",
        routes: Optional[list[str]] = None,
        flags: Optional[set[str]] = None,
        reasons: Optional[list[Reason]] = None,
        practices: Optional[list[Practice]] = None,
        annex_iii: Optional[list[str]] = None,
        implied_annex_iii: Optional[dict[str, str]] = None,
        annex_i: Optional[list[str]] = None,
        annex_i_undetermined: bool = False,
        derogation: str = "none",
        exclusion_problems: Optional[list[ExclusionProblem]] = None,
        market_declared: bool = True,
        open_source_exemption_refused: bool = False,
        high_risk_from: Optional[datetime.date] = None,
        exemption_article: Optional[str] = None,
        models: Optional[list[ModelAssessment]] = None,
    ) -> None:
        self.in_scope = in_scope
        self.declared_roles: list[str] = [] if declared_roles is None else declared_roles
        self.roles: list[str] = [] if roles is None else roles
        self.role_shifts: list[Reason] = [] if role_shifts is None else role_shifts
        self.risk = risk
        self.routes: list[str] = [] if routes is None else routes
        self.flags: set[str] = set() if flags is None else flags
        self.reasons: list[Reason] = [] if reasons is None else reasons
        self.practices: list[Practice] = [] if practices is None else practices
        self.annex_iii: list[str] = (
            [] if annex_iii is None else annex_iii
        )  # points in force (declared + implied)
        self.implied_annex_iii: dict[str, str] = (
            {} if implied_annex_iii is None else implied_annex_iii
        )  # point -> capability fact
        self.annex_i: list[str] = [] if annex_i is None else annex_i
        self.annex_i_undetermined = annex_i_undetermined
        self.derogation = derogation  # none | valid | voided_by_profiling | incomplete
        self.exclusion_problems: list[ExclusionProblem] = (
            [] if exclusion_problems is None else exclusion_problems
        )
        self.market_declared = market_declared
        self.open_source_exemption_refused = open_source_exemption_refused
        self.high_risk_from = high_risk_from
        self.exemption_article = exemption_article  # why the system is out of scope
        self.models: list[ModelAssessment] = [] if models is None else models

    __hash__ = None  # type: ignore[assignment]  # mutable

    @property
    def high_risk(self) -> bool:
        return "high_risk" in self.flags

    def as_json(self) -> dict[str, Any]:
        return {
            "in_scope": self.in_scope,
            "roles": self.roles,
            "risk": self.risk,
            "routes": self.routes,
            "models": [m.as_json() for m in self.models],
            "reasons": [r.as_json() for r in self.reasons],
        }


def timeline_date(key: str) -> datetime.date:
    return datetime.date.fromisoformat(table("timeline")["dates"][key]["date"])


def union_codes() -> set[str]:
    scope = table("scope")
    return {"EU", "EEA", *scope["eu_member_states"], *scope["eea_states"]["codes"]}


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _get(data: dict[str, Any], *path: str) -> Any:
    node: Any = data
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
    return node


def _scope(data: dict[str, Any], det: Determination, as_of: datetime.date) -> None:
    market = _mapping(data.get("market"))
    regions = market.get("regions")
    used_in_eu = market.get("output_used_in_eu")
    if regions is None and used_in_eu is None:
        det.market_declared = False
    elif not (set(regions or ()) & union_codes()) and used_in_eu is not True:
        det.in_scope = False
        det.reasons.append(
            Reason(
                "not placed on the Union market, put into service or used in the Union, and "
                "its output is not used in the Union",
                "Art. 2(1)",
            )
        )
        return
    placed = iso_date(_get(data, "market", "placed_on_market"))
    scope = table("scope")
    roles = data.get("roles") or []
    for index, exclusion in enumerate(data.get("exclusions") or []):
        kind = exclusion.get("kind") if isinstance(exclusion, dict) else None
        if not isinstance(kind, str) or kind not in scope["exclusions"]:
            continue
        info = scope["exclusions"][kind]
        if info.get("void_when_placed_on_market") and placed is not None and placed <= as_of:
            det.exclusion_problems.append(
                ExclusionProblem(
                    index,
                    kind,
                    f"the {kind} exclusion is claimed but the system was placed on the market "
                    f"on {placed.isoformat()}; {info['article']} covers only research, testing "
                    "and development before placing on the market or putting into service (not "
                    "testing in real-world conditions)",
                    info["article"],
                )
            )
            continue
        supply_roles = [r for r in roles if r in info.get("void_for_roles", ())]
        if supply_roles:
            det.exclusion_problems.append(
                ExclusionProblem(
                    index,
                    kind,
                    f"the {kind} exclusion is claimed by an organisation acting as "
                    f"{', '.join(supply_roles)}; {info['article']} covers only systems developed "
                    "and put into service for the sole purpose of scientific research and "
                    "development, not systems supplied on the market",
                    info["article"],
                )
            )
            continue
        if info.get("deployers_only") and any(role != "deployer" for role in roles):
            det.exclusion_problems.append(
                ExclusionProblem(
                    index,
                    kind,
                    f"{info['article']} relieves only deployers who are natural persons using "
                    f"the system for purely personal purposes, not the roles "
                    f"{', '.join(r for r in roles if r != 'deployer')}",
                    info["article"],
                )
            )
            continue
        det.in_scope = False
        det.reasons.append(
            Reason(f"exclusion {kind}: {exclusion.get('reason', '')}".strip(), info["article"])
        )
        return


def _practices(data: dict[str, Any], det: Determination, as_of: datetime.date) -> None:
    for practice in table("prohibited")["practices"]:
        if not holds(practice["when"], data):
            continue
        start = timeline_date(practice["applies_from"])
        fact = first_fact(practice["when"]) or ""
        excepted = next((e for e in practice["exceptions"] if holds(e["when"], data)), None)
        if excepted is not None:
            det.practices.append(
                Practice(
                    practice["point"],
                    practice["article"],
                    practice["title"],
                    fact,
                    "excepted",
                    start,
                    excepted["reason"],
                    excepted["article"],
                )
            )
            if excepted.get("safeguards_required"):
                det.flags.add("rbi_exception_used")
            continue
        status = "upcoming" if start > as_of else "prohibited"
        det.practices.append(
            Practice(practice["point"], practice["article"], practice["title"], fact, status, start)
        )
        if status == "prohibited":
            det.routes.append(f"art5:{practice['point']}")
            det.reasons.append(
                Reason(f"prohibited practice: {practice['title']}", practice["article"])
            )


def _annex_iii(data: dict[str, Any], det: Determination) -> None:
    declared = [p for p in (_get(data, "use_case", "annex_iii") or []) if isinstance(p, str)]
    prohibited_facts = {p.fact for p in det.practices if p.status == "prohibited"}
    implied: dict[str, str] = {}
    for entry in table("annex_iii")["points"]:
        condition = entry.get("implied_by")
        if condition and holds(condition, data):
            fact = first_fact(condition) or ""
            if fact not in prohibited_facts:  # an Art. 5 practice is decided under Art. 5
                implied[entry["point"]] = fact
    det.implied_annex_iii = {p: f for p, f in implied.items() if p not in declared}
    order = [p["point"] for p in table("annex_iii")["points"]]
    points = set(declared) | set(implied)
    det.annex_iii = sorted(points, key=lambda p: order.index(p) if p in order else len(order))
    if not det.annex_iii:
        return
    derogation = _mapping(_get(data, "use_case", "derogation"))
    condition, assessment = derogation.get("condition"), derogation.get("assessment")
    if condition or assessment:
        if _get(data, "use_case", "profiling") is True:
            det.derogation = "voided_by_profiling"
        elif condition and assessment:
            det.derogation = "valid"
        else:
            det.derogation = "incomplete"
    if det.derogation == "valid":
        det.routes.append("art6_3_derogation")
        det.flags.add("derogation")
        det.reasons.append(
            Reason(
                f"Annex III {', '.join(det.annex_iii)} with an Art. 6(3) derogation "
                f"({condition}): not high-risk, but documented (Art. 6(4)) and registered "
                "(Art. 49(2))",
                "Art. 6(3), Art. 6(4)",
            )
        )
        return
    for point in det.annex_iii:
        det.routes.append(f"annex_iii:{point}")
        det.flags.add(f"annex_iii:{point}")  # lets the obligations table name single points
    det.flags.update({"high_risk", "annex_iii"})
    if any(p != "2" for p in det.annex_iii):
        det.flags.add("annex_iii_registration")
    if "2" in det.annex_iii:
        det.flags.add("annex_iii_point_2")
    det.reasons.append(Reason(f"Annex III use: {', '.join(det.annex_iii)}", "Art. 6(2), Annex III"))
    if det.derogation == "voided_by_profiling":
        det.reasons.append(
            Reason(
                "the system profiles natural persons, so no Art. 6(3) derogation applies",
                "Art. 6(3), third subparagraph",
            )
        )


def _annex_i(data: dict[str, Any], det: Determination) -> None:
    acts = [a for a in (_get(data, "use_case", "annex_i") or []) if isinstance(a, str)]
    if not acts:
        return
    product = _mapping(_get(data, "use_case", "product"))
    safety = product.get("safety_component")
    third_party = product.get("third_party_conformity_assessment")
    non_safety_only = product.get("assessment_only_for_non_safety_risks") is True
    if safety is False:
        det.reasons.append(
            Reason("not a safety component of the Annex I product", "Art. 6(1)(a), 6(1a)")
        )
        return
    if third_party is False or non_safety_only:
        det.reasons.append(
            Reason(
                "the product needs no third-party conformity assessment for health and "
                "safety risks",
                "Art. 6(1)(b), 6(1c)",
            )
        )
        return
    if safety is None or third_party is None:
        det.annex_i_undetermined = True
    det.annex_i = acts
    for act in acts:
        det.routes.append(f"annex_i:{act}")
    det.reasons.append(
        Reason(f"Annex I product legislation: {', '.join(acts)}", "Art. 6(1), Annex I")
    )
    section_b = table("scope")["annex_i_section_b"]
    if all(act in section_b["acts"] for act in acts):
        # Art. 2(2): high-risk, but only Art. 6(1), 60a and 102-112 of this Regulation apply.
        det.flags.add("annex_i_section_b")
        text = str(section_b["text"])
        det.reasons.append(
            Reason(f"Annex I Section B product: {text[0].lower()}{text[1:]}", section_b["article"])
        )
        return
    det.flags.update({"high_risk", "annex_i"})


def _transparency(data: dict[str, Any], det: Determination) -> None:
    """Art. 50 flags and routes from the capabilities (law/transparency.yaml)."""
    for trigger in table("transparency")["triggers"]:
        if not holds(trigger["when"], data):
            continue
        det.flags.add(trigger["flag"])
        exception = trigger.get("exception")
        if exception and holds(exception["when"], data):
            det.flags.add(exception["flag"])
        elif trigger["route"] not in det.routes:
            det.routes.append(trigger["route"])
    if any(r.startswith("art50:") for r in det.routes):
        det.reasons.append(Reason("transparency duties for the capabilities declared", "Art. 50"))


def _roles(data: dict[str, Any], det: Determination) -> None:
    """Declared roles plus the provider role the law imposes (law/roles.yaml)."""
    declared = [r for r in (data.get("roles") or []) if isinstance(r, str)]
    det.declared_roles = declared
    roles = list(declared)
    if "provider" not in declared:
        for shift in table("roles")["shifts"]:
            if shift.get("fallback") and det.role_shifts:
                continue
            if not set(shift["declared"]) & set(declared):
                continue
            if all(flag in det.flags for flag in shift["requires"]) and holds(shift["when"], data):
                det.role_shifts.append(Reason(shift["text"], shift["article"]))
    if det.role_shifts:
        roles.append("provider")
        for shift in det.role_shifts:
            det.reasons.append(
                Reason(f"provider because this organisation {shift.text}", shift.article)
            )
    det.roles = sorted(set(roles), key=lambda r: (r != "provider", r != "deployer", r))


def _context_flags(data: dict[str, Any], det: Determination) -> None:
    organisation = _mapping(data.get("organisation"))
    public = organisation.get("public_authority") is True
    public_service = organisation.get("provides_public_services") is True
    if public:
        det.flags.add("public_authority")
    if public or public_service:
        det.flags.add("public_body_or_service")
    established = organisation.get("established_in")
    if isinstance(established, str) and established not in union_codes():
        det.flags.add("established_outside_eu")
    if "annex_iii" in det.flags:
        rule = table("obligations")["workers_affected"]
        affected = " ".join(str(p) for p in (_get(data, "use_case", "affected_persons") or []))
        workers = any(word in affected.lower() for word in rule["words"])
        if workers or any(p.startswith(rule["annex_iii_area"]) for p in det.annex_iii):
            det.flags.add("workers_affected")
        # Art. 26(11): Annex III systems that make or assist decisions about natural persons;
        # assumed unless the manifest says otherwise.
        decides = _get(data, "use_case", "capabilities", "makes_decisions_about_persons")
        if decides is not False:
            det.flags.add("decides_about_persons")


def _risk(data: dict[str, Any], det: Determination) -> None:
    if any(r.startswith("art5:") for r in det.routes):
        det.risk = "prohibited"
    elif det.high_risk or "annex_i_section_b" in det.flags:
        det.risk = "high"
    elif any(r.startswith("art50:") for r in det.routes):
        det.risk = "limited"
    else:
        det.risk = "minimal"
    if _get(data, "market", "free_open_source") is True:
        if det.risk in ("minimal",):
            det.in_scope = False
            det.reasons.append(
                Reason(
                    "released under a free and open-source licence and neither high-risk, "
                    "an Art. 5 practice nor an Art. 50 system",
                    "Art. 2(12)",
                )
            )
            det.exemption_article = "Art. 2(12)"
        else:
            det.open_source_exemption_refused = True
    starts = []
    if "annex_iii" in det.flags:
        starts.append(timeline_date("high_risk_annex_iii"))
    if "annex_i" in det.flags:
        starts.append(timeline_date("high_risk_annex_i"))
    det.high_risk_from = min(starts) if starts else None


def determine(data: dict[str, Any], as_of: datetime.date, policy: str) -> Determination:
    """The legal determination for one valid manifest."""
    det = Determination()
    _scope(data, det, as_of)
    if det.in_scope:
        _practices(data, det, as_of)
        _annex_iii(data, det)
        _annex_i(data, det)
        _transparency(data, det)
    _roles(data, det)
    if det.in_scope:
        _context_flags(data, det)
        _risk(data, det)
        if det.in_scope:
            det.flags.add("in_scope")
    system_provider = "provider" in det.roles
    models = data.get("models") or []
    det.models = [
        assess(entry, index, policy, system_provider)
        for index, entry in enumerate(models)
        if isinstance(entry, dict)
    ]
    if not det.in_scope:
        det.risk = "out_of_scope"
        det.routes = []
        # Art. 2(12) exempts the SYSTEM only; the facts that shape its provider's GPAI model
        # duties (Art. 54 authorised representative) survive.
        model_facts = {"established_outside_eu"} if det.exemption_article == "Art. 2(12)" else set()
        det.flags &= model_facts
    return det
