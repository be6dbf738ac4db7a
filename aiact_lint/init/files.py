"""Writing the manifest: atomically, never over an existing one without ``--force``, with a backup.

The only files ever written are the manifest itself, a temporary file next to it (renamed over
it by :func:`os.replace`, or removed on failure) and, with ``--force``, ``aiact.yaml.bak`` (or
``.bak.1``, ``.bak.2``... when that exists) holding the previous manifest.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import Optional

MANIFEST_NAMES = ("aiact.yaml", "aiact.yml")


class WriteRefused(Exception):
    """The manifest exists and ``--force`` was not given (exit code 2)."""


def target_for(path: str) -> Path:
    """The manifest file ``aiact-lint init PATH`` writes: PATH itself when it names an
    ``aiact.yaml``/``aiact.yml``, else ``PATH/aiact.yaml``."""
    given = Path(path)
    if given.name in MANIFEST_NAMES:
        return given
    return given / "aiact.yaml"


def existing_manifest(target: Path) -> Optional[Path]:
    """A manifest already in the target's folder (either spelling), if any."""
    if target.exists() or target.is_symlink():
        return target
    for name in MANIFEST_NAMES:
        other = target.with_name(name)
        if other.exists():
            return other
    return None


def backup_name(target: Path) -> Path:
    first = target.with_name(target.name + ".bak")
    if not (first.exists() or first.is_symlink()):
        return first
    number = 1
    while True:
        candidate = target.with_name(f"{target.name}.bak.{number}")
        if not (candidate.exists() or candidate.is_symlink()):
            return candidate
        number += 1


def write_manifest(target: Path, text: str, force: bool) -> tuple[Path, Optional[Path]]:
    """Write ``text`` atomically over ``target`` (or over the folder's existing manifest, when it
    is spelt ``aiact.yml``); return the file written and the backup made, if any."""
    existing = existing_manifest(target)
    if existing is not None and not force:
        raise WriteRefused(
            f"{existing} already exists; pass --force to replace it (the old one is kept as a "
            "backup)"
        )
    folder = target.parent
    if not folder.is_dir():
        raise WriteRefused(f"{folder} is not a folder")
    backup = None
    if existing is not None:
        target = existing  # one manifest per folder: replace it, never add a second spelling
        if target.is_symlink() or not target.is_file():
            raise WriteRefused(f"{target} is not a regular file; refusing to replace it")
        backup = backup_name(target)
        shutil.copy2(target, backup)
    handle, temp = tempfile.mkstemp(prefix=".aiact.yaml.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        if backup is not None:
            shutil.copymode(backup, temp)
        else:
            os.chmod(temp, 0o644 & ~_umask())
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    return target, backup


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
