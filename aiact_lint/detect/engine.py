"""One detection run: read each field in its language, match every point, explain each match."""

from __future__ import annotations

from typing import Any, Callable, Mapping, Optional

from aiact_lint.detect import Suspicion
from aiact_lint.detect.language import candidates, choose
from aiact_lint.detect.lexicon import Lexicon
from aiact_lint.detect.match import Field, Match, Matcher, Point
from aiact_lint.detect.text import tokens

#: Fields read first; a suspicion reports the first field that shows it. Names may be dotted
#: manifest paths ("use_case.purpose"): the last part decides.
ORDER = ("purpose", "description", "sector", "affected_persons")
LANGUAGE_SAMPLE = 2000  # characters read to tell a text's language
#: Kinds of point that an Art. 5 practice replaces where it is described: the prohibition decides
#: that use, so the same words describe no second finding. An Annex III point loses the clauses
#: of the practice ("ranks CVs and, in the interview, reads candidates' emotions" keeps 4(a));
#: an Art. 50 duty or Annex I product loses the whole sentence, whose subject is the prohibited
#: system ("a voice assistant that pushes residents with dementia into subscriptions").
SAME_USE_KINDS = {"annex_iii": "clause", "art50": "clause", "annex_i": "sentence"}


def _role(name: str) -> str:
    return name.rsplit(".", 1)[-1]


def _ordered(names: list[str]) -> list[str]:
    known = sorted((n for n in names if _role(n) in ORDER), key=lambda n: ORDER.index(_role(n)))
    return known + [n for n in names if _role(n) not in ORDER]


def _points(table: dict[str, Any]) -> list[Point]:
    cached = table.get("_points")
    if cached is None:
        cached = table["_points"] = [Point(entry) for entry in table["points"]]
    points: list[Point] = cached
    return points


def run(
    texts: Mapping[str, str],
    declared: Optional[str],
    table: dict[str, Any],
    load: Callable[[str], Optional[Lexicon]],
) -> list[Suspicion]:
    names = _ordered(list(texts))
    detected = {name: _language(texts[name], load) for name in names}
    chosen = choose(detected, declared if declared and load(declared) else None, names)
    fields = []
    for name in names:
        lexicon = load(chosen[name]) or load("en")
        assert lexicon is not None, "the English lexicon is always there"
        fields.append(Field(_role(name), texts[name], lexicon))
    display = dict(zip((f.name for f in fields), names))
    matcher = Matcher(table, fields)
    found: list[tuple[Point, dict[str, Any], Match]] = []
    # field -> clauses an Art. 5 practice describes, by the scope they are taken out of
    prohibited: dict[str, dict[str, set[int]]] = {"clause": {}, "sentence": {}}
    for point in _points(table):
        kind = point.entry["kind"]
        scope = SAME_USE_KINDS.get(kind)
        result = matcher.first_match(point, prohibited[scope] if scope else None)
        if result is not None:
            found.append((point, *result))
            if kind == "art5":
                _mark_clauses(prohibited, result[1], matcher.context)
    superseded = {label for point, _, _ in found for label in point.entry.get("supersedes") or []}
    labels = {point.entry["label"] for point, _, _ in found}
    implied = {}
    for point, frame, match in found:
        if matcher.everywhere.intersection(point.entry.get("implies_unless") or ()):
            continue
        for label in point.entry.get("implies") or []:
            if label not in labels and label not in implied:
                implied[label] = (frame, match)
    suspicions = []
    for point in _points(table):
        result = next(((f, m) for p, f, m in found if p is point), None)
        if result is None and point.entry["label"] in implied:
            result = implied.pop(point.entry["label"])
        if result is None or point.entry["label"] in superseded:
            continue
        frame, match = result
        suspicions.append(_suspicion(point, frame, match, display[match.field.name]))
    return suspicions


def _mark_clauses(
    marked: dict[str, dict[str, set[int]]], match: Match, context: list[Field]
) -> None:
    """Record the clauses of ``match`` (from its first to its last word), and all the clauses
    of its sentence, as one use."""
    field = match.field
    clauses = [field.toks[i].clause for hit in match.hits for i in (hit.first, hit.last)]
    name = field.name
    marked["clause"].setdefault(name, set()).update(range(min(clauses), max(clauses) + 1))
    marked["sentence"].setdefault(name, set()).update(field.sentence_clauses[match.sentence][0])
    for other in context:  # the sector and persons of the prohibited system describe it too
        marked["sentence"].setdefault(other.name, set()).update(other.clauses)


def _language(text: str, load: Callable[[str], Optional[Lexicon]]) -> Optional[str]:
    """The language of one text; when its function words leave a tie, the language whose
    lexicon knows more of its words (the only case where two lexicons are loaded)."""
    sample = text[:LANGUAGE_SAMPLE]  # a few hundred words tell the language of any text
    ranked = candidates(tokens(sample), sample)
    if len(ranked) < 2:
        return ranked[0] if ranked else None
    best, best_known = ranked[0], -1
    for language in ranked[:3]:
        lexicon = load(language)
        if lexicon is None:
            continue
        words = [t.lower for t in tokens(sample, lexicon.clause_words)]
        known = sum(1 for key in lexicon.normalise(words) if key in lexicon.words)
        if known > best_known:
            best, best_known = language, known
    return best


def _suspicion(point: Point, frame: dict[str, Any], match: Match, name: str) -> Suspicion:
    field = match.field
    in_sentence = sorted(match.hits, key=lambda h: h.first)
    words = [field.quote(hit) for hit in in_sentence]
    words += [other.quote(hit) for other, hit in match.context_hits]
    unique = list(dict.fromkeys(words))
    entry = point.entry
    quoted = ", ".join(f'"{w}"' for w in unique)
    start = field.toks[in_sentence[0].first].start
    end = max(field.toks[h.last].end for h in in_sentence)
    return Suspicion(
        kind=entry["kind"],
        point=entry["point"],
        field=name,
        words=tuple(unique),
        span=field.spans[match.sentence],
        explanation=f"{name} describes {frame['says']} ({quoted}) → {entry['target']}",
        article=entry["article"],
        frame=frame["id"],
        language=field.lexicon.language,
        matched=field.text[start:end],
    )
