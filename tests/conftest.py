"""Shared helpers: run the CLI in-process or as a real subprocess, build fixture repositories."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-25"

# Every fact the law turns on, declared (an unstated one is a question, never a silent "no").
NO_PRACTICES = (
    "{subliminal_or_manipulative: false, exploits_vulnerabilities: false, social_scoring: false, "
    "predictive_policing_profiling_only: false, untargeted_facial_scraping: false, "
    "workplace_or_education_emotion_inference: false, biometric_categorisation: false, "
    "remote_biometric_identification: null, emotion_recognition: false, "
    "interacts_with_natural_persons: false, generates_synthetic_content: [], deep_fake: false, "
    "public_interest_text: false}"
)

MINIMAL = f"""\
schema_version: 1
system:
  name: Shop support assistant
roles: [deployer]
market:
  regions: [EU]
risk:
  classification: minimal
use_case:
  annex_iii: []
  annex_i: []
  capabilities: {NO_PRACTICES}
"""

# AIA301 (error): the purpose describes CV screening while annex_iii is empty.
UNDECLARED = """\
schema_version: 1
system:
  name: HR screener
roles: [deployer]
market:
  regions: [EU]
use_case:
  purpose: "Shortlists applicants by scoring their CVs"
  annex_iii: []
risk:
  classification: minimal
"""
UNDECLARED = UNDECLARED.replace(
    "  annex_iii: []\n", f"  annex_iii: []\n  annex_i: []\n  capabilities: {NO_PRACTICES}\n"
)

# AIA401 (error): social scoring, a prohibited practice (Art. 5(1)(c)).
SOCIAL_SCORING = """\
schema_version: 1
system:
  name: Citizen score
roles: [provider]
market:
  regions: [EU]
use_case:
  purpose: Scores citizens
  capabilities:
    social_scoring: true
risk:
  classification: prohibited
"""


@dataclass
class Run:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


def run_cli(*args: str, cwd: Path | None = None) -> Run:
    """The CLI in-process (fast); same code path as the console script."""
    from aiact_lint.cli import main

    out, err = io.StringIO(), io.StringIO()
    old = os.getcwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        with redirect_stdout(out), redirect_stderr(err):
            code = main(list(args))
    finally:
        os.chdir(old)
    return Run(code, out.getvalue(), err.getvalue())


def run_process(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None, timeout: float = 60
) -> Run:
    """The CLI as a real process: exit codes and stdout/stderr separation as a user sees them."""
    full_env = dict(os.environ)
    full_env.pop("GITHUB_ACTIONS", None)
    full_env.update(env or {})
    proc = subprocess.run(
        [sys.executable, "-m", "aiact_lint", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


def git(cwd: Path, *args: str) -> str:
    env = dict(os.environ)
    env.update(
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@example.com",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@example.com",
        GIT_AUTHOR_DATE="2026-01-01T00:00:00+00:00",
        GIT_COMMITTER_DATE="2026-01-01T00:00:00+00:00",
    )
    return subprocess.run(
        ["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True
    ).stdout


def make_repo(path: Path, files: dict[str, str], *, commit: bool = True) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", "main")
    for name, content in files.items():
        target = path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    if commit:
        git(path, "add", "-A")
        git(path, "commit", "-q", "-m", "initial")
    return path


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "repo", {"aiact.yaml": MINIMAL})
