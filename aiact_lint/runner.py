"""The ``check`` spine: discover manifests, load each, analyse it, collect one result."""

from __future__ import annotations

import os
from pathlib import Path

from aiact_lint.catalogue import make_finding
from aiact_lint.decide import decide
from aiact_lint.discover import discover
from aiact_lint.engine import analyse
from aiact_lint.manifest import find_root, read_manifest, relpath
from aiact_lint.options import Options
from aiact_lint.result import CheckResult


def run_check(options: Options) -> CheckResult:
    cwd = Path(os.getcwd())
    base = find_root(cwd) or cwd
    result = CheckResult(options=options)
    code_scans = None
    if not options.manifest_only:
        from aiact_lint.repo.code_scan import CodeScans

        # One code scan per repository root; git starts searching now, while Python works.
        code_scans = CodeScans(start=base)
    discovery = discover(options.paths, find_root(cwd))
    for error in discovery.errors:
        result.findings.append(make_finding("AIA003", error.path, (1, 1, 1, 2), error.message))
    files, empty = _no_manifest_folders(discovery.manifests, discovery.empty)
    manifests = []
    for file in files:
        if base == file.parent or base in file.parents:
            root = base
        else:
            root = find_root(file.parent) or file.parent
        manifest = read_manifest(file, root, path=relpath(file, base))
        system = analyse(manifest, options, code_scans)
        result.systems.append(system)
        result.findings.extend(system.findings)
        manifests.append(manifest)
    if code_scans is not None:  # AI use in files no manifest governs, once per run
        result.findings.extend(code_scans.unowned(options.paths, cwd, base, manifests))
    if empty and not options.manifest_only:  # no manifest yet: what the code shows
        from aiact_lint.repo.no_manifest import ai_use_findings

        for folder in empty:
            result.findings.extend(ai_use_findings(folder, base))
    decide(result, manifests, options)  # config, waivers, baselines, --diff-base
    return result


def _no_manifest_folders(manifests: list[Path], empty: list[Path]) -> tuple[list[Path], list[Path]]:
    """A folder without a manifest of its own is governed by a manifest above it, if there is
    one (that system is checked); otherwise it has none yet."""
    if not empty:
        return manifests, []
    from aiact_lint.repo.no_manifest import governing_manifest

    files = list(manifests)
    without = []
    for folder in empty:
        above = governing_manifest(folder)
        if above is None:
            without.append(folder)
        elif above not in files:
            files.append(above)
    return sorted(files, key=lambda p: p.as_posix()), without
