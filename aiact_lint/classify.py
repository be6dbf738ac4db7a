"""The facts + the law tables -> the Determination: scope, roles, risk, routes, flags, questions.

Computed once per system and pure: no file system, no clock (the date comes in as ``as_of``).
Every conclusion carries its reason, its article and the facts that decided it. A fact the
manifest does not state is unknown (facts.py): it never lowers a verdict. Where it could make the
system prohibited or high-risk, or make a duty apply, the determination records a Question.
"""

from __future__ import annotations

import datetime
from typing import Any, Iterable, Optional

from aiact_lint.facts import NONE, Fact, Facts, evaluate, first_fact, holds, true_facts
from aiact_lint.gpai import ModelAssessment, assess
from aiact_lint.lawdata import table
from aiact_lint.record import Record

RISK_ORDER = {"minimal": 0, "limited": 1, "high": 2, "prohibited": 3}
# What an open question could do, most serious first: it decides the finding's rule and severity.
STAKES = ("prohibited", "high_risk", "duty", "scope")


class Reason(Record):
    __slots__ = ("article", "facts", "text", "verified")

    def __init__(
        self,
        text: str,
        article: str,
        verified: bool = True,
        facts: Optional[list[Fact]] = None,
    ) -> None:
        self.text = text
        self.article = article
        self.verified = verified
        self.facts: list[Fact] = facts or []

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"reason": self.text, "article": self.article}
        if not self.verified:
            data["verified"] = False
        if self.facts:
            seen: list[dict[str, Any]] = []
            for fact in self.facts:
                entry = fact.as_json()
                if entry not in seen:
                    seen.append(entry)
            data["facts"] = seen
        return data


class Question(Record):
    """A fact the manifest does not state, and what it could change: asked, never assumed."""

    __slots__ = ("consequences", "fact", "model", "stake")

    def __init__(self, fact: str, model: Optional[int] = None) -> None:
        self.fact = fact
        self.model = model
        self.consequences: list[tuple[str, str]] = []  # (what it could make, article)
        self.stake = "scope"

    def add(self, stake: str, consequence: str, article: str) -> None:
        if (consequence, article) not in self.consequences:
            self.consequences.append((consequence, article))
        if STAKES.index(stake) < STAKES.index(self.stake):
            self.stake = stake

    def as_json(self) -> dict[str, Any]:
        return {
            "fact": self.fact,
            "stake": self.stake,
            "could": [{"effect": c, "article": a} for c, a in self.consequences],
        }


class Practice(Record):
    """An Art. 5 practice the facts describe, and what the law makes of it."""

    __slots__ = (
        "applies_from",
        "article",
        "exception",
        "exception_article",
        "fact",
        "point",
        "status",
        "title",
        "unestablished",
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
        unestablished: Optional[list[str]] = None,
    ) -> None:
        self.point = point
        self.article = article
        self.title = title
        self.fact = fact  # the capability that triggered it
        self.status = status  # prohibited | upcoming | excepted
        self.applies_from = applies_from
        self.exception = exception
        self.exception_article = exception_article
        # facts an exception would need that the manifest does not state
        self.unestablished: list[str] = unestablished or []


class ExclusionProblem(Record):
    __slots__ = ("article", "index", "kind", "message")

    def __init__(self, index: int, kind: str, message: str, article: str) -> None:
        self.index = index
        self.kind = kind
        self.message = message
        self.article = article


class Legacy(Record):
    """Art. 111(2): a high-risk system placed on the market before its Chapter III date."""

    __slots__ = ("applies_from", "article", "cutoff", "reason", "status")

    def __init__(
        self,
        status: str,
        cutoff: datetime.date,
        reason: str,
        applies_from: Optional[datetime.date] = None,
    ) -> None:
        self.status = status  # legacy | public_authorities (must comply by applies_from) | ended
        self.cutoff = cutoff
        self.reason = reason
        self.applies_from = applies_from
        self.article = "Art. 111(2)"

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "status": self.status,
            "article": self.article,
            "cutoff": self.cutoff.isoformat(),
            "reason": self.reason,
        }
        if self.applies_from is not None:
            data["applies_from"] = self.applies_from.isoformat()
        return data


class Determination(Record):
    __slots__ = (
        "annex_i",
        "annex_i_undetermined",
        "annex_iii",
        "declared_roles",
        "derogation",
        "exclusion_problems",
        "exclusions_unestablished",
        "exemption_article",
        "facts",
        "flags",
        "high_risk_from",
        "implied_annex_iii",
        "in_scope",
        "legacy",
        "market_declared",
        "models",
        "open_flags",
        "open_source_exemption_refused",
        "practices",
        "questions",
        "reasons",
        "risk",
        "role_shifts",
        "roles",
        "routes",
    )

    def __init__(self, facts: Optional[Facts] = None) -> None:
        self.facts = facts if facts is not None else Facts({})
        self.in_scope = True
        self.declared_roles: list[str] = []
        self.roles: list[str] = []
        self.role_shifts: list[Reason] = []
        self.risk = "minimal"
        self.routes: list[str] = []
        self.flags: set[str] = set()
        # flags that hold only if an unknown fact does: flag -> the facts it hangs on
        self.open_flags: dict[str, list[str]] = {}
        self.reasons: list[Reason] = []
        self.practices: list[Practice] = []
        self.annex_iii: list[str] = []  # points in force (declared + implied)
        self.implied_annex_iii: dict[str, str] = {}  # point -> capability fact
        self.annex_i: list[str] = []
        self.annex_i_undetermined = False
        self.derogation = "none"  # none | valid | voided_by_profiling | incomplete | unestablished
        self.exclusion_problems: list[ExclusionProblem] = []
        self.exclusions_unestablished: list[tuple[int, str, list[str]]] = []
        self.market_declared = True
        self.open_source_exemption_refused = False
        self.high_risk_from: Optional[datetime.date] = None
        self.exemption_article: Optional[str] = None  # why the system is out of scope
        self.models: list[ModelAssessment] = []
        self.legacy: Optional[Legacy] = None
        self.questions: dict[tuple[str, Optional[int]], Question] = {}

    __hash__ = None  # type: ignore[assignment]  # mutable

    @property
    def high_risk(self) -> bool:
        return "high_risk" in self.flags

    def ask(
        self,
        facts: Iterable[str],
        stake: str,
        consequence: str,
        article: str,
        model: Optional[int] = None,
    ) -> None:
        for fact in facts:
            key = (fact, model)
            if key not in self.questions:
                self.questions[key] = Question(fact, model)
            self.questions[key].add(stake, consequence, article)

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


def timeline_article(key: str) -> str:
    return str(table("timeline")["dates"][key]["article"])


def union_codes() -> set[str]:
    scope = table("scope")
    return {"EU", "EEA", *scope["eu_member_states"], *scope["eea_states"]["codes"]}


def date_fact(facts: Facts, name: str) -> Any:
    """A date fact: a date, NONE (declared: none / not yet), or None (unknown)."""
    value = facts.value(name)
    if value is None or value is NONE:
        return value
    return datetime.date.fromisoformat(value)


def _roles_declared(facts: Facts) -> list[str]:
    """The declared roles the law knows (Art. 3(3)-(8)); an unknown value is not a role."""
    roles = facts.raw("roles")
    known = table("roles")["roles"]
    return (
        [r for r in roles if isinstance(r, str) and r in known] if isinstance(roles, list) else []
    )


# --- scope (Art. 2) -----------------------------------------------------------------------------


def _scope(facts: Facts, det: Determination, as_of: datetime.date) -> None:
    regions = facts.raw("market", "regions")
    used_in_eu = facts.raw("market", "output_used_in_eu")
    if regions is None and used_in_eu is None:
        det.market_declared = False
    elif (
        not (set(r for r in (regions or ()) if isinstance(r, str)) & union_codes())
        and used_in_eu is not True
    ):
        if used_in_eu is None:
            det.ask(
                ["market.output_used_in_eu"],
                "scope",
                "in scope if the output is used in the Union",
                "Art. 2(1)(c)",
            )
            return
        det.in_scope = False
        det.reasons.append(
            Reason(
                "not placed on the Union market, put into service or used in the Union, and "
                "its output is not used in the Union",
                "Art. 2(1)",
            )
        )
        return
    exclusions = facts.raw("exclusions")
    if not isinstance(exclusions, list):
        return
    scope = table("scope")
    roles = _roles_declared(facts)
    placed = date_fact(facts, "market.placed_on_market")
    for index, exclusion in enumerate(exclusions):
        kind = exclusion.get("kind") if isinstance(exclusion, dict) else None
        if not isinstance(kind, str) or kind not in scope["exclusions"]:
            continue
        info = scope["exclusions"][kind]
        problem = _void(info, facts, roles, placed, as_of)
        if problem is not None:
            det.exclusion_problems.append(ExclusionProblem(index, kind, problem, info["article"]))
            continue
        unknown: list[str] = []
        if info.get("requires_not_placed") and placed is None:
            unknown.append("market.placed_on_market")
        for condition in info.get("requires", ()):
            verdict, missing = evaluate(condition, facts)
            if verdict is None:
                unknown.extend(missing)
        if unknown:
            det.exclusions_unestablished.append((index, kind, unknown))
            det.ask(
                unknown,
                "scope",
                f"the claimed {kind} exclusion (not applied until it is established)",
                info["article"],
            )
            continue
        reason = str(exclusion.get("reason", "")).strip()
        established = [facts.get(c["fact"]) for c in info.get("requires", ())]
        det.in_scope = False
        det.reasons.append(
            Reason(f"exclusion {kind}: {reason}".strip(" :"), info["article"], facts=established)
        )
        det.exemption_article = info["article"]
        return


def _void(
    info: dict[str, Any],
    facts: Facts,
    roles: list[str],
    placed: Any,
    as_of: datetime.date,
) -> Optional[str]:
    for void in info.get("void_when", ()):
        message = str(void["message"])
        if "when" in void and holds(void["when"], facts):
            return f"{message} ({info['article']})"
        supplying = [r for r in roles if r in void.get("roles", ())]
        if supplying:
            return message.replace("{roles}", ", ".join(supplying)) + f" ({info['article']})"
        if void.get("placed_by_as_of") and isinstance(placed, datetime.date) and placed <= as_of:
            return message.replace("{placed}", placed.isoformat()) + f" ({info['article']})"
    return None


# --- Art. 5 ------------------------------------------------------------------------------------


def _practices(facts: Facts, det: Determination, as_of: datetime.date) -> None:
    for practice in table("prohibited")["practices"]:
        start = timeline_date(practice["applies_from"])
        verdict, unknown = evaluate(practice["when"], facts)
        if verdict is None:
            relevant = practice.get("relevant_when")
            if relevant is not None:
                possible, gateway = evaluate(relevant, facts)
                if possible is False:
                    continue
                if possible is None:
                    unknown = gateway  # ask what makes the practice possible at all, first
            stake = "prohibited" if start <= as_of else "high_risk"
            effect = (
                f"prohibited: {practice['title']}"
                if start <= as_of
                else f"prohibited from {start.isoformat()}: {practice['title']}"
            )
            det.ask(unknown, stake, effect, practice["article"])
            continue
        if verdict is False:
            continue
        fact = first_fact(practice["when"]) or ""
        decided = true_facts(practice["when"], facts)
        excepted, unestablished = _exception(practice.get("exceptions", ()), facts)
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
                if "urgency" in excepted["reason"]:
                    det.flags.add("rbi_urgency_used")
            det.reasons.append(
                Reason(
                    f"not prohibited ({practice['title']}): {excepted['reason']}",
                    excepted["article"],
                    facts=decided + true_facts(excepted["when"], facts),
                )
            )
            continue
        status = "upcoming" if start > as_of else "prohibited"
        det.practices.append(
            Practice(
                practice["point"],
                practice["article"],
                practice["title"],
                fact,
                status,
                start,
                unestablished=unestablished,
            )
        )
        if status == "prohibited":
            det.routes.append(f"art5:{practice['point']}")
            det.reasons.append(
                Reason(
                    f"prohibited practice: {practice['title']}", practice["article"], facts=decided
                )
            )


def _exception(
    exceptions: Iterable[dict[str, Any]], facts: Facts
) -> tuple[Optional[dict[str, Any]], list[str]]:
    """The first exception whose facts are declared and hold, else the facts that are unknown."""
    unknown: list[str] = []
    for exception in exceptions:
        verdict, missing = evaluate(exception["when"], facts)
        void = exception.get("void_when")
        if verdict is True and not (void and holds(void, facts)):
            return exception, []
        if verdict is None:
            unknown.extend(m for m in missing if m not in unknown)
    return None, unknown


# --- Art. 6 ------------------------------------------------------------------------------------


def _annex_iii(facts: Facts, det: Determination) -> None:
    declared_value = facts.value("use_case.annex_iii")
    order = [p["point"] for p in table("annex_iii")["points"]]
    # Only the points of Annex III (an unknown value is reported by the schema, not a route).
    declared = [p for p in (declared_value or []) if isinstance(p, str) and p in order]
    # An Art. 5 practice is decided under Art. 5: the Annex III point its facts (or the facts
    # that make it possible, e.g. emotion recognition for (f)) would imply is not added.
    prohibited = {p.point for p in det.practices if p.status == "prohibited"}
    prohibited_facts = {p.fact for p in det.practices if p.status == "prohibited"}
    for practice in table("prohibited")["practices"]:
        if practice["point"] in prohibited and practice.get("relevant_when"):
            prohibited_facts.add(first_fact(practice["relevant_when"]) or "")
    implied: dict[str, str] = {}
    for entry in table("annex_iii")["points"]:
        condition = entry.get("implied_by")
        if not condition:
            continue
        verdict, unknown = evaluate(condition, facts)
        unless = entry.get("implied_unless")
        if verdict is True and not (unless and holds(unless, facts)):
            fact = first_fact(condition) or ""
            if fact not in prohibited_facts:
                implied[entry["point"]] = fact
        elif verdict is None and entry["point"] not in declared:
            det.ask(
                unknown, "high_risk", f"high-risk: Annex III {entry['point']}", entry["article"]
            )
    if declared_value is None and not implied:
        det.ask(["use_case.annex_iii"], "high_risk", "high-risk: Annex III", "Art. 6(2), Annex III")
    det.implied_annex_iii = {p: f for p, f in implied.items() if p not in declared}
    points = set(declared) | set(implied)
    det.annex_iii = sorted(points, key=lambda p: order.index(p) if p in order else len(order))
    if not det.annex_iii:
        return
    decided = [facts.get("use_case.annex_iii")] if declared else []
    decided += [facts.get(f) for f in implied.values()]
    condition = facts.value("use_case.derogation.condition")
    assessment = facts.value("use_case.derogation.assessment")
    claimed = condition not in (None, NONE) or assessment not in (None, NONE)
    if claimed:
        profiling = facts.value("use_case.profiling")
        if profiling is True:
            det.derogation = "voided_by_profiling"
        elif condition in (None, NONE):
            det.derogation = "incomplete"
        elif profiling is None:
            det.derogation = "unestablished"
            det.ask(
                ["use_case.profiling"],
                "high_risk",
                "high-risk despite the Art. 6(3) derogation: profiling of natural persons voids it",
                "Art. 6(3), third subparagraph",
            )
        else:
            det.derogation = "valid"
    if det.derogation == "valid":
        det.routes.append("art6_3_derogation")
        det.flags.add("derogation")
        det.reasons.append(
            Reason(
                f"Annex III {', '.join(det.annex_iii)} with an Art. 6(3) derogation "
                f"({condition}): not high-risk, but documented (Art. 6(4)) and registered "
                "(Art. 49(2))",
                "Art. 6(3), Art. 6(4)",
                facts=decided
                + [facts.get("use_case.derogation.condition"), facts.get("use_case.profiling")],
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
    det.reasons.append(
        Reason(f"Annex III use: {', '.join(det.annex_iii)}", "Art. 6(2), Annex III", facts=decided)
    )
    if det.derogation == "voided_by_profiling":
        det.reasons.append(
            Reason(
                "the system profiles natural persons, so no Art. 6(3) derogation applies",
                "Art. 6(3), third subparagraph",
                facts=[facts.get("use_case.profiling")],
            )
        )


def _annex_i(facts: Facts, det: Determination) -> None:
    value = facts.value("use_case.annex_i")
    if value is None:
        det.ask(["use_case.annex_i"], "high_risk", "high-risk: Annex I product route", "Art. 6(1)")
        return
    known = table("annex_i")["acts"]
    acts = [a for a in value if isinstance(a, str) and a in known]
    if not acts:
        return
    safety = facts.value("use_case.product.safety_component")
    third_party = facts.value("use_case.product.third_party_conformity_assessment")
    non_safety_only = facts.value("use_case.product.assessment_only_for_non_safety_risks") is True
    if safety is False:
        det.reasons.append(
            Reason(
                "not a safety component of the Annex I product",
                "Art. 6(1)(a), 6(1a)",
                facts=[facts.get("use_case.product.safety_component")],
            )
        )
        return
    if third_party is False or non_safety_only:
        det.reasons.append(
            Reason(
                "the product needs no third-party conformity assessment for health and "
                "safety risks",
                "Art. 6(1)(b), 6(1c)",
                facts=[facts.get("use_case.product.third_party_conformity_assessment")],
            )
        )
        return
    if safety is None or third_party is None:
        det.annex_i_undetermined = True
    det.annex_i = acts
    for act in acts:
        det.routes.append(f"annex_i:{act}")
    det.reasons.append(
        Reason(
            f"Annex I product legislation: {', '.join(acts)}",
            "Art. 6(1), Annex I",
            facts=[facts.get("use_case.annex_i")],
        )
    )
    section_b = [a for a in acts if known[a]["section"] == "B"]
    if len(section_b) == len(acts):
        # Art. 2(2): high-risk, but only Art. 6(1), 60a and 102-112 of this Regulation apply.
        det.flags.add("annex_i_section_b")
        text = str(table("annex_i")["section_b_text"])
        det.reasons.append(Reason(f"Annex I Section B product: {text}", "Art. 2(2)"))
        return
    det.flags.update({"high_risk", "annex_i"})


# --- Art. 50 -----------------------------------------------------------------------------------


def _transparency(facts: Facts, det: Determination) -> None:
    """Art. 50 flags and routes from the facts (law/transparency.yaml)."""
    for trigger in table("transparency")["triggers"]:
        verdict, unknown = evaluate(trigger["when"], facts)
        if verdict is None:
            det.ask(unknown, "duty", f"transparency duty {trigger['article']}", trigger["article"])
            continue
        if verdict is False:
            continue
        det.flags.add(trigger["flag"])
        exempted = False
        for exception in trigger.get("exceptions", ()):
            back = exception.get("carve_back")
            if holds(exception["when"], facts) and not (back and holds(back, facts)):
                det.flags.add(exception["flag"])
                exempted = True
        if not exempted and trigger["route"] not in det.routes:
            det.routes.append(trigger["route"])
        det.reasons.append(
            Reason(
                f"transparency duty {trigger['article']}"
                + (" (an exception applies)" if exempted else ""),
                trigger["article"],
                facts=true_facts(trigger["when"], facts),
            )
        )


# --- roles (Arts. 3, 25) ------------------------------------------------------------------------


def _roles(facts: Facts, det: Determination) -> None:
    """Declared roles plus the provider role the law imposes (law/roles.yaml)."""
    declared = _roles_declared(facts)
    det.declared_roles = declared
    roles = list(declared)
    if "provider" not in declared:
        for shift in table("roles")["shifts"]:
            if shift.get("fallback") and det.role_shifts:
                continue
            if not set(shift["declared"]) & set(declared):
                continue
            if not all(flag in det.flags for flag in shift["requires"]):
                continue
            asked = shift.get("ask")
            verdict: Optional[bool]
            unknown: list[str]
            if asked and facts.get(asked).known:
                # The fact the shift turns on is declared: it decides, whatever is derived.
                verdict, unknown = facts.value(asked) is True, []
            else:
                verdict, unknown = evaluate(shift["when"], facts)
            if verdict is True:
                det.role_shifts.append(
                    Reason(shift["text"], shift["article"], facts=true_facts(shift["when"], facts))
                )
            elif verdict is None:
                unless = shift.get("ask_unless")
                if unless is not None and holds(unless, facts):
                    continue
                names = [asked] if asked else unknown
                det.ask(
                    names, "duty", f"provider of the system ({shift['text']})", shift["article"]
                )
    if det.role_shifts:
        roles.append("provider")
        for shift in det.role_shifts:
            det.reasons.append(
                Reason(
                    f"provider because this organisation {shift.text}",
                    shift.article,
                    facts=shift.facts,
                )
            )
    det.roles = sorted(set(roles), key=lambda r: (r != "provider", r != "deployer", r))


# --- context for the obligations ----------------------------------------------------------------


def _flag(det: Determination, facts: Facts, flag: str, names: Iterable[str]) -> None:
    """Set ``flag`` when any of the facts is true; record it as open when none is false-only."""
    values = [(name, facts.value(name)) for name in names]
    if any(v is True for _, v in values):
        det.flags.add(flag)
    elif any(v is None for _, v in values):
        det.open_flags[flag] = [n for n, v in values if v is None]


def _context_flags(facts: Facts, det: Determination) -> None:
    _flag(det, facts, "public_authority", ["organisation.public_authority"])
    _flag(
        det,
        facts,
        "public_body_or_service",
        ["organisation.public_authority", "organisation.provides_public_services"],
    )
    established = facts.value("organisation.established_in")
    if isinstance(established, str):
        if established not in union_codes():
            det.flags.add("established_outside_eu")
    else:
        det.open_flags["established_outside_eu"] = ["organisation.established_in"]
    if "annex_iii" in det.flags:
        rule = table("obligations")["workers_affected"]
        if any(p.startswith(rule["annex_iii_area"]) for p in det.annex_iii):
            det.flags.add("workers_affected")
        else:
            _flag(det, facts, "workers_affected", ["used_at_workplace"])
        # Art. 26(11): Annex III systems that make or assist decisions about natural persons.
        _flag(det, facts, "decides_about_persons", ["makes_decisions_about_persons"])
    rbi = facts.value("remote_biometric_identification")
    if rbi == "post" and "annex_iii:1(a)" in det.flags:
        _flag(det, facts, "post_rbi_law_enforcement", ["law_enforcement"])
    if facts.value("post_rbi_initial_suspect_identification") is True:
        det.flags.add("post_rbi_initial_suspect")


def _risk(facts: Facts, det: Determination) -> None:
    if any(r.startswith("art5:") for r in det.routes):
        det.risk = "prohibited"
    elif det.high_risk or "annex_i_section_b" in det.flags:
        det.risk = "high"
    elif any(r.startswith("art50:") for r in det.routes):
        det.risk = "limited"
    else:
        det.risk = "minimal"
    if facts.value("market.free_open_source") is True:
        if det.risk in ("minimal",):
            det.in_scope = False
            det.reasons.append(
                Reason(
                    "released under a free and open-source licence and neither high-risk, "
                    "an Art. 5 practice nor an Art. 50 system",
                    "Art. 2(12)",
                    facts=[facts.get("market.free_open_source")],
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


def _legacy(facts: Facts, det: Determination, as_of: datetime.date) -> None:
    """Art. 111(2): placed before the Chapter III date of its route, covered after a change."""
    if det.high_risk_from is None:
        return
    cutoff = det.high_risk_from
    placed = date_fact(facts, "market.placed_on_market")
    if not isinstance(placed, datetime.date) or placed >= cutoff:
        return  # unknown, not placed yet, or placed on or after the date: the duties apply
    change = date_fact(facts, "market.significant_change")
    changed_fact = facts.get("market.significant_change")
    if isinstance(change, datetime.date) and change >= cutoff:
        det.legacy = Legacy(
            "ended",
            cutoff,
            f"placed on the market on {placed.isoformat()}, before {cutoff.isoformat()}, but "
            f"significantly changed in its design on {change.isoformat()} "
            f"({changed_fact.via or 'market.significant_change'}): the high-risk rules apply",
        )
        det.reasons.append(Reason(det.legacy.reason, "Art. 111(2)", facts=[changed_fact]))
        return
    if change is None and as_of >= cutoff:
        # After the Chapter III date, a change may have happened: not established, asked.
        det.ask(
            ["market.significant_change"],
            "duty",
            "high-risk obligations apply if the design changed significantly",
            "Art. 111(2)",
        )
        return
    public = facts.value("market.intended_for_public_authorities")
    if public is None and facts.value("organisation.public_authority") is True:
        public = True
    placed_fact = facts.get("market.placed_on_market")
    if public is True:
        until = timeline_date("high_risk_public_authorities")
        det.legacy = Legacy(
            "public_authorities",
            cutoff,
            f"placed on the market on {placed.isoformat()}, before {cutoff.isoformat()}, and "
            f"intended to be used by public authorities: it must comply by {until.isoformat()}",
            until,
        )
    else:
        if public is None:
            det.ask(
                ["market.intended_for_public_authorities"],
                "duty",
                "high-risk obligations apply by 2030-08-02 to systems intended for public "
                "authorities",
                "Art. 111(2), second sentence",
            )
        if isinstance(change, datetime.date):
            # Art. 111(2) counts changes "as from that date": one made earlier ends nothing.
            since = (
                f"; its significant change in design on {change.isoformat()} "
                f"({changed_fact.via or 'market.significant_change'}) came before that date: "
                "the high-risk rules reach it only after a significant change from that date"
            )
        else:
            since = (
                ", with no significant change in its design since: the high-risk rules reach it "
                "only after such a change"
            )
        det.legacy = Legacy(
            "legacy",
            cutoff,
            f"placed on the market on {placed.isoformat()}, before {cutoff.isoformat()} (the "
            f"date Chapter III applies to it){since}",
        )
    det.reasons.append(Reason(det.legacy.reason, "Art. 111(2)", facts=[placed_fact]))


def _models(facts: Facts, det: Determination, policy: str) -> None:
    models = facts.raw("models")
    if not isinstance(models, list):
        return
    system_provider = "provider" in det.roles
    for index, entry in enumerate(models):
        if not isinstance(entry, dict):
            continue
        free = facts.get("models[].free_open_source", index)
        model = assess(entry, index, policy, system_provider, free.value)
        det.models.append(model)
        if (
            system_provider
            and not model.we_are_provider
            and not model.modified
            and model.status in ("gpai", "gpai_systemic_risk")
            and entry.get("developer") is None
            and entry.get("placed_on_market_by_us") is None
        ):
            # Whose model: one's own general-purpose model in one's own system is placed on
            # the market with it (Recital 97), so its duties turn on this; never assumed away.
            det.ask(
                ["models[].developer"],
                "duty",
                "this organisation provides the model too, with the GPAI model provider's duties",
                "Art. 53(1), Recital 97",
                model=index,
            )
        if model.we_are_provider and free.value is None and entry.get("open_weights") is True:
            det.ask(
                ["models[].free_open_source"],
                "scope",
                "the Art. 53(2) / 54(6) open-source exemption (not applied while unknown)",
                "Art. 53(2), Art. 54(6)",
                model=index,
            )


def determine(
    data: dict[str, Any],
    as_of: datetime.date,
    policy: str,
    facts: Optional[Facts] = None,
) -> Determination:
    """The legal determination for one manifest (its unusable values read as unknown)."""
    facts = facts if facts is not None else Facts(data)
    det = Determination(facts)
    _scope(facts, det, as_of)
    if det.in_scope:
        _practices(facts, det, as_of)
        _annex_iii(facts, det)
        _annex_i(facts, det)
        _transparency(facts, det)
    _roles(facts, det)
    if det.in_scope:
        _context_flags(facts, det)
        _risk(facts, det)
        _legacy(facts, det, as_of)
        if det.in_scope:
            det.flags.add("in_scope")
    _models(facts, det, policy)
    if not det.in_scope:
        det.risk = "out_of_scope"
        det.routes = []
        det.questions = {k: q for k, q in det.questions.items() if q.stake == "scope"}
        # Art. 2(12) exempts the SYSTEM only; the facts that shape its provider's GPAI model
        # duties (Art. 54 authorised representative) survive.
        model_facts = {"established_outside_eu"} if det.exemption_article == "Art. 2(12)" else set()
        det.flags &= model_facts
    return det
