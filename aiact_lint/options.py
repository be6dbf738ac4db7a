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
