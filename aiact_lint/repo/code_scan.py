"""Models and capabilities evident in code, held against the manifests that govern the code.

This module is the code scan's front door: ``CodeScans`` (one scan per repository root per
run) and the names other modules use. The house itself is the ``aiact_lint.repo.scan`` package,
one module per job: ``patterns`` (the tables), ``reading`` (git or a walk, the safe reader),
``text`` (references in one file), ``suppressions``, ``ownership`` (monorepos), ``checks``
(per manifest) and one module per detector (``models``, ``capabilities``, ``unowned``,
``model_cards``, ``marking``).


One scan per repository root per run (``CodeScans``): git lists and pre-filters the files
(``git grep -F -l -z`` with the fixed strings of ``law/model_patterns.yaml``), and Python reads
only the files that hit, inside the root, regular, bounded and tolerantly decoded. Outside git a
walk that skips vendored and generated folders does the same job in Python.

Nothing here executes, imports or writes anything from the repository. Git runs with
``core.fsmonitor`` disabled so that a repository's own configuration cannot start a program.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Optional, Sequence

from aiact_lint.findings import Finding
from aiact_lint.repo.scan.checks import check_manifest_code, run_detectors
from aiact_lint.repo.scan.lines import _Lines
from aiact_lint.repo.scan.ownership import _display, _folders_within, _owner
from aiact_lint.repo.scan.patterns import (
    MANIFEST_NAMES,
    SUPPRESSION_MARK,
    Entry,
    Patterns,
    _compiled,
    expand,
    patterns,
)
from aiact_lint.repo.scan.reading import (
    GIT,
    GitFailed,
    GitScan,
    _git_usable,
    _Reader,
    _walk_names,
    scan_repository,
)
from aiact_lint.repo.scan.records import CodeIndex, Hint, Reference, Suppression
from aiact_lint.repo.scan.text import scan_text
from aiact_lint.repo.scan.unowned import check_unowned

if TYPE_CHECKING:
    from aiact_lint.manifest import Manifest

__all__ = [
    "GIT",
    "MANIFEST_NAMES",
    "SUPPRESSION_MARK",
    "CodeIndex",
    "CodeScans",
    "Entry",
    "GitFailed",
    "GitScan",
    "Hint",
    "Patterns",
    "Reference",
    "Suppression",
    "_Lines",
    "_Reader",
    "_compiled",
    "_display",
    "_git_usable",
    "_owner",
    "_walk_names",
    "check_manifest_code",
    "check_unowned",
    "expand",
    "patterns",
    "run_detectors",
    "scan_repository",
    "scan_text",
]


# --- one run -------------------------------------------------------------------------------------


class CodeScans:
    """The code indexes of one ``check`` run: one scan per repository root.

    ``start``: a root whose git processes begin at once, so that git searches the files while
    Python reads and classifies the manifests."""

    def __init__(
        self,
        start: Path | None = None,
        scope: Sequence[str] = (),
        untracked: Optional[list[str]] = None,
    ) -> None:
        """``scope``: the folders (relative to ``start``) this run checks; only their files are
        read. The quick start, `check examples/customer-chatbot`, reads that example alone.
        ``untracked``: the untracked files of the scope, when discovery has listed them."""
        self._indexes: dict[Path, CodeIndex] = {}
        self._folders: dict[Path, set[str]] = {}
        self._started: dict[Path, GitScan] = {}
        self._start, self._scope = start, tuple(scope)
        if start is not None and _git_usable(start):
            with contextlib.suppress(OSError):
                self._started[start] = GitScan(start, patterns(), self._scope, untracked)

    def index_for(self, manifest: Manifest) -> CodeIndex:
        root = manifest.root
        index = self._indexes.get(root)
        if index is None:
            index = scan_repository(
                root,
                use_git=_git_usable(root),
                started=self._started.pop(root, None),
                scope=self._scope if root == self._start else (),
            )
            self._indexes[root] = index
        self._folders.setdefault(root, set()).add(manifest.folder)
        return index

    def close(self) -> None:
        """Stop git processes started for a root no manifest turned out to live in."""
        for scan in self._started.values():
            scan.close()
        self._started.clear()

    def unowned(
        self, paths: list[str], cwd: Path, base: Path, manifests: Iterable[Manifest] = ()
    ) -> list[Finding]:
        """AI use outside manifests, within the folders this run was asked to check.
        ``manifests``: every manifest of the run; each governs its folder, valid or not."""
        self.close()
        for manifest in manifests:
            self._folders.setdefault(manifest.root, set()).add(manifest.folder)
        findings = []
        for root, index in self._indexes.items():
            within = _folders_within(paths or ["."], cwd, root)
            if not within:
                continue

            def path_of(rel: str, root: Path = root) -> str:
                target = root.joinpath(*rel.split("/"))
                try:
                    return target.relative_to(base).as_posix()
                except ValueError:
                    return target.as_posix()

            folders = sorted(self._folders.get(root, ()))
            findings.extend(check_unowned(index, root, folders, path_of, within))
        return findings
