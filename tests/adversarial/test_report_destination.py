"""A report never overwrites a file the user keeps, whatever the arguments (or file names) say.

pre-commit appends the staged file names after the hook's arguments: a committed path
``--output=victim/aiact.yaml`` used to be parsed as ``--output`` and the report replaced the
manifest (or, with ``../``, a file outside the repository) while the hook said "Passed". The
hooks now end their options with ``--``, and ``check``/``render``/``report`` refuse, in any case,
to write onto a manifest, an evidence file, a setting, anything in ``.git`` or a tracked file.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ._support import AS_OF, MINIMAL, RICH, TECHNICAL, check_run, git, run_inproc, write_files

FILES = {
    "aiact.yaml": RICH,
    "docs/technical.md": TECHNICAL,
    "README.md": "# read me\n",
    "victim/aiact.yaml": MINIMAL,
    "pyproject.toml": '[tool.aiact-lint]\nignore = ["AIA703"]\n',
}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    write_files(root, FILES)
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "aiact.yaml").write_text(MINIMAL, encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "fixture")
    os.symlink("README.md", root / "link-to-readme")
    return root


def _contents(root: Path) -> dict[str, bytes]:
    """Every regular file under ``root`` but git's own (the linter's tests check .git apart)."""
    found = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d != ".git"]
        for name in files:
            path = Path(folder) / name
            if not path.is_symlink():
                found[str(path.relative_to(root.parent))] = path.read_bytes()
    return found


REFUSED = [
    ("--output", "victim/aiact.yaml"),
    ("--output", "../x/aiact.yaml"),
    ("--output", "aiact.yml"),
    ("--output", "docs/technical.md"),  # evidence
    ("--output", "README.md"),  # tracked
    ("--output", "link-to-readme"),  # a link to a tracked file
    ("--output", "pyproject.toml"),  # the configuration
    ("--output", ".git/hooks/post-commit"),
    ("--write-baseline", "victim/aiact.yaml"),
    ("--write-baseline", "README.md"),
    ("--write-baseline", "docs/technical.md"),
]


@pytest.mark.parametrize(("flag", "target"), REFUSED, ids=lambda v: str(v))
def test_check_refuses_to_overwrite(repo: Path, flag: str, target: str) -> None:
    before = _contents(repo.parent)
    for form in ([flag, target], [f"{flag}={target}"]):
        run = run_inproc("check", "--as-of", AS_OF, "--format", "sarif", *form, cwd=repo)
        check_run(run)
        assert run.code == 2, (form, run.out, run.err)
        assert "refusing to overwrite" in run.err, run.err
    assert _contents(repo.parent) == before, "a file changed"
    assert not (repo / ".git" / "hooks" / "post-commit").exists()


def test_file_names_after_the_options_are_file_names(repo: Path) -> None:
    """What the hook runs: ``check --manifest-only -- <staged names>``."""
    write_files(repo, {"--output=victim/aiact.yaml": MINIMAL.replace("[EU]", "[US]")})
    before = _contents(repo.parent)
    run = run_inproc(
        "check",
        "--manifest-only",
        "--as-of",
        AS_OF,
        "--format",
        "json",
        "--",
        "--output=victim/aiact.yaml",
        "victim/aiact.yaml",
        cwd=repo,
    )
    document = check_run(run, "json")
    assert {s["manifest"] for s in document["systems"]} == {
        "--output=victim/aiact.yaml",
        "victim/aiact.yaml",
    }
    assert _contents(repo.parent) == before


def test_what_may_be_written(repo: Path) -> None:
    """New files, ignored files, and a tracked baseline rewritten by --write-baseline."""
    run = run_inproc("check", "--as-of", AS_OF, "--output", "report.sarif", cwd=repo)
    check_run(run)
    assert (repo / "report.sarif").exists()
    run = run_inproc("check", "--as-of", AS_OF, "--write-baseline", "baseline.json", cwd=repo)
    check_run(run)
    git(repo, "add", "baseline.json")
    git(repo, "commit", "-q", "-m", "baseline")
    again = run_inproc("check", "--as-of", AS_OF, "--write-baseline", "baseline.json", cwd=repo)
    check_run(again)
    assert again.code in (0, 1), again.err


def test_render_and_report_refuse_too(repo: Path) -> None:
    saved = run_inproc(
        "check", "--as-of", AS_OF, "--format", "json", "--output", "r.json", cwd=repo
    )
    check_run(saved)
    before = _contents(repo.parent)
    for args in (
        ("render", "--from", "r.json", "--format", "sarif", "--output", "r.json"),
        ("render", "--from", "r.json", "--format", "text", "--output", "victim/aiact.yaml"),
        ("report", "--as-of", AS_OF, "--output", "aiact.yaml"),
        ("report", "--as-of", AS_OF, "--output", "docs/technical.md"),
        ("report", "--as-of", AS_OF, "--output", "README.md"),
    ):
        run = run_inproc(*args, cwd=repo)
        check_run(run)
        assert run.code == 2 and "refusing to overwrite" in run.err, (args, run.err)
    assert _contents(repo.parent) == before


def test_only_aiact_lint_output_counts_as_its_own(repo: Path) -> None:
    """A tracked file is rewritten in place only when aiact-lint wrote it: a README that mentions
    aiact-lint, or a package.json with a ``"$schema"`` key, is not a report or a schema copy."""
    write_files(
        repo,
        {
            "README.md": "# Shop\n\n[![aiact-lint](badge.svg)](https://x) run `aiact-lint check`\n",
            "package.json": '{"$schema": "https://json.schemastore.org/package", "name": "x"}\n',
        },
    )
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "files that mention aiact-lint")
    before = _contents(repo.parent)
    for args in (
        ("report", "--as-of", AS_OF, "--output", "README.md"),
        ("report", "--as-of", AS_OF, "--format", "markdown", "--output", "README.md"),
        ("register", "--as-of", AS_OF, "--output", "README.md"),
        ("schema", "--output", "package.json"),
    ):
        run = run_inproc(*args, cwd=repo)
        check_run(run)
        assert run.code == 2 and "refusing to overwrite" in run.err, (args, run.err)
    assert _contents(repo.parent) == before
    # What aiact-lint wrote itself and the team committed is regenerated in place.
    for args in (
        ("report", "--as-of", AS_OF, "--output", "compliance.html"),
        ("report", "--as-of", AS_OF, "--format", "markdown", "--output", "compliance.md"),
        ("schema", "--output", "aiact.schema.json"),
    ):
        first = run_inproc(*args, cwd=repo)
        check_run(first)
        assert first.code == 0, (args, first.err)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "reports")
    for args in (
        ("report", "--as-of", AS_OF, "--output", "compliance.html"),
        ("report", "--as-of", AS_OF, "--format", "markdown", "--output", "compliance.md"),
        ("schema", "--output", "aiact.schema.json"),
    ):
        again = run_inproc(*args, cwd=repo)
        check_run(again)
        assert again.code == 0, (args, again.err)


@pytest.mark.slow
def test_the_manifest_hook_with_a_hostile_file_name(tmp_path: Path) -> None:
    """For real: ``pre-commit try-repo`` with a committed ``--output=victim/aiact.yaml``."""
    from tests.test_precommit import try_repo

    target = tmp_path / "target"
    write_files(
        target,
        {
            "victim/aiact.yaml": MINIMAL,
            "--output=victim/aiact.yaml": MINIMAL,
            "--output=../outside/aiact.yaml": MINIMAL,
        },
    )
    git(target, "init", "-q", "-b", "main")
    git(target, "add", "-A")
    git(target, "commit", "-q", "-m", "hostile names")
    hooks = _hook_repository(tmp_path)
    before = _contents(target)
    result = try_repo(hooks, "aiact-lint-manifest", target, "--all-files", "--verbose")
    output = result.stdout + result.stderr
    assert _contents(target) == before, "the hook overwrote a file"
    assert not (tmp_path / "outside").exists(), "the hook wrote outside the repository"
    assert "--output=victim/aiact.yaml" in output, "the odd name is checked as a manifest"
    assert "refusing" not in output
    assert result.returncode == 0, output


def _hook_repository(tmp_path: Path) -> Path:
    """A git copy of this working tree, as tests/test_precommit.py makes it."""
    import shutil
    import subprocess

    from ._support import ROOT

    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    copy = tmp_path / "hook-repo"
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if not source.is_file() or name.startswith(("examples/", "benchmarks/", ".ci/")):
            continue
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, copy / name)
    git(copy, "init", "-q", "-b", "main")
    git(copy, "add", "-A")
    git(copy, "commit", "-q", "-m", "snapshot of the working tree")
    return copy
