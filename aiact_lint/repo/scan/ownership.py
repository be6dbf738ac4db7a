"""Which manifest governs which file in a monorepo: the nearest manifest folder above it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    from aiact_lint.manifest import Manifest


def _owner(path: str, dirs: list[str]) -> str | None:
    """The folder of the nearest manifest above ``path`` (dirs sorted longest first)."""
    for folder in dirs:
        if folder == "" or path.startswith(folder + "/"):
            return folder
    return None


def _ordered_dirs(*groups: Iterable[str]) -> list[str]:
    merged = {d.strip("/") for group in groups for d in group}
    return sorted(merged, key=lambda d: (-len(d), d))


def _display(manifest: Manifest, rel: str) -> str:
    """How findings name a repository file: like the run names the manifest."""
    repo_path = manifest.repo_path
    if manifest.path != repo_path and manifest.path.endswith("/" + repo_path):
        return manifest.path[: -len(repo_path)] + rel
    return rel


def _group_folder(path: str, dirs: list[str]) -> str:
    """The highest folder above ``path`` that holds no manifest (or the file itself)."""
    parts = path.split("/")
    for depth in range(1, len(parts)):
        folder = "/".join(parts[:depth])
        if not any(d == folder or d.startswith(folder + "/") for d in dirs if d):
            return folder
    return path


def _folders_within(paths: list[str], cwd: Path, root: Path) -> list[str]:
    """The command-line folders (not manifest files) inside ``root``, root-relative."""
    real_root = os.path.realpath(root)
    found = []
    for given in paths:
        absolute = os.path.realpath(os.path.join(cwd, given))
        if not os.path.isdir(absolute):
            continue
        if absolute == real_root:
            found.append("")
        elif absolute.startswith(real_root + os.sep):
            found.append(os.path.relpath(absolute, real_root).replace(os.sep, "/"))
    return found
