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
    if not options.manifest_only:
        from aiact_lint.repo.files import tracked_files

        tracked_files.cache_clear()  # one listing of the index per run, never a stale one
    code_scans = None
    if not options.manifest_only:
        from aiact_lint.repo.code_scan import CodeScans

        # One code scan per repository root; git starts searching now, while Python works.
        code_scans = CodeScans(start=base)
    discovery = discover(options.paths, find_root(cwd))
    for error in discovery.errors:
        result.findings.append(make_finding("AIA003", error.path, (1, 1, 1, 2), error.message))
    manifests = []
    for file in discovery.manifests:
        if base == file.parent or base in file.parents:
            root = base
        else:
            root = find_root(file.parent) or file.parent
        manifest = read_manifest(file, root, path=relpath(file, base))
        system = analyse(manifest, options, code_scans)
        if options.staged and not options.manifest_only and manifest.valid:
            from aiact_lint.repo.evidence import judge_by_index

            judge_by_index(manifest, system)  # a hook run: what the commit will contain
        result.systems.append(system)
        result.findings.extend(system.findings)
        manifests.append(manifest)
    if code_scans is not None:  # AI use in files no manifest governs, once per run
        result.findings.extend(code_scans.unowned(options.paths, cwd, base, manifests))
    decide(result, manifests, options)  # config, waivers, baselines, --diff-base
    return result
