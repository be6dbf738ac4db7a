"""Word diffs for messages and reports: what a reviewer needs to see of a changed sentence, in full.

The notation is git's ``--word-diff=plain``: ``[-removed words-]`` and ``{+added words+}``,
unchanged words as they are. Whitespace differences alone are no change. The reports lay the
same runs out as struck-through and inserted text (``word_runs``).
"""

from __future__ import annotations

from typing import Any, Callable, NamedTuple


class Run(NamedTuple):
    """One stretch of a word diff: words kept (``removed == added``), or removed and added."""

    same: str
    removed: str
    added: str


def words(text: str) -> list[str]:
    return text.split()


def word_runs(before: str, after: str) -> list[Run]:
    """``before`` -> ``after`` as runs of kept words and of removed/added words, in order."""
    from difflib import SequenceMatcher

    old, new = words(before), words(after)
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    runs: list[Run] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            runs.append(Run(" ".join(old[i1:i2]), "", ""))
            continue
        run = Run("", " ".join(old[i1:i2]), " ".join(new[j1:j2]))
        if len(runs) >= 2 and not runs[-2].same and " " not in runs[-1].same:
            # One kept word between two edits ("and", "in") is a chance match, not a
            # sentence kept: fold it into one edit, as a reader would describe the change.
            word, edit = runs.pop(), runs.pop()
            run = Run(
                "",
                _join(edit.removed, word.same, run.removed),
                _join(edit.added, word.same, run.added),
            )
        runs.append(run)
    return runs


def _join(*parts: str) -> str:
    return " ".join(p for p in parts if p)


def sides(
    before: str,
    after: str,
    same: Callable[[str], str],
    removed: Callable[[str], str],
    added: Callable[[str], str],
) -> tuple[str, str]:
    """The two sides of a word diff, each run rendered by its callable (reports lay them out
    side by side: struck words on the left, inserted ones on the right)."""
    old: list[str] = []
    new: list[str] = []
    for run in word_runs(before, after):
        if run.same:
            old.append(same(run.same))
            new.append(same(run.same))
            continue
        if run.removed:
            old.append(removed(run.removed))
        if run.added:
            new.append(added(run.added))
    return " ".join(old), " ".join(new)


def word_diff(before: str, after: str) -> str:
    """``before`` -> ``after`` as one line of words with the removed and added runs marked."""
    parts: list[str] = []
    for run in word_runs(before, after):
        if run.same:
            parts.append(run.same)
            continue
        if run.removed:
            parts.append("[-" + run.removed + "-]")
        if run.added:
            parts.append("{+" + run.added + "+}")
    return " ".join(parts)


def listing(values: Any) -> str:
    """A list of values as reviewers read it: ``[a, b]``, ``[]`` for none."""
    if isinstance(values, (list, tuple)):
        return "[" + ", ".join(str(v) for v in values) + "]"
    return "none" if values is None else str(values)
