"""Offsets in a text -> 1-based (line, column), computed once per file on first need."""

from __future__ import annotations

from bisect import bisect_right

from aiact_lint.findings import Span


class _Lines:
    """Offsets -> 1-based (line, column), computed once per file on first need."""

    def __init__(self, text: str) -> None:
        starts = [0]
        index = text.find("\n")
        while index >= 0:
            starts.append(index + 1)
            index = text.find("\n", index + 1)
        self.starts = starts

    def at(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1

    def span(self, start: int, end: int) -> Span:
        line, column = self.at(start)
        end_line, end_column = self.at(end)
        return line, column, end_line, end_column
