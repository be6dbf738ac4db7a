"""Hostile git: a repository's configuration, file names and ``.git`` file against every git call.

One vector per test: each sets one configurable program (a filter driver's clean, smudge or
process command, in the repository or in a submodule; fsmonitor; textconv; external diff; a diff
driver's command; a pager; signature verification; a hook) to a script that leaves a marker, and
runs plain ``check`` and ``check --diff-base ... --new-only`` as real processes on a work tree
where every tracked file is stat-dirty (so git would consult the filter, refresh the index...).
No marker may appear. ``--diff-base`` writes nothing into ``.git`` (the index's bytes and mtime
stay as they were); path names are literal pathspecs, ``-z`` names survive quoting; git's own
failures are clean input errors; a ``.git`` file naming another repository is refused.
"""

from __future__ import annotations

import json
import os
import stat
import time
from pathlib import Path

import pytest

from ._support import AS_OF, MINIMAL, check_run, forges_a_command, git, run_proc

ARGS = ("check", "--as-of", AS_OF, "--format", "json")


def _script(folder: Path, marker: Path, passthrough: bool = True) -> Path:
    """A program that records that it ran (and, as a filter, passes its input through)."""
    script = folder / f"trap-{marker.name}.sh"
    body = f'#!/bin/sh\necho "$0 $*" >> "{marker}"\n' + ("cat\n" if passthrough else "exit 0\n")
    script.write_text(body, encoding="utf-8")
    script.chmod(0o755)
    return script


# A valid manifest (an input error would stop the run before the history is read).
PURPOSE = MINIMAL.replace("use_case:\n", "use_case:\n  purpose: Answers customer questions.\n") + (
    "evidence:\n  ai_literacy: docs/notes.md\n"
)


def _repo(tmp_path: Path) -> Path:
    """A repository with history: a (signed) base commit, then a change of intended purpose and
    markets that makes the evidence stale (so git log runs) and adds a submodule."""
    sub = tmp_path / "sub-origin"
    sub.mkdir()
    git(sub, "init", "-q", "-b", "main")
    (sub / "notes.txt").write_text("hello\n", encoding="utf-8")
    (sub / "agent.py").write_text("import openai\nopenai.OpenAI()\n", encoding="utf-8")
    git(sub, "add", "-A")
    git(sub, "commit", "-q", "-m", "sub")
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    (root / "aiact.yaml").write_text(PURPOSE, encoding="utf-8")
    (root / "docs").mkdir()
    (root / "docs" / "notes.md").write_text("# Notes\n" + "Training. " * 80, encoding="utf-8")
    (root / "app.py").write_text("from openai import OpenAI\nOpenAI()\n", encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    _signed_head(root)
    git(root, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(sub), "sub")
    changed = PURPOSE.replace("[EU]", "[EU, US]").replace("Answers", "Ranks")
    (root / "aiact.yaml").write_text(changed, encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "purpose, markets and a submodule")
    return root


def _stat_dirty(root: Path) -> None:
    """Every tracked file's mtime moves (content unchanged): git must look at the content."""
    later = time.time() + 5
    for folder, _dirs, files in os.walk(root):
        if ".git" in Path(folder).parts:
            continue
        for name in files:
            if name != ".git":
                os.utime(Path(folder) / name, (later, later))


def _runs(root: Path) -> list[str]:
    outputs = []
    for extra in ((), ("--diff-base", "HEAD~1", "--new-only")):
        run = run_proc(*ARGS, *extra, cwd=root)
        check_run(run, "json")
        assert run.code in (0, 1), run.out + run.err  # a real check, not an input error
        outputs.append(run.out + run.err)
    return outputs


def _sub_config(root: Path, *args: str) -> None:
    git(root / "sub", "config", *args)


VECTORS = {
    "filter-clean": lambda root, s: [
        git(root, "config", "filter.trap.clean", f"{s} clean"),
        (root / ".gitattributes").write_text("* filter=trap\n", encoding="utf-8"),
    ],
    "filter-smudge": lambda root, s: [
        git(root, "config", "filter.trap.smudge", f"{s} smudge"),
        (root / ".gitattributes").write_text("* filter=trap\n", encoding="utf-8"),
    ],
    "filter-process": lambda root, s: [
        git(root, "config", "filter.trap.process", f"{s} process"),
        git(root, "config", "filter.trap.required", "true"),
        (root / ".gitattributes").write_text("* filter=trap\n", encoding="utf-8"),
    ],
    "filter-with-dots-in-its-name": lambda root, s: [
        git(root, "config", "filter.a.b.clean", f"{s} clean"),
        (root / ".gitattributes").write_text("* filter=a.b\n", encoding="utf-8"),
    ],
    "submodule-filter-clean": lambda root, s: [
        _sub_config(root, "filter.trap.clean", f"{s} clean"),
        (root / "sub" / ".gitattributes").write_text("* filter=trap\n", encoding="utf-8"),
    ],
    "submodule-filter-process": lambda root, s: [
        _sub_config(root, "filter.trap.process", f"{s} process"),
        (root / "sub" / ".gitattributes").write_text("* filter=trap\n", encoding="utf-8"),
    ],
    "submodule-fsmonitor": lambda root, s: [_sub_config(root, "core.fsmonitor", s)],
    "fsmonitor": lambda root, s: [git(root, "config", "core.fsmonitor", s)],
    "textconv": lambda root, s: [
        git(root, "config", "diff.trap.textconv", s),
        (root / ".gitattributes").write_text("* diff=trap\n", encoding="utf-8"),
    ],
    "diff-driver-command": lambda root, s: [
        git(root, "config", "diff.trap.command", s),
        (root / ".gitattributes").write_text("* diff=trap\n", encoding="utf-8"),
    ],
    "external-diff": lambda root, s: [git(root, "config", "diff.external", s)],
    "pager": lambda root, s: [
        git(root, "config", "core.pager", s),
        git(root, "config", "pager.log", s),
        git(root, "config", "pager.diff", s),
    ],
    "signature-verification": lambda root, s: [
        git(root, "config", "log.showSignature", "true"),
        git(root, "config", "gpg.program", s),
        git(root, "config", "gpg.ssh.program", s),
    ],
    "hooks": lambda root, s: [git(root, "config", "core.hooksPath", str(Path(s).parent / "hooks"))],
}


def _signed_head(root: Path) -> None:
    """Make HEAD carry a (fake) signature, so that showing it would run gpg.program."""
    raw = git(root, "cat-file", "commit", "HEAD")
    head, _, message = raw.partition("\n\n")
    signature = (
        "gpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAdFiEE\n -----END PGP SIGNATURE-----"
    )
    path = root / ".git" / "signed-commit"
    path.write_text(f"{head}\n{signature}\n\n{message}", encoding="utf-8")
    sha = git(root, "hash-object", "-t", "commit", "-w", str(path)).strip()
    git(root, "update-ref", "HEAD", sha)
    path.unlink()


@pytest.mark.parametrize("vector", sorted(VECTORS))
def test_no_program_from_the_git_configuration_runs(tmp_path: Path, vector: str) -> None:
    root = _repo(tmp_path)
    marker = tmp_path / f"ran-{vector}"
    script = _script(tmp_path, marker)
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    for name in ("post-index-change", "reference-transaction", "post-checkout", "pre-auto-gc"):
        (hooks / name).write_text(f'#!/bin/sh\necho "$0" >> "{marker}"\n', encoding="utf-8")
        (hooks / name).chmod(0o755)
    VECTORS[vector](root, str(script))
    _stat_dirty(root)
    _runs(root)
    assert not marker.exists(), f"{vector}: ran {marker.read_text(encoding='utf-8')!r}"


# The other commands that call git: `report` (the commit and the changed manifests it names)
# and `check --fix` (it refuses to write over uncommitted work, so it asks `git status`).
FILTER_VECTORS = sorted(v for v in VECTORS if "filter" in v or "fsmonitor" in v) + ["hooks"]
UNDECLARED_MODEL = 'from openai import OpenAI\nOpenAI().responses.create(model="gpt-4o-mini")\n'


@pytest.mark.parametrize("vector", FILTER_VECTORS)
def test_report_and_fix_run_no_program_from_the_git_configuration(
    tmp_path: Path, vector: str
) -> None:
    """Every git call, not only the check's: `git diff HEAD` (report) and `git status`
    (`--fix`) hash stat-dirty files through the repository's clean filter unless it is emptied."""
    root = _repo(tmp_path)
    (root / "app.py").write_text(UNDECLARED_MODEL, encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "a model the manifest does not declare")
    marker = tmp_path / f"ran-{vector}"
    script = _script(tmp_path, marker)
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    for name in ("post-index-change", "reference-transaction", "post-checkout", "pre-auto-gc"):
        (hooks / name).write_text(f'#!/bin/sh\necho "$0" >> "{marker}"\n', encoding="utf-8")
        (hooks / name).chmod(0o755)
    VECTORS[vector](root, str(script))
    before = _index_state(root)
    _stat_dirty(root)
    report = run_proc("report", "--as-of", AS_OF, "--format", "markdown", cwd=root)
    check_run(report)
    assert report.code in (0, 1), report.err
    # A file that was only touched is not "changed since the commit" either.
    assert "with uncommitted changes" not in report.out, report.out
    fixed = run_proc("check", "--as-of", AS_OF, "--fix", cwd=root)
    check_run(fixed)
    assert "refusing" in fixed.err or "fixed" in fixed.err, fixed.err
    assert not marker.exists(), f"{vector}: ran {marker.read_text(encoding='utf-8')!r}"
    assert _index_state(root) == before, "the index was rewritten"


def _index_state(root: Path) -> dict[str, tuple[bytes, int]]:
    found = {}
    for path in [root / ".git" / "index", *sorted((root / ".git" / "modules").glob("*/index"))]:
        found[str(path)] = (path.read_bytes(), os.stat(path).st_mtime_ns)
    return found


def test_diff_base_writes_nothing_into_git(tmp_path: Path) -> None:
    """A stat refresh would rewrite .git/index (``git diff`` does it even without optional
    locks): its bytes and mtime, and the submodule's index, stay exactly as they were."""
    root = _repo(tmp_path)
    _stat_dirty(root)
    before = _index_state(root)
    listing = sorted(str(p.relative_to(root)) for p in (root / ".git").rglob("*"))
    _runs(root)
    assert _index_state(root) == before, "the index was rewritten"
    assert sorted(str(p.relative_to(root)) for p in (root / ".git").rglob("*")) == listing


MAGIC_FOLDERS = [
    ":(glob)x",
    ":(exclude)*",
    ":(",
    ":!docs",
    "*",
    "[ab]",
    "-rf",
    "--output=x",
    "new\nline::error file=x::forged",
    "::add-mask::secret",
]
# Names git quotes in its patch output ("a\\"b", backslashes, non-ASCII next to them, tabs).
QUOTED_FOLDERS = ['we"ird', "back\\slash\\é", 'quote"and\\é', "tab\tand space", "é ü"]
HOSTILE_FOLDERS = MAGIC_FOLDERS + QUOTED_FOLDERS


def _hostile_history(tmp_path: Path, folders: list[str] = HOSTILE_FOLDERS) -> Path:
    """Manifests with evidence in folders whose names are pathspec magic, options, quotes,
    backslashes with non-ASCII, line breaks and workflow commands; a change since the base."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    for folder in folders:
        target = root / folder
        target.mkdir(parents=True)
        manifest = MINIMAL + "evidence:\n  ai_literacy: literacy.md\n"
        (target / "aiact.yaml").write_text(manifest, encoding="utf-8")
        (target / "literacy.md").write_text("# Literacy\n" + "Training. " * 80, encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    for folder in folders:
        manifest = root / folder / "aiact.yaml"
        text = manifest.read_text(encoding="utf-8")
        text = text.replace("literacy.md", "literacy.md\n  technical_documentation: missing.md")
        manifest.write_text(text.replace("[EU]", "[EU, US]"), encoding="utf-8")
    return root


def _changed_lines_reported(root: Path, folders: list[str]) -> None:
    for extra in (("--new-only",), ("--fail-on-new-only",)):
        run = run_proc(*ARGS, "--diff-base", "HEAD", *extra, cwd=root)
        document = check_run(run, "json")
        for line in (run.out + run.err).splitlines():
            assert not forges_a_command(line), line
        new = {(f["path"], f["rule"]) for f in document["findings"]}
        for folder in folders:
            path = f"{folder}/aiact.yaml"
            assert (path, "AIA801") in new, f"the changed line of {folder!r} was not reported"


def test_pathspec_magic_in_folder_names_is_data(tmp_path: Path) -> None:
    """A folder named ``:(`` crashed --diff-base with a GitCommandError carrying the raw
    command line: git now receives every path as a literal pathspec."""
    root = _hostile_history(tmp_path, MAGIC_FOLDERS)
    _changed_lines_reported(root, MAGIC_FOLDERS)
    text = run_proc(
        "check", "--as-of", AS_OF, "--diff-base", "HEAD", "--format", "github", cwd=root
    )
    check_run(text, "github")


def test_new_only_sees_changes_in_files_git_quotes(tmp_path: Path) -> None:
    """``--new-only`` missed changed lines in files whose names git quotes (``"``, ``\\``
    with non-ASCII): names now come from ``-z`` output or an exact C-unquoting of the patch."""
    root = _hostile_history(tmp_path, QUOTED_FOLDERS)
    _changed_lines_reported(root, QUOTED_FOLDERS)


def test_git_failures_are_clean_input_errors(tmp_path: Path) -> None:
    """git failing under --diff-base (here: the base commit's tree is missing from the object
    store) is exit 2 with one escaped line, never a traceback or an internal error."""
    root = _hostile_history(tmp_path, QUOTED_FOLDERS[:1])
    tree = git(root, "rev-parse", "HEAD^{tree}").strip()
    loose = root / ".git" / "objects" / tree[:2] / tree[2:]
    loose.chmod(stat.S_IWUSR | stat.S_IRUSR)
    loose.unlink()
    run = run_proc(*ARGS, "--diff-base", "HEAD", "--new-only", cwd=root)
    check_run(run)
    assert run.code == 2, run.err
    assert "aiact-lint: error: --diff-base" in run.err, run.err
    assert "Traceback" not in run.err and "internal error" not in run.err
    for line in run.err.splitlines():
        assert not forges_a_command(line), line


def test_a_git_file_naming_another_repository_is_refused(tmp_path: Path) -> None:
    victim = _repo(tmp_path)
    (victim / "secret.md").write_text("# secret history\n", encoding="utf-8")
    git(victim, "add", "secret.md")
    git(victim, "commit", "-q", "-m", "secret")
    checked = tmp_path / "checked"
    checked.mkdir()
    (checked / ".git").write_text(f"gitdir: {victim / '.git'}\n", encoding="utf-8")
    (checked / "aiact.yaml").write_text(MINIMAL, encoding="utf-8")
    run = run_proc(*ARGS, "--diff-base", "HEAD~1", cwd=checked)
    check_run(run)
    assert run.code == 2, run.out + run.err
    assert "another repository" in run.err or "another work tree" in run.err, run.err
    assert "secret" not in run.out


def test_linked_worktrees_and_submodules_still_work(tmp_path: Path) -> None:
    """Their .git files name git folders that point back at them: followed as usual."""
    root = _repo(tmp_path)
    linked = tmp_path / "linked"
    git(root, "worktree", "add", "-q", str(linked), "HEAD")
    (linked / "aiact.yaml").write_text(MINIMAL.replace("[EU, US]", "[US]"), encoding="utf-8")
    run = run_proc(*ARGS, "--diff-base", "HEAD~1", cwd=linked)
    document = check_run(run, "json")
    assert run.code in (0, 1), run.err
    assert json.dumps(document)
    (root / "sub" / "aiact.yaml").write_text(MINIMAL, encoding="utf-8")
    sub = run_proc(*ARGS, "--diff-base", "HEAD", cwd=root / "sub")
    check_run(sub, "json")
    assert sub.code in (0, 1), sub.err


def test_diff_base_reads_no_fifo_and_nothing_through_a_link(tmp_path: Path) -> None:
    """A tracked folder replaced by a link to one outside the repository (with the same file
    names), then a tracked file replaced by a FIFO (opening it would hang): --diff-base reads
    neither; git itself refuses the FIFO, which is a clean input error."""
    from ._support import Recorder, inside, run_inproc

    root = _repo(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "notes.md").write_text("# CANARY-outside\n", encoding="utf-8")
    for name in os.listdir(root / "docs"):
        (root / "docs" / name).unlink()
    (root / "docs").rmdir()
    os.symlink(outside, root / "docs")
    _stat_dirty(root)
    with Recorder() as recorder:
        run = run_inproc(*ARGS, "--diff-base", "HEAD~1", "--new-only", cwd=root)
    check_run(run, "json")
    read = [p for p in recorder.paths("read", root) if inside(p, outside)]
    assert not read, read
    assert "CANARY" not in run.out
    (root / "app.py").unlink()
    os.mkfifo(root / "app.py")
    fifo = run_proc(*ARGS, "--diff-base", "HEAD~1", "--new-only", cwd=root, timeout=60)
    check_run(fifo)
    assert fifo.code in (0, 1) or "aiact-lint: error: --diff-base" in fifo.err, fifo.err
