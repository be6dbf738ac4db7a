"""The settings one run of ``aiact-lint check`` works with (from CLI flags, later config files)."""

from __future__ import annotations

import datetime
from typing import Any, Optional

POLICIES = ("commission_one_third", "cumulative")


def today_utc() -> datetime.date:
    """The default --as-of: today's date in UTC. A stated rule, so that the verdict around a
    deadline (2026-12-02...) is the same on every machine, whatever its time zone (TZ)."""
    return datetime.datetime.now(datetime.timezone.utc).date()


FAIL_LEVELS = ("error", "warning", "info", "never")


class Options:
    """Plain attributes with class-level defaults (no dataclass: it costs the hook ~10 ms)."""

    paths: list[str]
    as_of: datetime.date
    policy: str = "commission_one_third"
    fail_on: str = "error"
    output_format: str = "text"
    output: Optional[str] = None
    manifest_only: bool = False
    quiet: bool = False
    color: Optional[bool] = None
    # Configuration ([tool.aiact-lint] / .aiact-lint.toml, then flags; see config.py).
    config: Optional[str] = None  # --config PATH: this file instead of discovery
    select: Optional[list[str]] = None  # --select (replaces the configured selection)
    extend_select: list[str]
    ignore: list[str]
    cli_set: set[str]  # Options fields given as flags (they win)
    enabled_rules: Optional[frozenset[str]] = None  # None: every rule
    severity_overrides: dict[str, str]  # rule code -> severity
    exclude: list[str]  # glob patterns, relative to exclude_base
    exclude_base: Optional[str] = None
    model_aliases: dict[str, list[str]]  # model id -> code globs
    # Decision step (decide.py): baselines and pull-request checks.
    baseline: Optional[str] = None
    write_baseline: Optional[str] = None
    diff_base: Optional[str] = None
    new_only: bool = False
    fail_on_new_only: bool = False
    exit_zero: bool = False
    # Facts established outside the manifests (a purpose change seen by --diff-base), by path.
    derived_facts: dict[str, dict[str, Any]]

    def __init__(self, **values: Any) -> None:
        self.paths = []
        self.as_of = today_utc()
        self.extend_select = []
        self.ignore = []
        self.cli_set = set()
        self.severity_overrides = {}
        self.exclude = []
        self.model_aliases = {}
        self.derived_facts = {}
        for name, value in values.items():
            if not hasattr(self, name):
                raise TypeError(f"Options has no setting {name!r}")
            setattr(self, name, value)

    def __repr__(self) -> str:
        return f"Options({vars(self)!r})"
