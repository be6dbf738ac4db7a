"""The one record every check produces: flat, immutable, ordered for stable output."""

from __future__ import annotations

from typing import Any, NamedTuple, Optional, Tuple

SEVERITIES = ("error", "warning", "info")
SEVERITY_RANK = {"error": 3, "warning": 2, "info": 1}

# (line, column, end_line, end_column), 1-based; end_column is the column after the last char.
Span = Tuple[int, int, int, int]
NO_SPAN: Span = (1, 1, 1, 1)


class Finding(NamedTuple):
    """One problem at one place. Severity is stamped from the catalogue, never chosen by a rule.

    A NamedTuple rather than a dataclass: the dataclasses module costs a pre-commit hook ~10 ms
    to import, and records here need no more than a typed, immutable tuple.
    """

    rule: str
    severity: str
    message: str
    article: str
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    fix: str
    waived: bool = False
    waiver_reason: Optional[str] = None
    # A short, location-independent identity (e.g. the manifest key or the model id) that lets
    # baselines and SARIF fingerprints survive line shifts.
    subject: str = ""

    @property
    def sort_key(self) -> tuple[Any, ...]:
        """(path, line, column, rule), then every other field: two findings that differ only in
        a waiver (aiact.yaml and aiact.yml in one folder) never tie, so no hash seed decides
        their order."""
        return (
            self.path,
            self.line,
            self.column,
            self.rule,
            self.message,
            self.severity,
            self.article,
            self.end_line,
            self.end_column,
            self.fix,
            self.waived,
            self.waiver_reason or "",
            self.subject,
        )

    def with_(self, **changes: object) -> Finding:
        return self._replace(**changes)  # type: ignore[arg-type]


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Deterministic order: path, line, column, rule (the output contract), then the rest."""
    return sorted(set(findings), key=lambda f: f.sort_key)
