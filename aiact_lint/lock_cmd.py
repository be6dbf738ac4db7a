"""``aiact-lint lock``: record the reviewed determination of each system in its aiact.lock.

Only valid manifests are locked, and nothing is written when any selected manifest is invalid.
Without paths, only the locks that are missing, unreadable or out of date are (re)written, so a
reviewer never signs for a system they did not look at; naming a system's folder or manifest
records a fresh review of it even when its verdict did not change (a new intended purpose on
the same tier, for instance).
"""

from __future__ import annotations

import datetime
import os
import sys
from pathlib import Path
from typing import NamedTuple

from aiact_lint.config import SettingsError
from aiact_lint.lock import (
    LockProblem,
    LockRefused,
    Review,
    facts_of,
    lock_file,
    lock_name,
    parse,
    read_text,
    render,
    write,
)
from aiact_lint.manifest import Manifest, find_root, read_manifest, relpath
from aiact_lint.options import Options


class Planned(NamedTuple):
    manifest: Manifest
    target: Path
    shown: str  # the lock's path as the user reads it
    text: str
    summary: str
    reason: str  # why it is (re)written, "" when it is up to date


def _manifests(options: Options) -> list[Manifest]:
    from aiact_lint.discover import discover

    cwd = Path(os.getcwd())
    base = find_root(cwd) or cwd
    discovery = discover(options.paths, find_root(cwd))
    if discovery.errors:
        raise SettingsError("; ".join(str(error) for error in discovery.errors))
    manifests = []
    for file in discovery.manifests:
        if base == file.parent or base in file.parents:
            root = base
        else:
            root = find_root(file.parent) or file.parent
        manifests.append(read_manifest(file, root, path=relpath(file, base)))
    return manifests


def _invalid(manifests: list[Manifest]) -> list[str]:
    from aiact_lint.catalogue import get

    problems = []
    for manifest in manifests:
        errors = [f for f in manifest.findings if get(f.rule).input_error]
        if errors:
            first = errors[0]
            problems.append(
                f"{first.path}:{first.line}:{first.column}: {first.rule} {first.message}"
            )
    return problems


def plan(options: Options, review: Review, explicit: bool) -> list[Planned]:
    """What ``lock`` would write, per valid manifest; SettingsError when any is invalid."""
    from aiact_lint.classify import determine

    manifests = _manifests(options)
    invalid = _invalid(manifests)
    if invalid:
        raise SettingsError(
            "cannot lock an invalid manifest (nothing was written); fix it first "
            "(`aiact-lint check` shows every problem): " + "; ".join(invalid)
        )
    planned = []
    for manifest in manifests:
        det = determine(manifest.data, options.as_of, options.policy)
        models = [m.as_json() for m in det.models]
        facts = facts_of(det.in_scope, det.risk, det.routes, det.roles, models)
        name = manifest.get("system", "name")
        text = render(manifest.file.name, name if isinstance(name, str) else "", facts, review)
        target = lock_file(manifest.file)
        existing, problem = read_text(manifest.root, relpath(target, manifest.root))
        if existing == text:
            reason = ""
        elif existing is None and not problem:
            reason = "new"
        elif existing is None:
            reason = f"replacing an unusable lock ({problem})"
        else:
            try:
                old = parse(existing)
            except LockProblem as error:
                reason = f"replacing an unreadable lock ({error.message})"
            else:
                if old.facts != facts:
                    reason = "the determination changed"
                elif explicit:
                    reason = "review recorded again"
                else:
                    reason = ""
        routes = ", ".join(facts.route_labels()) or "no route"
        summary = (
            f"risk {facts.risk} ({routes}); roles {', '.join(facts.roles) or 'none'}; "
            f"reviewed by {review.reviewed_by} on {review.reviewed_on.isoformat()}"
        )
        planned.append(Planned(manifest, target, lock_name(manifest.path), text, summary, reason))
    return planned


def _reviewer(value: str) -> str:
    text = value.strip()
    if not text:
        raise SettingsError("--reviewer must name who reviewed the determination")
    if any(not ch.isprintable() for ch in text):
        raise SettingsError("--reviewer must be one line of printable text")
    return text


def run_lock(
    options: Options,
    reviewer: str,
    reviewed_on: datetime.date | None,
    note: str | None,
    dry_run: bool,
) -> int:
    review = Review(
        _reviewer(reviewer),
        reviewed_on or datetime.date.today(),
        (note or "").strip(),
    )
    planned = plan(options, review, explicit=bool(options.paths))
    for item in planned:
        if item.reason and (item.target.is_symlink() or item.target.is_dir()):
            raise SettingsError(f"{item.shown} is not a regular file; refusing to replace it")
    out = sys.stdout
    for item in planned:
        if dry_run:
            out.write(f"# --- {item.shown} ({item.reason or 'up to date'}) ---\n{item.text}")
            continue
        if not item.reason:
            out.write(f"unchanged {item.shown}: up to date\n")
            continue
        try:
            write(item.target, item.text)
        except LockRefused as error:
            raise SettingsError(str(error)) from None
        out.write(f"wrote {item.shown} ({item.reason}): {item.summary}\n")
    if not planned:
        out.write("no manifest to lock\n")
    return 0
