"""``check --fix`` / ``--unsafe-fixes`` / ``--add-noqa REASON`` / ``--diff`` / ``--force``.

1. check as usual; 2. plan the edits the findings call for; 3. compute every new text (manifests
through the ruamel round trip, validated against the schema; code files with suppression
comments); 4. ``--diff``: print the unified diff and write nothing (exit 1 when there is a
change, as ruff does); else refuse when a file to write has uncommitted changes (or the
repository is not under git) unless ``--force``, write atomically, and check again: the exit
code and the report are those of the check after the fixes.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Callable, Optional

from aiact_lint.fix import noqa, yaml_edit
from aiact_lint.fix.files import FixRefused, read_text, uncommitted, unified_diff, write_atomic
from aiact_lint.fix.plan import NOQA, Edit, Plan, plan_fixes
from aiact_lint.options import Options
from aiact_lint.result import CheckResult
from aiact_lint.safetext import escape, inert_lines, message


class FileChange:
    def __init__(self, file: Path, before: str, after: str, edits: list[Edit]) -> None:
        self.file = file
        self.before = before
        self.after = after
        self.edits = edits
        self.notes: list[str] = []


def _root(file: Path) -> Path:
    from aiact_lint.manifest import find_root

    return find_root(file.parent) or file.parent


def _display(file: Path) -> str:
    try:
        return os.path.relpath(file).replace(os.sep, "/")
    except ValueError:
        return file.as_posix()


def _manifest_problem(file: Path, text: str) -> Optional[str]:
    """Why the fixed manifest would not be a valid one (then it is not written)."""
    from aiact_lint.manifest import Manifest, validate
    from aiact_lint.yamlsafe import YamlProblem, load

    try:
        doc = load(text)
    except YamlProblem as problem:
        return problem.message
    manifest = Manifest(file=file, root=_root(file), doc=doc)
    problems = [f"{f.rule} {f.message}" for f in validate(manifest)]
    return "; ".join(problems) or None


def compute_changes(plan: Plan) -> tuple[list[FileChange], list[str]]:
    """The new text of every file the plan edits; and what could not be done, and why."""
    by_file: dict[Path, list[Edit]] = {}
    for edit in plan.edits:
        by_file.setdefault(edit.file, []).append(edit)
    changes: list[FileChange] = []
    problems: list[str] = []
    for file in sorted(by_file, key=lambda f: f.as_posix()):
        edits = by_file[file]
        try:
            before = read_text(_root(file), file)
        except FixRefused as refused:
            problems.append(str(refused))
            continue
        code_edits = [e for e in edits if e.kind == NOQA]
        manifest_edits = sorted((e for e in edits if e.kind != NOQA), key=lambda e: e.order)
        after = before
        notes: list[str] = []
        if manifest_edits:
            try:
                for edit in manifest_edits:
                    assert edit.change is not None
                    after = yaml_edit.edit(after, edit.change)
            except (yaml_edit.EditFailed, Exception) as error:  # ruamel may refuse odd YAML
                problems.append(f"{_display(file)}: not fixed ({error})")
                continue
            problem = _manifest_problem(file, after)
            if problem is not None:
                problems.append(
                    f"{_display(file)}: not fixed, the result would be invalid: {problem}"
                )
                continue
        if code_edits:
            reason = _reason_of(code_edits)
            placements = [e.placement for e in code_edits if e.placement is not None]
            after, skipped = noqa.add_suppressions(_rel(file), after, placements, reason)
            notes += [
                f"{_display(file)}:{s.line}: no suppression written: {s.why}" for s in skipped
            ]
        change = FileChange(file, before, after, edits)
        change.notes = notes
        problems += notes
        if after != before:
            changes.append(change)
    return changes, problems


def _reason_of(edits: list[Edit]) -> str:
    return next((e.reason for e in edits if e.reason), "")


def _rel(file: Path) -> str:
    return file.name if file.parent == file else Path(os.path.relpath(file, _root(file))).as_posix()


def run_fix(
    options: Options,
    *,
    fix: bool,
    unsafe: bool,
    noqa_reason: Optional[str],
    diff: bool,
    force: bool,
    check: Callable[[Options], CheckResult],
) -> tuple[CheckResult, int]:
    """Fix, then check again: the result to report and the exit code."""
    if noqa_reason is not None:
        noqa_reason = noqa.clean_reason(noqa_reason)
        if not noqa_reason:
            raise FixRefused(
                "--add-noqa needs a reason: the scan honours no suppression without one"
            )
    result = check(options)
    if result.input_error:
        return result, result.exit_code()  # never edit a manifest that cannot be read
    plan = plan_fixes(result, fix=fix, unsafe=unsafe, noqa_reason=noqa_reason)
    changes, problems = compute_changes(plan)
    for problem in problems:  # they quote the file and the YAML parser's view of it
        sys.stderr.write(f"aiact-lint: {message(problem)}\n")
    if diff:
        for change in changes:
            shown = unified_diff(_display(change.file), change.before, change.after)
            sys.stdout.write(inert_lines(escape(shown, newlines=True)))
        fixed = sum(len(c.edits) for c in changes)
        sys.stderr.write(
            f"aiact-lint: --diff: {fixed} fix(es) in {len(changes)} file(s) would be applied; "
            "nothing written\n" + _hidden(plan)
        )
        return result, 1 if changes else 0
    if changes:
        _refuse_dirty(changes, force)
        for change in changes:
            write_atomic(change.file, change.after)
    fixed = sum(len(c.edits) for c in changes)
    after = check(options) if changes else result
    remaining = len([f for f in after.findings if not f.waived])
    sys.stderr.write(
        f"aiact-lint: fixed {fixed} finding(s) in {len(changes)} file(s); {remaining} remaining\n"
        + "".join(f"  {message(f'{_display(c.file)}: {_summary(c)}')}\n" for c in changes)
        + _hidden(plan)
    )
    return after, after.exit_code()


def _summary(change: FileChange) -> str:
    return "; ".join(dict.fromkeys(edit.description for edit in change.edits))


def _hidden(plan: Plan) -> str:
    if not plan.hidden_unsafe:
        return ""
    return (
        f"aiact-lint: {plan.hidden_unsafe} more fix(es) change a legal claim "
        "(risk.classification, roles); review them with --unsafe-fixes --diff\n"
    )


def _refuse_dirty(changes: list[FileChange], force: bool) -> None:
    if force:
        return
    by_root: dict[Path, list[Path]] = {}
    for change in changes:
        by_root.setdefault(_root(change.file), []).append(change.file)
    for root, files in by_root.items():
        dirty = uncommitted(root, files)
        if dirty is None:
            raise FixRefused(
                f"{_display(root)} is not a git repository (or git cannot tell what is "
                "committed), so a fix could not be undone; commit the files first, review the "
                "change with --diff, or pass --force"
            )
        if dirty:
            names = ", ".join(_display(f) for f in dirty)
            raise FixRefused(
                f"refusing to fix files with uncommitted changes: {names}; commit or stash "
                "them (then `git diff` shows exactly what the fix changed), review with --diff, "
                "or pass --force"
            )
