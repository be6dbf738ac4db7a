"""The questions of ``aiact-lint init``, in the order the law needs them, and the suggestions
(Annex III points, models, capabilities) offered on the way. See :mod:`.command` for the modes.
"""

from __future__ import annotations

import argparse
import datetime
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from aiact_lint.init.answers import Answers, ModelAnswer
from aiact_lint.init.prompts import InitAborted, Prompter
from aiact_lint.init.suggest import (
    CodeFindings,
    PointSuggestion,
    annex_i_titles,
    annex_suggestions,
    point_title,
    scan_code,
)
from aiact_lint.options import today_utc

REGION = re.compile(r"^([A-Z]{2}|EU|EEA)$")
MEDIA = ("text", "image", "audio", "video")
ANSWER_FLAGS = (
    "name",
    "description",
    "roles",
    "developer",
    "brand",
    "regions",
    "output_used_in_eu",
    "established_in",
    "public_authority",
    "placed_on_market",
    "open_source",
    "purpose",
    "sector",
    "affected",
    "annex_iii",
    "derogation",
    "annex_i",
    "safety_component",
    "third_party_assessment",
    "chat",
    "generates",
    "deep_fake",
    "emotion_recognition",
    "workplace_emotion",
    "biometric_categorisation",
    "remote_biometric_id",
    "profiling",
    "models",
    "gpai",
    "not_gpai",
    "own_model",
    "third_party_model",
    "facts",
)


def _enum(*path: str) -> list[str]:
    """Allowed values of a manifest key, from the published schema (one source of truth)."""
    from aiact_lint.manifest import schema

    node: Any = schema()
    for key in path:
        node = node["items"] if key == "[]" else node["properties"][key]
    return [value for value in node["enum"] if isinstance(value, str)]


def _region_problem(code: str) -> Optional[str]:
    if REGION.match(code.upper()):
        return None
    return f"{code!r} is not an ISO 3166-1 alpha-2 code (DE, FR, US...), EU or EEA"


def _date_problem(text: str) -> None:
    if text:
        try:
            datetime.date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"{text!r} is not a date of the form YYYY-MM-DD") from None


def arg(args: argparse.Namespace, name: str) -> Any:
    return getattr(args, name, None)


def choose_mode(args: argparse.Namespace) -> bool:
    """True: ask questions. Refuses to wait on a standard input that is not a terminal."""
    if arg(args, "interactive"):
        return True
    if arg(args, "yes"):
        return False
    if sys.stdin is not None and sys.stdin.isatty():
        return True
    if any(arg(args, name) is not None for name in ANSWER_FLAGS):
        return False
    raise InitAborted(
        "standard input is not a terminal, so there is nobody to ask: give the answers as flags "
        '(at least --purpose "..."; --yes accepts the suggestions), or pass --interactive to '
        "read the answers from standard input"
    )


def validate_flags(args: argparse.Namespace) -> None:
    problems = []
    roles = _enum("roles", "[]")
    for role in arg(args, "roles") or []:
        if role not in roles:
            problems.append(f"--role {role}: not one of {', '.join(roles)}")
    for code in arg(args, "regions") or []:
        problem = _region_problem(code)
        if problem:
            problems.append(f"--region {problem}")
    established = arg(args, "established_in")
    if established is not None:
        problem = _region_problem(established)
        if problem:
            problems.append(f"--established-in {problem}")
    points = _enum("use_case", "annex_iii", "[]")
    for point in arg(args, "annex_iii") or []:
        if point not in points:
            problems.append(f"--annex-iii {point}: not an Annex III point ({', '.join(points)})")
    acts = _enum("use_case", "annex_i", "[]")
    for act in arg(args, "annex_i") or []:
        if act.upper() not in acts:
            problems.append(f"--annex-i {act}: not one of {', '.join(acts)}")
    for kind in arg(args, "generates") or []:
        if kind not in (*MEDIA, "none"):
            problems.append(f"--generates {kind}: not one of {', '.join(MEDIA)} or none")
    from aiact_lint.init.questions import parse_flag

    for item in arg(args, "facts") or []:
        try:
            parse_flag(item)
        except ValueError as error:
            problems.append(str(error))
    if problems:
        raise InitAborted("; ".join(problems))


@dataclass
class Declined:
    """Something the code shows that the user said no to: `check` will raise ``code`` at
    ``places`` unless each carries a suppression with a reason."""

    code: str  # AIA850 | AIA853 | AIA854
    label: str  # 'model gpt-4o-mini' / 'the chat endpoint'
    places: list[tuple[str, int]]  # root-relative path, line
    reason: str  # the suppression's default reason


class Dialogue:
    """The questions, in the order the law needs them, and what was suggested on the way."""

    def __init__(
        self,
        prompter: Prompter,
        args: argparse.Namespace,
        folder: Path,
        code: Optional[CodeFindings] = None,
    ) -> None:
        self.p = prompter
        self.args = args
        self.folder = folder
        self.accept = bool(arg(args, "yes"))
        self.answers = Answers()
        self.not_accepted: list[str] = []  # suggestions left out, for the closing notes
        self.accepted: list[str] = []  # what --yes took from the code or a default
        self.unanswered: list[str] = []  # questions `check` will ask, with the flag to answer
        self.notes: list[str] = []  # what `check` will say about an answer, for information
        self.declined: list[Declined] = []
        self.code = code if code is not None else CodeFindings(available=False)
        self._scanned = code is not None
        self._asked: set[str] = set()  # facts the law asked about (settle), asked once

    def show(self, rel: str) -> str:
        """A root-relative repository path as the user sees it (from the current folder)."""
        root = self.code.root
        if root is None:
            return rel
        path, _, line = rel.partition(":")
        try:
            shown = os.path.relpath(root / path).replace(os.sep, "/")
        except ValueError:
            shown = path
        return f"{shown}:{line}" if line else shown

    # --- helpers: a flag answers; else the prompt; else (non-interactive) nothing is claimed ---

    def yes_no(self, flag: str, question: str, default: bool, hint: str = "") -> Optional[bool]:
        preset = arg(self.args, flag)
        if preset is not None or self.p.interactive:
            return self.p.yes_no(question, preset, default, hint)
        return None

    def offer(self, question: str, hint: str, label: str) -> bool:
        """A suggestion: asked (default yes), or accepted by --yes, or noted as not accepted."""
        if self.p.interactive:
            return self.p.yes_no(question, None, True, hint)
        if self.accept:
            return True
        self.not_accepted.append(label)
        return False

    # --- the questions --------------------------------------------------------------------------

    def run(self) -> Answers:
        a = self.answers
        p = self.p
        args = self.args
        if arg(args, "code_scan") is not False and not self._scanned:
            self.code = scan_code(self.folder)
        p.heading("The system")
        a.name = p.text(
            "Name of the AI system",
            arg(args, "name"),
            default=self.folder.resolve().name or "AI system",
            required=True,
        )
        a.description = arg(args, "description") or ""
        self.roles()
        self.market()
        self.purpose()
        self.capabilities()
        self.annex_iii()
        self.annex_i()
        self.models()
        return a

    def roles(self) -> None:
        a, p, args = self.answers, self.p, self.args
        p.heading("Your roles (Art. 3(3)-(8))")
        a.roles = p.many(
            "Your roles for this system",
            _enum("roles", "[]"),
            arg(args, "roles"),
            ["deployer"],
            hint="provider: develops it (or has it developed) and places it on the market or puts "
            "it into service under its own name; deployer: uses it under its authority.",
        ) or ["deployer"]
        if "provider" in a.roles:
            return
        developer = arg(args, "developer")
        if developer is not None or p.interactive:
            a.developer = p.choice(
                "Who built the system", ("us", "third_party"), developer, "third_party"
            )
        brand = arg(args, "brand")
        if brand is not None or p.interactive:
            a.brand = p.choice(
                "Under whose name or trademark is it offered",
                ("own", "third_party"),
                brand,
                "third_party",
                hint="Your own name on a high-risk system makes you its provider (Art. 25(1)(a)).",
            )

    def market(self) -> None:
        a, p, args = self.answers, self.p, self.args
        p.heading("Markets (Art. 2)")
        regions = p.many(
            "Where is it placed on the market, put into service or used",
            None,
            arg(args, "regions"),
            ["EU"] if p.interactive or self.accept else [],
            hint="ISO 3166-1 alpha-2 codes, EU or EEA, comma-separated.",
            check=_region_problem,
        )
        a.regions = [r.upper() for r in regions]
        if self.accept and not p.interactive and arg(args, "regions") is None:
            self.accepted.append(
                "market.regions: [EU], the default (--region to change; `check` would assume "
                "use in the Union anyway)"
            )
        from aiact_lint.classify import union_codes

        if a.regions and not set(a.regions) & union_codes():
            a.output_used_in_eu = self.yes_no(
                "output_used_in_eu",
                "Is its output used in the EU",
                False,
                "Art. 2(1)(c): output used in the Union brings the system into scope.",
            )
        elif arg(args, "output_used_in_eu") is not None:
            a.output_used_in_eu = arg(args, "output_used_in_eu")
        established = p.text(
            "Where is your organisation established (ISO code, EU or EEA; Enter to skip)",
            arg(args, "established_in"),
            parse=lambda v: _raise(_region_problem(v)) if v else None,
        )
        a.established_in = established.upper() or None
        placed = arg(args, "placed_on_market")
        a.placed_on_market = (
            placed.isoformat()
            if isinstance(placed, datetime.date)
            else p.text(
                "First placed on the market or put into service (YYYY-MM-DD; Enter if not yet)",
                None,
                parse=_date_problem,
            )
            or None
        )
        a.free_open_source = self.yes_no(
            "open_source",
            "Is the system released under a free and open-source licence",
            False,
            "Art. 2(12) exempts it only when it is neither high-risk, an Art. 5 practice nor an "
            "Art. 50 system.",
        )

    def purpose(self) -> None:
        a, p, args = self.answers, self.p, self.args
        p.heading("Intended purpose (Art. 3(12))")
        a.purpose = p.text(
            "What is it for, in plain words",
            arg(args, "purpose"),
            required=True,
            hint="e.g. 'Answers customer questions about orders' or 'Ranks job applicants'.",
        )
        a.sector = p.text("Sector (Enter to skip)", arg(args, "sector"))
        a.affected_persons = p.many(
            "Who is affected by it (comma-separated)",
            None,
            arg(args, "affected"),
            [],
            hint="e.g. customers, job applicants, students, patients, employees.",
        )

    def capabilities(self) -> None:
        a, p, args = self.answers, self.p, self.args
        caps = a.capabilities
        code = self.code.capabilities
        p.heading("What the system does (Art. 5, Art. 50)")
        chat = arg(args, "chat")
        shown = [self.show(w) for w in code.get("chat", [])]
        if chat is None and "chat" in code and not p.interactive and self.accept:
            chat = True
            self.accepted.append(
                "use_case.capabilities.interacts_with_natural_persons: true, from the chat "
                f"endpoint at {', '.join(shown)} (--no-chat if no person talks to it, e.g. a "
                "batch job)"
            )
        if chat is not None or p.interactive:
            caps["interacts_with_natural_persons"] = p.yes_no(
                "Does it chat or otherwise interact directly with people",
                chat,
                "chat" in code,
                _found(shown, "a chat or voice API call"),
            )
            if caps["interacts_with_natural_persons"] is False and "chat" in code:
                self.declined.append(
                    Declined(
                        "AIA854",
                        "the chat endpoint",
                        self.code.hint_places.get("chat", []),
                        "no natural person interacts with it (answered in aiact-lint init)",
                    )
                )
        generates = arg(args, "generates")
        suggested = [m for m in MEDIA if m in code]
        # A chat answers in generated text (Art. 50(2)): the default offered, and what --yes
        # accepts for a chat endpoint the code shows, as check would otherwise ask (AIA510).
        chat_text = bool(caps.get("interacts_with_natural_persons")) and "text" not in suggested
        if chat_text:
            suggested.insert(0, "text")
        if generates is None and suggested and not p.interactive and self.accept:
            generates = list(suggested)  # --yes accepts what the code shows
            source = "from the code" + (" (a chat answers in generated text)" if chat_text else "")
            self.accepted.append(
                "use_case.capabilities.generates_synthetic_content: "
                f"[{', '.join(suggested)}], {source}"
            )
        if generates is not None or p.interactive:
            kinds = p.many(
                "Which synthetic content does it generate",
                MEDIA,
                [g for g in generates if g != "none"] if generates is not None else None,
                suggested,
                hint=_found(
                    [w for m in suggested for w in code.get(m, [])], "image/audio/video generation"
                ),
            )
            caps["generates_synthetic_content"] = [m for m in MEDIA if m in kinds]
            for medium in MEDIA[1:]:
                if medium in code and medium not in kinds:
                    self.declined.append(
                        Declined(
                            "AIA853",
                            f"the {medium} generation",
                            self.code.hint_places.get(medium, []),
                            f"the system does not generate {medium} for people "
                            "(answered in aiact-lint init)",
                        )
                    )
        media = set(caps.get("generates_synthetic_content") or []) - {"text"}
        deep_fake = arg(args, "deep_fake")
        if deep_fake is not None or (p.interactive and media):
            caps["deep_fake"] = p.yes_no(
                "Can it produce deep fakes (realistic images, audio or video of real people, "
                "objects, places or events)",
                deep_fake,
                False,
            )
        emotion = self.yes_no(
            "emotion_recognition",
            "Does it recognise or infer emotions or intentions from faces, voices or other "
            "biometric data",
            False,
        )
        if emotion is not None:
            caps["emotion_recognition"] = emotion
        workplace = arg(args, "workplace_emotion")
        if workplace is not None or (p.interactive and emotion):
            caps["workplace_or_education_emotion_inference"] = p.yes_no(
                "Of people at the workplace or in education",
                workplace,
                False,
                "Art. 5(1)(f) prohibits that, except for medical or safety reasons.",
            )
        categorisation = self.yes_no(
            "biometric_categorisation",
            "Does it sort people into categories from biometric data (biometric categorisation)",
            False,
        )
        if categorisation is not None:
            caps["biometric_categorisation"] = categorisation
        rbi = arg(args, "remote_biometric_id")
        if rbi is not None or p.interactive:
            answer = p.choice(
                "Does it identify people remotely from biometric data",
                ("none", "real_time", "post"),
                rbi,
                "none",
            )
            caps["remote_biometric_identification"] = None if answer == "none" else answer
        a.profiling = self.yes_no(
            "profiling",
            "Does it profile people (evaluate work performance, economic situation, health, "
            "preferences, reliability, behaviour or location)",
            False,
            "Profiling voids any Art. 6(3) derogation for an Annex III use.",
        )

    def annex_iii(self) -> None:
        a, p, args = self.answers, self.p, self.args
        p.heading("High-risk uses (Art. 6(2), Annex III)")
        declared = list(arg(args, "annex_iii") or [])
        for suggestion in self._point_suggestions(declared):
            label = f"Annex III {suggestion.point} ({suggestion.title})"
            if self.offer(
                f"Declare Annex III {suggestion.point} — {suggestion.title}",
                f"Suggested by {suggestion.why}.",
                f"{label}, suggested by {suggestion.why}",
            ):
                declared.append(suggestion.point)
        points = _enum("use_case", "annex_iii", "[]")
        if p.interactive and arg(args, "annex_iii") is None:
            declared += p.many(
                "Other Annex III points it falls under (e.g. 4(a), 5(b))",
                points,
                None,
                [],
                labels={point: point_title(point) for point in points},
            )
        order = {point: index for index, point in enumerate(points)}
        a.annex_iii = sorted(set(declared), key=lambda point: order.get(point, len(order)))
        if not a.annex_iii:
            return
        derogation = arg(args, "derogation")
        if derogation is not None or (p.interactive and a.profiling is not True):
            answer = p.choice(
                "Does an Art. 6(3) derogation apply",
                ("none", *_enum("use_case", "derogation", "condition")),
                derogation,
                "none",
                hint="Only when it poses no significant risk of harm; never with profiling.",
            )
            a.derogation = None if answer == "none" else answer
        if "deployer" in a.roles:
            a.public_authority = self.yes_no(
                "public_authority",
                "Is your organisation a public authority (a body governed by public law)",
                False,
                "Public bodies must assess the impact on fundamental rights (Art. 27).",
            )
        elif arg(args, "public_authority") is not None:
            a.public_authority = arg(args, "public_authority")

    def _point_suggestions(self, declared: list[str]) -> list[PointSuggestion]:
        a = self.answers
        texts = {
            "purpose": a.purpose,
            "description": a.description,
            "sector": a.sector,
            "affected_persons": ", ".join(a.affected_persons),
        }
        found = annex_suggestions(texts)
        # Points the capabilities imply (emotion recognition is 1(c)...): the engine says which.
        from aiact_lint.classify import determine

        det = determine(a.data(), today_utc(), "commission_one_third")
        facts = {
            "emotion_recognition": "emotion recognition",
            "biometric_categorisation_attributes": "biometric categorisation",
            "remote_biometric_identification": "remote biometric identification",
        }
        for point, fact in det.implied_annex_iii.items():
            if all(s.point != point for s in found):
                why = f"the capability {facts.get(fact, fact)}"
                found.append(PointSuggestion(point, point_title(point), why))
        return [s for s in found if s.point not in declared]

    def annex_i(self) -> None:
        a, p, args = self.answers, self.p, self.args
        acts = _enum("use_case", "annex_i", "[]")
        given = arg(args, "annex_i")
        if given is None and not p.interactive:
            return
        p.heading("Regulated products (Art. 6(1), Annex I)")
        a.annex_i = p.many(
            "Is it a product, or a safety component of one, under Annex I legislation",
            acts,
            [g.upper() for g in given] if given is not None else None,
            [],
            hint="The acts by name; answer their codes, or none if not.",
            labels=annex_i_titles(),
        )
        if not a.annex_i:
            return
        a.safety_component = self.yes_no(
            "safety_component",
            "Is the AI system that product, or a safety component of it",
            True,
        )
        a.third_party_assessment = self.yes_no(
            "third_party_assessment",
            "Does the product need a third-party conformity assessment",
            True,
        )

    def models(self) -> None:
        a, p, args = self.answers, self.p, self.args
        p.heading("Models")
        ids = list(arg(args, "models") or [])
        access: dict[str, Optional[str]] = {}
        if self.code.problem:
            p.say(f"  (the code scan failed: {self.code.problem}; no model suggestions)")
        for found in self.code.models:
            access[found.id] = found.access
            if found.id in ids:
                continue
            via = f" via {found.sdk}" if found.sdk else ""
            where = ", ".join(self.show(w) for w in found.where)
            if self.offer(
                f"Declare the model {found.id}",
                f"Found in the code at {where}{via}.",
                f"model {found.id} (found at {where}; `check` reports AIA850 there)",
            ):
                ids.append(found.id)
            elif p.interactive:
                self.declined.append(
                    Declined(
                        "AIA850",
                        f"model {found.id}",
                        found.places,
                        "not used by this system: test or example code "
                        "(answered in aiact-lint init)",
                    )
                )
        if p.interactive and arg(args, "models") is None:
            ids += p.many(
                "Other models it uses (hub id, API model name or file name; comma-separated)",
                None,
                None,
                [],
            )
        seen: list[str] = []
        in_code = {found.id for found in self.code.models}
        for model_id in ids:
            if model_id in seen:
                continue
            seen.append(model_id)
            if self.code.root is not None and model_id not in in_code:
                self.notes.append(
                    f"model {model_id} is not named by any code here: `check` notes it "
                    "(AIA851, info) until the code names it (fine for a released model or one "
                    "chosen at run time)"
                )
            how = access.get(model_id)
            if p.interactive:
                answer = p.choice(
                    f"How does the system use {model_id}",
                    ("api", "weights", "unknown"),
                    None,
                    how or "unknown",
                    hint="api: a hosted service; weights: the model runs on your side.",
                )
                how = None if answer == "unknown" else answer
            a.models.append(self.whose(self.general_purpose(ModelAnswer(model_id, how))))

    def general_purpose(self, model: ModelAnswer) -> ModelAnswer:
        """Art. 3(63) for one model: the known-models table, a flag, the user, or unknown."""
        from aiact_lint.known_models import lookup

        known = lookup(model.id)
        if known is not None and known.general_purpose is not None:
            model.general_purpose = known.general_purpose
            model.provider = known.provider
            model.basis = f"{known.family}: aiact-lint's known-models table"
            state = "a" if known.general_purpose else "not a"
            said = (
                f"{model.id} is {state} general-purpose AI model ({known.family}; {known.article})"
            )
            if self.p.interactive:
                self.p.say(f"  {said}, from aiact-lint's known-models table.")
            else:
                self.accepted.append(f"{said}, from the known-models table")
            return model
        flagged = [m for m in arg(self.args, "gpai") or []]
        not_flagged = [m for m in arg(self.args, "not_gpai") or []]
        if model.id in flagged or model.id in not_flagged:
            model.general_purpose = model.id in flagged
            return model
        if self.p.interactive:
            answer = self.p.choice(
                f"Is {model.id} a general-purpose AI model",
                ("yes", "no", "unknown"),
                None,
                "unknown",
                hint="Art. 3(63): it displays significant generality and competently performs "
                "a wide range of distinct tasks (a large language model, say); a model trained "
                "for one narrow task (a classifier, a detector) is not.",
            )
            model.general_purpose = {"yes": True, "no": False}.get(answer)
            if model.general_purpose is not None:
                return model
        self.unanswered.append(
            f"is {model.id} a general-purpose AI model? (`check` reports AIA601; answer "
            f"--gpai {model.id} or --not-gpai {model.id})"
        )
        return model

    def whose(self, model: ModelAnswer) -> ModelAnswer:
        """Who developed a model that is, or may be, general-purpose, when this organisation
        provides the system: if it is ours, we provide the model too and its duties apply
        (Art. 53, Art. 55; Recital 97). A model the known-models table names a provider for is
        that provider's; any other is asked, and never assumed someone else's."""
        if "provider" not in self.answers.roles or model.general_purpose is False:
            return model
        if model.id in (arg(self.args, "own_model") or []):
            model.developer = "us"
            return model
        if model.id in (arg(self.args, "third_party_model") or []):
            model.developer = "third_party"
            return model
        if model.provider:  # the known-models table: OpenAI's gpt-4o is OpenAI's
            model.developer = "third_party"
            return model
        if self.p.interactive:
            answer = self.p.choice(
                f"Who developed {model.id}",
                ("us", "third_party", "unknown"),
                None,
                "unknown",
                hint="us: this organisation trained or had it trained (its GPAI model duties, "
                "Art. 53, then apply to you as provider of your system, Recital 97); "
                "third_party: another's model you use.",
            )
            model.developer = None if answer == "unknown" else answer
            if model.developer is not None:
                return model
        self.unanswered.append(
            f"models[].developer: who developed {model.id}? (if this organisation did, the "
            "GPAI model duties of Art. 53 apply; `check` asks it (AIA705); answer "
            f"--own-model {model.id} or --third-party-model {model.id})"
        )
        return model

    # --- what the law still asks (the engine's own questions) --------------------------------

    def settle(self, as_of: datetime.date, policy: str) -> None:
        """Ask the questions ``check`` would ask about the answers so far, until none is left
        (an answer can open another: biometric categorisation, then its attributes). At a
        terminal they are listed and one answer says "none of these holds"; each is asked on
        its own only when that is not so, or when it has no default."""
        from aiact_lint.init import questions as q

        flagged = dict(q.parse_flag(item) for item in arg(self.args, "facts") or [])
        defaults: list[str] = []
        for _ in range(8):
            pending = q.open_questions(self.answers.data(), as_of, policy)
            pending = [o for o in pending if o.name not in self._asked]
            if not pending:
                break
            self._asked.update(o.name for o in pending)
            for item in [o for o in pending if o.name in flagged]:
                self._set(item.path, flagged[item.name])
            pending = [o for o in pending if o.name not in flagged]
            if not pending:
                continue
            one_by_one = True
            if self.p.interactive:
                self.p.heading("What the law still asks (the questions `check` asks)")
                for item in pending:
                    self.p.say(f"  - {'.'.join(item.path)}: {item.question}")
                with_default = [o for o in pending if q.default(o.name) is not q.UNANSWERED]
                if with_default and self.p.yes_no(
                    "None of these holds for the system (no, or none, to each)", None, True
                ):
                    for item in with_default:
                        self._set(item.path, q.default(item.name))
                    pending = [o for o in pending if o not in with_default]
            elif self.accept:
                for item in pending:
                    value = q.default(item.name)
                    if value is not q.UNANSWERED:
                        defaults.append(f"{item.path[-1]}: {_shown(value)}")
                        self._set(item.path, value)
                pending = [o for o in pending if q.default(o.name) is q.UNANSWERED]
                one_by_one = False
            else:
                one_by_one = False
            for item in pending:
                value = self._ask(item, q) if one_by_one else q.UNANSWERED
                if value is q.UNANSWERED:
                    self.unanswered.append(
                        f"{'.'.join(item.path)}: {item.question} (`check` asks it; answer "
                        f"--fact {item.name}=VALUE)"
                    )
                else:
                    self._set(item.path, value)
        if defaults:
            self.accepted.append(
                "answered with the default (--yes), each a statement you make in the manifest: "
                + ", ".join(defaults)
            )

    def _set(self, path: tuple[str, ...], value: Any) -> None:
        from aiact_lint.init.questions import under_capabilities

        if under_capabilities(path) and len(path) == 3:
            self.answers.capabilities[path[2]] = value
        else:
            self.answers.facts[path] = value

    def _ask(self, item: Any, q: Any) -> Any:
        spec = q.spec(item.name)
        kind = spec.get("type")
        hint = f"If it holds: {item.consequences}." if item.consequences else ""
        if kind == "boolean":
            return self.p.yes_no(item.question.rstrip("?"), None, False, hint)
        values = q.choices(item.path)
        if kind == "list":
            labels = annex_i_titles() if item.path == ("use_case", "annex_i") else None
            return self.p.many(item.question.rstrip("?"), values, None, [], hint, labels=labels)
        if values is not None:
            options = [*values, "none"] if spec.get("when_null") == "none" else values
            default = "none" if "none" in options else options[0]
            answer = self.p.choice(item.question.rstrip("?"), options, None, default, hint)
            return None if answer == "none" else answer
        answer = self.p.text(
            f"{item.question.rstrip('?')} (Enter to leave it open)", None, hint=hint
        )
        return answer if answer else q.UNANSWERED


def _shown(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(map(str, value)) + "]"
    return str(value)


def _raise(problem: Optional[str]) -> None:
    if problem:
        raise ValueError(problem)


def _found(places: Optional[list[str]], what: str) -> str:
    if not places:
        return ""
    return f"The code shows {what} at {', '.join(places[:3])}."
