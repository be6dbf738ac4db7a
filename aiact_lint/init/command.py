"""``aiact-lint init``: ask the questions the law turns on, print the determination, write the
manifest.

Modes (see docs/init-and-report.md):

* interactive — on a terminal, or with ``--interactive`` from any standard input (a pipe): every
  question not answered by a flag is asked, with its choices and a default (Enter takes it);
  every suggestion (Annex III points from the purpose, models and capabilities from the code) is
  offered for acceptance or rejection;
* non-interactive — ``--yes``, or flags on a standard input that is not a terminal: nothing is
  asked; the flags are the answers, facts no flag gives are left out of the manifest, and
  suggestions are accepted only with ``--yes`` (else listed as not accepted).

Without a terminal, ``--interactive``, ``--yes`` or any answer flag the command refuses (exit 2)
rather than wait on a standard input nobody writes to.
"""

from __future__ import annotations

import argparse
import datetime
import os
from pathlib import Path
from typing import Any

from aiact_lint.init.dialogue import Dialogue, arg, choose_mode, validate_flags
from aiact_lint.init.files import (
    MANIFEST_NAMES,
    WriteRefused,
    existing_manifest,
    target_for,
    write_manifest,
)
from aiact_lint.init.manifest_text import Todo, evidence_suggestion, render
from aiact_lint.init.prompts import InitAborted, Prompter
from aiact_lint.init.suggest import CodeFindings, scan_code
from aiact_lint.lock import lock_file
from aiact_lint.manifest import find_root
from aiact_lint.options import today_utc
from aiact_lint.schema.local_copy import COPY_NAME, find_copy, modeline_path, write_copy

ROLE_ORDER = (
    "provider",
    "deployer",
    "importer",
    "distributor",
    "authorised_representative",
    "product_manufacturer",
)

InitError = InitAborted  # what cmd_init turns into a usage error (exit code 2)


# --- determination, TODOs, output ---------------------------------------------------------------


def todos_for(obligations: list[Any]) -> list[Todo]:
    """Evidence the applicable obligations ask for and the manifest cannot point at yet."""
    todos: list[Todo] = []
    seen: set[str] = set()
    for item in obligations:
        key = item.evidence_key
        if item.status == "exempt" or key is None or item.evidence is not None or key in seen:
            continue
        seen.add(key)
        todos.append(
            Todo(
                key=key,
                article=item.article,
                title=item.title,
                applies_from=item.applies_from,
                suggestion=evidence_suggestion(key),
                upcoming=item.status == "upcoming",
            )
        )
    return todos


def describe(det: Any, obligations: list[Any], as_of: datetime.date) -> list[str]:
    from aiact_lint import LAW_VERSION

    risk = det.risk
    lines = [f"Determination as of {as_of.isoformat()} ({LAW_VERSION}):"]
    tier = {
        "prohibited": "a prohibited practice (Art. 5)",
        "high": "a high-risk system (Art. 6)",
        "limited": "transparency duties (Art. 50)",
        "minimal": "no Art. 5, Art. 6 or Art. 50 route",
        "out_of_scope": "outside the scope of the AI Act",
    }.get(risk, "")
    lines.append(f"  risk: {risk} — {tier}")
    lines.append(f"  routes: {', '.join(det.routes) or 'none'}")
    lines.append(f"  roles: {', '.join(det.roles) or 'none'}")
    for reason in det.reasons:
        lines.append(f"  - {reason.text} [{reason.article}]")
    for model in det.models:
        lines.append(f"  - model {model.id}: GPAI status {model.status}")
    if risk == "prohibited":
        lines.append(
            "  ! A prohibited practice may not be placed on the market, put into service or "
            "used in the Union at all."
        )
    now = [o for o in obligations if o.status in ("met", "missing")]
    later = [o for o in obligations if o.status == "upcoming"]
    exempt = [o for o in obligations if o.status == "exempt"]
    if obligations:
        dates = sorted({o.applies_from.isoformat() for o in later})
        parts = [f"{len(now)} apply now"]
        if later:
            parts.append(f"{len(later)} upcoming (from {', '.join(dates)})")
        if exempt:
            parts.append(f"{len(exempt)} exempt")
        lines.append(f"  obligations: {len(obligations)} — {'; '.join(parts)}")
    else:
        lines.append("  obligations: none for these roles and facts")
    return lines


def _manifest_problems(text: str, target: Path) -> list[str]:
    """Schema problems of the text about to be written (a bug if any: never written)."""
    from aiact_lint.manifest import Manifest, validate
    from aiact_lint.yamlsafe import YamlProblem, load

    try:
        doc = load(text)
    except YamlProblem as problem:
        return [problem.message]
    manifest = Manifest(file=target.resolve(), root=target.resolve().parent, doc=doc)
    return [f"{f.rule} {f.message}" for f in validate(manifest)]


def run_init(args: argparse.Namespace) -> int:
    validate_flags(args)
    interactive = choose_mode(args)
    if not interactive and not arg(args, "purpose"):
        raise InitAborted(
            '--purpose "..." is required when nothing is asked (the intended '
            "purpose is what the law classifies)"
        )
    given = arg(args, "path") or "."
    target = target_for(given)
    folder = target.parent
    if not folder.is_dir():
        raise InitAborted(f"{folder} is not a folder")
    prompter = Prompter(interactive)
    code = (
        scan_code(folder) if arg(args, "code_scan") is not False else CodeFindings(available=False)
    )
    for covered in code.covered:
        shown = _show(code, covered)
        prompter.say(
            f"{shown}/ already has its own manifest ({shown}/aiact.yaml): its code belongs to "
            "that system and is not swept in here."
        )
    services = _services(code, folder)
    one_system = Path(given).name in MANIFEST_NAMES or existing_manifest(target) is not None
    if services and not one_system:
        return _per_service(args, prompter, code, services, interactive)
    return _one(args, prompter, target, code)


def _services(code: CodeFindings, folder: Path) -> list[str]:
    """The service folders with AI use, when they are not just ``folder`` itself."""
    if code.root is None or not code.services:
        return []
    here = folder.resolve()
    rel = here.relative_to(code.root).as_posix() if here != code.root else ""
    found = sorted(code.services)
    return [] if found == [rel] else found


def _show(code: CodeFindings, rel: str) -> str:
    if code.root is None:
        return rel or "."
    return (
        os.path.relpath(code.root / rel).replace(os.sep, "/")
        if rel
        else (os.path.relpath(code.root).replace(os.sep, "/"))
    )


def _per_service(
    args: argparse.Namespace,
    prompter: Prompter,
    code: CodeFindings,
    services: list[str],
    interactive: bool,
) -> int:
    """A monorepo: one manifest per service folder with AI use, never one for all of them."""
    assert code.root is not None
    shown = [_show(code, s) for s in services]
    lines = [
        f"  {name}/ ({code.services[s]} model reference(s))" for name, s in zip(shown, services)
    ]
    if not interactive:
        commands = "; ".join(f'aiact-lint init {name} --yes --purpose "..."' for name in shown)
        raise InitAborted(
            f"the code here holds AI use in {len(services)} service folder(s): "
            f"{', '.join(n + '/' for n in shown)}. Each system gets its own manifest, so run "
            f"init in each: {commands} (or name ./aiact.yaml to describe everything here as "
            "one system)"
        )
    prompter.say("AI use found in these service folders (one aiact.yaml describes one system):")
    for line in lines:
        prompter.say(line)
    if not prompter.yes_no(
        "Write one aiact.yaml per service folder, each with its own questions", None, True
    ):
        prompter.say("Nothing written. Run `aiact-lint init FOLDER` for each system.")
        return 0
    for service, name in zip(services, shown):
        prompter.say()
        prompter.say(f"=== {name}/")
        target = target_for(str(code.root / service))
        if existing_manifest(target) is not None and not arg(args, "force"):
            prompter.say(f"  {name}/aiact.yaml already exists; skipped (--force replaces it).")
            continue
        _one(args, prompter, target, scan_code(target.parent))
    return 0


def _one(args: argparse.Namespace, prompter: Prompter, target: Path, code: CodeFindings) -> int:
    """One system: the dialogue, the determination, the manifest and what goes with it."""
    from aiact_lint.classify import determine
    from aiact_lint.obligations import evaluate

    folder = target.parent
    interactive = prompter.interactive
    existing = existing_manifest(target)
    if existing is not None and not arg(args, "force") and not arg(args, "dry_run"):
        raise InitAborted(
            f"{existing} already exists; pass --force to replace it (the old one is kept as "
            "a backup)"
        )
    as_of = arg(args, "as_of") or today_utc()
    policy = arg(args, "policy") or "commission_one_third"
    if interactive:
        prompter.say(
            f"aiact-lint init: describe one AI system for {target}. Enter takes the [default]; "
            "Ctrl-D stops without writing anything."
        )
    dialogue = Dialogue(prompter, args, folder, code if code.available else None)
    answers = dialogue.run()
    dialogue.settle(as_of, policy)
    det = determine(answers.data(), as_of, policy)
    added = [role for role in det.roles if role not in answers.roles]
    if added:  # the law gives a role the answers left out (Art. 3(3), Art. 25): write it
        order = {role: i for i, role in enumerate(ROLE_ORDER)}
        answers.roles = sorted({*answers.roles, *added}, key=lambda r: order.get(r, 99))
        why = "; ".join(r.text for r in det.reasons if "provider" in r.text) or "the facts"
        dialogue.accepted.append(f"roles: {', '.join(added)} added ({why})")
        if "provider" in added:  # the provider of the system may provide its models too
            answers.models = [dialogue.whose(model) for model in answers.models]
        dialogue.settle(as_of, policy)  # a new role can bring its own questions
        det = determine(answers.data(), as_of, policy)
    data = answers.data()
    obligations = evaluate(data, det, as_of)
    todos = todos_for(obligations)
    root = code.root or find_root(folder.resolve()) or folder.resolve()
    copy = find_copy(folder, root)
    new_copy = None
    if copy is None:
        copy = new_copy = root / COPY_NAME
    text = render(answers, det.risk, todos, as_of, url=modeline_path(folder, copy))
    problems = _manifest_problems(text, target)
    if problems:  # never write a manifest `check` would refuse
        raise RuntimeError("init produced an invalid manifest: " + "; ".join(problems))
    prompter.say()
    for line in describe(det, obligations, as_of):
        prompter.say(line)
    if arg(args, "dry_run"):
        prompter.say()
        prompter.say(f"--dry-run: {target} is not written; it would read:")
        prompter.say()
        prompter.out.write(text)
        _closing(prompter, dialogue, todos, target, written=False)
        return 0
    if interactive and not prompter.yes_no(f"Write {target}", None, True):
        prompter.say("Nothing written.")
        return 0
    try:
        written, backup = write_manifest(target, text, bool(arg(args, "force")))
    except WriteRefused as error:
        raise InitAborted(str(error)) from None
    prompter.say()
    saved = f" (the previous one is kept as {backup})" if backup is not None else ""
    prompter.say(f"Wrote {written}{saved}.")
    if new_copy is not None:
        try:
            write_copy(new_copy)
        except OSError as error:  # the manifest is written; the editor schema is a comfort
            prompter.say(f"Could not write {new_copy} ({error}); `aiact-lint schema -o` can.")
        else:
            prompter.say(
                f"Wrote {os.path.relpath(new_copy)}, the manifest schema your editor validates "
                "against (the modeline names it; `aiact-lint schema --output` refreshes it)."
            )
    _suppress_declined(prompter, dialogue, root)
    _closing(prompter, dialogue, todos, written, written=True)
    return 0


def _suppress_declined(p: Prompter, dialogue: Dialogue, root: Path) -> None:
    """What the user said no to stays answered: a suppression with a reason at each place the
    code shows it, so the next `check` does not raise it again (asked; --yes writes it)."""
    from aiact_lint.fix.files import uncommitted, write_atomic
    from aiact_lint.fix.noqa import Placement, add_suppressions

    for declined in dialogue.declined:
        if not declined.places:
            continue
        where = ", ".join(dialogue.show(f"{path}:{line}") for path, line in declined.places[:3])
        more = f" and {len(declined.places) - 3} more" if len(declined.places) > 3 else ""
        p.say()
        p.say(
            f"You declined {declined.label} the code shows at {where}{more}: `aiact-lint check` "
            f"reports {declined.code} there unless each place carries a suppression."
        )
        reason = declined.reason
        if p.interactive:
            if not p.yes_no(f"Write `aiact-lint: ignore[{declined.code}] ...` there", None, True):
                continue
            reason = p.text("Reason (kept next to the code)", None, default=reason) or reason
        elif not dialogue.accept:
            p.say(f'  aiact-lint check --add-noqa "{reason}" --select {declined.code} writes it.')
            continue
        files: dict[str, list[Placement]] = {}
        for path, line in declined.places:
            files.setdefault(path, []).append(Placement(line, (declined.code,)))
        dirty = set(uncommitted(root, [root / f for f in files]) or [])
        for rel, placements in sorted(files.items()):
            file = root / rel
            if file in dirty or uncommitted(root, [file]) is None:
                p.say(f"  {dialogue.show(rel)}: not written (uncommitted changes or no git)")
                continue
            text = file.read_text(encoding="utf-8")
            new, skipped = add_suppressions(rel, text, placements, reason)
            for item in skipped:
                p.say(f"  {dialogue.show(rel)}:{item.line}: not written ({item.why})")
            if new != text:
                write_atomic(file, new)
                p.say(f"  suppressed {declined.code} in {dialogue.show(rel)}")


def _closing(
    p: Prompter, dialogue: Dialogue, todos: list[Todo], target: Path, written: bool
) -> None:
    folder = target.parent
    if todos:
        p.say()
        p.say("TODO: evidence the obligations ask for (null in the manifest until written):")
        for todo in todos:
            shown = todo.suggestion
            if shown.startswith("docs/"):
                shown = os.path.relpath(folder / shown).replace(os.sep, "/")
            p.say(f"  [ ] {todo.key}: {todo.line(shown)}")
    if dialogue.accepted:
        p.say()
        p.say("Taken from the code, the known-models table or a default (check them):")
        for label in dialogue.accepted:
            p.say(f"  - {label}")
    if dialogue.not_accepted:
        p.say()
        p.say("Suggestions not accepted (answer them with flags, or --yes to accept):")
        for label in dialogue.not_accepted:
            p.say(f"  - {label}")
    if dialogue.notes:
        p.say()
        p.say("Notes:")
        for label in dialogue.notes:
            p.say(f"  - {label}")
    if dialogue.unanswered:
        p.say()
        p.say("Not answered yet (`check` asks these until they are):")
        for label in dialogue.unanswered:
            p.say(f"  - {label}")
    if written:
        shown = os.path.relpath(folder).replace(os.sep, "/")
        p.say()
        p.say(f"Next: aiact-lint check {shown}")
        # The review is a person's act, not init's: `check` warns (AIA930) until it is recorded,
        # and a lock left from an earlier manifest is compared with this one (AIA929).
        lock = lock_file(target)
        then = "re-run" if lock.exists() else "run"
        where = "" if shown == "." else f" {shown}"
        p.say(
            f"Then, after legal review of the determination, {then} `aiact-lint lock --reviewer "
            f'"NAME"{where}` and commit {os.path.relpath(lock).replace(os.sep, "/")}'
            + (" (it records the review of the previous manifest)." if lock.exists() else ".")
        )
