"""Run git on a repository we do not trust: its own configuration must not start programs.

A checked-out repository can carry ``.git/config`` settings (``core.fsmonitor``, external diff
drivers, textconv filters) that make read-only git commands execute arbitrary programs. The
linter never executes anything from the repository it checks, so every git call it makes goes
through this environment, and diff calls add ``--no-ext-diff --no-textconv``.
"""

from __future__ import annotations

import os

SAFE_GIT_ENV = {
    # Command-line style configuration that wins over the repository's own files (git >= 2.31).
    "GIT_CONFIG_COUNT": "2",
    "GIT_CONFIG_KEY_0": "core.fsmonitor",
    "GIT_CONFIG_VALUE_0": "false",
    "GIT_CONFIG_KEY_1": "core.quotePath",
    "GIT_CONFIG_VALUE_1": "false",
    # Never take optional locks or refresh the index: a check writes nothing in the repository.
    "GIT_OPTIONAL_LOCKS": "0",
    "GIT_TERMINAL_PROMPT": "0",
}


def git_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(SAFE_GIT_ENV)
    return env
