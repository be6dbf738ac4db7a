"""Run git on a repository we do not trust: its own configuration must not start programs.

A checked-out repository can carry git settings that make read-only git commands execute
arbitrary programs: ``core.fsmonitor``, clean/smudge/process filter drivers, textconv and
external diff drivers, a pager, signature verification (``log.showSignature`` runs
``gpg.program``), hooks. The linter never executes anything from the repository it checks, so
EVERY git call it makes (discovery, the code scan, tracked files, ``--diff-base``) runs with
:func:`git_env`:

- command-line-scope settings (``GIT_CONFIG_COUNT``, which win over every configuration file)
  switch each of those off, and empty every filter driver the repository's configuration
  defines (their names are read with ``git config``, which runs nothing);
- no optional locks and no index refresh: a check writes nothing into ``.git``;
- submodules are never entered (git drops these settings in a submodule's own git process, so
  the only safe submodule is one git does not recurse into);
- diff calls add ``--no-ext-diff --no-textconv --ignore-submodules=all`` (:data:`DIFF_SAFETY`).

A ``.git`` *file* (a linked worktree or a submodule) is only followed when the git folder it
names points back at this work tree (:func:`foreign_gitdir`).
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Mapping, Optional

# (key, value): each closes one way a read-only git command could start a program or write.
SAFE_CONFIG: tuple[tuple[str, str], ...] = (
    ("core.fsmonitor", "false"),  # a program git runs to ask which files changed
    ("core.hooksPath", os.devnull),  # hooks (post-index-change, reference-transaction...)
    ("core.pager", "cat"),  # a program git pipes its output through
    ("core.quotePath", "false"),  # names as UTF-8, not octal escapes
    ("core.untrackedCache", "false"),  # never rewrite the index for the untracked cache
    ("diff.autoRefreshIndex", "false"),  # `git diff` otherwise rewrites .git/index (stat refresh)
    ("diff.ignoreSubmodules", "all"),  # never run git inside a submodule
    ("submodule.recurse", "false"),
    ("status.submoduleSummary", "false"),
    ("log.showSignature", "false"),  # signature checks run gpg.program
    ("gc.auto", "0"),  # no background maintenance
    ("maintenance.auto", "false"),
    ("protocol.allow", "never"),  # no transport (and so no ssh, proxy or credential helper)
    ("credential.helper", ""),
)
FILTER_SETTINGS = (("clean", ""), ("smudge", ""), ("process", ""), ("required", "false"))
ENVIRONMENT = {
    # Never take optional locks or refresh the index: a check writes nothing in the repository.
    "GIT_OPTIONAL_LOCKS": "0",
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_PAGER": "cat",
    "GIT_ASKPASS": "",
    "SSH_ASKPASS": "",
    # Pathspecs mean what each call says (``:(glob)``, ``:(literal)``), whatever the caller's
    # environment holds; --diff-base turns literal pathspecs on for every call it makes.
    "GIT_LITERAL_PATHSPECS": "0",
    "GIT_GLOB_PATHSPECS": "0",
    "GIT_NOGLOB_PATHSPECS": "0",
    "GIT_ICASE_PATHSPECS": "0",
}
DIFF_SAFETY = ("--no-ext-diff", "--no-textconv", "--ignore-submodules=all", "--no-color")
# Kept for callers of the first release: the settings without the per-repository filters.
SAFE_GIT_ENV: dict[str, str] = {}


def _config_env(pairs: list[tuple[str, str]], base: Mapping[str, str]) -> dict[str, str]:
    """``pairs`` appended to any command-line configuration already in ``base`` (later wins)."""
    try:
        start = int(base.get("GIT_CONFIG_COUNT", "0") or "0")
    except ValueError:
        start = 0
    env: dict[str, str] = {}
    for offset, (key, value) in enumerate(pairs):
        env[f"GIT_CONFIG_KEY_{start + offset}"] = key
        env[f"GIT_CONFIG_VALUE_{start + offset}"] = value
    env["GIT_CONFIG_COUNT"] = str(start + len(pairs))
    return env


SAFE_GIT_ENV.update(ENVIRONMENT)
SAFE_GIT_ENV.update(_config_env(list(SAFE_CONFIG), {}))


@lru_cache(maxsize=32)
def filter_drivers(root: str) -> tuple[str, ...]:
    """The names of the filter drivers git's configuration defines for ``root`` (every scope,
    includes too). Reading configuration runs nothing."""
    import subprocess

    env = dict(os.environ)
    env.update(ENVIRONMENT)
    env.update(_config_env(list(SAFE_CONFIG), os.environ))
    try:
        result = subprocess.run(
            ["git", "config", "--name-only", "-z", "--get-regexp", r"^filter\."],
            cwd=root,
            capture_output=True,
            env=env,
            timeout=60,
            check=False,
        )
    except (OSError, ValueError, subprocess.SubprocessError):
        return ()
    names = set()
    for raw in result.stdout.split(b"\0"):
        key = os.fsdecode(raw.strip())
        if key.count(".") >= 2:
            names.add(key[key.index(".") + 1 : key.rindex(".")])
    return tuple(sorted(names))


def git_settings(root: Optional[str] = None) -> dict[str, str]:
    """The environment additions that make git safe in ``root`` (see the module docstring)."""
    pairs = list(SAFE_CONFIG)
    if root is not None:
        for name in filter_drivers(os.path.realpath(root)):
            pairs += [(f"filter.{name}.{key}", value) for key, value in FILTER_SETTINGS]
    settings = dict(ENVIRONMENT)
    settings.update(_config_env(pairs, os.environ))
    return settings


def git_env(root: Optional[str | os.PathLike[str]] = None) -> dict[str, str]:
    """The whole environment for a git process working in ``root``."""
    env = dict(os.environ)
    env.update(git_settings(None if root is None else os.fspath(root)))
    return env


def is_tracked(path: str) -> bool:
    """Whether git tracks the file at ``path`` (an absolute, resolved path)."""
    import subprocess

    folder = os.path.dirname(path)
    root = folder
    while not os.path.exists(os.path.join(root, ".git")):
        parent = os.path.dirname(root)
        if parent == root:
            return False
        root = parent
    rel = os.path.relpath(path, root).replace(os.sep, "/")
    try:
        result = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--", f":(literal){rel}"],
            cwd=root,
            capture_output=True,
            env=git_env(root),
            timeout=60,
            check=False,
        )
    except (OSError, ValueError, subprocess.SubprocessError):
        return False
    return result.returncode == 0 and bool(result.stdout.strip(b"\0"))


def _read_line(path: str) -> Optional[str]:
    try:
        with open(path, "rb") as handle:
            return os.fsdecode(handle.read(4096).splitlines()[0].strip())
    except (OSError, IndexError):
        return None


def foreign_gitdir(root: str) -> Optional[str]:
    """When ``root/.git`` is a file naming a git folder that does not belong to this work tree,
    that folder (git would follow it and read another repository); else None.

    A linked worktree's git folder names this ``.git`` file back (its ``gitdir`` file); a
    submodule's names this folder as its ``core.worktree``.
    """
    dot_git = os.path.join(root, ".git")
    if not os.path.isfile(dot_git):
        return None
    line = _read_line(dot_git) or ""
    if not line.startswith("gitdir:"):
        return dot_git
    target = os.path.realpath(os.path.join(root, line[len("gitdir:") :].strip()))
    back = _read_line(os.path.join(target, "gitdir"))
    if back is not None:
        pointed = os.path.realpath(os.path.join(target, back))
        return None if pointed == os.path.realpath(dot_git) else target
    worktree = _core_worktree(os.path.join(target, "config"))
    if worktree is not None:
        pointed = os.path.realpath(os.path.join(target, worktree))
        return None if pointed == os.path.realpath(root) else target
    return target


def _core_worktree(config: str) -> Optional[str]:
    """``core.worktree`` of one configuration file, read as text (no git process)."""
    try:
        with open(config, encoding="utf-8", errors="replace") as handle:
            lines = handle.read(1 << 20).splitlines()
    except OSError:
        return None
    section = ""
    for line in lines:
        text = line.strip()
        if text.startswith("["):
            section = text.strip("[]").strip().lower()
        elif section == "core" and "=" in text:
            key, value = text.split("=", 1)
            if key.strip().lower() == "worktree":
                return value.strip().strip('"')
    return None


def read_regular(root: str | os.PathLike[str], rel: str, limit: int) -> Optional[bytes]:
    """The bytes of a regular file inside ``root`` (no link out, no FIFO, at most ``limit``)."""
    import stat

    full = os.path.join(root, *rel.split("/"))
    real, top = os.path.realpath(full), os.path.realpath(root)
    if not real.startswith(top.rstrip(os.sep) + os.sep):
        return None
    try:
        info = os.lstat(full)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        fd = os.open(
            full, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        )
    except (OSError, ValueError):
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError:
        return None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    return data if len(data) <= limit else None


def same_blob(root: str | os.PathLike[str], meta: bytes, path: str) -> bool:
    """Whether the work-tree file ``path`` still holds the blob a ``git diff-index --raw`` line
    (``meta``) says HEAD has: a file listed only because its stat data changed. Hashed here,
    because git would run the repository's clean filter to hash it."""
    import hashlib

    parts = meta.lstrip(b":").split()
    if len(parts) < 5 or parts[0] != parts[1] or parts[1] not in (b"100644", b"100755"):
        return False
    old = parts[2].decode("ascii", "replace")
    if set(parts[3]) != {ord("0")}:
        return False  # git already knows the new content differs
    data = read_regular(root, path, 64 * 1024 * 1024)
    if data is None:
        return False
    digest = hashlib.sha256 if len(old) == 64 else hashlib.sha1
    header = b"blob %d\0" % len(data)
    return digest(header + data, usedforsecurity=False).hexdigest() == old


def changed_since_head(root: str | os.PathLike[str]) -> Optional[set[str]]:
    """Root-relative paths whose work-tree content differs from HEAD (tracked files only), with
    no program from the repository run and nothing written into ``.git``; None when git cannot
    tell. Plumbing ``diff-index`` (no index refresh) plus :func:`same_blob` for stat-only
    changes."""
    import subprocess

    try:
        result = subprocess.run(
            ["git", "diff-index", "-z", "--raw", "--no-renames", *DIFF_SAFETY, "HEAD", "--"],
            cwd=root,
            capture_output=True,
            env=git_env(root),
            timeout=120,
            check=False,
        )
    except (OSError, ValueError, subprocess.SubprocessError):
        return None
    if result.returncode != 0:
        return None
    fields = result.stdout.split(b"\0")
    changed = set()
    for meta, name in zip(fields[0::2], fields[1::2]):
        path = os.fsdecode(name)
        if path and not same_blob(root, meta, path):
            changed.add(path)
    return changed
