"""The ``check`` spine: discover manifests, load each, analyse it, collect one result."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

from aiact_lint.catalogue import make_finding
from aiact_lint.decide import decide
from aiact_lint.discover import discover
from aiact_lint.engine import analyse
from aiact_lint.inventory import declared
from aiact_lint.lock import lock_file
from aiact_lint.manifest import find_root, read_manifest, relpath
from aiact_lint.options import Options
from aiact_lint.output_guard import files_named_by
from aiact_lint.result import CheckResult

if TYPE_CHECKING:
    from aiact_lint.history import History


def run_check(options: Options) -> CheckResult:
    cwd = Path(os.getcwd())
    base = find_root(cwd) or cwd
    result = CheckResult(options=options)
    if not options.manifest_only:
        from aiact_lint.repo.files import tracked_files

        tracked_files.cache_clear()  # one listing of the index per run, never a stale one
    discovery = discover(options.paths, find_root(cwd))
    for error in discovery.errors:
        result.findings.append(make_finding("AIA003", error.path, (1, 1, 1, 2), error.message))
    files, empty = _no_manifest_folders(discovery.manifests, discovery.empty)
    code_scans = None
    if not options.manifest_only and files:
        from aiact_lint.repo.code_scan import CodeScans

        # One code scan per repository root, of the folders this run checks only; git starts
        # searching now, while Python reads the manifests and applies the law.
        scope = _scope(base, cwd, options.paths, files)
        listed = _untracked_in(base, scope, discovery.untracked)
        code_scans = CodeScans(start=base, scope=scope, untracked=listed)
    manifests = []
    history = _history(options)
    derived: dict[str, dict[str, Any]] = {}
    for file in files:
        if base == file.parent or base in file.parents:
            root = base
        else:
            root = find_root(file.parent) or file.parent
        manifest = read_manifest(file, root, path=relpath(file, base))
        result.inputs += files_named_by(manifest)
        result.inputs.append(lock_file(manifest.file))  # the reviewed verdict: never overwritten
        if history is not None and manifest.parsed:
            from aiact_lint.purpose_change import purpose_change

            changed = purpose_change(history, manifest, options)
            if changed is not None:
                derived[manifest.path] = {changed.name: changed}
        options.derived_facts = derived
        system = analyse(manifest, options, code_scans)
        system.inventory = declared(manifest)  # for the ML-BOM formats and `register`
        if options.staged and not options.manifest_only and manifest.valid:
            from aiact_lint.repo.evidence import judge_by_index

            judge_by_index(manifest, system)  # a hook run: what the commit will contain
        result.systems.append(system)
        result.findings.extend(system.findings)
        manifests.append(manifest)
    if code_scans is not None:  # AI use in files no manifest governs, once per run
        result.findings.extend(code_scans.unowned(options.paths, cwd, base, manifests))
    if empty and not options.manifest_only:  # no manifest yet: what the code shows
        from aiact_lint.repo.no_manifest import ai_use_findings

        for folder in empty:
            result.findings.extend(ai_use_findings(folder, base))
    if history is not None:
        history.close()
    result.manifests = manifests
    decide(result, manifests, options)  # config, waivers, baselines, --diff-base
    return result


def _history(options: Options) -> Optional[History]:
    """The --diff-base repository, opened for the derived purpose-change facts (or None).

    Any problem opening it is left to the decision step, which reports it as an input error.
    """
    if not options.diff_base:
        return None
    from aiact_lint.config import SettingsError
    from aiact_lint.decide import _open_history

    try:
        return _open_history(options)
    except SettingsError:
        return None


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


def _scope(base: Path, cwd: Path, paths: list[str], manifests: list[Path]) -> list[str]:
    """The folders (relative to ``base``) whose code this run reads: the folders given, and
    the folder of every manifest checked (which owns its whole folder). "" is everything."""
    folders = []
    for given in paths or ["."]:
        absolute = Path(os.path.abspath(cwd / given))
        folders.append(absolute if absolute.is_dir() else absolute.parent)
    folders += [file.parent for file in manifests]
    scope = set()
    for folder in folders:
        try:
            rel = folder.relative_to(base).as_posix()
        except ValueError:
            continue  # another repository: scanned as a whole, on its own
        scope.add("" if rel == "." else rel)
    if "" in scope:
        return [""]
    # A folder inside another one in scope adds nothing.
    ordered = sorted(scope)
    return [f for f in ordered if not any(f.startswith(o + "/") for o in ordered if o != f)]


def _untracked_in(
    base: Path, scope: list[str], listings: dict[Path, list[str]]
) -> list[str] | None:
    """The untracked files of ``scope`` (relative to ``base``) from discovery's listings, when
    they cover the whole scope; None: the code scan lists them itself."""
    found: list[str] = []
    for folder in scope:
        for listed, names in listings.items():
            try:
                prefix = listed.relative_to(base).as_posix()
            except ValueError:
                continue
            prefix = "" if prefix == "." else prefix
            if prefix == folder or not prefix or folder.startswith(prefix + "/"):
                for name in names:
                    rel = f"{prefix}/{name}" if prefix else name
                    if not folder or rel.startswith(folder + "/"):
                        found.append(rel)
                break
        else:
            return None
    return sorted(set(found))
