"""No side effects: a check leaves the repository byte-for-byte unchanged (``.git`` included),
writes nothing but the ``--output`` file (not in the home folder, not in the temporary folder),
and needs no network: it gives the same answer with the network removed."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from ._support import (
    AS_OF,
    FORMATS,
    MINIMAL,
    RICH,
    ROOT,
    TECHNICAL,
    Recorder,
    check_run,
    git,
    process_env,
    run_inproc,
    run_proc,
    tree_digest,
    write_files,
)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    for example in sorted((ROOT / "examples").iterdir()):
        if example.is_dir():
            shutil.copytree(example, root / "examples" / example.name)
    write_files(
        root,
        {
            "services/hr/aiact.yaml": RICH,
            "services/hr/docs/technical.md": TECHNICAL,
            "services/hr/src/rank.py": "from openai import OpenAI\nOpenAI()\n",
            "tools/agent.py": "import anthropic\nanthropic.Anthropic()\n",
            ".gitignore": "ignored/\n",
            "ignored/aiact.yaml": MINIMAL,
        },
    )
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "fixture")
    write_files(root, {"untracked/aiact.yaml": MINIMAL, "services/hr/docs/risk.md": "# Risk\n"})
    return root


def test_a_check_changes_nothing_in_the_repository(repo: Path) -> None:
    before = tree_digest(repo)
    status = git(repo, "status", "--porcelain", "--ignored")
    for fmt in FORMATS:
        for extra in ([], ["--manifest-only"], ["examples"]):
            check_run(run_inproc("check", "--format", fmt, "--as-of", AS_OF, *extra, cwd=repo))
    check_run(run_proc("check", "--format", "sarif", "--as-of", AS_OF, cwd=repo), "sarif")
    assert tree_digest(repo) == before, "the repository changed"
    assert git(repo, "status", "--porcelain", "--ignored") == status


def test_only_the_output_file_is_written(repo: Path, tmp_path: Path) -> None:
    """In-process: every file the process opens for writing, created or removed is recorded."""
    before = tree_digest(repo)
    target = repo / "report.sarif"
    with Recorder() as recorder:
        run = run_inproc(
            "check", "--format", "sarif", "--as-of", AS_OF, "--output", str(target), cwd=repo
        )
    check_run(run)
    assert run.out == "", "with --output, nothing on stdout"
    written = set(recorder.paths("write", repo))
    assert written == {os.path.realpath(target)}, written
    after = tree_digest(repo)
    assert set(after) - set(before) == {"report.sarif"}
    del after["report.sarif"]
    assert after == before


def test_a_real_process_writes_nowhere_else(repo: Path, tmp_path: Path) -> None:
    """As a process, with its own empty HOME, TMPDIR and caches: they stay empty."""
    home, temp, cache = tmp_path / "home", tmp_path / "tmp", tmp_path / "cache"
    for folder in (home, temp, cache):
        folder.mkdir()
    env = process_env(
        HOME=str(home),
        TMPDIR=str(temp),
        XDG_CACHE_HOME=str(cache),
        XDG_CONFIG_HOME=str(home / ".config"),
        PYTHONDONTWRITEBYTECODE="1",
    )
    before = tree_digest(repo)
    out = tmp_path / "reports"
    out.mkdir()
    for fmt in FORMATS:
        run = run_proc(
            "check",
            "--format",
            fmt,
            "--as-of",
            AS_OF,
            "--output",
            str(out / f"report.{fmt}"),
            cwd=repo,
            env=env,
        )
        check_run(run)
        assert run.out == ""
    report = run_proc(
        "report", "--as-of", AS_OF, "--output", str(out / "r.html"), cwd=repo, env=env
    )
    check_run(report)
    assert tree_digest(repo) == before
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [f"report.{fmt}" for fmt in FORMATS] + (["r.html"] if report.code != 2 else [])
    )
    for folder in (home, temp, cache):
        assert list(folder.iterdir()) == [], f"wrote into {folder.name}"


def _unshare_works() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "-rn", "true"], capture_output=True, check=False)
    return probe.returncode == 0


def test_no_network_needed(repo: Path) -> None:
    """Same answer with no network at all (a new, empty network namespace) or, where that is
    not allowed, with every proxy variable pointing at a closed local port."""
    expected = {
        fmt: run_proc("check", "--format", fmt, "--as-of", AS_OF, cwd=repo) for fmt in FORMATS
    }
    closed = "http://127.0.0.1:9"
    env = process_env(
        http_proxy=closed,
        https_proxy=closed,
        HTTP_PROXY=closed,
        HTTPS_PROXY=closed,
        ALL_PROXY=closed,
        all_proxy=closed,
        no_proxy="",
        NO_PROXY="",
        PIP_NO_INDEX="1",
    )
    prefix: tuple[str, ...] = ("unshare", "-rn") if _unshare_works() else ()
    for fmt, reference in expected.items():
        run = run_proc("check", "--format", fmt, "--as-of", AS_OF, cwd=repo, env=env, prefix=prefix)
        check_run(run, fmt)
        assert (run.code, run.out) == (reference.code, reference.out), fmt


def test_in_process_sockets_are_banned() -> None:
    """The conftest's ban is active, so every in-process run above also proved no socket use."""
    import socket

    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", 9))
    from ._support import NETWORK_ATTEMPTS

    NETWORK_ATTEMPTS.clear()
