"""A repository's own git configuration cannot make the linter run a program."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import AS_OF, MINIMAL, git, make_repo, run_process


def _trap(repo: Path, tmp_path: Path) -> Path:
    marker = tmp_path / "pwned"
    script = tmp_path / "evil.sh"
    script.write_text(f"#!/bin/sh\ntouch {marker}\n", encoding="utf-8")
    script.chmod(0o755)
    git(repo, "config", "core.fsmonitor", str(script))
    git(repo, "config", "diff.evil.textconv", str(script))
    git(repo, "config", "diff.external", str(script))
    (repo / ".gitattributes").write_text("*.yaml diff=evil\n", encoding="utf-8")
    return marker


def test_check_does_not_run_repository_configured_programs(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", {"aiact.yaml": MINIMAL, "app.py": "print('hi')\n"})
    marker = _trap(repo, tmp_path)
    (repo / "aiact.yaml").write_text(MINIMAL + "# edited\n", encoding="utf-8")
    run = run_process("check", "--as-of", AS_OF, cwd=repo)
    assert run.code in (0, 1), run.out + run.err
    assert not marker.exists()


def test_diff_base_does_not_run_repository_configured_programs(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", {"aiact.yaml": MINIMAL})
    base = git(repo, "rev-parse", "HEAD").strip()
    (repo / "aiact.yaml").write_text(MINIMAL.replace("[EU]", "[EU, US]"), encoding="utf-8")
    git(repo, "commit", "-qam", "markets")
    marker = _trap(repo, tmp_path)  # set after our own git commands, which would trigger it
    (repo / "aiact.yaml").write_text(MINIMAL + "# uncommitted\n", encoding="utf-8")
    run = run_process("check", "--as-of", AS_OF, "--diff-base", base, "--new-only", cwd=repo)
    assert run.code in (0, 1), run.out + run.err
    assert not marker.exists()
