"""What a scan finds: model references, capability hints, suppressions, and the index of one
repository that holds them all. Paths are root-relative posix strings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Optional

from aiact_lint.findings import Span
from aiact_lint.record import Record


class Reference(Record):
    """A model named in code (``model`` None: an SDK call whose model the code does not name)."""

    __slots__ = (
        "column",
        "end_column",
        "end_line",
        "kind",
        "line",
        "model",
        "path",
        "provider",
        "use_line",
    )

    def __init__(
        self,
        path: str,
        line: int,
        column: int,
        end_line: int,
        end_column: int,
        model: Optional[str],
        provider: str,
        kind: str,
        use_line: int = 0,
    ) -> None:
        self.path = path  # root-relative, posix
        self.line = line
        self.column = column
        self.end_line = end_line
        self.end_column = end_column
        self.model = model
        self.provider = provider
        self.kind = kind  # hub | api | local | wrapper | config | weights
        # where a constant holding the id is used, when that is another line
        self.use_line = use_line

    @property
    def span(self) -> Span:
        return (self.line, self.column, self.end_line, self.end_column)


class Hint(Record):
    """A place where the code shows an Art. 50 capability (image/audio/video/interaction)."""

    __slots__ = (
        "capability",
        "column",
        "end_column",
        "end_line",
        "line",
        "path",
        "provider",
        "text",
    )

    def __init__(
        self,
        path: str,
        line: int,
        column: int,
        end_line: int,
        end_column: int,
        capability: str,
        provider: str,
        text: str,
    ) -> None:
        self.path = path
        self.line = line
        self.column = column
        self.end_line = end_line
        self.end_column = end_column
        self.capability = capability
        self.provider = provider
        self.text = text

    @property
    def span(self) -> Span:
        return (self.line, self.column, self.end_line, self.end_column)


class Suppression(Record):
    """An ``aiact-lint: ignore[...]`` comment. It covers its own line, and the next line too
    when the comment stands alone on its line."""

    __slots__ = (
        "bracket",
        "codes",
        "column",
        "end_column",
        "line",
        "own_line",
        "path",
        "reason",
        "unknown",
    )

    def __init__(
        self,
        path: str,
        line: int,
        column: int,
        end_column: int,
        codes: tuple[str, ...],
        unknown: tuple[str, ...],
        bracket: bool,
        reason: str,
        own_line: bool,
    ) -> None:
        self.path = path
        self.line = line
        self.column = column
        self.end_column = end_column
        self.codes = codes  # resolved catalogue codes
        self.unknown = unknown  # names that resolve to no rule
        self.bracket = bracket  # False: no [CODE] list at all
        self.reason = reason
        self.own_line = own_line

    def covers(self, line: int) -> bool:
        return line == self.line or (self.own_line and line == self.line + 1)


class CodeIndex(Record):
    """Everything one repository scan found. Paths are root-relative posix strings."""

    __slots__ = (
        "files_read",
        "hints",
        "manifest_dirs",
        "references",
        "root",
        "skipped",
        "suppressions",
        "use_git",
    )

    def __init__(
        self,
        root: Path,
        use_git: bool,
        references: Optional[list[Reference]] = None,
        hints: Optional[list[Hint]] = None,
        suppressions: Optional[dict[str, list[Suppression]]] = None,
        manifest_dirs: Optional[list[str]] = None,
        skipped: Optional[list[tuple[str, str]]] = None,
        files_read: int = 0,
    ) -> None:
        self.root = root
        self.use_git = use_git
        self.references: list[Reference] = [] if references is None else references
        self.hints: list[Hint] = [] if hints is None else hints
        self.suppressions: dict[str, list[Suppression]] = (
            {} if suppressions is None else suppressions
        )
        self.manifest_dirs: list[str] = [] if manifest_dirs is None else manifest_dirs
        self.skipped: list[tuple[str, str]] = [] if skipped is None else skipped  # (path, why)
        self.files_read = files_read

    __hash__ = None  # type: ignore[assignment]  # mutable

    def suppressed(self, path: str, lines: Iterable[int], code: str) -> bool:
        wanted = [line for line in lines if line > 0]
        for item in self.suppressions.get(path, ()):
            if item.reason and code in item.codes and any(item.covers(n) for n in wanted):
                return True
        return False
