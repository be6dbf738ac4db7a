"""What a change to the manifests means in law: ``--diff-base REF``, compared fact by fact.

Both versions of each manifest are classified with the same pure ``classify.determine``; every
difference that carries legal weight becomes a finding (AIA920-AIA927, AIA932-AIA939) located at
the changed node of the current manifest, with the old and new values as ``before``/``after``.
Systems that appear (also in a monorepo), disappear or move are recognised from the manifests
git holds at REF. Per system, the legal effect (determination before and after, the duties
that newly apply) goes to the result for the step summary and the report.

The git plumbing (reading REF) is history.py's; this module decides nothing about git.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional, Sequence

from aiact_lint.catalogue import get, make_finding
from aiact_lint.classify import Determination, determine, timeline_date, union_codes
from aiact_lint.findings import Finding
from aiact_lint.lawdata import table
from aiact_lint.lock import Facts, change, facts_of
from aiact_lint.manifest import Manifest
from aiact_lint.options import Options
from aiact_lint.textdiff import listing, word_diff
from aiact_lint.yamlsafe import PathKey, YamlProblem, iso_date, load

if TYPE_CHECKING:
    from aiact_lint.history import History
    from aiact_lint.result import CheckResult, SystemResult

# Tiers in order; a system outside the Regulation's scope ranks below minimal risk.
RANK = {"out_of_scope": -1, "minimal": 0, "limited": 1, "high": 2, "prohibited": 3}
LABEL = {
    "out_of_scope": "out of scope",
    "minimal": "minimal",
    "limited": "limited",
    "high": "high",
    "prohibited": "prohibited",
}
# Legal-effect findings a reviewed lock accepts (not AIA928, stale evidence: a to-do, not a
# verdict; not AIA932: a prohibited practice is never accepted).
ACCEPTED_BY_LOCK = frozenset(
    {"AIA920", "AIA921", "AIA922", "AIA923", "AIA924", "AIA925", "AIA926", "AIA927"}
    | {"AIA933", "AIA934", "AIA935", "AIA937", "AIA938", "AIA939"}
)


class Version:
    """One manifest version: its data and its determination."""

    def __init__(self, data: dict[str, Any], det: Determination) -> None:
        self.data = data
        self.det = det

    @property
    def facts(self) -> Facts:
        det = self.det
        return facts_of(
            det.in_scope, det.risk, det.routes, det.roles, [m.as_json() for m in det.models]
        )


def _get(data: dict[str, Any], *path: str) -> Any:
    node: Any = data
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
    return node


def _valid(data: Any) -> bool:
    from aiact_lint.schema import _validator

    fast_validate: Any = _validator.validate
    try:
        fast_validate(data)
    except _validator.JsonSchemaValueException:
        return False
    return True


def version_of(text: Optional[str], options: Options) -> Optional[Version]:
    """The classified manifest in ``text``, or None when it is absent or cannot be read."""
    if text is None:
        return None
    try:
        data = load(text).data
    except YamlProblem:
        return None
    if not isinstance(data, dict) or not _valid(data):
        return None
    return Version(data, determine(data, options.as_of, options.policy))


def current_version(manifest: Manifest, options: Options) -> Version:
    """The work tree's version, classified as the check classified it: with the facts the run
    derived (a purpose change seen by --diff-base is a significant change, Art. 111(2))."""
    from aiact_lint.facts import Facts

    facts = Facts(manifest.data, derived=options.derived_facts.get(manifest.path))
    return Version(manifest.data, determine(manifest.data, options.as_of, options.policy, facts))


def _in_union(data: dict[str, Any]) -> bool:
    regions = _get(data, "market", "regions") or []
    codes = union_codes()
    listed = any(isinstance(r, str) and r in codes for r in regions)
    return listed or _get(data, "market", "output_used_in_eu") is True


def _name(data: dict[str, Any]) -> Optional[str]:
    name = _get(data, "system", "name")
    return name if isinstance(name, str) else None


def _tier(version: Version) -> str:
    facts = version.facts
    routes = ", ".join(facts.route_labels()) or "no route"
    return f"{LABEL.get(facts.risk, facts.risk)} risk ({routes})"


def chapter_iii_date(det: Determination) -> Optional[Any]:
    """The date Chapter III applies to a high-risk system's route (Art. 113, third paragraph,
    point (c), as amended): the cut-off of the Art. 111(2) legacy status."""
    if not det.high_risk:
        return None
    if "annex_iii" in det.flags:
        return timeline_date("high_risk_annex_iii")
    if "annex_i" in det.flags:
        return timeline_date("high_risk_annex_i")
    return None


# --- obligations --------------------------------------------------------------------------------


def _duties(version: Optional[Version], options: Options) -> dict[tuple[str, str], dict[str, Any]]:
    if version is None:
        return {}
    from aiact_lint.obligations import evaluate

    found: dict[tuple[str, str], dict[str, Any]] = {}
    for item in evaluate(version.data, version.det, options.as_of):
        if item.status == "exempt":
            continue
        data = item.as_json()
        found[(item.id, item.model or "")] = {
            key: data[key]
            for key in ("id", "title", "article", "role", "applies_from", "status", "model")
            if key in data
        }
    return found


def _duty_changes(
    old: Optional[Version], new: Optional[Version], system: Optional[SystemResult], options: Options
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    before, after = _duties(old, options), _duties(new, options)
    statuses = {}
    if system is not None:  # the check's status, which saw the repository's evidence
        for item in system.obligations:
            statuses[(str(item.get("id")), str(item.get("model") or ""))] = item.get("status")
    added = []
    for key in [k for k in after if k not in before]:  # the law table's order
        entry = dict(after[key])
        entry["status"] = statuses.get(key, entry["status"])
        added.append(entry)
    ended = [before[k] for k in before if k not in after]
    return added, ended


# --- one system's comparison -------------------------------------------------------------------


class Comparison:
    """The legal differences between one manifest at REF (old) and in the work tree (new)."""

    def __init__(
        self, label: str, manifest: Manifest, old: Version, new: Version, options: Options
    ) -> None:
        self.manifest = manifest
        self.old = old
        self.new = new
        self.options = options
        self.since = f"since {label}"

    def findings(self) -> list[Finding]:
        found: list[Finding] = []
        for check in (
            self.purpose,
            self.legacy,
            self.prohibited,
            self.annex_iii,
            self.risk,
            self.roles,
            self.union_market,
            self.models,
            self.compute,
            self.gpai_status,
            self.derogation,
        ):
            found.extend(check())
        return found

    def _at(self, *paths: PathKey) -> PathKey:
        doc = self.manifest.doc
        for path in paths:
            if path in doc.keys or path in doc.values:
                return path
        return paths[-1]

    def _finding(
        self,
        code: str,
        at: PathKey,
        message: str,
        subject: str,
        articles: Sequence[str] = (),
        before: Any = None,
        after: Any = None,
    ) -> Finding:
        article = ", ".join(dict.fromkeys(articles)) if articles else get(code).article
        finding = self.manifest.finding(code, at, message, article=article, subject=subject)
        return finding.with_(change=change(before, after))

    @property
    def declared_provider(self) -> bool:
        return "provider" in self.new.det.declared_roles

    @property
    def placed(self) -> Optional[Any]:
        return iso_date(_get(self.old.data, "market", "placed_on_market"))

    @property
    def on_market(self) -> Optional[bool]:
        """Whether the system was on the market at REF: None when the manifest does not say."""
        placed = self.placed
        return None if placed is None else placed <= self.options.as_of

    def _purposes(self) -> Optional[tuple[str, str]]:
        before = _get(self.old.data, "use_case", "purpose")
        after = _get(self.new.data, "use_case", "purpose")
        if not isinstance(before, str) or not isinstance(after, str):
            return None
        if before.split() == after.split():
            return None
        return before, after

    def purpose(self) -> list[Finding]:
        purposes = self._purposes()
        if purposes is None:
            return []
        before, after = purposes
        high_now, high_then = self.new.det.high_risk, self.old.det.high_risk
        on_market = self.on_market
        diff = word_diff(before, after)
        at = self._at(("use_case", "purpose"))
        if on_market:
            placed = self.placed.isoformat() if self.placed else ""
            head = (
                f"use_case.purpose of a system on the market since {placed} changed "
                f"{self.since}: {diff}; a change of the intended purpose is a substantial "
                "modification (Art. 3(23))"
            )
            articles = ["Art. 3(12)", "Art. 3(23)"]
            if high_now and high_then:
                head += (
                    ": the high-risk system needs a new conformity assessment (Art. 43(4)), and "
                    "a distributor, importer or deployer who makes the change becomes its "
                    "provider (Art. 25(1)(b))"
                )
                articles += ["Art. 43(4)", "Art. 25(1)(b)"]
            elif high_now:
                head += (
                    " that makes it high-risk: whoever changed its purpose becomes its provider "
                    "(Art. 25(1)(c)), with the provider obligations and a conformity assessment "
                    "(Art. 43)"
                )
                articles += ["Art. 25(1)(c)", "Art. 43"]
            else:
                head += (
                    "; re-check the classification for the new purpose (Art. 6): if it makes the "
                    "system high-risk, whoever changed it becomes its provider (Art. 25(1)(c))"
                )
                articles += ["Art. 25(1)(c)"]
            note, cited = self._legacy_note()
            articles += cited
            return [
                self._finding("AIA938", at, head + note, "diff:purpose", articles, before, after)
            ]
        head = f"use_case.purpose changed {self.since}: {diff}"
        if high_now and self.declared_provider:
            tail = (
                "; a change of intended purpose is a substantial modification (Art. 3(23)) and "
                "the high-risk system needs a new conformity assessment (Art. 43(4))"
            )
            articles = ["Art. 3(12)", "Art. 3(23)", "Art. 43(4)"]
        elif high_now:
            tail = (
                "; changing the intended purpose so that the system is high-risk makes you its "
                "provider (Art. 25(1)(c)), with the provider obligations and a conformity "
                "assessment (Art. 43)"
            )
            articles = ["Art. 3(12)", "Art. 25(1)(c)", "Art. 43"]
        else:
            tail = (
                "; re-check the classification for the new purpose (Art. 6): if it makes the "
                "system high-risk, whoever changed it becomes the provider (Art. 25(1)(c)), "
                "and a high-risk system needs a new conformity assessment (Art. 43(4))"
            )
            articles = ["Art. 3(12)", "Art. 25(1)(c)", "Art. 43(4)"]
        if on_market is None:
            tail += (
                "; market.placed_on_market is not declared: if the system is already on the "
                "market, this is a substantial modification of it (Art. 3(23))"
            )
            articles.append("Art. 3(23)")
            cutoff = chapter_iii_date(self.old.det)
            if cutoff is not None and high_now:
                tail += (
                    f", and if it was placed on the market before {cutoff.isoformat()} the "
                    "change ends its legacy status (Art. 111(2))"
                )
                articles.append("Art. 111(2)")
        return [self._finding("AIA920", at, head + tail, "diff:purpose", articles, before, after)]

    def _legacy_at_base(self) -> Optional[tuple[str, Any]]:
        """(status, Chapter III date) of the Art. 111(2) legacy status the system had at REF,
        when its intended purpose changed and it is still high-risk; else None. The status is
        the determination's: ``legacy``, ``public_authorities``, or ``unknown`` when the
        determination asks whether an earlier significant change already ended it."""
        if self._purposes() is None or not self.new.det.high_risk:
            return None
        legacy = self.old.det.legacy
        if legacy is not None and legacy.status in ("legacy", "public_authorities"):
            return legacy.status, legacy.cutoff
        now = self.new.det.legacy
        asked = ("market.significant_change", None) in self.old.det.questions
        if legacy is None and asked and now is not None:
            return "unknown", now.cutoff
        return None

    def legacy(self) -> list[Finding]:
        """Art. 111(2): a high-risk system placed on the market before its Chapter III date is
        covered only if, as from that date, its design changes significantly. A new intended
        purpose is such a change (the check derives it as ``market.significant_change``); the
        determination says whether it ends the legacy status. Made before that date it ends
        nothing, and purpose() says so."""
        legacy = self._legacy_at_base()
        now = self.new.det.legacy
        if legacy is None or now is None or now.status != "ended":
            return []
        status, cutoff = legacy
        placed = self.placed
        when = f" on {placed.isoformat()}" if placed is not None else ""
        message = (
            f"the system was placed on the market{when}, before {cutoff.isoformat()} (Chapter "
            "III for its route, Art. 113), so the Regulation applied to it only after a "
            "significant change in its design (Art. 111(2)); the change of its intended purpose "
            f"{self.since} is such a change, made after that date: its legacy status ends, and "
            "the high-risk requirements (Arts. 8-17) and a conformity assessment (Art. 43) apply "
            "to it now"
        )
        if status == "unknown":
            message += (
                " (unless an earlier significant change already ended its legacy status: "
                "declare market.significant_change)"
            )
        before = {
            "legacy_status": status,
            "placed_on_market": placed.isoformat() if placed is not None else None,
            "chapter_iii_date": cutoff.isoformat(),
        }
        after = {"legacy_status": now.status, "chapter_iii_date": cutoff.isoformat()}
        at = self._at(("use_case", "purpose"))
        articles = ["Art. 111(2)", "Art. 113", "Art. 43"]
        return [self._finding("AIA939", at, message, "diff:legacy", articles, before, after)]

    def _legacy_note(self) -> tuple[str, list[str]]:
        """For a purpose change that leaves a legacy system legacy (made before its date)."""
        legacy = self._legacy_at_base()
        now = self.new.det.legacy
        if legacy is None or (now is not None and now.status == "ended"):
            return "", []
        return (
            f"; made before {legacy[1].isoformat()} (the date Chapter III applies to it), "
            "the change does not end its legacy status under Art. 111(2), but a significant "
            "change in its design from that date will",
            ["Art. 111(2)"],
        )

    def prohibited(self) -> list[Finding]:
        old = [r for r in self.old.det.routes if r.startswith("art5:")]
        new = [r for r in self.new.det.routes if r.startswith("art5:")]
        found = []
        titles = {p.point: p for p in self.new.det.practices}
        for route in new:
            if route in old:
                continue
            point = route.split(":", 1)[1]
            practice = titles.get(point)
            fact = practice.fact if practice is not None else ""
            at = self._at(("use_case", "capabilities", fact), ("use_case", "capabilities"))
            article = practice.article if practice is not None else f"Art. 5(1){point}"
            title = practice.title if practice is not None else point
            message = (
                f"prohibited practice added {self.since}: {title} ({article}); it may not be "
                "placed on the market, put into service or used"
            )
            found.append(
                self._finding("AIA932", at, message, f"art5:{point}:diff", [article], old, new)
            )
        return found

    def annex_iii(self) -> list[Finding]:
        titles = {p["point"]: p["title"] for p in table("annex_iii")["points"]}
        before_points = list(self.old.det.annex_iii)
        added = [p for p in self.new.det.annex_iii if p not in before_points]
        declared = _get(self.new.data, "use_case", "annex_iii") or []
        found = []
        for point in added:
            if point in declared:
                at: PathKey = ("use_case", "annex_iii", declared.index(point))
            else:
                fact = self.new.det.implied_annex_iii.get(point, "")
                at = self._at(("use_case", "capabilities", fact), ("use_case", "annex_iii"))
            title = titles.get(point, "")
            head = f"Annex III {point}" + (f" ({title})" if title else "")
            if not self.new.det.high_risk:
                effect = (
                    "; the Art. 6(3) derogation must be documented before placing on the "
                    "market (Art. 6(4))"
                )
                articles = ["Art. 6(2)", "Art. 6(4)"]
            elif self.old.det.high_risk and self.declared_provider:
                effect = (
                    ": a substantial modification of a high-risk system, which needs a new "
                    "conformity assessment (Art. 43(4))"
                )
                articles = ["Art. 6(2)", "Art. 3(23)", "Art. 43(4)"]
            elif self.declared_provider:
                effect = (
                    ": the system becomes high-risk (Art. 6(2)) and needs a conformity "
                    "assessment before it is placed on the market (Art. 43)"
                )
                articles = ["Art. 6(2)", "Art. 43"]
            else:
                effect = (
                    ": the system becomes high-risk (Art. 6(2)) and whoever changed its purpose "
                    "this way becomes its provider (Art. 25(1)(c))"
                )
                articles = ["Art. 6(2)", "Art. 25(1)(c)"]
            message = (
                f"{head} applies now but did not {self.since} (Annex III "
                f"{listing(before_points)} -> {listing(self.new.det.annex_iii)}){effect}"
            )
            found.append(
                self._finding(
                    "AIA921",
                    at,
                    message,
                    f"diff:annex_iii:{point}",
                    articles,
                    before_points,
                    list(self.new.det.annex_iii),
                )
            )
        return found

    def risk(self) -> list[Finding]:
        before, after = self.old.det.risk, self.new.det.risk
        if before not in RANK or after not in RANK or before == after:
            return []
        values = (
            {"risk": before, "routes": list(self.old.det.routes)},
            {"risk": after, "routes": list(self.new.det.routes)},
        )
        at = self._at(("risk", "classification"), ("use_case",))
        tiers = (
            f"from {LABEL[before]} to {LABEL[after]} {self.since} (routes "
            f"{listing(self.old.facts.route_labels())} -> {listing(self.new.facts.route_labels())})"
        )
        if RANK[after] < RANK[before]:
            message = (
                f"risk lowered {tiers}: the obligations of the {LABEL[before]} tier no longer "
                "apply; check that the facts that lowered it are true"
            )
            articles = ["Art. 6"]
            if self.new.det.derogation == "valid":
                message += (
                    ", and that the Art. 6(3) assessment is documented before placing on the "
                    "market (Art. 6(4))"
                )
                articles += ["Art. 6(3)", "Art. 6(4)"]
            return [self._finding("AIA933", at, message, f"diff:risk:{after}", articles, *values)]
        effects = {
            "prohibited": (
                "it may not be placed on the market, put into service or used",
                "Art. 5(1)",
            ),
            "high": (
                "the high-risk requirements (Arts. 8-17) apply and a conformity assessment is "
                "needed, a new one after a substantial modification (Art. 43(4))",
                "Art. 43(4)",
            ),
            "limited": ("the transparency obligations of Art. 50 apply", "Art. 50"),
            "minimal": (
                "the Regulation applies to it (Art. 2(1)), with AI literacy (Art. 4)",
                "Art. 2(1)",
            ),
        }
        effect, article = effects[after]
        message = f"risk raised {tiers}: {effect}"
        return [
            self._finding("AIA922", at, message, f"diff:risk:{after}", ["Art. 6", article], *values)
        ]

    def roles(self) -> list[Finding]:
        before, after = sorted(self.old.det.roles), sorted(self.new.det.roles)
        if before == after:
            return []
        gained = [r for r in after if r not in before]
        lost = [r for r in before if r not in after]
        articles = ["Art. 3(3)", "Art. 3(4)"]
        parts = []
        if gained:
            parts.append(f"now {', '.join(gained)}")
        if lost:
            parts.append(f"no longer {', '.join(lost)}")
        message = (
            f"roles changed {self.since} from {listing(before)} to {listing(after)}: "
            f"{'; '.join(parts)}"
        )
        shifts = [s for s in self.new.det.role_shifts if "provider" in gained]
        for shift in shifts:
            message += f"; provider because this organisation {shift.text} ({shift.article})"
            articles.append(shift.article)
        if "provider" in gained:
            if self.new.det.high_risk:
                message += (
                    "; the provider of a high-risk system owes the Art. 16 obligations, "
                    "including a conformity assessment (Art. 43)"
                )
                articles += ["Art. 16", "Art. 43"]
            else:
                message += "; the provider obligations of its risk tier now apply"
        at = self._at(("roles",))
        return [self._finding("AIA923", at, message, "diff:roles", articles, before, after)]

    def union_market(self) -> list[Finding]:
        if _in_union(self.old.data) or not _in_union(self.new.data):
            return []
        regions = _get(self.new.data, "market", "regions") or []
        codes = union_codes()
        union = [r for r in regions if isinstance(r, str) and r in codes]
        if union:
            index = regions.index(union[0])
            at = self._at(("market", "regions", index), ("market", "regions"))
            what = f"market.regions now includes {', '.join(union)}"
        else:
            at = self._at(("market", "output_used_in_eu"), ("market",))
            what = "market.output_used_in_eu is now true"

        def market(data: dict[str, Any]) -> dict[str, Any]:
            return {
                "regions": list(_get(data, "market", "regions") or []),
                "output_used_in_eu": _get(data, "market", "output_used_in_eu"),
            }

        old_regions = listing(_get(self.old.data, "market", "regions") or [])
        message = (
            f"{what} ({self.since}: {old_regions}, outside the Union): the Regulation applies "
            f"to the system (Art. 2(1)); its determined risk is {self.new.det.risk}"
        )
        return [
            self._finding(
                "AIA924",
                at,
                message,
                "diff:eu_market",
                ["Art. 2(1)"],
                market(self.old.data),
                market(self.new.data),
            )
        ]

    def models(self) -> list[Finding]:
        old_ids = [m.id for m in self.old.det.models]
        new_ids = [m.id for m in self.new.det.models]
        removed = [i for i in old_ids if i not in new_ids]
        found = []
        high = self.new.det.high_risk
        for model in self.new.det.models:
            if model.id in old_ids:
                continue
            replaced = removed.pop(0) if removed else None
            change_text = f"replaces {replaced}" if replaced else "was added"
            message = f"model {model.id} {change_text} {self.since}"
            if high:
                message += (
                    ": for a high-risk system this can be a substantial modification "
                    "(Art. 3(23)) that needs a new conformity assessment (Art. 43(4))"
                )
                articles = ["Art. 3(23)", "Art. 43(4)"]
            else:
                message += (
                    ": re-run the evaluations and update the documentation; if the system "
                    "becomes high-risk, a model swap can be a substantial modification "
                    "(Art. 3(23), Art. 43(4))"
                )
                articles = ["Art. 3(23)"]
            if model.status in ("gpai", "gpai_systemic_risk") and "provider" in self.new.det.roles:
                message += (
                    "; the model provider's information (Art. 53(1)(b)) and the supply terms "
                    "(Art. 25(4)) must cover the new model"
                )
                articles += ["Art. 53(1)(b)", "Art. 25(4)"]
            at = self._at(("models", model.index, "id"), ("models", model.index))
            subject = f"diff:model:{model.id}"
            found.append(
                self._finding("AIA925", at, message, subject, articles, replaced, model.id)
            )
        return found

    def _crossings(self) -> dict[str, tuple[float, float, str, list[str], float]]:
        limits = table("gpai")["thresholds"]
        thresholds = (
            (
                float(limits["systemic_risk_flop"]),
                "10^25 FLOP: presumed to have systemic risk (Art. 51(2)); the provider must "
                "notify the Commission within two weeks (Art. 52(1)) and owes the Art. 55 duties",
                ["Art. 51(2)", "Art. 52(1)", "Art. 55"],
            ),
            (
                float(limits["gpai_indicative_flop"]),
                "10^23 FLOP: indicatively a general-purpose AI model (Art. 3(63), Commission "
                "guidelines of July 2025) whose provider owes the Art. 53 duties",
                ["Art. 3(63)", "Art. 53"],
            ),
        )
        old_by_id = {m.id: m for m in self.old.det.models}
        found = {}
        for model in self.new.det.models:
            previous = old_by_id.get(model.id)
            if previous is None:
                continue
            before, after = previous.cumulative_compute, model.cumulative_compute
            if before is None or after is None:
                continue
            for limit, effect, articles in thresholds:
                if before <= limit < after:
                    found[model.id] = (before, after, effect, articles, limit)
                    break
        return found

    def compute(self) -> list[Finding]:
        found = []
        crossings = self._crossings()
        for model in self.new.det.models:
            if model.id not in crossings:
                continue
            before, after, effect, articles, limit = crossings[model.id]
            at = self._at(
                ("models", model.index, "modifications"),
                ("models", model.index, "training_compute_flop"),
                ("models", model.index, "id"),
            )
            message = (
                f"model {model.id}: cumulative training compute rose from {before:.3g} "
                f"to {after:.3g} FLOP {self.since}, crossing {effect}"
            )
            subject = f"diff:compute:{model.id}:{limit:.0e}"
            found.append(self._finding("AIA926", at, message, subject, articles, before, after))
        return found

    def gpai_status(self) -> list[Finding]:
        crossed = self._crossings()
        old_by_id = {m.id: m for m in self.old.det.models}
        found = []
        for model in self.new.det.models:
            previous = old_by_id.get(model.id)
            if previous is None or previous.status == model.status or model.id in crossed:
                continue
            at = self._at(("models", model.index, "general_purpose"), ("models", model.index, "id"))
            message = (
                f"model {model.id}: GPAI status changed from {previous.status} to "
                f"{model.status} {self.since}"
            )
            articles = ["Art. 3(63)", "Art. 51"]
            if model.status in ("gpai", "gpai_systemic_risk") and model.we_are_provider:
                message += "; as its provider this organisation owes the Art. 53 duties"
                articles.append("Art. 53")
                if model.status == "gpai_systemic_risk":
                    message += " and, with systemic risk, those of Art. 55"
                    articles.append("Art. 55")
            subject = f"diff:gpai:{model.id}"
            found.append(
                self._finding(
                    "AIA937", at, message, subject, articles, previous.status, model.status
                )
            )
        return found

    def derogation(self) -> list[Finding]:
        before, after = self.old.det.derogation, self.new.det.derogation
        if before != "valid" or after == "valid" or not self.new.det.annex_iii:
            return []
        if after == "voided_by_profiling":
            why = "use_case.profiling is now true, which voids it (Art. 6(3), third subparagraph)"
            at = self._at(("use_case", "profiling"), ("use_case", "derogation"))
        elif after == "incomplete":
            why = "it now lacks its condition or its documented assessment (Art. 6(4))"
            at = self._at(("use_case", "derogation"), ("use_case", "annex_iii"))
        else:
            why = "it was removed"
            at = self._at(("use_case", "derogation"), ("use_case", "annex_iii"))
        points = ", ".join(self.new.det.annex_iii)
        message = (
            f"the Art. 6(3) derogation for Annex III {points} held {self.since} but {why}: the "
            "system is high-risk (Art. 6(2)) and every high-risk obligation applies"
        )
        articles = ["Art. 6(3)", "Art. 6(4)", "Art. 6(2)"]
        return [self._finding("AIA927", at, message, "diff:derogation", articles, before, after)]


# --- every system of the run ---------------------------------------------------------------------


def _finding_path(history: History, repo_rel: str, base: Path) -> str:
    absolute = history.root / repo_rel
    try:
        return Path(os.path.relpath(absolute, base)).as_posix()
    except ValueError:
        return repo_rel


def _covered(history: History, repo_rel: str, options: Options, cwd: Path) -> bool:
    """Whether the run's paths (default: the current folder) cover a manifest path at REF."""
    target = Path(os.path.abspath(history.root / repo_rel))
    for given in options.paths or ["."]:
        absolute = Path(os.path.abspath(cwd / given))
        if target == absolute or absolute in target.parents:
            return True
    return False


def _purpose_change(old: Optional[Version], new: Optional[Version]) -> Optional[dict[str, str]]:
    """The full intended purpose before and after, when a kept system's purpose changed (the
    reports show it beside the tier: the classification rests on it, Art. 3(12))."""
    if old is None or new is None:
        return None
    before = _get(old.data, "use_case", "purpose")
    after = _get(new.data, "use_case", "purpose")
    if not isinstance(before, str) or not isinstance(after, str) or before.split() == after.split():
        return None
    return {"before": before, "after": after}


def _summary(version: Optional[Version]) -> Optional[dict[str, Any]]:
    return None if version is None else version.facts.as_json()


class Review:
    """The legal effect of the whole change: findings per system and one record per system."""

    def __init__(self, history: History, options: Options, cwd: Path, base: Path) -> None:
        self.history = history
        self.options = options
        self.cwd = cwd
        self.base = base
        self.findings: list[tuple[Finding, Optional[SystemResult]]] = []
        self.records: list[dict[str, Any]] = []

    def run(self, result: CheckResult, manifests: Sequence[Manifest]) -> None:
        history, options = self.history, self.options
        by_path = {m.path: m for m in manifests}
        present = {history.relative(m.file) for m in manifests}
        at_base = set(history.manifests_at_base())
        comparable: list[tuple[str, SystemResult, Manifest]] = []
        for system in result.systems:
            manifest = by_path.get(system.manifest)
            rel = history.relative(manifest.file) if manifest is not None else None
            if manifest is not None and manifest.valid and rel is not None:
                comparable.append((rel, system, manifest))
        gone = sorted(
            p for p in at_base if p not in present and _covered(history, p, options, self.cwd)
        )
        old_versions = {p: version_of(history.read(history.base, p), options) for p in gone}
        new_paths = [rel for rel, _, _ in comparable if rel not in at_base]
        moved = self._moves(gone, old_versions, new_paths, comparable)
        for rel, system, manifest in comparable:
            new = current_version(manifest, options)
            source = moved.get(rel, rel)
            if source in at_base:
                old = (
                    old_versions[source]
                    if source in old_versions
                    else version_of(history.read(history.base, source), options)
                )
                if old is None:  # unreadable at REF: nothing to compare with
                    self._record(system, manifest.path, "not_compared", None, new, None)
                    continue
                found = Comparison(history.label, manifest, old, new, options).findings()
                self.findings += [(f, system) for f in found]
                status = (
                    "moved"
                    if source != rel
                    else ("changed" if old.facts != new.facts or found else "unchanged")
                )
                moved_from = _finding_path(history, source, self.base) if source != rel else None
                self._record(system, manifest.path, status, old, new, moved_from)
            else:
                self.findings.append((self._added(manifest, new), system))
                self._record(system, manifest.path, "added", None, new, None)
        for path in gone:
            if path in moved.values():
                continue
            old = old_versions[path]
            shown = _finding_path(history, path, self.base)
            self.findings.append((self._removed(shown, old), None))
            self._record(None, shown, "removed", old, None, None)

    def _moves(
        self,
        gone: list[str],
        old_versions: dict[str, Optional[Version]],
        new_paths: list[str],
        comparable: list[tuple[str, SystemResult, Manifest]],
    ) -> dict[str, str]:
        """New path -> old path for a system whose manifest moved: same system.name, and the
        only one of that name among the removed and among the added manifests."""
        old_names: dict[str, list[str]] = {}
        for path in gone:
            version = old_versions.get(path)
            name = _name(version.data) if version is not None else None
            if name:
                old_names.setdefault(name, []).append(path)
        new_names: dict[str, list[str]] = {}
        for rel, _, manifest in comparable:
            name = _name(manifest.data)
            if rel in new_paths and name:
                new_names.setdefault(name, []).append(rel)
        return {
            new[0]: old[0]
            for name, old in old_names.items()
            for new in [new_names.get(name, [])]
            if len(old) == 1 and len(new) == 1
        }

    def _record(
        self,
        system: Optional[SystemResult],
        path: str,
        status: str,
        old: Optional[Version],
        new: Optional[Version],
        moved_from: Optional[str],
    ) -> None:
        added, ended = _duty_changes(old, new, system, self.options)
        name = _name(new.data) if new is not None else _name(old.data) if old is not None else None
        record: dict[str, Any] = {
            "manifest": path,
            "name": name,
            "status": status,
            "before": _summary(old),
            "after": _summary(new),
            "obligations_added": added,
            "obligations_ended": ended,
        }
        purpose = _purpose_change(old, new)
        if purpose is not None:
            record["purpose"] = purpose
        if moved_from is not None:
            record["moved_from"] = moved_from
        self.records.append(record)
        if system is not None:
            system.change = record

    def _added(self, manifest: Manifest, new: Version) -> Finding:
        facts = new.facts
        high = facts.risk in ("high", "prohibited")
        code = "AIA934" if high else "AIA935"
        roles = ", ".join(facts.roles) or "none declared"
        message = (
            f"new AI system {self.history_since()}: {_name(new.data) or manifest.path} is "
            f"{_tier(new)}, roles {roles}"
        )
        if facts.risk == "prohibited":
            message += "; it may not be placed on the market, put into service or used (Art. 5)"
        elif facts.risk == "high":
            message += (
                "; every high-risk requirement (Arts. 8-17) applies and it needs a conformity "
                "assessment before it is placed on the market (Art. 43)"
            )
        elif facts.risk == "limited":
            message += "; the transparency obligations of Art. 50 apply"
        elif facts.risk == "out_of_scope":
            message += "; outside the scope of the AI Act, for the reasons the check gives"
        else:
            message += "; AI literacy (Art. 4) applies"
        at = ("system", "name")
        finding = manifest.finding(code, at, message, subject="diff:system")
        return finding.with_(change=change(None, facts.as_json()))

    def _removed(self, path: str, old: Optional[Version]) -> Finding:
        if old is None:
            what = f"the manifest {path}, unreadable at the base revision,"
            before = None
        else:
            what = f"{_name(old.data) or 'the system'} ({_tier(old)}), declared in {path},"
            before = old.facts.as_json()
        message = (
            f"{what} was removed {self.history_since()}: deleting a manifest does not take the "
            "system off the market; while it is placed on the market or used its obligations "
            "continue"
        )
        if old is not None and old.det.high_risk:
            message += (
                ", and a high-risk system's documentation is kept for ten years after it was "
                "placed on the market (Art. 18)"
            )
        finding = make_finding("AIA936", path, (1, 1, 1, 2), message, subject="diff:system")
        return finding.with_(change=change(before, None))

    def history_since(self) -> str:
        return f"since {self.history.label}"


def accept_reviewed(finding: Finding, reviewer: str, when: str, lock_path: str) -> Finding:
    """A legal-effect finding accepted by a lock reviewed in the same change."""
    return finding.with_(
        waived=True,
        waiver_reason=f"reviewed in {lock_path} by {reviewer} on {when} (determination lock)",
    )
