"""Read files of the checked repository safely: inside the root, regular files only, bounded.

Nothing here writes, executes or follows a path out of the repository root.
"""

from __future__ import annotations

import os
import stat
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple, Optional

from aiact_lint.gitsafe import git_env

MAX_TEXT_BYTES = 5 * 1000 * 1000
BINARY_SUFFIXES = frozenset(
    {".pdf", ".doc", ".docx", ".odt", ".xls", ".xlsx", ".ppt", ".pptx", ".png", ".jpg", ".zip"}
)


class FileState(NamedTuple):
    """What a repository path turned out to be. ``text`` is None when content is not readable."""

    rel: str
    status: str  # ok | missing | not_regular | outside | loop | unreadable
    detail: str = ""
    text: Optional[str] = None
    content_skipped: str = ""  # why content checks did not run (binary, too large)


@lru_cache(maxsize=64)
def tracked_files(root: str, paths: Optional[tuple[str, ...]] = None) -> Optional[frozenset[str]]:
    """Paths git tracks under ``root`` (posix, root-relative), or None outside git / without git.

    ``paths``: only these (root-relative, taken literally), so that a manifest naming a few
    documents does not make git list, and Python decode, every file of a large repository."""
    if paths is not None and not paths:
        return frozenset() if (Path(root) / ".git").exists() else None
    return _ls_files(root, [] if paths is None else [f":(literal){p}" for p in paths])


@lru_cache(maxsize=64)
def tracked_named(root: str, names: tuple[str, ...]) -> Optional[frozenset[str]]:
    """Tracked paths whose file name is one of ``names`` (any folder), or None outside git: the
    model cards of a 100,000-file repository without listing, and decoding, all of it."""
    if not names:
        return frozenset() if (Path(root) / ".git").exists() else None
    return _ls_files(root, [f":(glob)**/{_glob_literal(name)}" for name in names])


def _glob_literal(name: str) -> str:
    return "".join(f"[{ch}]" if ch in "*?[\\" else ch for ch in name)


def _ls_files(root: str, spec: list[str]) -> Optional[frozenset[str]]:
    if not (Path(root) / ".git").exists():
        return None
    import subprocess  # here: reading a file (the lock, on the hook's path) needs no git

    try:
        result = subprocess.run(
            ["git", "ls-files", "-z", "--cached", *(["--", *spec] if spec else [])],
            cwd=root,
            capture_output=True,
            check=False,
            env=git_env(root),
            timeout=120,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if result.returncode != 0:
        return None
    return frozenset(os.fsdecode(p) for p in result.stdout.split(b"\0") if p)


def inspect(root: Path, rel: str) -> FileState:
    """Classify ``rel`` under ``root`` and read its text when that is safe and useful."""
    real_root = os.path.realpath(root)
    target = os.path.join(real_root, *rel.split("/"))
    try:
        os.lstat(target)
    except FileNotFoundError:
        return FileState(rel, "missing", "no such file")
    except (UnicodeEncodeError, ValueError):  # a lone surrogate or NUL: no file has that name
        return FileState(rel, "missing", "not a valid file name")
    except OSError as error:
        return FileState(rel, "unreadable", error.strerror or str(error))
    try:
        resolved = os.path.realpath(target)
        info = os.stat(target)
    except OSError as error:
        if getattr(error, "errno", None) == 40:  # ELOOP
            return FileState(rel, "loop", "symbolic link loop")
        if isinstance(error, FileNotFoundError):
            return FileState(rel, "missing", "symbolic link to a missing file")
        return FileState(rel, "unreadable", error.strerror or str(error))
    if resolved != real_root and not resolved.startswith(real_root + os.sep):
        return FileState(rel, "outside", "symbolic link resolving outside the repository")
    if stat.S_ISDIR(info.st_mode):
        return FileState(rel, "not_regular", "a directory")
    if not stat.S_ISREG(info.st_mode):
        kind = "a FIFO" if stat.S_ISFIFO(info.st_mode) else "a device or socket"
        return FileState(rel, "not_regular", kind)
    if Path(rel).suffix.lower() in BINARY_SUFFIXES:
        return FileState(rel, "ok", content_skipped=f"{Path(rel).suffix} is a binary format")
    if info.st_size > MAX_TEXT_BYTES:
        return FileState(rel, "ok", content_skipped=f"larger than {MAX_TEXT_BYTES // 1_000_000} MB")
    try:
        with open(resolved, "rb") as handle:
            raw = handle.read(MAX_TEXT_BYTES + 1)
    except OSError as error:
        return FileState(rel, "unreadable", error.strerror or str(error))
    if b"\0" in raw[:8192]:
        return FileState(rel, "ok", content_skipped="binary content")
    return FileState(rel, "ok", text=raw.decode("utf-8", errors="replace"))
