"""The literal strings a regular expression cannot match without: one of them must occur.

Computed once at build time (scripts/build_generated.py) for every model pattern and hint of
``law/model_patterns.yaml``, so that the code scan compiles and runs a regex only on a file that
holds one of its literals: most files that hit the git pre-filter for an SDK use one or two of
its many patterns. The analysis is conservative: when in doubt (case-insensitive flags, a branch
without a literal, literals shorter than three characters) there is no constraint, and the regex
always runs.
"""

from __future__ import annotations

import importlib
from typing import Any, Optional


def _modules() -> tuple[Any, Any]:
    """The regex parser and its constants: ``re._parser`` since Python 3.11, ``sre_parse``
    before (only the build script and the tests import this module)."""
    try:
        return importlib.import_module("re._constants"), importlib.import_module("re._parser")
    except ImportError:  # pragma: no cover - Python 3.9 and 3.10
        return importlib.import_module("sre_constants"), importlib.import_module("sre_parse")


constants, parser = _modules()

MIN_LENGTH = 3


def _weakest(options: set[str]) -> int:
    return min((len(o) for o in options), default=0)


def _sequence(items: Any) -> Optional[set[str]]:
    """Any-of literals for a sequence of regex items: the most selective constraint found."""
    best: Optional[set[str]] = None

    def consider(options: Optional[set[str]]) -> None:
        nonlocal best
        if options and (best is None or _weakest(options) > _weakest(best)):
            best = options

    run = ""
    for op, value in items:
        if op is constants.LITERAL:
            run += chr(value)
            continue
        consider({run} if run else None)
        run = ""
        if op is constants.SUBPATTERN:
            if value[1] & constants.SRE_FLAG_IGNORECASE:  # (?i:...) added on this group
                continue
            consider(_sequence(value[-1]))
        elif op is constants.BRANCH:
            branches = [_sequence(branch) for branch in value[1]]
            if all(branches):
                consider(set().union(*branches))  # type: ignore[arg-type]
        elif op in (constants.MAX_REPEAT, constants.MIN_REPEAT) and value[0] >= 1:
            consider(_sequence(value[2]))
    consider({run} if run else None)
    return best


def required_literals(regex: str) -> list[str]:
    """Strings one of which every match of ``regex`` contains; [] when nothing is certain."""
    try:
        parsed = parser.parse(regex)
    except Exception:  # an unparseable pattern gets no constraint
        return []
    flags = getattr(parsed, "state", None)
    global_flags = getattr(flags, "flags", 0) if flags is not None else 0
    if global_flags & constants.SRE_FLAG_IGNORECASE:
        return []
    options = _sequence(parsed)
    if not options or _weakest(options) < MIN_LENGTH:
        return []
    return sorted(options)
