"""Read a manifest's purpose like a lawyer: which Annex III, Art. 5, Annex I and Art. 50 uses
its words describe.

Pure API, no manifest knowledge::

    detect(texts: Mapping[field, str], language: str | None = None) -> list[Suspicion]

``texts`` maps a field name (``purpose``, ``description``, ``sector``, ``affected_persons``...)
to its text; ``language`` is the manifest's declared language (``system.language``), else each
text's language is told from its function words. Each :class:`Suspicion` carries

* ``kind`` - ``annex_iii`` | ``art5`` | ``annex_i`` | ``art50``;
* ``point`` - ``"4(a)"``, ``"(c)"`` (Art. 5(1)), ``"MDR"`` (the Annex I act), ``"1"`` /
  ``"2"`` / ``"4_deep_fake"`` / ``"4_text"`` (Art. 50 paragraphs); ``label`` is the corpus
  label (``"4(a)"``, ``"art5:(c)"``, ``"annex_i"``, ``"art50:1"``);
* ``field``, ``words`` (the matched words, as written), ``span`` (the character span of the
  sentence they were found in, in that field's text), ``frame`` (the frame id in
  ``law/detect/frames.yaml``) and ``explanation``, one line such as
  ``purpose describes ranking job applicants ("Ranks", "applicants") → Annex III 4(a)``.

At most one suspicion per point: the first field (in the order given) and sentence that match.
An Art. 5 practice drops the Annex III points it ``supersedes`` (the prohibition decides).
Nothing is imported or loaded when every text is empty; otherwise only the lexicons (and
Snowball stemmers) of the languages the texts are written in.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any, Mapping, NamedTuple, Optional

from aiact_lint.detect.lexicon import COMPILED, LANGUAGES, load

__all__ = ["LANGUAGES", "Suspicion", "detect", "frame_table"]


class Suspicion(NamedTuple):
    """One use the words of the manifest describe, and why the detector thinks so."""

    kind: str  # annex_iii | art5 | annex_i | art50
    point: str  # "4(a)" | "(c)" | "MDR" | "1"
    field: str  # the field name in ``texts``
    words: tuple[str, ...]  # the matched words, as written
    span: tuple[int, int]  # the sentence they were found in: character span in ``field``
    explanation: str  # one line, in English
    article: str
    frame: str  # frame id in law/detect/frames.yaml
    language: str  # the language the field was read in
    matched: str  # the text from the first to the last matched word of the sentence

    @property
    def label(self) -> str:
        """The corpus label: "4(a)", "art5:(c)", "annex_i", "art50:1"."""
        if self.kind == "annex_iii":
            return self.point
        if self.kind == "annex_i":
            return "annex_i"
        return f"{self.kind}:{self.point}"


@cache
def frame_table() -> dict[str, Any]:
    """The compiled frame table (law/detect/frames.yaml)."""
    with (COMPILED / "frames.json").open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def detect(texts: Mapping[str, str], language: Optional[str] = None) -> list[Suspicion]:
    """Uses that ``texts`` (field -> text) describe, in frame-table order. See the module doc."""
    present = {name: text for name, text in texts.items() if text and text.strip()}
    if not present:
        return []
    import gc

    from aiact_lint.detect.engine import run

    # The run allocates many small records and frees them all at the end: the cyclic collector
    # would only walk the (large, long-lived) lexicons again and again meanwhile.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return run(present, language, frame_table(), load)
    finally:
        if enabled:
            gc.enable()
