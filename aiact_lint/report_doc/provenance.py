"""Where a report comes from: the commit it was made from and whether each manifest differs.

A compliance officer files the report; it must say which revision of the manifests it describes.
Read-only git calls through the safe environment (gitsafe); outside git, or without git, the
report says so instead.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Optional

from aiact_lint.gitsafe import changed_since_head, foreign_gitdir, git_env


def _git(root: Path, *args: str) -> Optional[bytes]:
    try:
        result = subprocess.run(
            ["git", *args],
            cwd=root,
            capture_output=True,
            check=False,
            env=git_env(root),
            timeout=60,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout if result.returncode == 0 else None


class Provenance:
    """HEAD of the repository around ``root`` and the paths that differ from it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.commit: Optional[str] = None
        self.changed: set[str] = set()
        self.tracked: Optional[frozenset[str]] = None
        if not (root / ".git").exists() or foreign_gitdir(str(root)) is not None:
            return  # no repository, or a .git file naming another one (never followed)
        head = _git(root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
        if head is None:
            return
        self.commit = head.decode("ascii", "replace").strip() or None
        # Not `git diff HEAD`: it would run the repository's clean filter on every stat-dirty
        # file (and list a file that was only touched as changed).
        self.changed = changed_since_head(root) or set()
        from aiact_lint.repo.files import tracked_files

        self.tracked = tracked_files(str(root))

    def of(self, manifest: str) -> str:
        """The commit a manifest (root-relative) was read at, in words."""
        if self.commit is None:
            return "not in a git repository with commits"
        short = self.commit[:12]
        if self.tracked is not None and manifest not in self.tracked:
            return f"not committed (HEAD is {short})"
        if manifest in self.changed:
            return f"{short} with uncommitted changes to the manifest"
        return short
