"""Where a report comes from: the commit it was made from and whether each manifest differs.

A compliance officer files the report; it must say which revision of the manifests it describes.
Read-only git calls through the safe environment (gitsafe); outside git, or without git, the
report says so instead.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Optional

from aiact_lint.gitsafe import git_env


def _git(root: Path, *args: str) -> Optional[bytes]:
    try:
        result = subprocess.run(
            ["git", *args],
            cwd=root,
            capture_output=True,
            check=False,
            env=git_env(),
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
        if not (root / ".git").exists():
            return
        head = _git(root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
        if head is None:
            return
        self.commit = head.decode("ascii", "replace").strip() or None
        diff = _git(
            root, "diff", "--name-only", "-z", "--no-ext-diff", "--no-textconv", "HEAD", "--"
        )
        if diff is not None:
            self.changed = {os.fsdecode(p) for p in diff.split(b"\0") if p}
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
