"""The settings one run of ``aiact-lint check`` works with (from CLI flags, later config files)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Optional

POLICIES = ("commission_one_third", "cumulative")
FAIL_LEVELS = ("error", "warning", "info", "never")


@dataclass
class Options:
    paths: list[str] = field(default_factory=list)
    as_of: datetime.date = field(default_factory=datetime.date.today)
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
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    cli_set: set[str] = field(default_factory=set)  # Options fields given as flags (they win)
    enabled_rules: Optional[frozenset[str]] = None  # None: every rule
    severity_overrides: dict[str, str] = field(default_factory=dict)  # rule code -> severity
    exclude: list[str] = field(default_factory=list)  # glob patterns, relative to exclude_base
    exclude_base: Optional[str] = None
    model_aliases: dict[str, list[str]] = field(default_factory=dict)  # model id -> code globs
    # Decision step (decide.py): baselines and pull-request checks.
    baseline: Optional[str] = None
    write_baseline: Optional[str] = None
    diff_base: Optional[str] = None
    new_only: bool = False
    fail_on_new_only: bool = False
    exit_zero: bool = False
