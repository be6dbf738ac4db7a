"""Where one system of a monorepo starts: the folder an ``aiact.yaml`` for some code belongs in.

Used to tell a user which folder to run ``aiact-lint init`` in (``check`` without a manifest) and
to offer one manifest per service at the root of a monorepo (``init``), never one for all.
"""

from __future__ import annotations

from pathlib import Path

# A folder holding its own project file is a system's root; so is each child of a folder that
# holds services side by side.
PROJECT_FILES = (
    "pyproject.toml",
    "setup.py",
    "setup.cfg",
    "requirements.txt",
    "package.json",
    "Dockerfile",
    "go.mod",
    "Cargo.toml",
    "pom.xml",
    "build.gradle",
    "build.gradle.kts",
    "Gemfile",
    "composer.json",
)
CONTAINERS = frozenset({"services", "apps", "packages", "projects", "microservices", "systems"})


def service_of(root: Path, folder: str, rel: str) -> str:
    """The service folder (root-relative) that file ``rel`` under ``folder`` belongs to: the
    highest folder below ``folder`` with a project file, else a child of a services/apps/...
    folder, else ``folder`` itself."""
    parts = rel.split("/")
    start = len(folder.split("/")) if folder else 0
    for depth in range(start + 1, len(parts)):
        candidate = "/".join(parts[:depth])
        if any((root / candidate / name).is_file() for name in PROJECT_FILES):
            return candidate
    for depth in range(start, len(parts) - 2):
        if parts[depth] in CONTAINERS:
            return "/".join(parts[: depth + 2])
    return folder
