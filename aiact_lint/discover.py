"""Find the manifests to check: the paths given, or every aiact.yaml/aiact.yml under a folder.

Inside a git work tree, git decides (tracked files plus new files that are not ignored); outside
one, a walk that skips version-control, dependency and virtualenv folders.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST_NAMES = ("aiact.yaml", "aiact.yml")
SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        ".venv",
        "venv",
        "env",
        ".tox",
        ".nox",
        "__pycache__",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
        "site-packages",
    }
)


class DiscoveryError(Exception):
    """A path on the command line that cannot be checked (exit code 2)."""

    def __init__(self, path: str, message: str):
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


@dataclass
class Discovery:
    manifests: list[Path] = field(default_factory=list)
    errors: list[DiscoveryError] = field(default_factory=list)


def git_available() -> bool:
    return shutil.which("git") is not None


def _git_manifests(folder: Path) -> list[Path]:
    specs = [f":(glob)**/{name}" for name in MANIFEST_NAMES]
    result = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", *specs],
        cwd=folder,
        capture_output=True,
        check=False,
    )
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise DiscoveryError(str(folder), "git ls-files failed: " + (message[0] if message else ""))
    found = []
    for raw in result.stdout.split(b"\0"):
        if raw:
            found.append(folder / os.fsdecode(raw))
    return found


def _walk_manifests(folder: Path) -> list[Path]:
    found = []
    for current, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.endswith(".egg-info"))
        for name in files:
            if name in MANIFEST_NAMES:
                found.append(Path(current) / name)
        for name in dirs:
            if name in MANIFEST_NAMES:
                found.append(Path(current) / name)  # reported as "is a directory" when read
    return found


def discover(paths: list[str], repo_root: Path | None) -> Discovery:
    """Resolve command-line paths to manifest files (absolute), sorted and without duplicates."""
    discovery = Discovery()
    seen: set[Path] = set()
    for given in paths or ["."]:
        path = Path(given)
        if not path.exists() and not path.is_symlink():
            discovery.errors.append(DiscoveryError(given, "no such file or folder"))
            continue
        absolute = Path(os.path.abspath(path))
        if path.is_dir() and path.name not in MANIFEST_NAMES:
            try:
                inside_git = repo_root is not None and (
                    absolute == repo_root or repo_root in absolute.parents
                )
                if inside_git:
                    if not git_available():
                        discovery.errors.append(
                            DiscoveryError(
                                given,
                                "git is not installed, so the manifests tracked in this "
                                "repository cannot be listed; install git or name the "
                                "manifest files on the command line",
                            )
                        )
                        continue
                    found = _git_manifests(absolute)
                else:
                    found = _walk_manifests(absolute)
            except (DiscoveryError, OSError) as error:
                message = error.message if isinstance(error, DiscoveryError) else str(error)
                discovery.errors.append(DiscoveryError(given, message))
                continue
            candidates = [p for p in found if p.exists() or p.is_symlink()]
            if not candidates:
                discovery.errors.append(
                    DiscoveryError(
                        given,
                        "no aiact.yaml or aiact.yml found here; create one with "
                        "`aiact-lint init` or name a manifest",
                    )
                )
        else:
            candidates = [absolute]
        for candidate in candidates:
            if candidate not in seen:
                seen.add(candidate)
                discovery.manifests.append(candidate)
    discovery.manifests.sort(key=lambda p: p.as_posix())
    return discovery
