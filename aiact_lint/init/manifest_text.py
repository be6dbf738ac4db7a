"""The commented ``aiact.yaml`` for a set of answers: the schema modeline, the keys that matter.

Free text is written as JSON strings (valid YAML double-quoted scalars), so no answer can break
the YAML or smuggle in keys. Evidence the law asks for is NOT invented: the documents a user has
to write appear as commented-out TODO lines (and in the command's output), to be filled in.
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass
from typing import Any, Optional

from aiact_lint.init.answers import Answers

DEFAULT_SCHEMA_URL = "https://raw.githubusercontent.com/aiact-lint/aiact-lint/main/aiact_lint/schema/aiact.schema.json"
_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class Todo:
    """A document or measure the law asks for that the manifest cannot point at yet."""

    key: str  # evidence.risk_management | transparency.ai_interaction_notice | ...
    article: str
    title: str
    applies_from: datetime.date
    suggestion: str  # what to write, e.g. "docs/ai/risk-management.md"
    upcoming: bool

    def line(self) -> str:
        when = (
            f"applies from {self.applies_from.isoformat()}"
            if self.upcoming
            else f"applies since {self.applies_from.isoformat()}"
        )
        return f"{self.article} — {self.title}: {self.suggestion} ({when})"


def schema_url() -> str:
    from aiact_lint.manifest import schema

    url = schema().get("$id")
    return url if isinstance(url, str) and url.startswith("https://") else DEFAULT_SCHEMA_URL


def q(value: str) -> str:
    """A YAML scalar for free text: always a double-quoted (JSON) string."""
    return json.dumps(value, ensure_ascii=False)


def enum(value: str) -> str:
    """An enumerated value (role, region, Annex point): plain when safe, else quoted."""
    if _PLAIN.fullmatch(value) and value.lower() not in (
        "yes",
        "no",
        "on",
        "off",
        "null",
        "y",
        "n",
    ):
        return value
    return q(value)


def flow(values: list[str], quote_all: bool = False) -> str:
    return "[" + ", ".join(q(v) if quote_all else enum(v) for v in values) + "]"


def boolean(value: Optional[bool]) -> str:
    return "null" if value is None else ("true" if value else "false")


def _comment(text: str, width: int) -> str:
    return " " * max(1, width) + "# " + text


def _kv(indent: int, key: str, value: str, comment: str = "", column: int = 44) -> str:
    line = f"{' ' * indent}{key}: {value}"
    if comment:
        line += _comment(comment, column - len(line))
    return line


def evidence_suggestion(key: str) -> str:
    """Where a document for ``key`` would usually live (a suggestion, never written as fact)."""
    if key == "evidence.registration_id":
        return "the EU database registration id, once registered"
    if key.startswith("evidence."):
        return f"docs/ai/{key.split('.', 1)[1].replace('_', '-')}.md"
    if key == "use_case.derogation.assessment":
        return "docs/ai/art-6-3-assessment.md"
    if key == "transparency.synthetic_content_marking":
        return "the marking method (c2pa, watermark, metadata) and the code that applies it"
    if key.startswith("transparency."):
        return "the disclosure text and the UI files that show it"
    return "a document in this repository"


def render(
    answers: Answers,
    risk: str,
    todos: list[Todo],
    as_of: datetime.date,
    url: Optional[str] = None,
) -> str:
    """The manifest text. ``risk`` is the determined tier (``out_of_scope`` claims minimal)."""
    data = answers.data()
    lines = [
        f"# yaml-language-server: $schema={url or schema_url()}",
        f"# aiact.yaml for one AI system, written by `aiact-lint init` (law as of {as_of}).",
        "# Keep it true: `aiact-lint check` holds these facts against Regulation (EU)",
        "# 2024/1689 as amended by Regulation (EU) 2026/1744, and the repository against them.",
        _kv(0, "schema_version", "1"),
        "",
        "system:",
        _kv(2, "name", q(answers.name)),
    ]
    if answers.description:
        lines.append(_kv(2, "description", q(answers.description)))
    if answers.developer:
        lines.append(_kv(2, "developer", answers.developer, "who built it: us | third_party"))
    lines += [
        "",
        "# Roles this organisation holds for THIS system (Art. 3(3)-(8)).",
        _kv(0, "roles", flow(answers.roles)),
    ]
    organisation = data.get("organisation") or {}
    if organisation:
        lines += ["", "organisation:"]
        if "established_in" in organisation:
            lines.append(
                _kv(2, "established_in", enum(organisation["established_in"]), "Art. 22, Art. 54")
            )
        if "public_authority" in organisation:
            lines.append(
                _kv(
                    2,
                    "public_authority",
                    boolean(organisation["public_authority"]),
                    "body governed by public law (Art. 27)",
                )
            )
    market = data.get("market") or {}
    if market:
        lines += ["", "market:"]
    if "regions" in market:
        lines.append(
            _kv(2, "regions", flow(market["regions"]), "placed on the market / used in (Art. 2(1))")
        )
    if "output_used_in_eu" in market:
        lines.append(
            _kv(2, "output_used_in_eu", boolean(market["output_used_in_eu"]), "Art. 2(1)(c)")
        )
    if "placed_on_market" in market:
        lines.append(
            _kv(2, "placed_on_market", market["placed_on_market"], "first placed / in service")
        )
    if "brand" in market:
        lines.append(_kv(2, "brand", market["brand"], "under whose name (Art. 25(1)(a))"))
    if "free_open_source" in market:
        lines.append(
            _kv(
                2,
                "free_open_source",
                boolean(market["free_open_source"]),
                "the SYSTEM (Art. 2(12))",
            )
        )
    if answers.models:
        lines += ["", "# Every model the system uses, own or third-party, API or weights."]
        lines.append("models:")
        for model in answers.models:
            lines.append(f"  - id: {q(model.id)}")
            if model.access:
                lines.append(_kv(4, "access", model.access, "api | weights"))
        lines.append(
            "    # Add provider, license, general_purpose or training_compute_flop where known:"
        )
        lines.append("    # they decide the general-purpose AI model duties (Art. 51-55).")
    lines += _use_case(answers, data["use_case"])
    claimed = "minimal" if risk == "out_of_scope" else risk
    note = (
        "out of scope today; minimal if that changes"
        if risk == "out_of_scope"
        else "what the facts above give (aiact-lint init)"
    )
    lines += ["", "risk:", _kv(2, "classification", claimed, note)]
    lines += _todo_blocks(todos)
    return "\n".join(lines) + "\n"


def _use_case(answers: Answers, use_case: dict[str, Any]) -> list[str]:
    lines = ["", "use_case:"]
    if "purpose" in use_case:
        lines.append(_kv(2, "purpose", q(use_case["purpose"]), "intended purpose (Art. 3(12))"))
    if "sector" in use_case:
        lines.append(_kv(2, "sector", q(use_case["sector"])))
    if "affected_persons" in use_case:
        lines.append(_kv(2, "affected_persons", flow(use_case["affected_persons"], True)))
    lines.append(
        _kv(
            2,
            "annex_iii",
            flow(use_case["annex_iii"], True),
            "Annex III points; [] = none (Art. 6(2))",
        )
    )
    if "annex_i" in use_case:
        lines.append(
            _kv(2, "annex_i", flow(use_case["annex_i"]), "Annex I legislation (Art. 6(1))")
        )
        product = use_case.get("product") or {}
        if product:
            lines.append("  product:")
            if "safety_component" in product:
                lines.append(
                    _kv(4, "safety_component", boolean(product["safety_component"]), "Art. 6(1)(a)")
                )
            if "third_party_conformity_assessment" in product:
                lines.append(
                    _kv(
                        4,
                        "third_party_conformity_assessment",
                        boolean(product["third_party_conformity_assessment"]),
                        "Art. 6(1)(b)",
                    )
                )
    if "profiling" in use_case:
        lines.append(
            _kv(2, "profiling", boolean(use_case["profiling"]), "voids any Art. 6(3) derogation")
        )
    if "derogation" in use_case:
        lines += [
            "  derogation:                                 # Art. 6(3): argued NOT high-risk",
            _kv(4, "condition", use_case["derogation"]["condition"]),
            "    # TODO: document the assessment (Art. 6(4)), then uncomment:",
            "    # assessment: docs/ai/art-6-3-assessment.md",
        ]
    capabilities = use_case.get("capabilities") or {}
    if capabilities:
        lines.append(
            _kv(2, "capabilities", "", "what it does: Art. 5, Art. 50").replace(": ", ":", 1)
        )
        notes = {
            "interacts_with_natural_persons": "chat, voice (Art. 50(1))",
            "generates_synthetic_content": "text | image | audio | video (Art. 50(2))",
            "deep_fake": "Art. 50(4)",
            "emotion_recognition": "Art. 50(3), Annex III 1(c)",
            "workplace_or_education_emotion_inference": "prohibited, Art. 5(1)(f)",
            "biometric_categorisation": "Art. 50(3), Art. 5(1)(g)",
            "remote_biometric_identification": "null | real_time | post",
        }
        for key, value in capabilities.items():
            if isinstance(value, list):
                text = flow(value)
            elif isinstance(value, bool) or value is None:
                text = boolean(value)
            else:
                text = enum(str(value))
            lines.append(_kv(4, key, text, notes.get(key, "")))
    return lines


def _todo_blocks(todos: list[Todo]) -> list[str]:
    """Commented-out blocks for the evidence still to write: nothing here is claimed yet."""
    lines: list[str] = []
    transparency = [t for t in todos if t.key.startswith("transparency.")]
    evidence = [t for t in todos if t.key.startswith("evidence.")]
    if transparency:
        lines += [
            "",
            "# TODO (Art. 50): say where each measure is implemented, then uncomment.",
            "# transparency:",
        ]
        for todo in transparency:
            name = todo.key.split(".", 1)[1]
            if name == "synthetic_content_marking":
                lines += [
                    f"#   {name}:{' ' * max(1, 40 - len(name))}# {todo.article}",
                    "#     method: c2pa                           # c2pa | watermark | metadata",
                    "#     evidence: [path/to/the/code/that/marks/outputs]",
                ]
            else:
                lines += [
                    f"#   {name}:{' ' * max(1, 40 - len(name))}# {todo.article}",
                    '#     text: "You are interacting with an AI system."',
                    "#     evidence: [path/to/the/ui/file/that/shows/it]",
                ]
    if evidence:
        lines += [
            "",
            "# TODO: the documents the obligations ask for (paths relative to this file). Write",
            "# each one, then uncomment its line; until then `aiact-lint check` reports it.",
            "# evidence:",
        ]
        for todo in evidence:
            name = todo.key.split(".", 1)[1]
            value = todo.suggestion if todo.suggestion.startswith("docs/") else "TODO"
            when = ("from " if todo.upcoming else "since ") + todo.applies_from.isoformat()
            lines.append(f"#   {name}: {value}".ljust(59) + f" # {todo.article}, {when}")
    return lines
