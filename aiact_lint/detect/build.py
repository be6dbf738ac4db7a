"""Compile the reviewable frame and lexicon tables into the JSON the detector reads.

Run by ``scripts/build_generated.py`` (never on the hook's path). Also used by
``benchmarks/compare_normalisers.py`` to compile the same lexicons with another normaliser
(a lemmatiser, or none) and measure what the choice of library changes.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Mapping

from aiact_lint.detect.lexicon import MIN_PART
from aiact_lint.detect.text import fold, tokens

Normalise = Callable[[list[str]], list[str]]
SLOT = re.compile(r"^[A-Z][A-Z0-9_]*(\|[A-Z][A-Z0-9_]*)*$")
KINDS = ("annex_iii", "art5", "annex_i", "art50")


class TableError(ValueError):
    """A frame or lexicon table that cannot be compiled (the message says where)."""


def _words(term: str) -> list[str]:
    """A term's words, split exactly as a text's words are ("d'asile" -> "asile")."""
    return [tok.lower for tok in tokens(term)]


def compile_lexicon(source: Mapping[str, Any], normalise: Normalise) -> dict[str, Any]:
    """One language's lexicon YAML -> its compiled index (keys are normalised word forms)."""
    language = str(source["language"])
    function_words = sorted({fold(w) for w in source.get("function_words") or []})
    compounds = bool(source.get("compounds"))
    words: dict[str, list[str]] = {}
    exact: dict[str, list[str]] = {}
    prefixes: dict[str, list[str]] = {}
    phrases: dict[str, list[list[Any]]] = {}
    parts: dict[str, list[str]] = {}

    def add(index: dict[str, list[str]], key: str, concept: str) -> None:
        bucket = index.setdefault(key, [])
        if concept not in bucket:
            bucket.append(concept)

    concepts = source.get("concepts") or {}
    for concept, terms in concepts.items():
        if not SLOT.match(str(concept)) or "|" in str(concept):
            raise TableError(f"{language}: bad concept name {concept!r}")
        for raw in terms or []:
            term = " ".join(str(raw).split())
            if not term:
                raise TableError(f"{language}: empty term in {concept}")
            if term.startswith("="):
                add(exact, fold(term[1:]), concept)
                continue
            if term.endswith("*") and " " not in term:
                if len(term) < 4:
                    raise TableError(f"{language}: {concept}: bad prefix term {term!r}")
                add(prefixes, fold(term[:-1]), concept)
                continue
            if "*" in term:
                # A phrase with prefix words ("zdolnoś* kredytow*"): "*" keys match by prefix.
                pieces_raw = term.split()
                if any("*" in p[:-1] or len(p) < 4 for p in pieces_raw if "*" in p):
                    raise TableError(f"{language}: {concept}: bad prefix phrase {term!r}")
                keys = [
                    "*" + fold(p[:-1]) if p.endswith("*") else normalise(_words(p) or [p])[0]
                    for p in pieces_raw
                ]
                phrase = [keys[1:], concept, False, False]
                if phrase not in phrases.setdefault(keys[0], []):
                    phrases[keys[0]].append(phrase)
                continue
            fixed = term.startswith("!")
            if fixed:
                term = term[1:].strip()
            pieces = _words(term)
            if not pieces:
                raise TableError(f"{language}: {concept}: no word in {term!r}")
            if len(pieces) == 1:
                add(words, normalise(pieces)[0], concept)
                if compounds and len(pieces[0]) >= MIN_PART:
                    add(parts, fold(pieces[0]), concept)
                continue
            gap = "..." in term
            if gap:
                pieces = [p for t in term.split("...") for p in _words(t)]
            content = [p for p in pieces if fold(p) not in function_words]
            if len(content) < 2:
                content = pieces  # "who gets" must not shrink to "gets"
            keys = normalise(content)
            if len(keys) == 1:
                add(words, keys[0], concept)
                continue
            phrase = [keys[1:], concept, fixed, gap]
            if phrase not in phrases.setdefault(keys[0], []):
                phrases[keys[0]].append(phrase)
    return {
        "language": language,
        "compounds": compounds,
        "capitalised_only": bool(source.get("compound_nouns_capitalised")),
        "words": dict(sorted(words.items())),
        "exact": dict(sorted(exact.items())),
        "prefixes": dict(sorted(prefixes.items())),
        "phrases": dict(sorted(phrases.items())),
        "parts": dict(sorted(parts.items())) if compounds else {},
        "not_parts": sorted(fold(w) for w in source.get("not_parts") or []),
        "function_words": function_words,
        "clause_words": sorted({fold(w) for w in source.get("clause_words") or []}),
        "contrast_words": sorted({fold(w) for w in source.get("contrast_words") or []}),
    }


def concepts_used(frames: Mapping[str, Any]) -> set[str]:
    """Every concept the frame table names."""
    used: set[str] = set(frames.get("negation") or []) | set(frames.get("negation_before") or [])
    for entry in frames["points"]:
        for key in ("frames", "carve_outs"):
            for frame in entry.get(key) or []:
                slots = list(frame["all"]) + list(frame.get("context") or [])
                for slot in slots + list(frame.get("unless") or []):
                    used.update(str(slot).split("|"))
                for slot in frame.get("not_in_clause") or []:
                    used.update(str(slot).split("|"))
        for slot in entry.get("implies_unless") or []:
            used.update(str(slot).split("|"))
    return used


def compile_frames(frames: Mapping[str, Any]) -> dict[str, Any]:
    """The frame table, checked and with slots split into concept lists."""
    points = []
    seen_ids: set[str] = set()
    for entry in frames["points"]:
        kind = entry["kind"]
        if kind not in KINDS:
            raise TableError(f"{entry.get('point')}: unknown kind {kind!r}")
        compiled_entry = {k: v for k, v in entry.items() if k not in ("frames", "carve_outs")}
        compiled_entry["key"] = f"{kind}:{entry['point']}"
        if entry.get("implies_unless"):
            compiled_entry["implies_unless"] = [
                c for s in entry["implies_unless"] for c in str(s).split("|")
            ]
        for key in ("label", "article", "target"):
            if not str(entry.get(key) or "").strip():
                raise TableError(f"{entry.get('point')}: no {key}")
        for key in ("frames", "carve_outs"):
            compiled_frames = []
            for frame in entry.get(key) or []:
                frame_id = str(frame["id"])
                if frame_id in seen_ids:
                    raise TableError(f"duplicate frame id {frame_id}")
                seen_ids.add(frame_id)
                if str(frame.get("scope") or "clause") not in ("clause", "sentence"):
                    raise TableError(f"frame {frame_id}: scope is clause or sentence")
                for part in ("says", "example"):
                    if not str(frame.get(part) or "").strip():
                        raise TableError(f"frame {frame_id} has no {part}")
                slots = list(frame["all"])
                context = list(frame.get("context") or [])
                unless = list(frame.get("unless") or [])
                not_in_clause = list(frame.get("not_in_clause") or [])
                for slot in slots + context + unless + not_in_clause:
                    if not SLOT.match(str(slot)):
                        raise TableError(f"frame {frame_id}: bad slot {slot!r}")
                compiled_frames.append(
                    {
                        "id": frame_id,
                        "all": [str(s).split("|") for s in slots],
                        "context": [str(s).split("|") for s in context],
                        "unless": [c for s in unless for c in str(s).split("|")],
                        "not_in_clause": [c for s in not_in_clause for c in str(s).split("|")],
                        "says": str(frame["says"]),
                        "max_span": int(frame.get("max_span") or 0),
                        "scope": str(frame.get("scope") or "clause"),
                    }
                )
            if key == "frames" and not compiled_frames:
                raise TableError(f"{entry['point']} has no frames")
            compiled_entry[key] = compiled_frames
        points.append(compiled_entry)
    return {
        "max_span": int(frames.get("max_span", 20)),
        "negation": list(frames.get("negation") or []),
        "negation_before": list(frames.get("negation_before") or []),
        "points": points,
    }


def languages_index(sources: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """What telling a text's language needs, for every language, without its lexicon."""
    return {
        language: {
            "name": str(source["name"]),
            "function_words": sorted({fold(w) for w in source.get("function_words") or []}),
            "letters": str(source.get("letters") or ""),
            "endings": sorted({fold(w) for w in source.get("endings") or []}),
        }
        for language, source in sources.items()
    }
