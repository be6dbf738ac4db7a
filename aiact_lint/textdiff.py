"""Word diffs for messages: what a reviewer needs to see of a changed sentence, in full.

The notation is git's ``--word-diff=plain``: ``[-removed words-]`` and ``{+added words+}``,
unchanged words as they are. Whitespace differences alone are no change.
"""

from __future__ import annotations

from typing import Any


def words(text: str) -> list[str]:
    return text.split()


def word_diff(before: str, after: str) -> str:
    """``before`` -> ``after`` as one line of words with the removed and added runs marked."""
    from difflib import SequenceMatcher

    old, new = words(before), words(after)
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    parts: list[str] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(" ".join(old[i1:i2]))
            continue
        if i2 > i1:
            parts.append("[-" + " ".join(old[i1:i2]) + "-]")
        if j2 > j1:
            parts.append("{+" + " ".join(new[j1:j2]) + "+}")
    return " ".join(parts)


def listing(values: Any) -> str:
    """A list of values as reviewers read it: ``[a, b]``, ``[]`` for none."""
    if isinstance(values, (list, tuple)):
        return "[" + ", ".join(str(v) for v in values) + "]"
    return "none" if values is None else str(values)
