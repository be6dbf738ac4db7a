"""The commented ``aiact.yaml`` for a set of answers: the schema modeline, the keys that matter.

Free text is written as JSON strings (valid YAML double-quoted scalars, folded at spaces to stay
within 80 columns), so no answer can break the YAML or smuggle in keys. Evidence the law asks for
is NOT invented: each document still to write is an ``evidence`` key set to ``null`` with a TODO
comment naming a suggested path, so `check` reports it at its own line until it is written.

The text passes yamllint with its default configuration (document start, line length, comment
spacing, indentation), so it sits beside the other linters a repository runs.
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass
from typing import Any, Optional

from aiact_lint.init.answers import Answers

DEFAULT_SCHEMA_URL = (
    "https://raw.githubusercontent.com/aiact-lint/aiact-lint/main/aiact_lint/schema/"
    "aiact.schema.json"
)
WIDTH = 80  # yamllint's default line-length
COMMENT_COLUMN = 40
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

    def when(self) -> str:
        verb = "from" if self.upcoming else "since"
        return f"{verb} {self.applies_from.isoformat()}"

    def line(self, shown: str = "") -> str:
        """One line of the closing TODO list; ``shown``: the suggestion as the user sees it."""
        applies = "applies " + self.when()
        return f"{self.article} — {self.title}: {shown or self.suggestion} ({applies})"


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
        "true",
        "false",
    ):
        return value
    return q(value)


def flow(values: list[str], quote_all: bool = False) -> str:
    return "[" + ", ".join(q(v) if quote_all else enum(v) for v in values) + "]"


def boolean(value: Optional[bool]) -> str:
    return "null" if value is None else ("true" if value else "false")


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


# --- layout: lines within 80 columns, comments two spaces from content -------------------------


def fold(prefix: str, quoted: str, indent: int) -> list[str]:
    """``prefix + quoted`` as lines within WIDTH: a double-quoted scalar folded at single spaces
    (YAML turns each such line break back into one space). Never breaks inside an escape or at
    a run of spaces, so the value reads back exactly."""
    lines: list[str] = []
    head = prefix
    rest = quoted
    pad = " " * indent
    while len(head) + len(rest) > WIDTH:
        room = WIDTH - len(head)
        cut = -1
        for index in range(min(room, len(rest) - 1), 0, -1):
            if rest[index] == " " and rest[index - 1] not in " \\" and rest[index + 1] != " ":
                cut = index
                break
        if cut <= 0:  # one long word: let it overflow (yamllint allows non-breakable words)
            break
        lines.append(head + rest[:cut])
        rest = rest[cut + 1 :]
        head = pad
    lines.append(head + rest)
    return lines


def kv(indent: int, key: str, value: str, comment: str = "") -> list[str]:
    """``key: value  # comment``; the comment moves above when the line would be too long."""
    pad = " " * indent
    line = f"{pad}{key}: {value}" if value else f"{pad}{key}:"
    if not comment:
        if value.startswith('"'):
            return fold(f"{pad}{key}: ", value, indent + 2)
        return [line]
    text = f"# {comment}"
    column = max(len(line) + 2, min(COMMENT_COLUMN, WIDTH - len(text)))
    if column + len(text) <= WIDTH:
        return [line.ljust(column) + text]
    above = comment_lines(comment, indent)
    if value.startswith('"'):
        return [*above, *fold(f"{pad}{key}: ", value, indent + 2)]
    return [*above, line]


def items(
    indent: int, key: str, values: list[str], comment: str = "", quote: bool = False
) -> list[str]:
    """A list: flow style when it fits on one line, else one item per line."""
    inline = kv(indent, key, flow(values, quote), comment)
    if all(len(line) <= WIDTH for line in inline) or not values:
        return inline
    pad = " " * indent
    lines = [f"{pad}# {comment}"] if comment else []
    lines.append(f"{pad}{key}:")
    for value in values:
        lines += fold(f"{pad}  - ", q(value) if quote else enum(value), indent + 4)
    return lines


def comment_lines(text: str, indent: int = 0) -> list[str]:
    """A comment wrapped to WIDTH."""
    pad = " " * indent + "# "
    words = text.split()
    lines: list[str] = []
    current = pad
    for word in words:
        if current != pad and len(current) + len(word) > WIDTH:
            lines.append(current.rstrip())
            current = pad
        current += word + " "
    lines.append(current.rstrip())
    return lines


def scalar(value: Any) -> str:
    """Any answer as a YAML value: booleans and null, numbers, enumerated words, free text."""
    if isinstance(value, bool) or value is None:
        return boolean(value)
    if isinstance(value, (int, float)):
        return str(value)
    return enum(str(value)) if _PLAIN.fullmatch(str(value)) else q(str(value))


def rest(indent: int, mapping: dict[str, Any], known: tuple[str, ...]) -> list[str]:
    """The keys of ``mapping`` a section does not write itself: answers to the law's questions
    (law/facts.yaml) that the dialogue did not ask by name."""
    lines: list[str] = []
    for key, value in mapping.items():
        if key in known:
            continue
        if isinstance(value, dict):
            lines.append(f"{' ' * indent}{key}:")
            lines += rest(indent + 2, value, ())
        elif isinstance(value, list):
            lines += items(indent, key, [str(v) for v in value])
        else:
            lines += kv(indent, key, scalar(value))
    return lines


# --- the manifest -------------------------------------------------------------------------------


def render(
    answers: Answers,
    risk: str,
    todos: list[Todo],
    as_of: datetime.date,
    url: Optional[str] = None,
) -> str:
    """The manifest text. ``risk`` is the determined tier (``out_of_scope`` claims minimal).
    ``url``: the schema for the modeline (a relative path to a local copy, or a URL)."""
    data = answers.data()
    lines = [
        f"# yaml-language-server: $schema={url or schema_url()}",
        "# aiact.yaml for one AI system, written by `aiact-lint init` (law as of",
        f"# {as_of}). Keep it true: `aiact-lint check` holds these facts against",
        "# Regulation (EU) 2024/1689 as amended by Regulation (EU) 2026/1744, and the",
        "# code against them.",
        "---",
        "schema_version: 1",
        "",
        "system:",
        *kv(2, "name", q(answers.name)),
    ]
    if answers.description:
        lines += kv(2, "description", q(answers.description))
    if answers.developer:
        lines += kv(2, "developer", answers.developer, "who built it: us | third_party")
    lines += rest(2, data["system"], ("name", "description", "developer"))
    lines += [
        "",
        "# Roles this organisation holds for THIS system (Art. 3(3)-(8)).",
        *kv(0, "roles", flow(answers.roles)),
    ]
    lines += _organisation(data.get("organisation") or {})
    lines += _market(data.get("market") or {})
    lines += _models(answers)
    lines += _use_case(data["use_case"])
    claimed = "minimal" if risk == "out_of_scope" else risk
    note = (
        "out of scope today; minimal if that changes"
        if risk == "out_of_scope"
        else "what the facts above give"
    )
    lines += ["", "risk:", *kv(2, "classification", claimed, note)]
    lines += _todo_blocks(todos)
    return "\n".join(lines) + "\n"


def _organisation(organisation: dict[str, Any]) -> list[str]:
    if not organisation:
        return []
    lines = ["", "organisation:"]
    if "established_in" in organisation:
        value = enum(organisation["established_in"])
        lines += kv(2, "established_in", value, "Art. 22, Art. 54")
    if "public_authority" in organisation:
        value = boolean(organisation["public_authority"])
        lines += kv(2, "public_authority", value, "body governed by public law (Art. 27)")
    lines += rest(2, organisation, ("established_in", "public_authority"))
    return lines


def _market(market: dict[str, Any]) -> list[str]:
    if not market:
        return []
    lines = ["", "market:"]
    if "regions" in market:
        lines += items(2, "regions", market["regions"], "placed on the market / used (Art. 2(1))")
    if "output_used_in_eu" in market:
        lines += kv(2, "output_used_in_eu", boolean(market["output_used_in_eu"]), "Art. 2(1)(c)")
    if "placed_on_market" in market:
        value = q(market["placed_on_market"])
        lines += kv(2, "placed_on_market", value, "first placed / in service")
    if "brand" in market:
        lines += kv(2, "brand", market["brand"], "under whose name (Art. 25(1)(a))")
    if "free_open_source" in market:
        value = boolean(market["free_open_source"])
        lines += kv(2, "free_open_source", value, "the SYSTEM (Art. 2(12))")
    known = ("regions", "output_used_in_eu", "placed_on_market", "brand", "free_open_source")
    lines += rest(2, market, known)
    return lines


def _models(answers: Answers) -> list[str]:
    if not answers.models:
        return []
    lines = ["", "# Every model the system uses, own or third-party, API or weights.", "models:"]
    for model in answers.models:
        lines += fold("  - id: ", q(model.id), 6)
        if model.provider:
            lines += kv(4, "provider", q(model.provider))
        if model.access:
            lines += kv(4, "access", model.access, "api | weights")
        if model.general_purpose is not None:
            lines += kv(4, "general_purpose", boolean(model.general_purpose), "Art. 3(63)")
            if model.basis:
                lines += comment_lines(model.basis, 4)
        else:
            lines += comment_lines(
                "GPAI status unknown: add general_purpose (Art. 3(63)), or "
                "training_compute_flop, or parameters and training_tokens.",
                4,
            )
        if model.developer is not None:
            lines += kv(4, "developer", model.developer, "us: our model (Art. 53)")
    return lines


CAPABILITY_NOTES = {
    "interacts_with_natural_persons": "chat, voice (Art. 50(1))",
    "generates_synthetic_content": "text | image | audio | video (Art. 50(2))",
    "deep_fake": "Art. 50(4)",
    "emotion_recognition": "Art. 50(3), Annex III 1(c)",
    "workplace_or_education_emotion_inference": "prohibited, Art. 5(1)(f)",
    "biometric_categorisation": "Art. 50(3), Art. 5(1)(g)",
    "remote_biometric_identification": "null | real_time | post",
}


def _use_case(use_case: dict[str, Any]) -> list[str]:
    lines = ["", "use_case:"]
    if "purpose" in use_case:
        lines += kv(2, "purpose", q(use_case["purpose"]), "intended purpose (Art. 3(12))")
    if "sector" in use_case:
        lines += kv(2, "sector", q(use_case["sector"]))
    if "affected_persons" in use_case:
        lines += items(2, "affected_persons", use_case["affected_persons"], quote=True)
    lines += items(
        2, "annex_iii", use_case["annex_iii"], "Annex III points, [] = none (Art. 6(2))", True
    )
    if "annex_i" in use_case:
        lines += items(2, "annex_i", use_case["annex_i"], "Annex I legislation (Art. 6(1))")
    product = use_case.get("product") or {}
    if product:
        lines.append("  product:")
        if "safety_component" in product:
            value = boolean(product["safety_component"])
            lines += kv(4, "safety_component", value, "Art. 6(1)(a)")
        if "third_party_conformity_assessment" in product:
            value = boolean(product["third_party_conformity_assessment"])
            lines += kv(4, "third_party_conformity_assessment", value, "Art. 6(1)(b)")
        lines += rest(4, product, ("safety_component", "third_party_conformity_assessment"))
    if "profiling" in use_case:
        value = boolean(use_case["profiling"])
        lines += kv(2, "profiling", value, "voids any Art. 6(3) derogation")
    if "derogation" in use_case:
        lines += [
            *kv(2, "derogation", "", "Art. 6(3): argued NOT high-risk"),
            *kv(4, "condition", use_case["derogation"]["condition"]),
            "    # TODO: document the assessment (Art. 6(4)), then uncomment:",
            "    # assessment: docs/ai/art-6-3-assessment.md",
        ]
    known = ("purpose", "sector", "affected_persons", "annex_iii", "annex_i", "product")
    lines += rest(2, use_case, (*known, "profiling", "derogation", "capabilities"))
    capabilities = use_case.get("capabilities") or {}
    if capabilities:
        lines += kv(2, "capabilities", "", "what it does: Art. 5, Art. 50")
        for key, value in capabilities.items():
            note = CAPABILITY_NOTES.get(key, "")
            if isinstance(value, list):
                lines += items(4, key, value, note)
                continue
            scalar = isinstance(value, bool) or value is None
            lines += kv(4, key, boolean(value) if scalar else enum(str(value)), note)
    return lines


def _todo_blocks(todos: list[Todo]) -> list[str]:
    """The evidence still to write: ``null`` keys (nothing claimed) and commented examples."""
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
            lines.append(f"#   {name}:".ljust(COMMENT_COLUMN) + f"# {todo.article}")
            if name == "synthetic_content_marking":
                lines += [
                    "#     method: c2pa".ljust(COMMENT_COLUMN) + "# c2pa | watermark | metadata",
                    "#     evidence: [path/to/the/code/that/marks/outputs]",
                ]
            else:
                lines += [
                    '#     text: "You are interacting with an AI system."',
                    "#     evidence: [path/to/the/ui/file/that/shows/it]",
                ]
    if evidence:
        lines += [
            "",
            "# The documents the obligations ask for, paths relative to this file. null:",
            "# not written yet, and `aiact-lint check` reports each one at its line until",
            "# its path is set here. Nothing below is claimed; each TODO names a place.",
            "evidence:",
        ]
        for todo in evidence:
            name = todo.key.split(".", 1)[1]
            where = todo.suggestion if todo.suggestion.startswith("docs/") else "its id"
            lines += kv(2, name, "null", f"TODO {where} ({todo.article})")
    return lines
