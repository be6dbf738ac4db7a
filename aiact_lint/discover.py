"""Find the manifests to check: the paths given, or every aiact.yaml/aiact.yml under a folder.

Inside a git work tree, git decides (tracked files plus new files that are not ignored); outside
one, a walk that skips version-control, dependency and virtualenv folders.
"""

from __future__ import annotations

import os
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


class Discovery:
    def __init__(self) -> None:
        self.manifests: list[Path] = []
        self.errors: list[DiscoveryError] = []
        # Folders given (or the default ".") that hold no manifest: not an input error; the
        # run looks at their code instead ("no manifest yet", AIA808).
        self.empty: list[Path] = []
        # Untracked files that are not ignored, per folder listed by git (relative to it).
        self.untracked: dict[Path, list[str]] = {}


def git_available() -> bool:
    import shutil  # imported here: naming manifest files needs neither shutil nor subprocess

    return shutil.which("git") is not None


def _git_manifests(folder: Path, untracked: dict[Path, list[str]]) -> list[Path]:
    """Tracked manifests (by name: a literal-suffix pathspec costs git little, where a ``**``
    glob costs a match per file) and untracked files that are not ignored. Listing the
    untracked files means walking the work tree; the code scan reuses this listing
    (``untracked[folder]``, paths relative to it) instead of walking it a second time."""
    import subprocess

    from aiact_lint.gitsafe import git_env

    specs = [f"*{name}" for name in MANIFEST_NAMES]
    commands = (
        ["git", "ls-files", "-z", "--cached", "--", *specs],
        ["git", "ls-files", "-z", "--others", "--exclude-standard"],
    )
    procs = [
        subprocess.Popen(
            command,
            cwd=folder,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=git_env(folder),
        )
        for command in commands
    ]
    outputs = [proc.communicate() for proc in procs]
    for proc, (_out, err) in zip(procs, outputs):
        if proc.returncode != 0:
            message = err.decode("utf-8", "replace").strip().splitlines()
            raise DiscoveryError(
                str(folder), "git ls-files failed: " + (message[0] if message else "")
            )
    tracked = [os.fsdecode(raw) for raw in outputs[0][0].split(b"\0") if raw]
    others = [os.fsdecode(raw) for raw in outputs[1][0].split(b"\0") if raw]
    untracked[folder] = others
    names = [*tracked, *others]
    return [folder / name for name in names if os.path.basename(name) in MANIFEST_NAMES]


def _walk_manifests(folder: Path) -> list[Path]:
    """os.walk's classification (links to folders count as folders, never entered), done with
    a stack: os.walk recurses once per level before Python 3.12, so a tree a few thousand
    folders deep would exhaust the recursion limit."""
    found = []
    pending = [str(folder)]
    while pending:
        current = pending.pop()
        try:
            with os.scandir(current) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except OSError:
            continue  # unreadable folder: os.walk skips it too
        subfolders = []
        for entry in entries:
            try:
                is_dir, is_link = entry.is_dir(), entry.is_symlink()
            except OSError:
                is_dir, is_link = False, True
            if is_dir and (entry.name in SKIP_DIRS or entry.name.endswith(".egg-info")):
                continue
            if entry.name in MANIFEST_NAMES:
                # A folder so named is reported as "is a directory" when read.
                found.append(Path(current) / entry.name)
            if is_dir and not is_link:
                subfolders.append(entry.path)
        pending.extend(reversed(subfolders))
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
                    found = _git_manifests(absolute, discovery.untracked)
                else:
                    found = _walk_manifests(absolute)
            except (DiscoveryError, OSError) as error:
                message = error.message if isinstance(error, DiscoveryError) else str(error)
                discovery.errors.append(DiscoveryError(given, message))
                continue
            candidates = [p for p in found if p.exists() or p.is_symlink()]
            if not candidates:
                discovery.empty.append(absolute)
        else:
            candidates = [absolute]
        for candidate in candidates:
            if candidate not in seen:
                seen.add(candidate)
                discovery.manifests.append(candidate)
    discovery.manifests.sort(key=lambda p: p.as_posix())
    return discovery
