"""Every fact the law turns on, read once from the manifest: true / false / unknown, and whence.

The law tables (prohibited, annex_iii, transparency, roles, obligations) name facts; this module
is the one place that reads them from the manifest data, so that classification, obligations,
rules and the diff agree on what the manifest says and never read a missing key as "no".

A fact's ``value`` is None when unknown. ``source`` is ``declared`` (the manifest states it, at
``path``), ``derived`` (another declared value implies it: ``via`` says which, ``article`` why) or
``unknown``. What an explicit ``null`` means, and the derivations, are data: law/facts.yaml.
"""

from __future__ import annotations

import datetime
import re
from typing import Any, Optional

from aiact_lint.lawdata import table
from aiact_lint.record import Record
from aiact_lint.yamlsafe import PathKey

CAPABILITIES = ("use_case", "capabilities")
NONE = False  # the value of a fact declared absent (`null` where null means none)
_TYPES: dict[str, tuple[type, ...]] = {
    "boolean": (bool,),
    "list": (list,),
    "enum": (str,),
    "text": (str,),
    "date": (str,),
    "number": (int, float),
}


class Fact(Record):
    __slots__ = ("article", "name", "path", "problem", "source", "value", "via")

    def __init__(
        self,
        name: str,
        value: Any,
        source: str,
        path: PathKey,
        via: Optional[str] = None,
        article: Optional[str] = None,
        problem: Optional[str] = None,
    ) -> None:
        self.name = name
        self.value = value  # None: unknown
        self.source = source  # declared | derived | unknown
        self.path = path  # where it is (or would be) declared
        self.via = via  # for derived facts: the declared value it comes from
        self.article = article
        self.problem = problem  # a declared value of the wrong type (read as unknown)

    @property
    def known(self) -> bool:
        return self.value is not None

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "fact": self.name,
            "value": self.value,
            "source": self.source,
            "key": dotted(self.path),
        }
        if self.via:
            data["via"] = self.via
        if self.article:
            data["article"] = self.article
        return data


def dotted(path: PathKey) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else ("." if text else "") + str(part)
    return text


def fact_path(name: str, model: Optional[int] = None) -> PathKey:
    """Where a named fact lives: bare names under use_case.capabilities, models[] per model."""
    if name.startswith("models[]."):
        return ("models", model if model is not None else 0, *name[len("models[].") :].split("."))
    parts = tuple(name.split("."))
    return CAPABILITIES + parts if len(parts) == 1 else parts


def _catalogue() -> dict[str, Any]:
    facts: dict[str, Any] = table("facts")["facts"]
    return facts


def _raw(data: Any, path: PathKey) -> tuple[bool, Any]:
    node = data
    for part in path:
        if isinstance(part, int):
            if not isinstance(node, list) or not 0 <= part < len(node):
                return False, None
            node = node[part]
        else:
            if not isinstance(node, dict) or part not in node:
                return False, None
            node = node[part]
    return True, node


class Facts:
    """The facts of one manifest, read lazily and once each."""

    def __init__(self, data: dict[str, Any], derived: Optional[dict[str, Fact]] = None) -> None:
        self.data = data if isinstance(data, dict) else {}
        self._cache: dict[tuple[str, Optional[int]], Fact] = {}
        # Facts established outside the manifest (e.g. a change seen by --diff-base).
        self._extra = dict(derived or {})

    # -- reading -----------------------------------------------------------------------------

    def get(self, name: str, model: Optional[int] = None) -> Fact:
        key = (name, model)
        if key not in self._cache:
            self._cache[key] = self._read(name, model)
        return self._cache[key]

    def value(self, name: str, model: Optional[int] = None) -> Any:
        return self.get(name, model).value

    def raw(self, *path: str | int) -> Any:
        """A manifest value as written (names, texts): not a fact the law turns on."""
        return _raw(self.data, tuple(path))[1]

    def model_count(self) -> int:
        models = self.data.get("models")
        return len(models) if isinstance(models, list) else 0

    def _read(self, name: str, model: Optional[int]) -> Fact:
        if name in self._extra and model is None:
            return self._extra[name]
        info = _catalogue().get(name, {})
        path = fact_path(name, model)
        present, value = _raw(self.data, path)
        problem = None
        if present and value is None and info.get("when_null") == "none":
            return Fact(name, NONE, "declared", path)
        if present and value is not None:
            expected = _TYPES.get(info.get("type", ""), ())
            if expected and (
                not isinstance(value, expected)
                or (bool not in expected and isinstance(value, bool))
            ):
                problem = f"{dotted(path)} is not a {info['type']}"
            else:
                if info.get("type") == "date":
                    try:
                        datetime.date.fromisoformat(value)
                    except ValueError:
                        problem = f"{dotted(path)} is not a date"
                if problem is None:
                    return Fact(name, value, "declared", path)
        for rule in info.get("derive", ()):
            derived = self._derive(name, path, rule, model)
            if derived is not None:
                return derived
        return Fact(name, None, "unknown", path, problem=problem)

    def _derive(
        self, name: str, path: PathKey, rule: dict[str, Any], model: Optional[int]
    ) -> Optional[Fact]:
        for source in rule.get("from", ()):
            source_path = fact_path(source, model) if "[]" in source else tuple(source.split("."))
            present, value = _raw(self.data, source_path)
            if not present or value is None:
                continue
            texts = [v for v in value if isinstance(v, str)] if isinstance(value, list) else [value]
            texts = [t for t in texts if isinstance(t, str)]
            if "licences" in rule:
                ids = _licence_table(rule["licences"])
                hit = next((t for t in texts if t.strip().lower() in ids), None)
            else:
                hit = next((t for t in texts if _words(rule["words"]).search(t)), None)
                if hit is not None:
                    match = _words(rule["words"]).search(hit)
                    hit = match.group(0) if match else hit
            if hit is not None:
                via = f'{dotted(source_path)}: "{hit}"'
                return Fact(name, rule["value"], "derived", path, via, rule.get("article"))
        return None


_WORDS: dict[int, re.Pattern[str]] = {}


def _words(words: list[str]) -> re.Pattern[str]:
    key = id(words)
    if key not in _WORDS:
        alternatives = "|".join(
            re.escape(w).replace(r"\ ", r"[\s\-]+") for w in sorted(words, key=len, reverse=True)
        )
        _WORDS[key] = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
    return _WORDS[key]


_LICENCES: dict[str, frozenset[str]] = {}


def _licence_table(name: str) -> frozenset[str]:
    if name not in _LICENCES:
        _LICENCES[name] = frozenset(str(i).lower() for i in table("licences")[name])
    return _LICENCES[name]


def question(name: str) -> Optional[str]:
    found = _catalogue().get(name, {}).get("question")
    return str(found) if found else None


# --- the condition language, three-valued ---------------------------------------------------------

Verdict = Optional[bool]  # True, False, or None (unknown)


def evaluate(
    condition: dict[str, Any], facts: Facts, model: Optional[int] = None
) -> tuple[Verdict, list[str]]:
    """A law-table condition on the facts, in Kleene logic, and the unknown facts it hangs on.

    {fact: NAME, is: V} | {fact: NAME, equals: V} | {fact: NAME, any_of: [...]}
    | {fact: NAME, present: true} | {fact: NAME, at_most: N} | {fact: NAME, known: true}
    | {all: [...]} | {any: [...]} | {not: {...}}

    ``known`` is never unknown itself: it lets a table say "as declared, or else only where
    another fact makes it possible" (a deep fake needs image, audio or video output).
    """
    if "all" in condition:
        parts = [evaluate(c, facts, model) for c in condition["all"]]
        if any(v is False for v, _ in parts):
            return False, []
        # Ask the first open part only: a condition is a sequence of questions, each asked once
        # the one before it is answered (is it biometric categorisation? then: of what?).
        first = next((names for v, names in parts if v is None), None)
        return (None, list(first)) if first is not None else (True, [])
    if "any" in condition:
        parts = [evaluate(c, facts, model) for c in condition["any"]]
        if any(v is True for v, _ in parts):
            return True, []
        unknown = [n for v, names in parts if v is None for n in names]
        return (None, unknown) if any(v is None for v, _ in parts) else (False, [])
    if "not" in condition:
        verdict, unknown = evaluate(condition["not"], facts, model)
        return (None if verdict is None else not verdict), unknown
    name = condition["fact"]
    value = facts.value(name, model)
    if "known" in condition:
        return (value is not None) is bool(condition["known"]), []
    if value is None:
        return None, [name]
    if "is" in condition:
        return value is condition["is"], []
    if "equals" in condition:
        return bool(value == condition["equals"]), []
    if "any_of" in condition:
        wanted = set(condition["any_of"])
        if isinstance(value, list):
            return bool(wanted.intersection(v for v in value if isinstance(v, str))), []
        return value in wanted, []
    if "present" in condition:
        present = value not in (NONE, "", [], {})
        return present is bool(condition["present"]), []
    if "at_most" in condition:
        number = isinstance(value, (int, float)) and not isinstance(value, bool)
        return (None, [name]) if not number else (value <= condition["at_most"], [])
    raise ValueError(f"unknown condition {dict(condition)!r}")


def holds(condition: dict[str, Any], facts: Facts, model: Optional[int] = None) -> bool:
    """True only when the condition is established (an exception, a carve-out)."""
    return evaluate(condition, facts, model)[0] is True


def first_fact(condition: dict[str, Any]) -> Optional[str]:
    """The first fact a condition names: where a finding about it should point."""
    for key in ("all", "any"):
        if key in condition:
            for part in condition[key]:
                found = first_fact(part)
                if found:
                    return found
    if "not" in condition:
        return first_fact(condition["not"])
    found = condition.get("fact")
    return found if isinstance(found, str) else None


def true_facts(condition: dict[str, Any], facts: Facts, model: Optional[int] = None) -> list[Fact]:
    """The facts that made a condition hold (for the JSON reasons)."""
    out: list[Fact] = []
    for key in ("all", "any"):
        for part in condition.get(key, ()):
            if evaluate(part, facts, model)[0] is True:
                out.extend(true_facts(part, facts, model))
    if "fact" in condition and evaluate(condition, facts, model)[0] is True:
        out.append(facts.get(condition["fact"], model))
    return out
