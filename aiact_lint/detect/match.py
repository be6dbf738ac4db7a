"""The frame matcher: concepts found in each sentence, frames over them, carve-outs per clause.

A *hit* is a concept the lexicon finds at one or more words of a field. A *frame* is a list of
slots (each a set of concepts) that must all be hit in one sentence, within ``max_span`` words,
in any order; slots after the first may also be filled by the manifest's short fields (sector,
affected persons), and a frame's ``context`` slots anywhere in the manifest. A *carve-out* is a
frame that, when it matches inside one clause, removes that clause (and only that clause) from
the point it belongs to. The words after a negation ("does not", "nicht", "ne ... pas"), to
the end of the sentence or a contrasting clause, stand for nothing, and so do the words before
a verb-final negation ("... findet nicht statt", "... is not performed"). A frame's ``unless``
concepts, found anywhere, rule the frame out (an "applicant" is a job applicant unless the
manifest speaks of loans, schools or visas); its ``not_in_clause`` concepts, in a clause of the
matched words, rule that match out ("evaluates each pupil's answers" is no conversation).
"""

from __future__ import annotations

from typing import Any, Iterable, NamedTuple, Optional, Sequence

from aiact_lint.detect.lexicon import MIN_PART, Lexicon
from aiact_lint.detect.text import Token, fold, sentence_spans, tokens

#: Fields whose hits may fill the later slots of a frame matched in another field.
CONTEXT_FIELDS = ("sector", "affected_persons")
MIN_FUZZY = 5  # shortest word a one-letter typo is forgiven in
TYPO_WORDS = 400  # typos are forgiven in a field's first words only (bounds long texts' cost)
KEEP_IN_FUNCTION_WORDS = frozenset({"NEGATION"})
GAP_WORDS = 12  # words allowed inside a gapped phrase ("leitet ... ab")


class Hit(NamedTuple):
    first: int  # index of its first token
    last: int  # index of its last token (phrases span several)
    concept: str
    fuzzy: bool  # found one typo away from a lexicon word
    part: bool = False  # found inside a compound: the word may fill several slots
    gap: bool = False  # a gapped phrase ("leitet ... ab"): only its first and last word count


class Field:
    """One field's text, its tokens in its language, and the concepts found in it."""

    __slots__ = (
        "by_sentence",
        "clauses",
        "covered",
        "hits",
        "keys",
        "lexicon",
        "name",
        "sentence_clauses",
        "sentences",
        "spans",
        "text",
        "toks",
        "typos",
    )

    def __init__(self, name: str, text: str, lexicon: Lexicon) -> None:
        self.name = name
        self.text = text
        self.lexicon = lexicon
        self.toks = tokens(text, lexicon.clause_words)
        self.keys = lexicon.normalise([t.lower for t in self.toks]) if self.toks else []
        self.spans = sentence_spans(text, self.toks)
        self.by_sentence: dict[int, list[int]] = {}
        for i, tok in enumerate(self.toks):
            self.by_sentence.setdefault(tok.sentence, []).append(i)
        self.index(find_hits(self.toks, self.keys, text, lexicon))

    def index(self, hits: list[Hit]) -> None:
        """Keep ``hits`` and index them by sentence and by clause."""
        self.hits = hits
        self.covered = {i for hit in hits for i in range(hit.first, hit.last + 1)}
        self.typos: dict[tuple[int, tuple[str, ...]], list[Hit]] = {}
        # sentence -> concept -> hits; clause -> concepts
        self.sentences: dict[int, dict[str, list[Hit]]] = {}
        self.clauses: dict[int, set[str]] = {}
        for hit in self.hits:
            tok = self.toks[hit.first]
            self.sentences.setdefault(tok.sentence, {}).setdefault(hit.concept, []).append(hit)
            self.clauses.setdefault(tok.clause, set()).add(hit.concept)
        # Units a carve-out can cover: each clause, or each whole sentence.
        sentence_of = {tok.clause: tok.sentence for tok in self.toks}
        by_sentence: dict[int, tuple[list[int], set[str]]] = {}
        for clause, found in self.clauses.items():
            unit = by_sentence.setdefault(sentence_of[clause], ([], set()))
            unit[0].append(clause)
            unit[1].update(found)
        self.sentence_clauses = {n: (tuple(c), found) for n, (c, found) in by_sentence.items()}

    def quote(self, hit: Hit) -> str:
        first, last = self.toks[hit.first], self.toks[hit.last]
        if hit.gap:
            return f"{first.surface} … {last.surface}"
        return self.text[first.start : last.end]


def find_hits(toks: Sequence[Token], keys: Sequence[str], text: str, lex: Lexicon) -> list[Hit]:
    """Every concept the lexicon finds in ``toks`` (``keys``: their normalised forms)."""
    if not toks:
        return []
    folds: dict[str, str] = {}
    folded = [folds.get(t.lower) or folds.setdefault(t.lower, fold(t.lower)) for t in toks]
    prefix_lengths = lex.prefix_lengths
    parts: list[tuple[str, list[str]]] = []
    if lex.parts:
        whole = " ".join(folded)  # the words as matched (apostrophes dropped)
        parts = [(part, concepts) for part, concepts in lex.parts.items() if part in whole]
    found: list[Hit] = []
    phrase_hits: list[Hit] = []
    covered: set[int] = set()
    fixed_spans: list[tuple[int, int]] = []
    for i, key in enumerate(keys):
        word = folded[i]
        concepts: list[str] = list(lex.exact.get(word, ()))
        # A function word ("para", "de") stands for no concept, whatever its stem collides
        # with, except a negation ("ne ... pas", "no").
        function_word = word in lex.function_words
        if function_word:
            concepts += [c for c in lex.words.get(key, ()) if c in KEEP_IN_FUNCTION_WORDS]
        else:
            concepts += lex.words.get(key, ())
            for length in prefix_lengths:
                if length > len(word):
                    break
                concepts += lex.prefixes.get(word[:length], ())
        in_parts: list[str] = []
        if (
            not function_word
            and parts
            and len(word) > MIN_PART
            and (not lex.capitalised_only or toks[i].surface[:1].isupper())
            and not any(b in word for b in lex.not_parts)
        ):
            for part, part_concepts in parts:
                if part in word and part != word:
                    in_parts += part_concepts
        own = set(concepts)
        for concept in dict.fromkeys(concepts):
            found.append(Hit(i, i, concept, False, bool(in_parts)))
        for concept in dict.fromkeys(in_parts):
            if concept not in own:
                found.append(Hit(i, i, concept, False, True))
        starts = list(lex.phrases.get(key, ()))
        for length in lex.phrase_prefix_lengths:
            if length > len(word):
                break
            starts += lex.phrases.get("*" + word[:length], ())
        for rest, concept, fixed, gap in starts:
            last = _phrase_end(toks, keys, folded, i, rest, lex.function_words, gap)
            if last is not None:
                phrase_hits.append(Hit(i, last, concept, False, False, gap))
                if fixed:
                    covered.update((i, last) if gap else range(i, last + 1))
                    fixed_spans.append((i, last))
    if not phrase_hits:
        return found
    # A fixed expression ("!short answer") is read as a whole: its words stand for nothing else.
    # That holds for the other phrases inside it too: "!without editorial review" is no
    # "editorial review" (the Art. 50(4) exception), whatever else the lexicon lists.
    kept = [hit for hit in found if hit.first not in covered]
    if fixed_spans:
        phrase_hits = [
            hit
            for hit in phrase_hits
            if (hit.first, hit.last) in fixed_spans
            or not any(a <= hit.first and hit.last <= b for a, b in fixed_spans)
        ]
    return sorted(kept + phrase_hits, key=lambda hit: (hit.first, hit.last))


def _is(key: str, word: str, want: str) -> bool:
    """A phrase word: ``*prefix`` matches by prefix of the folded word, else by stem."""
    return word.startswith(want[1:]) if want.startswith("*") else key == want


def _phrase_end(
    toks: Sequence[Token],
    keys: Sequence[str],
    folded: Sequence[str],
    start: int,
    rest: Sequence[str],
    skip: frozenset[str],
    gap: bool = False,
) -> Optional[int]:
    """Index of the last token of the phrase starting at ``start``, or None. With ``gap``
    (``schlägt ... vor``) up to GAP_WORDS other words of the sentence may come in between."""
    j = start
    sentence = toks[start].sentence
    for want in rest:
        j += 1
        limit = j + GAP_WORDS if gap else j
        while (
            j < len(toks) and not _is(keys[j], folded[j], want) and (folded[j] in skip or j < limit)
        ):
            j += 1
        if j >= len(toks) or toks[j].sentence != sentence or not _is(keys[j], folded[j], want):
            return None
        if not gap and toks[j].clause != toks[start].clause:
            return None  # "residents, applicants" is no "residence application"
    return j


def near(a: str, b: str) -> bool:
    """One typo apart: a letter inserted or dropped, or two neighbours swapped. A changed
    letter is not forgiven: it turns too many real words into others ("expedient")."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    i = 0
    while i < min(la, lb) and a[i] == b[i]:
        i += 1
    if la == lb:
        return i + 1 < la and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]
    if la > lb:
        return a[i + 1 :] == b[i:]
    return a[i:] == b[i + 1 :]


class Match(NamedTuple):
    field: Field
    sentence: int
    hits: tuple[Hit, ...]  # one per slot, in slot order
    context_hits: tuple[tuple[Field, Hit], ...]  # slots filled by another field


class Point:
    """One point of the frame table, ready to match."""

    __slots__ = ("anchors", "carve_outs", "entry", "frames", "key")

    def __init__(self, entry: dict[str, Any]) -> None:
        self.entry = entry
        self.key: str = entry["key"]
        self.frames: list[dict[str, Any]] = entry["frames"]
        self.carve_outs: list[dict[str, Any]] = entry["carve_outs"]
        # A sentence with none of these concepts cannot match any frame of the point.
        self.anchors = frozenset(c for f in self.frames for slot in f["all"] for c in slot)


class Matcher:
    """Frames of every point over the fields of one manifest."""

    def __init__(self, table: dict[str, Any], fields: list[Field]) -> None:
        self.max_span: int = table["max_span"]
        self.negation = frozenset(table["negation"])
        self.negation_before = frozenset(table.get("negation_before") or ())
        self.fields = fields
        self.context = [f for f in fields if f.name in CONTEXT_FIELDS]
        self.everywhere: set[str] = set()
        for field in fields:
            negated = self._negated(field)
            if negated:
                field.index([h for h in field.hits if h.first not in negated])
            self.everywhere.update(hit.concept for hit in field.hits)
        self._cancelled: dict[tuple[str, str, int], set[int]] = {}

    def _negated(self, field: Field) -> set[int]:
        """Words under a negation: from the negation to the end of its sentence, up to a
        contrasting clause ("does not rank applicants or score them, but sorts CVs"). Words
        before the negation keep their meaning ("citizen score from unpaid fines")."""
        starts = {hit.first for hit in field.hits if hit.concept in self.negation}
        # "Eine Bonitätsbewertung findet nicht statt": a verb-final negation denies the words
        # of its sentence before it.
        ends = [hit.first for hit in field.hits if hit.concept in self.negation_before]
        negated: set[int] = set()
        for end in ends:
            sentence = field.toks[end].sentence
            negated.update(i for i in field.by_sentence.get(sentence, ()) if i < end)
        if not starts:
            return negated
        active = False
        contrast = field.lexicon.contrast_words
        for i, tok in enumerate(field.toks):
            if i and tok.sentence != field.toks[i - 1].sentence:
                active = False
            if active and tok.clause != field.toks[i - 1].clause and tok.lower in contrast:
                active = False
            if i in starts:
                active = True
            elif active:
                negated.add(i)
        return negated

    # -- carve-outs ------------------------------------------------------------------------
    def cancelled(self, point: Point, field: Field, sentence: int) -> set[int]:
        """Clauses of one sentence of ``field`` that a carve-out of ``point`` removes."""
        cache_key = (point.key, field.name, sentence)
        cached = self._cancelled.get(cache_key)
        if cached is not None:
            return cached
        found: set[int] = set()
        for frame in point.carve_outs:
            if not all(self.everywhere.intersection(slot) for slot in frame["context"]):
                continue
            clauses, concepts = field.sentence_clauses[sentence]
            units = (
                [(clauses, concepts)]
                if frame["scope"] == "sentence"
                else [((c,), field.clauses[c]) for c in clauses]
            )
            for unit_clauses, unit_concepts in units:
                if all(unit_concepts.intersection(slot) for slot in frame["all"]):
                    found.update(unit_clauses)
        self._cancelled[cache_key] = found
        return found

    # -- frames ----------------------------------------------------------------------------
    def first_match(
        self, point: Point, excluded: Optional[dict[str, set[int]]] = None
    ) -> Optional[tuple[dict[str, Any], Match]]:
        """The first frame match of ``point``: fields in order, then sentences, then frames.
        ``excluded``: field -> clauses that stand for no match of this point."""
        everywhere = self.everywhere
        frames = [
            frame
            for frame in point.frames
            if all(everywhere.intersection(slot) for slot in frame["context"])
            and everywhere.isdisjoint(frame["unless"])
        ]
        if not frames:
            return None
        for field in self.fields:
            for sentence, by_concept in field.sentences.items():
                if point.anchors.isdisjoint(by_concept):
                    continue
                cancelled = self.cancelled(point, field, sentence)
                if excluded and field.name in excluded:
                    cancelled = cancelled | excluded[field.name]
                for frame in frames:
                    match = self._frame(frame, field, sentence, by_concept, cancelled, point)
                    if match is not None:
                        return frame, match
        return None

    def _frame(
        self,
        frame: dict[str, Any],
        field: Field,
        sentence: int,
        by_concept: dict[str, list[Hit]],
        cancelled: set[int],
        point: Point,
    ) -> Optional[Match]:
        slots: list[list[Hit]] = [
            [hit for concept in slot for hit in by_concept.get(concept, ())]
            for slot in frame["all"]
        ]
        if cancelled:
            toks = field.toks
            slots = [[h for h in hits if toks[h.first].clause not in cancelled] for hits in slots]
        if not any(slots):
            return None
        outside: list[Optional[tuple[Field, Hit]]] = [None] * len(slots)
        for index, slot in enumerate(frame["all"]):
            if slots[index]:
                continue
            if any(slots):
                slots[index] = self._typo(field, sentence, slot, cancelled)
            if not slots[index] and index and field.name not in CONTEXT_FIELDS:
                outside[index] = self._in_context(slot, point)
            if not slots[index] and outside[index] is None:
                return None
        span = frame["max_span"] or self.max_span
        chosen = _tightest([s for s, o in zip(slots, outside) if o is None], span)
        if chosen is None:
            return None
        if frame.get("not_in_clause"):
            # "evaluates each pupil's answers": answers analysed, not given, by the system
            spoilers = frozenset(frame["not_in_clause"])
            clauses = {field.toks[hit.first].clause for hit in chosen}
            if any(not spoilers.isdisjoint(field.clauses.get(c, ())) for c in clauses):
                return None
        return Match(field, sentence, chosen, tuple(o for o in outside if o is not None))

    def _in_context(self, slot: Iterable[str], point: Point) -> Optional[tuple[Field, Hit]]:
        wanted = set(slot)
        for other in self.context:
            for hit in other.hits:
                if hit.concept in wanted:
                    sentence = other.toks[hit.first].sentence
                    if other.toks[hit.first].clause not in self.cancelled(point, other, sentence):
                        return other, hit
        return None

    def _typo(
        self, field: Field, sentence: int, slot: Iterable[str], cancelled: set[int]
    ) -> list[Hit]:
        """Hits for ``slot`` from words one typo away from a lexicon word (the rest of the
        frame being there already, a near word is very likely the intended one)."""
        first = field.by_sentence.get(sentence, [TYPO_WORDS])[0]
        if first >= TYPO_WORDS:
            return []
        wanted = tuple(slot)
        cached = field.typos.get((sentence, wanted))
        if cached is None:
            cached = []
            if any(_forms(field.lexicon).get(concept) for concept in wanted):
                for i in field.by_sentence.get(sentence, ()):
                    key = field.keys[i]
                    if i in field.covered or len(key) < MIN_FUZZY or i >= TYPO_WORDS:
                        continue
                    for concept in wanted:
                        if _near_concept(field.lexicon, key, concept):
                            cached.append(Hit(i, i, concept, True))
                            break
            field.typos[(sentence, wanted)] = cached
        return [hit for hit in cached if field.toks[hit.first].clause not in cancelled]


_FORMS: dict[int, dict[str, dict[str, list[str]]]] = {}
_NEAR: dict[tuple[int, str, str], bool] = {}


def _forms(lex: Lexicon) -> dict[str, dict[str, list[str]]]:
    """concept -> first letter -> the stems of its single-word terms (typo candidates)."""
    found = _FORMS.get(id(lex))
    if found is None:
        found = {}
        for key, concepts in lex.words.items():
            if len(key) >= MIN_FUZZY:
                for concept in concepts:
                    found.setdefault(concept, {}).setdefault(key[0], []).append(key)
        _FORMS[id(lex)] = found
    return found


def _near_concept(lex: Lexicon, key: str, concept: str) -> bool:
    """Whether ``key`` is one typo from a word of ``concept`` (first letters kept; memoised)."""
    memo = (id(lex), key, concept)
    found = _NEAR.get(memo)
    if found is None:
        candidates = _forms(lex).get(concept, {}).get(key[0], ())
        found = any(key != form and near(key, form) for form in candidates)
        _NEAR[memo] = found
    return found


def _words_of(hit: Hit) -> range | tuple[int, int]:
    return (hit.first, hit.last) if hit.gap else range(hit.first, hit.last + 1)


def _tightest(slots: list[list[Hit]], max_span: int) -> Optional[tuple[Hit, ...]]:
    """One hit per slot, on distinct words, spanning the fewest tokens (at most ``max_span``)."""
    if not slots:
        return ()
    best: Optional[tuple[Hit, ...]] = None
    best_width = max_span + 1
    for anchor in slots[0]:
        chosen = [anchor]
        for slot in slots[1:]:
            # A compound ("Personalauswahl") may fill several slots; other words only one.
            taken = {i for c in chosen if not c.part for i in _words_of(c)}
            others = [h for h in slot if h.first not in taken and h.last not in taken]
            if not others:
                break  # one word cannot fill two slots ("routes" is not a task and a route)
            chosen.append(min(others, key=lambda h: abs(h.first - anchor.first)))
        if len(chosen) < len(slots):
            continue
        width = max(h.last for h in chosen) - min(h.first for h in chosen)
        if width < best_width:
            best, best_width = tuple(chosen), width
    return best
