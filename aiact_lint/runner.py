"""The ``check`` spine: discover manifests, load each, analyse it, collect one result."""

from __future__ import annotations

import os
from pathlib import Path

from aiact_lint.catalogue import make_finding
from aiact_lint.discover import discover
from aiact_lint.engine import analyse
from aiact_lint.manifest import find_root, read_manifest, relpath
from aiact_lint.options import Options
from aiact_lint.result import CheckResult


def run_check(options: Options) -> CheckResult:
    cwd = Path(os.getcwd())
    base = find_root(cwd) or cwd
    result = CheckResult(options=options)
    discovery = discover(options.paths, find_root(cwd))
    for error in discovery.errors:
        result.findings.append(make_finding("AIA003", error.path, (1, 1, 1, 2), error.message))
    for file in discovery.manifests:
        if base == file.parent or base in file.parents:
            root = base
        else:
            root = find_root(file.parent) or file.parent
        manifest = read_manifest(file, root, path=relpath(file, base))
        system = analyse(manifest, options)
        result.systems.append(system)
        result.findings.extend(system.findings)
    return result
