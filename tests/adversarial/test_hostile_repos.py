"""Hostile repositories: nothing outside the root is read, nothing hangs, every trap is a finding.

In-process runs record every file the process opens (an audit hook) and fail on any read under
the "outside" folder. Runs as real processes use traps instead: the files outside the root are
FIFOs with no writer, so a read of one would block until the timeout (a hang is a failure), and
the memory of the process is capped below the size of the 2 GB sparse files.
"""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ._support import (
    AS_OF,
    FORMATS,
    MINIMAL,
    RICH,
    TECHNICAL,
    Recorder,
    check_run,
    git,
    inside,
    process_env,
    run_inproc,
    run_proc,
    write_files,
)

CANARY = "CANARY-hostile-repo-5d2b"
TWO_GB = 2 * 1024**3


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """Files beside the repository that no check may read (the canary in each)."""
    folder = tmp_path / "outside"
    manifest = MINIMAL.replace("Shop support assistant", CANARY)
    write_files(
        folder,
        {
            "canary.md": f"# {CANARY}\n" + TECHNICAL,
            "secret.yaml": f"token: {CANARY}\n",
            "aiact.yaml": manifest,
            "dir/aiact.yaml": manifest,
            "dir/canary.md": f"# {CANARY}\n" + TECHNICAL,
            ".aiact-lint.toml": f'[tool.aiact-lint]\nselect = ["{CANARY}"]\n',
            "pyproject.toml": f'[tool.aiact-lint]\nselect = ["{CANARY}"]\n',
        },
    )
    return folder


def fifo_trap(folder: Path) -> Path:
    """A FIFO nobody writes to: opening it for reading blocks, so a read of it is a hang."""
    folder.mkdir(parents=True, exist_ok=True)
    trap = folder / "trap"
    os.mkfifo(trap)
    return trap


def findings_by_subject(document: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for finding in document["findings"]:
        found.setdefault(str(finding.get("subject", "")), []).append(finding)
    return found


def checked(root: Path, outside: Path, *args: str) -> tuple[int, dict[str, Any]]:
    """In-process JSON check of ``root`` that must not read anything under ``outside``."""
    with Recorder() as recorder:
        run = run_inproc("check", "--format", "json", "--as-of", AS_OF, *args, cwd=root)
    document = check_run(run, "json")
    read = [p for p in recorder.paths("read", root) if inside(p, outside)]
    assert not read, f"read outside the repository: {read}"
    assert CANARY not in run.out
    for fmt in FORMATS:
        other = run_inproc("check", "--format", fmt, "--as-of", AS_OF, *args, cwd=root)
        check_run(other, fmt)
        assert CANARY not in other.out
    return run.code, document


def evidence_manifest(fields: dict[str, str]) -> str:
    from ._strategies import quoted

    lines = [f"  {key}: {quoted(value)}" for key, value in fields.items()]
    return MINIMAL + "evidence:\n" + "\n".join(lines) + "\n"


# --- evidence paths ------------------------------------------------------------------------------

ESCAPING = {
    "technical_documentation": "../outside/canary.md",
    "risk_management": "docs/../../outside/canary.md",
    "data_governance": "/etc/passwd",
    "logging": "~/.ssh/id_rsa",
    "instructions_for_use": "~root/.profile",
    "human_oversight": "C:\\Windows\\win.ini",
    "accuracy_robustness_cybersecurity": "c:/windows/win.ini",
    "quality_management": "\\\\server\\share\\x.md",
    "conformity_assessment": "..\\outside\\canary.md",
    "ai_literacy": "docs/../../../../../../../../etc/shadow",
}


def test_evidence_paths_that_leave_the_root(tmp_path: Path, outside: Path) -> None:
    root = tmp_path / "repo"
    write_files(root, {"aiact.yaml": evidence_manifest(ESCAPING), "docs/x.md": TECHNICAL})
    code, document = checked(root, outside)
    # An error at each field (exit 1), not an input error: the rest is still checked (issue 11).
    assert code == 1, "a path out of the repository is an error at that field"
    flagged = {f["subject"] for f in document["findings"] if f["rule"] == "AIA107"}
    assert flagged == {f"evidence.{key}" for key in ESCAPING}, flagged


def test_symbolic_links_out_of_the_root_and_in_loops(tmp_path: Path, outside: Path) -> None:
    root = tmp_path / "repo"
    write_files(root, {"docs/technical.md": TECHNICAL})
    links = {
        "docs/out.md": "../../outside/canary.md",
        "docs/outdir": "../../outside/dir",
        "docs/abs.md": str(outside / "canary.md"),
        "docs/passwd.md": "/etc/passwd",
        "docs/zero.md": "/dev/zero",
        "docs/loop.md": "loop.md",
        "docs/ping.md": "pong.md",
        "docs/pong.md": "ping.md",
        "docs/dangling.md": "nothing-here.md",
        "docs/inside.md": "technical.md",
    }
    for name, target in links.items():
        os.symlink(target, root / name)
    fields = {
        "technical_documentation": "docs/out.md",
        "risk_management": "docs/outdir/canary.md",
        "data_governance": "docs/abs.md",
        "logging": "docs/passwd.md",
        "instructions_for_use": "docs/zero.md",
        "human_oversight": "docs/loop.md",
        "accuracy_robustness_cybersecurity": "docs/ping.md",
        "quality_management": "docs/dangling.md",
        "ai_literacy": "docs/inside.md",
    }
    write_files(root, {"aiact.yaml": evidence_manifest(fields)})
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "links")
    code, document = checked(root, outside)
    assert code in (0, 1), "links are findings about evidence, not input errors"
    by_subject = findings_by_subject(document)

    def messages(path: str) -> str:
        return " ".join(
            f["rule"] + " " + f["message"] for f in by_subject.get(f"evidence:{path}", [])
        )

    for path in ("docs/out.md", "docs/outdir/canary.md", "docs/abs.md", "docs/passwd.md"):
        assert "AIA802" in messages(path) and "outside the repository" in messages(path), path
    assert "AIA802" in messages("docs/zero.md")
    for path in ("docs/loop.md", "docs/ping.md"):
        assert "AIA802" in messages(path) and "loop" in messages(path), path
    assert "AIA801" in messages("docs/dangling.md")
    assert "AIA80" not in messages("docs/inside.md").replace("AIA803", "")


# --- the manifest itself --------------------------------------------------------------------------


def test_manifest_that_is_a_symbolic_link(tmp_path: Path, outside: Path) -> None:
    root = tmp_path / "repo"
    write_files(root, {"c/real.yaml": MINIMAL})
    for name, target in {
        "a/aiact.yaml": "../../outside/aiact.yaml",
        "b/aiact.yaml": "/proc/self/environ",
        "c/aiact.yaml": "real.yaml",
        "d/aiact.yaml": "aiact.yaml",
        "f/aiact.yaml": "missing.yaml",
        "g/aiact.yaml": str(outside / "secret.yaml"),
    }.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, root / name)
    os.symlink("../outside/dir", root / "e")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "links")
    code, document = checked(root, outside)
    assert code == 2
    by_path = {f["path"]: f for f in document["findings"] if f["rule"] == "AIA003"}
    for name in ("a/aiact.yaml", "b/aiact.yaml", "g/aiact.yaml"):
        assert "outside the repository" in by_path[name]["message"], name
    assert "loop" in by_path["d/aiact.yaml"]["message"]
    assert "f/aiact.yaml" in by_path
    assert "c/aiact.yaml" not in by_path, "a link inside the repository is followed"
    assert any(s["manifest"] == "c/aiact.yaml" and s["risk"] for s in document["systems"])
    # Named on the command line, through a linked folder: refused the same way.
    code, document = checked(root, outside, "e/aiact.yaml")
    assert code == 2
    assert "outside the repository" in document["findings"][0]["message"]


def test_manifest_link_out_of_the_root_is_never_opened(tmp_path: Path) -> None:
    """As a real process: the link's target is a FIFO, so opening it would hang."""
    root = tmp_path / "repo"
    write_files(root, {"x/aiact.yaml": MINIMAL})
    trap = fifo_trap(tmp_path / "outside")
    os.symlink(trap, root / "aiact.yaml")
    run = run_proc("check", "--format", "json", "--as-of", AS_OF, cwd=root, timeout=60)
    document = check_run(run, "json")
    assert "outside the repository" in document["findings"][0]["message"]


def test_configuration_file_links_out_of_the_root(tmp_path: Path, outside: Path) -> None:
    """A repository's .aiact-lint.toml or pyproject.toml linking to a file of the machine."""
    root = tmp_path / "repo"
    write_files(root, {"aiact.yaml": MINIMAL})
    os.symlink("../outside/.aiact-lint.toml", root / ".aiact-lint.toml")
    os.symlink("../outside/pyproject.toml", root / "pyproject.toml")
    git(root, "init", "-q", "-b", "main")
    with Recorder() as recorder:
        run = run_inproc("check", "--format", "json", "--as-of", AS_OF, cwd=root)
    check_run(run)
    read = [p for p in recorder.paths("read", root) if inside(p, outside)]
    assert not read, f"configuration read outside the repository: {read}"
    assert CANARY not in run.out + run.err


@pytest.mark.parametrize("name", ["pyproject.toml", ".aiact-lint.toml"])
def test_huge_configuration_file(tmp_path: Path, name: str) -> None:
    root = tmp_path / "repo"
    write_files(root, {"aiact.yaml": MINIMAL})
    git(root, "init", "-q", "-b", "main")
    _sparse(root / name, "[tool.aiact-lint]\n" if name == "pyproject.toml" else "select = []\n")
    proc = subprocess.run(
        [sys.executable, "-m", "aiact_lint", "check", "--format", "json", "--as-of", AS_OF],
        cwd=root,
        env=process_env(),
        capture_output=True,
        timeout=60,
        preexec_fn=_limit_memory,
        check=False,
    )
    assert proc.returncode in (0, 1, 2)
    assert b"internal error" not in proc.stderr and b"Traceback" not in proc.stderr, proc.stderr


# --- special files --------------------------------------------------------------------------------


def _special_files(root: Path, outside: Path) -> list[str]:
    """FIFOs, devices and sockets where evidence, code and manifests are looked for."""
    made = []
    for rel in ("docs/fifo.md", "src/fifo.py", "sub/aiact.yaml", "config/models.yaml"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(root / rel)
        made.append(rel)
    for rel in ("docs/null.md", "src/device.py"):
        try:
            os.mknod(root / rel, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # /dev/null's numbers
            made.append(rel)
        except (PermissionError, OSError):
            os.symlink("/dev/null", root / rel)
    sock = root / "docs" / "sock.md"
    code = "import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])"
    subprocess.run([sys.executable, "-c", code, str(sock)], check=True)
    assert stat.S_ISSOCK(os.lstat(sock).st_mode)
    trap = fifo_trap(outside)
    os.symlink(trap, root / "src" / "trap.py")
    os.symlink(trap, root / "docs" / "trap.md")
    os.symlink("/dev/zero", root / "src" / "zero.py")
    os.symlink("/dev/urandom", root / "docs" / "random.md")
    return made


SPECIAL_FIELDS = {
    "technical_documentation": "docs/fifo.md",
    "risk_management": "docs/null.md",
    "data_governance": "docs/sock.md",
    "logging": "docs/trap.md",
    "instructions_for_use": "docs/random.md",
    "ai_literacy": "docs/fine.md",
}


@pytest.mark.parametrize("mode", ["git", "walk"])
def test_fifos_devices_and_sockets_do_not_hang(tmp_path: Path, mode: str) -> None:
    root = tmp_path / "repo"
    write_files(
        root,
        {
            "aiact.yaml": evidence_manifest(SPECIAL_FIELDS).replace("[deployer]", "[provider]"),
            "docs/fine.md": TECHNICAL,
            "src/app.py": "import openai\nclient = openai.OpenAI()\nmodel = 'gpt-4o'\n",
        },
    )
    if mode == "git":
        git(root, "init", "-q", "-b", "main")
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "plain files")
    _special_files(root, tmp_path / "outside")
    # git lists no FIFO: name that manifest too, so both modes meet it.
    paths = (".", "sub/aiact.yaml")
    for fmt in ("json", "text", "github"):
        run = run_proc("check", "--format", fmt, "--as-of", AS_OF, *paths, cwd=root, timeout=60)
        check_run(run, fmt)
        assert run.code == 2, "the FIFO named aiact.yaml is an input error"
    document = run_proc("check", "--format", "json", "--as-of", AS_OF, *paths, cwd=root).json()
    by_subject = findings_by_subject(document)
    texts = {
        path: " ".join(
            f["rule"] + " " + f["message"] for f in by_subject.get(f"evidence:{path}", [])
        )
        for path in SPECIAL_FIELDS.values()
    }
    assert "AIA802" in texts["docs/fifo.md"] and "FIFO" in texts["docs/fifo.md"]
    assert "AIA802" in texts["docs/sock.md"]
    assert "AIA802" in texts["docs/null.md"]
    assert "AIA802" in texts["docs/trap.md"] and "outside" in texts["docs/trap.md"]
    assert "AIA802" in texts["docs/random.md"]
    fifo_manifest = [f for f in document["findings"] if f["path"] == "sub/aiact.yaml"]
    assert fifo_manifest and "not a regular file" in fifo_manifest[0]["message"]


def _limit_memory() -> None:
    import resource

    limit = 1536 * 1024 * 1024  # below the 2 GB files: reading one whole would fail
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _sparse(path: Path, head: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        handle.write(head.encode("utf-8"))
        handle.truncate(TWO_GB)


@pytest.mark.parametrize("mode", ["git", "walk"])
def test_two_gigabyte_sparse_files(tmp_path: Path, mode: str) -> None:
    root = tmp_path / "repo"
    manifest = evidence_manifest({"technical_documentation": "docs/big.md"})
    write_files(root, {"aiact.yaml": manifest.replace("[deployer]", "[provider]")})
    if mode == "git":
        git(root, "init", "-q", "-b", "main")
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "manifest")
    _sparse(root / "docs" / "big.md", "# Technical documentation\n")
    _sparse(root / "src" / "big.py", "import openai\nclient = openai.OpenAI()\n")
    _sparse(root / "models" / "big.safetensors", "")
    _sparse(root / "big" / "aiact.yaml", MINIMAL)
    env = process_env()
    proc = subprocess.run(
        [sys.executable, "-m", "aiact_lint", "check", "--format", "json", "--as-of", AS_OF],
        cwd=root,
        env=env,
        capture_output=True,
        timeout=60,
        preexec_fn=_limit_memory,
        check=False,
    )
    assert "Traceback" not in proc.stderr.decode() and "MemoryError" not in proc.stderr.decode()
    import json

    document = json.loads(proc.stdout)
    assert proc.returncode == 2, "the 2 GB manifest is an input error"
    big_manifest = [f for f in document["findings"] if f["path"] == "big/aiact.yaml"]
    assert big_manifest[0]["rule"] == "AIA003" and "2147.5 MB" in big_manifest[0]["message"]
    evidence = [f for f in document["findings"] if f.get("subject") == "evidence:docs/big.md"]
    assert any(f["rule"] == "AIA807" and "larger than" in f["message"] for f in evidence)


# --- names ----------------------------------------------------------------------------------------

NAMES = {
    b"docs/new\nline.md": TECHNICAL,
    b"docs/\x1b[31mred\x1b[0m.md": TECHNICAL,
    b"docs/\xff\xfe.md": TECHNICAL,
    b"src/\n::error file=forged.py::forged.py": "import openai\nclient = openai.OpenAI()\n",
    b"src/\x1b]0;title\x07.py": "import anthropic\nclient = anthropic.Anthropic()\n",
    b"src/latin1-\xe9.py": "from openai import OpenAI\nOpenAI()\n",
    b"\xff\xfe/aiact.yaml": MINIMAL,
    b"##[error]x/aiact.yaml": MINIMAL,
}


@pytest.mark.parametrize("mode", ["git", "walk"])
def test_names_with_newlines_escapes_and_bytes(tmp_path: Path, mode: str, outside: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    for name, content in NAMES.items():
        target = os.path.join(os.fsencode(root), name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as handle:
            handle.write(content.encode("utf-8"))
    fields = {
        "technical_documentation": "docs/new\nline.md",
        "ai_literacy": "docs/\x1b[31mred\x1b[0m.md",
    }
    write_files(root, {"aiact.yaml": evidence_manifest(fields).replace("[deployer]", "[provider]")})
    if mode == "git":
        git(root, "init", "-q", "-b", "main")
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "names")
    code, document = checked(root, outside)
    assert code in (0, 1), [f["message"] for f in document["findings"] if f["severity"] == "error"]
    by_subject = findings_by_subject(document)
    for path in fields.values():
        rules = {f["rule"] for f in by_subject.get(f"evidence:{path}", [])}
        assert not rules & {"AIA801", "AIA802"}, (path, rules)
    assert len(document["systems"]) == 3
    for fmt in FORMATS:
        check_run(run_proc("check", "--format", fmt, "--as-of", AS_OF, cwd=root), fmt)


DEPTH = 400


def _deep_tree(root: Path, depth: int) -> None:
    """``a/a/a/...`` ``depth`` levels deep, a manifest at the bottom."""
    handle = os.open(root, os.O_RDONLY)
    try:
        for _ in range(depth):
            os.mkdir("a", dir_fd=handle)
            inner = os.open("a", os.O_RDONLY, dir_fd=handle)
            os.close(handle)
            handle = inner
        with open(os.open("aiact.yml", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=handle), "w") as f:
            f.write(MINIMAL)
    finally:
        os.close(handle)


def _deep_run(root: Path, *args: str) -> Any:
    """In-process, with the recursion limit only ``DEPTH // 2`` frames above the current depth.

    A walk that recurses per folder level (os.walk before Python 3.12) then fails here the way
    it fails on a few thousand levels with the normal limit, while the tree stays shallow
    enough for pytest's own (recursive) clean-up of its temporary folders.
    """
    import inspect

    old = sys.getrecursionlimit()
    sys.setrecursionlimit(len(inspect.stack(0)) + DEPTH // 2)
    try:
        run = run_inproc("check", "--format", "json", "--as-of", AS_OF, *args, cwd=root)
    finally:
        sys.setrecursionlimit(old)
    return check_run(run, "json")


def test_normal_runs_fit_the_lowered_recursion_limit(tmp_path: Path) -> None:
    write_files(tmp_path / "repo", {"aiact.yaml": RICH, "src/app.py": "import openai\n"})
    document = _deep_run(tmp_path / "repo")
    assert len(document["systems"]) == 1


def test_folders_nested_hundreds_deep_manifest_only(tmp_path: Path) -> None:
    """Discovery outside git walks a deep tree without recursing per level."""
    root = tmp_path / "repo"
    write_files(root, {"aiact.yaml": MINIMAL})
    _deep_tree(root, DEPTH)
    document = _deep_run(root, "--manifest-only")
    assert len(document["systems"]) == 2, "the manifest at the bottom is found too"


def test_folders_nested_hundreds_deep_with_the_code_scan(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    write_files(root, {"aiact.yaml": MINIMAL})
    _deep_tree(root, DEPTH)
    document = _deep_run(root)
    assert len(document["systems"]) == 2


# --- size -----------------------------------------------------------------------------------------


def _many_files(root: Path, count: int) -> None:
    per_folder = 1000
    for folder in range(count // per_folder):
        directory = root / "data" / f"d{folder:03d}"
        directory.mkdir(parents=True)
        for index in range(per_folder):
            suffix = ".py" if index % 2 else ".md"
            with open(directory / f"f{index:04d}{suffix}", "wb") as handle:
                handle.write(b"x = 1\n")


@pytest.mark.slow
def test_two_hundred_thousand_tiny_files(tmp_path: Path) -> None:
    """Both discovery modes over 200,000 files: a bounded run each (generous timeout)."""
    root = tmp_path / "repo"
    write_files(root, {"aiact.yaml": MINIMAL, "src/app.py": "import openai\n"})
    _many_files(root, 200_000)
    walk = run_proc("check", "--format", "json", "--as-of", AS_OF, cwd=root, timeout=120)
    check_run(walk, "json")
    assert walk.code in (0, 1)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    tracked = run_proc("check", "--format", "json", "--as-of", AS_OF, cwd=root, timeout=120)
    check_run(tracked, "json")
    assert tracked.code == walk.code
    assert len(tracked.json()["systems"]) == len(walk.json()["systems"]) == 1
    print(f"200,000 files: walk {walk.seconds:.1f} s, git {tracked.seconds:.1f} s")


def test_the_harness_bans_sockets_in_process() -> None:
    """The in-process socket ban of conftest.py is in force (sanity check of the harness)."""
    with pytest.raises(OSError):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    from ._support import NETWORK_ATTEMPTS

    NETWORK_ATTEMPTS.clear()
