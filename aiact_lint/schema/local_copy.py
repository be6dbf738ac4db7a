"""A copy of the manifest schema in the user's repository, for editors (yaml-language-server).

``aiact-lint schema --output PATH`` writes it; ``init`` writes one at the repository root when
none exists and names it in the manifest's modeline by a relative path, which every editor can
load without network access and which always matches the installed aiact-lint.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Optional

COPY_NAME = "aiact.schema.json"


def schema_text() -> str:
    from aiact_lint.manifest import SCHEMA_FILE

    return SCHEMA_FILE.read_text(encoding="utf-8")


def find_copy(folder: Path, root: Path) -> Optional[Path]:
    """The nearest ``aiact.schema.json`` in ``folder`` or a folder above it, up to ``root``."""
    folder, root = folder.resolve(), root.resolve()
    for candidate in (folder, *folder.parents):
        copy = candidate / COPY_NAME
        if copy.is_file() and not copy.is_symlink():
            return copy
        if candidate == root:
            break
    return None


def write_copy(target: Path) -> Path:
    """Write the schema at ``target`` (a folder: ``target/aiact.schema.json``), atomically."""
    if target.is_dir():
        target = target / COPY_NAME
    if target.is_symlink():
        raise OSError(f"{target} is a symbolic link; not written")
    handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(schema_text())
        os.chmod(temp, 0o644)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    return target


def modeline_path(manifest_folder: Path, copy: Path) -> str:
    """The schema copy as the modeline names it: relative to the manifest's folder."""
    relative = os.path.relpath(copy.resolve(), manifest_folder.resolve())
    return relative.replace(os.sep, "/")
