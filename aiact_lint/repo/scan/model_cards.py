"""Model cards held against the manifest: licence, base model, intended use, figures.

A card is a Hugging Face style README.md with YAML front matter beside weights, or a
MODEL_CARD.md under the manifest's folder (law/model_cards.yaml). Its front matter is parsed with
the project's own loader (aiact_lint/yamlsafe.py), which gives the exact line of every value and
refuses alias bombs and deep nesting; huggingface_hub's card parser would add an HTTP client
stack and ~300 ms of imports to give no line numbers. Each contradiction is a finding at the
card's line that names the manifest's line.
"""

from __future__ import annotations

import posixpath
import re
from typing import TYPE_CHECKING, Any, Callable, Iterable, Optional

from aiact_lint.catalogue import make_finding
from aiact_lint.findings import Finding, Span
from aiact_lint.lawdata import table
from aiact_lint.yamlsafe import Located, YamlProblem, load

if TYPE_CHECKING:
    from aiact_lint.manifest import Manifest
    from aiact_lint.repo.scan.records import CodeIndex

_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
_SCALE = {"k": 1e3, "m": 1e6, "million": 1e6, "b": 1e9, "billion": 1e9, "t": 1e12, "trillion": 1e12}
_PARAMS = re.compile(
    r"(?<![\w.])(\d+(?:\.\d+)?)\s*(k|m|b|t|million|billion|trillion)\b[\s-]*(?:parameters|params)\b",
    re.IGNORECASE,
)
_FLOP = re.compile(
    r"(?<![\w.])(\d+(?:\.\d+)?)\s*(?:[x×*]\s*10\s*\^\s*|e\+?)(\d{1,3})\s*FLOP",
    re.IGNORECASE,
)


class Card:
    """One model card: its path, front matter (with locations) and body."""

    def __init__(self, rel: str, text: str) -> None:
        self.rel = rel
        self.text = text
        self.front: Optional[Located] = None
        self.front_offset = 0  # lines before the front matter's first line
        self.problem: Optional[YamlProblem] = None
        self.body_start = 0  # character offset of the body
        if text.startswith("---"):
            end = re.search(r"^(?:---|\.\.\.)[ \t]*$", text[3:], re.MULTILINE)
            if end is not None:
                inner = text[3 : 3 + end.start()]
                inner = inner[1:] if inner.startswith("\n") else inner
                self.front_offset = 1
                self.body_start = 3 + end.end()
                try:
                    self.front = load(inner)
                except YamlProblem as problem:
                    self.problem = problem

    def meta(self, name: str) -> tuple[Any, Optional[tuple[str, ...]]]:
        """The front matter value of ``name`` (law/model_cards.yaml keys) and its path."""
        data = self.front.data if self.front is not None else None
        if not isinstance(data, dict):
            return None, None
        for key in table("model_cards")["keys"][name]:
            if key in data and data[key] not in (None, "", []):
                return data[key], (key,)
        return None, None

    def span(self, path: Optional[tuple[str, ...]]) -> Span:
        if self.front is None or path is None:
            return (1, 1, 1, 4)
        line, column, end_line, end_column = self.front.value_span(path)
        shift = self.front_offset
        return (line + shift, column, end_line + shift, end_column)

    def line_of(self, offset: int) -> int:
        return self.text.count("\n", 0, offset) + 1


def _number(value: Any) -> Optional[float]:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) if value > 0 else None
    if isinstance(value, str):
        text = value.strip().lower().replace(",", "").replace("_", "")
        match = re.fullmatch(r"(\d+(?:\.\d+)?(?:e\+?\d+)?)\s*([a-z]*)", text)
        if match:
            scale = _SCALE.get(match.group(2), 1.0 if not match.group(2) else 0.0)
            number = float(match.group(1)) * scale
            return number if number > 0 else None
    return None


# --- finding the cards ---------------------------------------------------------------------------


def card_paths(manifest: Manifest, index: CodeIndex, governed: Callable[[str], bool]) -> list[str]:
    """Root-relative paths of the model cards the manifest governs."""
    from aiact_lint.repo.files import tracked_named

    data = table("model_cards")
    card_names, readme_names = set(data["card_names"]), set(data["readme_names"])
    weight_dirs = {posixpath.dirname(r.path) for r in index.references if r.kind == "weights"}
    wanted = tuple(sorted(card_names | readme_names))
    names = tracked_named(str(manifest.root), wanted) if index.use_git else None
    listed: Iterable[str] = names if names is not None else _walk(manifest, index)
    found = []
    for rel in listed:
        folder, _, base = rel.rpartition("/")
        beside_weights = base in readme_names and folder in weight_dirs
        if (base in card_names or beside_weights) and governed(rel):
            found.append(rel)
    return sorted(found)


def _walk(manifest: Manifest, index: CodeIndex) -> list[str]:
    """Outside git: the card names under the manifest's folder, with the code scan's iterative
    walk (no recursion limit on deep trees, vendored folders skipped, no symlinked folders)."""
    from aiact_lint.repo.scan.patterns import patterns
    from aiact_lint.repo.scan.reading import _walk_names

    data = table("model_cards")
    wanted = set(data["card_names"]) | set(data["readme_names"])
    start = manifest.root / manifest.folder if manifest.folder else manifest.root
    prefix = manifest.folder + "/" if manifest.folder else ""
    names = _walk_names(start, patterns())
    return [prefix + n for n in names if posixpath.basename(n) in wanted]


def _read(manifest: Manifest, rel: str) -> Optional[str]:
    from aiact_lint.repo.files import inspect

    state = inspect(manifest.root, rel)
    if state.status != "ok" or state.text is None:
        return None
    if len(state.text) > int(table("model_cards")["max_bytes"]):
        return None
    return state.text


# --- which declared model a card describes -------------------------------------------------------


def _declared_models(manifest: Manifest) -> list[tuple[int, dict[str, Any]]]:
    models = manifest.get("models", default=[])
    if not isinstance(models, list):
        return []
    return [
        (i, m) for i, m in enumerate(models) if isinstance(m, dict) and isinstance(m.get("id"), str)
    ]


def _tail(name: str) -> str:
    return name.strip().strip("/").rsplit("/", 1)[-1].lower()


def _model_for(card: Card, manifest: Manifest, index: CodeIndex) -> Optional[int]:
    declared = _declared_models(manifest)
    named, _ = card.meta("name")
    if isinstance(named, str):
        for i, model in declared:
            if _tail(named) == _tail(model["id"]):
                return i
    folder = posixpath.dirname(card.rel)
    local = posixpath.relpath(folder, manifest.folder) if manifest.folder else folder
    for i, model in declared:
        ident = model["id"].strip().lower()
        if _tail(folder) == _tail(ident) or local.lower() == ident.strip("./"):
            return i
        aliases = model.get("aliases")
        for alias in aliases if isinstance(aliases, list) else ():
            if isinstance(alias, str) and _tail(alias) == _tail(folder):
                return i
    weights = [i for i, m in declared if m.get("access") == "weights"]
    if len(weights) == 1:
        return weights[0]
    return declared[0][0] if len(declared) == 1 else None


# --- the checks ----------------------------------------------------------------------------------


def check_cards(
    manifest: Manifest,
    index: CodeIndex,
    governed: Callable[[str], bool],
    path_of: Callable[[str], str],
) -> list[Finding]:
    findings: list[Finding] = []
    for rel in card_paths(manifest, index, governed):
        text = _read(manifest, rel)
        if text is None:
            continue
        card = Card(rel, text)
        where = path_of(rel)
        if card.problem is not None:
            findings.append(
                make_finding(
                    "AIA835",
                    where,
                    (
                        card.problem.span[0] + 1,
                        card.problem.span[1],
                        card.problem.span[2] + 1,
                        card.problem.span[3],
                    ),
                    f"model card front matter is not readable YAML: {card.problem.message}; "
                    "its licence and base model were not checked",
                    subject=f"card:{rel}",
                )
            )
            continue
        model = _model_for(card, manifest, index)
        if model is None:
            continue
        findings += _licence(card, manifest, model, where)
        findings += _base_model(card, manifest, model, where)
        findings += _figures(card, manifest, model, where)
        findings += _intended_use(card, manifest, where)
    return findings


def _at(manifest: Manifest, *path: str | int) -> str:
    return f"{manifest.path}:{manifest.value_span(*path)[0]}"


def _licence(card: Card, manifest: Manifest, model: int, where: str) -> list[Finding]:
    value, path = card.meta("license")
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str)), None)
    if not isinstance(value, str):
        return []
    shown = value
    if value.strip().lower() == "other":
        named, _ = card.meta("license_name")
        if isinstance(named, str):
            shown = named
    declared = manifest.get("models", model, "license")
    model_id = manifest.get("models", model, "id")
    out = []
    if not isinstance(declared, str):
        out.append(
            make_finding(
                "AIA830",
                where,
                card.span(path),
                f'model card license "{shown}" for {model_id}, but {manifest.path} declares no '
                f"models[{model}].license ({_at(manifest, 'models', model, 'id')})",
                subject=f"card-licence:{model_id}",
            )
        )
    elif _norm(declared) not in (_norm(value), _norm(shown)):
        out.append(
            make_finding(
                "AIA830",
                where,
                card.span(path),
                f'model card license "{shown}" contradicts models[{model}].license "{declared}" '
                f"({_at(manifest, 'models', model, 'license')})",
                subject=f"card-licence:{model_id}",
            )
        )
    claims = manifest.get("models", model, "free_open_source") is True
    data = table("model_cards")
    if claims and any(_norm(shown).startswith(p) for p in data["not_free_open_source"]):
        out.append(
            make_finding(
                "AIA831",
                where,
                card.span(path),
                f'model card license "{shown}" is not a free and open-source licence, but '
                f"models[{model}].free_open_source: true claims the {data['article_open_source']} "
                f"exemption ({_at(manifest, 'models', model, 'free_open_source')})",
                article=data["article_open_source"],
                subject=f"card-open-source:{model_id}",
            )
        )
    return out


def _norm(text: str) -> str:
    return text.strip().lower().replace("_", "-").replace(" ", "-")


def _base_model(card: Card, manifest: Manifest, model: int, where: str) -> list[Finding]:
    base, path = card.meta("base_model")
    if isinstance(base, list):
        base = next((b for b in base if isinstance(b, str)), None)
    if not isinstance(base, str) or not base.strip():
        return []
    model_id = manifest.get("models", model, "id")
    modifications = manifest.get("models", model, "modifications", default=[])
    kinds = (
        {m.get("kind") for m in modifications if isinstance(m, dict)}
        if isinstance(modifications, list)
        else set()
    )
    relation, relation_path = card.meta("base_model_relation")
    if not kinds:
        return [
            make_finding(
                "AIA832",
                where,
                card.span(path),
                f'model card says {model_id} is derived from base_model "{base}", but '
                f"models[{model}].modifications declares no modification "
                f"({_at(manifest, 'models', model, 'id')})",
                subject=f"card-base:{model_id}",
            )
        ]
    implied = table("model_cards")["relations"].get(str(relation).strip().lower())
    if implied and implied not in kinds:
        return [
            make_finding(
                "AIA832",
                where,
                card.span(relation_path),
                f'model card base_model_relation "{relation}" ({implied}) is not among the '
                f"declared modifications of models[{model}] ({', '.join(sorted(map(str, kinds)))}; "
                f"{_at(manifest, 'models', model, 'modifications')})",
                subject=f"card-base:{model_id}",
            )
        ]
    return []


def _card_figure(card: Card, name: str) -> tuple[Optional[float], Span]:
    value, path = card.meta(name)
    number = _number(value)
    if number is not None:
        return number, card.span(path)
    body = card.text[card.body_start :]
    regex = _PARAMS if name == "parameters" else _FLOP
    match = regex.search(body)
    if match is None:
        return None, (1, 1, 1, 1)
    if name == "parameters":
        number = float(match.group(1)) * _SCALE[match.group(2).lower()]
    else:
        number = float(match.group(1)) * 10 ** int(match.group(2))
    line = card.line_of(card.body_start + match.start())
    column = (
        card.body_start
        + match.start()
        - (card.text.rfind("\n", 0, card.body_start + match.start()) + 1)
        + 1
    )
    return number, (line, column, line, column + len(match.group(0)))


def _figures(card: Card, manifest: Manifest, model: int, where: str) -> list[Finding]:
    out = []
    tolerance = float(table("model_cards")["tolerance"])
    model_id = manifest.get("models", model, "id")
    for name, label in (
        ("parameters", "parameters"),
        ("training_compute_flop", "training compute"),
    ):
        declared = _number(manifest.get("models", model, name))
        found, span = _card_figure(card, name)
        if declared is None or found is None:
            continue
        if max(declared, found) / min(declared, found) <= tolerance:
            continue
        out.append(
            make_finding(
                "AIA834",
                where,
                span,
                f"model card gives {label} {found:.3g} for {model_id}, but models[{model}].{name} "
                f"declares {declared:.3g} ({_at(manifest, 'models', model, name)})",
                subject=f"card-{name}:{model_id}",
            )
        )
    return out


def _sections(card: Card) -> list[tuple[int, str, str]]:
    """(offset of its text, heading, text) of each intended-use section of the card's body."""
    data = table("model_cards")
    wanted = data["intended_use_headings"]
    excluded = data["excluded_headings"]
    body_start = card.body_start
    text = card.text
    headings = list(_HEADING.finditer(text, body_start))
    found = []
    for number, match in enumerate(headings):
        title = match.group(2).strip().lower()
        if any(word in title for word in excluded):
            continue
        if not any(re.search(rf"\b{re.escape(word)}\b", title) for word in wanted):
            continue
        level = len(match.group(1))
        end = len(text)
        for following in headings[number + 1 :]:
            if len(following.group(1)) <= level:
                end = following.start()
                break
            if any(word in following.group(2).lower() for word in excluded):
                end = following.start()
                break
        found.append((match.end(), match.group(2).strip(), text[match.end() : end]))
    return found


def _intended_use(card: Card, manifest: Manifest, where: str) -> list[Finding]:
    from aiact_lint.detect import detect  # the purpose detector's public function (issue 12)

    declared = manifest.get("use_case", "annex_iii", default=[])
    declared_points = (
        {p for p in declared if isinstance(p, str)} if isinstance(declared, list) else set()
    )
    anchor = (
        ("use_case", "annex_iii")
        if "annex_iii" in (manifest.get("use_case", default={}) or {})
        else ("use_case", "purpose")
    )
    out = []
    reported: set[str] = set()
    for offset, heading, section in _sections(card):
        for suspicion in detect({"purpose": section}):
            if suspicion.kind != "annex_iii":
                continue
            if suspicion.point in declared_points or suspicion.point in reported:
                continue
            reported.add(suspicion.point)
            sentence_start = suspicion.span[0]
            at = section.find(suspicion.matched, sentence_start)
            start = offset + (at if at >= 0 else sentence_start)
            line = card.line_of(start)
            line_start = card.text.rfind("\n", 0, start) + 1
            column = start - line_start + 1
            out.append(
                make_finding(
                    "AIA833",
                    where,
                    (line, column, line, column + len(suspicion.matched)),
                    f'model card section "{heading}" describes "{suspicion.matched}", an Annex III '
                    f"{suspicion.point} use, but {manifest.path} does not declare it in "
                    f"use_case.annex_iii ({_at(manifest, *anchor)})",
                    article=f"Art. 6(2), Annex III {suspicion.point}",
                    subject=f"card-annex-iii:{suspicion.point}",
                )
            )
    return out
