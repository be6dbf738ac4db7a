"""A folder with no manifest yet: say what the code shows, as ruff says what it found.

``aiact-lint check`` in a repository that has not adopted aiact-lint: each place the code uses a
model or an AI API is an AIA808 finding (file:line, the model or the SDK) naming the folder to
run ``aiact-lint init`` in; with no AI use either, there is nothing to check (exit 0). A weights
file is listed only when no source line names it (a finding at ``:1:1`` of a binary file helps
nobody when the line that loads it exists).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any, Optional

from aiact_lint.catalogue import make_finding
from aiact_lint.discover import MANIFEST_NAMES
from aiact_lint.findings import Finding
from aiact_lint.manifest import find_root


def governing_manifest(folder: Path) -> Optional[Path]:
    """The manifest of a folder above ``folder`` (up to the repository root), if any: that
    system's manifest governs the code here."""
    root = find_root(folder)
    for candidate in folder.parents:
        if root is not None and root != candidate and root not in candidate.parents:
            break
        for name in MANIFEST_NAMES:
            manifest = candidate / name
            if manifest.is_file() and not manifest.is_symlink():
                return manifest
        if candidate == root:
            break
    return None


def _shown_folder(folder: Path) -> str:
    try:
        shown = os.path.relpath(folder).replace(os.sep, "/")
    except ValueError:
        shown = folder.as_posix()
    return shown


def _init_command(folder: Path) -> str:
    shown = _shown_folder(folder)
    return "run `aiact-lint init` here" if shown == "." else f"run `aiact-lint init {shown}`"


def ai_use_findings(folder: Path, base: Path) -> list[Finding]:
    """AIA808 for every AI use under ``folder``, which holds no manifest."""
    from aiact_lint.repo.code_scan import scan_repository
    from aiact_lint.repo.services import service_of

    root = find_root(folder) or folder
    use_git = (root / ".git").exists() and shutil.which("git") is not None
    here = folder.relative_to(root).as_posix() if folder != root else ""
    index = scan_repository(root, use_git=use_git, scope=[here])

    def under(rel: str) -> bool:
        return not here or rel == here or rel.startswith(here + "/")

    def path_of(rel: str) -> str:
        target = root.joinpath(*rel.split("/"))
        try:
            return target.relative_to(base).as_posix()
        except ValueError:
            return target.as_posix()

    references = [r for r in index.references if under(r.path)]
    named_lines = {(r.path, r.line) for r in references if r.model is not None}
    references = [
        r for r in references if r.model is not None or (r.path, r.line) not in named_lines
    ]
    loaded = {(r.model or "").lstrip("./") for r in references if r.kind != "weights"}
    findings = []
    for ref in references:
        if ref.kind == "weights" and any(name and ref.path.endswith(name) for name in loaded):
            continue  # the source line that loads these weights is listed instead
        if index.suppressed(ref.path, [ref.line, ref.use_line], "AIA808"):
            continue
        service = service_of(root, here, ref.path)
        findings.append(
            make_finding(
                "AIA808",
                path_of(ref.path),
                ref.span,
                f"{_what(ref)}, but no aiact.yaml describes the system; "
                f"{_init_command(root / service if service else root)}",
                subject=f"no-manifest:{ref.path}:{ref.model or ref.provider}",
            )
        )
    return findings


def _what(ref: Any) -> str:
    if ref.kind == "weights":
        return f'model weights "{ref.path}" are in the repository'
    if ref.model is None:
        return f"{ref.provider} is called here (the code does not name the model)"
    return f'model "{ref.model}" ({ref.provider}) is used here'
