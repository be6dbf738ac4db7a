"""The pre-commit hooks, run for real with ``pre-commit try-repo`` on temporary repositories.

try-repo installs the hook repository with ``pip install .`` into a fresh virtualenv (network
access to PyPI for the dependencies) and only sees what git tracks there. So the hook
repository is a throw-away git copy of THIS working tree: the tests check the files as they
are now, committed or not, and never touch the real repository's index.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from tests.conftest import MINIMAL, ROOT, git, make_repo

HOOKS_FILE = ROOT / ".pre-commit-hooks.yaml"
INVALID = MINIMAL.replace("[deployer]", "[developer]")  # schema error: exit code 2
# A legal violation, Art. 5(1)(c) social scoring: exit code 1.
PROHIBITED = MINIMAL.replace("social_scoring: false", "social_scoring: true")


def pre_commit(*args: str, cwd: Path, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "PRE_COMMIT_HOME")}
    env.update(
        PRE_COMMIT_COLOR="never",
        NO_COLOR="1",
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@example.com",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@example.com",
    )
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_hooks_file_is_valid() -> None:
    result = pre_commit("validate-manifest", str(HOOKS_FILE), cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    hooks = {hook["id"]: hook for hook in YAML(typ="safe", pure=True).load(HOOKS_FILE.read_text())}
    assert set(hooks) == {"aiact-lint", "aiact-lint-manifest"}
    whole = hooks["aiact-lint"]
    assert whole["entry"] == "aiact-lint check" and whole["language"] == "python"
    assert whole["pass_filenames"] is False and whole["require_serial"] is True
    assert whole["always_run"] is True
    manifest = hooks["aiact-lint-manifest"]
    assert manifest["files"] == r"(^|/)aiact\.ya?ml$" and manifest["pass_filenames"] is True
    assert manifest["entry"].startswith("aiact-lint check")


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A git copy of this working tree (tracked and new files, nothing git ignores)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    target = tmp_path_factory.mktemp("hook-repo") / "aiact-lint"
    target.mkdir()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if not source.is_file() or name.startswith(("examples/", "benchmarks/", ".ci/")):
            continue
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target / name)
    git(target, "init", "-q", "-b", "main")
    git(target, "add", "-A")
    git(target, "commit", "-q", "-m", "snapshot of the working tree")
    return target


def try_repo(hook_repo: Path, hook: str, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return pre_commit("try-repo", str(hook_repo), hook, *args, cwd=cwd)


def _target(tmp_path: Path, manifests: dict[str, str]) -> Path:
    # The hook applies the law as of today; these manifests give the same verdict on any date
    # from 2025-02-02 on (Art. 5 and Art. 4 apply since then).
    return make_repo(tmp_path / "target", manifests)


@pytest.mark.slow
def test_whole_repository_hook(hook_repo: Path, tmp_path: Path) -> None:
    target = _target(
        tmp_path,
        {"ok/aiact.yaml": MINIMAL, "bad/aiact.yaml": INVALID, "scoring/aiact.yaml": PROHIBITED},
    )
    failed = try_repo(hook_repo, "aiact-lint", target, "--all-files")
    output = failed.stdout + failed.stderr
    assert failed.returncode == 1, output
    assert "exit code: 2" in output, "a schema error is an input error"
    assert "AIA104" in output and "bad/aiact.yaml:4:9" in output
    assert "AIA401" in output, "the prohibited practice is reported too"

    git(target, "rm", "-q", "bad/aiact.yaml")
    git(target, "commit", "-q", "-m", "drop the invalid manifest")
    legal = try_repo(hook_repo, "aiact-lint", target, "--all-files")
    output = legal.stdout + legal.stderr
    assert legal.returncode == 1, output
    assert "exit code: 1" in output and "AIA401" in output

    git(target, "rm", "-q", "scoring/aiact.yaml")
    git(target, "commit", "-q", "-m", "drop the prohibited system")
    passed = try_repo(hook_repo, "aiact-lint", target, "--all-files")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout


@pytest.mark.slow
def test_manifest_hook(hook_repo: Path, tmp_path: Path) -> None:
    target = _target(
        tmp_path,
        {"ok/aiact.yml": MINIMAL, "bad/aiact.yaml": INVALID, "notes/aiact.yaml.bak": INVALID},
    )
    failed = try_repo(hook_repo, "aiact-lint-manifest", target, "--files", "bad/aiact.yaml")
    output = failed.stdout + failed.stderr
    assert failed.returncode == 1, output
    assert "exit code: 2" in output and "AIA104" in output
    passed = try_repo(
        hook_repo, "aiact-lint-manifest", target, "--files", "ok/aiact.yml", "notes/aiact.yaml.bak"
    )
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout
