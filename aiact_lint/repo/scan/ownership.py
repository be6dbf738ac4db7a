"""Which manifest governs which file in a monorepo: the nearest manifest folder above it."""

from __future__ import annotations

import os
import posixpath
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from aiact_lint.repo.scan.records import CodeIndex, Hint, Reference

if TYPE_CHECKING:
    from aiact_lint.manifest import Manifest


def _owner(path: str, dirs: Iterable[str]) -> str | None:
    """The folder of the nearest manifest above ``path``."""
    return _owner_in(path, dirs if isinstance(dirs, (set, frozenset)) else set(dirs))


def _owner_in(path: str, dirs: set[str] | frozenset[str]) -> str | None:
    """``_owner`` against a set: a walk up the path's folders, O(depth) whatever the number of
    manifests (a scan of every manifest folder per reference made monorepos cubic)."""
    end = path.rfind("/")
    while end > 0:
        folder = path[:end]
        if folder in dirs:
            return folder
        end = path.rfind("/", 0, end)
    return "" if "" in dirs else None


class _Ownership:
    """Which manifest folder governs each scanned file, computed once per run (not once per
    manifest): references, hints and suppressed files grouped by their owner."""

    def __init__(self, index: CodeIndex, dirs: frozenset[str]) -> None:
        self.dirs = dirs
        self._owners: dict[str, str | None] = {}
        self.references: dict[str | None, list[Reference]] = {}
        self.hints: dict[str | None, list[Hint]] = {}
        self.suppressed: dict[str | None, list[str]] = {}
        for ref in index.references:
            self.references.setdefault(self.owner(ref.path), []).append(ref)
        for hint in index.hints:
            self.hints.setdefault(self.owner(hint.path), []).append(hint)
        for path in index.suppressions:
            self.suppressed.setdefault(self.owner(path), []).append(path)

    def owner(self, path: str) -> str | None:
        if path not in self._owners:
            self._owners[path] = _owner_in(path, self.dirs)
        return self._owners[path]


_OWNERSHIP: list[tuple[CodeIndex, tuple[int, ...], _Ownership]] = []


def _ownership(index: CodeIndex, *groups: list[str]) -> _Ownership:
    """The ownership for ``index`` and these manifest folders; the last few are kept, so each
    manifest of a monorepo reuses the one computed for the first."""
    key = (*(id(g) for g in groups), *(len(g) for g in groups), len(index.references))
    for cached, cached_key, found in _OWNERSHIP:
        if cached is index and cached_key == key:
            return found
    found = _Ownership(index, frozenset(d.strip("/") for group in groups for d in group))
    _OWNERSHIP.insert(0, (index, key, found))
    del _OWNERSHIP[4:]
    return found


def _ordered_dirs(*groups: Iterable[str]) -> list[str]:
    merged = {d.strip("/") for group in groups for d in group}
    return sorted(merged, key=lambda d: (-len(d), d))


def _display(manifest: Manifest, rel: str) -> str:
    """How findings name a repository file: like the run names the manifest."""
    repo_path = manifest.repo_path
    if manifest.path != repo_path and manifest.path.endswith("/" + repo_path):
        return manifest.path[: -len(repo_path)] + rel
    return rel


def _group_folder(path: str, dirs: list[str], above: set[str] | None = None) -> str:
    """The highest folder above ``path`` that holds no manifest (or the file itself).
    ``above``: every manifest folder and each of its ancestors (computed once per run)."""
    if above is None:
        above = _with_ancestors(dirs)
    parts = path.split("/")
    for depth in range(1, len(parts)):
        folder = "/".join(parts[:depth])
        if folder not in above:
            return folder
    return path


def _with_ancestors(dirs: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for folder in dirs:
        while folder and folder not in found:
            found.add(folder)
            folder = posixpath.dirname(folder)
    return found


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
