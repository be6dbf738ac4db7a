"""Detector: AI use in files that no manifest governs (AIA855), one finding per folder."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from aiact_lint.catalogue import make_finding
from aiact_lint.findings import Finding
from aiact_lint.repo.scan.ownership import (
    _group_folder,
    _ordered_dirs,
    _Ownership,
    _with_ancestors,
)
from aiact_lint.repo.scan.records import CodeIndex, Reference


def check_unowned(
    index: CodeIndex,
    root: Path,
    manifest_dirs: list[str],
    path_of: Callable[[str], str],
    within: list[str] | None = None,
) -> list[Finding]:
    """AI use in files no manifest governs: one finding per folder, at its first reference.

    ``within`` limits the report to files under these root-relative folders ("" = all)."""
    dirs = _ordered_dirs(manifest_dirs, index.manifest_dirs)
    ownership = _Ownership(index, frozenset(dirs))
    above = _with_ancestors(dirs)
    scope = [""] if within is None else [w.strip("/") for w in within]
    groups: dict[str, list[Reference]] = {}
    for ref in ownership.references.get(None, ()):
        if not any(w == "" or ref.path == w or ref.path.startswith(w + "/") for w in scope):
            continue
        if index.suppressed(ref.path, [ref.line, ref.use_line], "AIA855"):
            continue
        groups.setdefault(_group_folder(ref.path, dirs, above), []).append(ref)
    findings = []
    for folder, refs in sorted(groups.items()):
        # Point at a source line where one exists, not at line 1 of a binary weights file.
        first = next((r for r in refs if r.kind != "weights"), refs[0])
        files = len({r.path for r in refs})
        models = sorted({r.model for r in refs if r.model is not None})
        shown = ", ".join(f'"{m}"' for m in models[:5]) + (", ..." if len(models) > 5 else "")
        what = (
            f"model{'s' if len(models) > 1 else ''} {shown}"
            if models
            else f"{first.provider} calls"
        )
        count = f"{len(refs)} reference{'s' if len(refs) > 1 else ''}"
        if folder == first.path:
            where = "this file"
        else:
            where = f"{folder}/"
            count += f" in {files} file{'s' if files > 1 else ''} under {where}"
        findings.append(
            make_finding(
                "AIA855",
                path_of(first.path),
                first.span,
                f"AI use outside any manifest: {what} ({count}); no aiact.yaml governs {where}",
                fix=(
                    f"Create an aiact.yaml in {folder if folder != first.path else 'its folder'} "
                    "declaring the system and its models (`aiact-lint init`), move the code under "
                    "the folder of the system it belongs to, or suppress the first reference with "
                    "a reason."
                ),
                subject=f"unowned:{folder}",
            )
        )
    return findings
