"""The files a fix may write: inside the repository, regular, and committed unless ``--force``.

Writes are atomic (a temporary file in the same folder, then a rename) and keep the file's mode,
so a fix interrupted half-way never leaves a truncated file behind.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import stat
import subprocess
import tempfile
from pathlib import Path
from typing import Optional

from aiact_lint.gitsafe import git_env


class FixRefused(Exception):
    """A fix would write where it must not, or over uncommitted work (exit code 2)."""


def inside(root: Path, target: Path) -> bool:
    real_root = os.path.realpath(root)
    real = os.path.realpath(target)
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


def read_text(root: Path, target: Path) -> str:
    """The text of a file a fix edits; refuses symbolic links, non-regular files, escapes."""
    try:
        info = os.lstat(target)
    except OSError as error:
        raise FixRefused(f"{target}: {error.strerror or error}") from None
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISREG(info.st_mode):
        raise FixRefused(f"{target} is not a regular file; it is not edited")
    if not inside(root, target):
        raise FixRefused(f"{target} is outside the repository; it is not edited")
    try:
        with open(target, encoding="utf-8", newline="") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError) as error:
        raise FixRefused(f"{target} cannot be read as UTF-8 text ({error}); not edited") from None


def uncommitted(root: Path, files: list[Path]) -> Optional[list[Path]]:
    """The files among ``files`` with changes git has not committed (modified, staged or
    untracked); None when ``root`` is not a git work tree or git cannot tell."""
    if not (root / ".git").exists() or not files:
        return None if not (root / ".git").exists() else []
    rels = [os.path.relpath(f, root) for f in files]
    try:
        result = subprocess.run(
            # Literal pathspecs (a file named ``:(exclude)x`` is that file); the repository's
            # filters emptied (``git status`` would run a clean filter on a stat-dirty file).
            ["git", "--literal-pathspecs", "status", "--porcelain=v1", "-z"]
            + ["--untracked-files=all", "--ignore-submodules=all", "--", *rels],
            cwd=root,
            capture_output=True,
            env=git_env(root),
            check=False,
            timeout=120,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if result.returncode != 0:
        return None
    dirty: set[str] = set()
    entries = result.stdout.split(b"\0")
    index = 0
    while index < len(entries):
        entry = entries[index]
        index += 1
        if len(entry) < 4:
            continue
        status, name = entry[:2], os.fsdecode(entry[3:])
        if status[:1] in (b"R", b"C"):
            index += 1  # the original name follows a rename or copy
        dirty.add(os.path.normpath(name))
    return [f for f, rel in zip(files, rels) if os.path.normpath(rel) in dirty]


def _lines(text: str) -> list[str]:
    """Lines as the YAML 1.2 manifest has them: NEL, LS and PS are characters, not breaks."""
    parts = text.split("\n")
    return [part + "\n" for part in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def unified_diff(display: str, before: str, after: str) -> str:
    return "".join(
        difflib.unified_diff(
            _lines(before),
            _lines(after),
            fromfile=f"a/{display}",
            tofile=f"b/{display}",
        )
    )


def write_atomic(target: Path, text: str) -> None:
    mode = stat.S_IMODE(os.stat(target).st_mode)
    handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp, mode)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
