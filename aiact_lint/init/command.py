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
from pathlib import Path
from typing import Any

from aiact_lint.init.dialogue import Dialogue, arg, choose_mode, validate_flags
from aiact_lint.init.files import WriteRefused, existing_manifest, target_for, write_manifest
from aiact_lint.init.manifest_text import Todo, evidence_suggestion, render
from aiact_lint.init.prompts import InitAborted, Prompter

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
    from aiact_lint.classify import determine
    from aiact_lint.obligations import evaluate

    validate_flags(args)
    interactive = choose_mode(args)
    if not interactive and not arg(args, "purpose"):
        raise InitAborted(
            '--purpose "..." is required when nothing is asked (the intended '
            "purpose is what the law classifies)"
        )
    target = target_for(arg(args, "path") or ".")
    folder = target.parent
    if not folder.is_dir():
        raise InitAborted(f"{folder} is not a folder")
    existing = existing_manifest(target)
    if existing is not None and not arg(args, "force") and not arg(args, "dry_run"):
        raise InitAborted(
            f"{existing} already exists; pass --force to replace it (the old one is kept as "
            "a backup)"
        )
    as_of = arg(args, "as_of") or datetime.date.today()
    policy = arg(args, "policy") or "commission_one_third"
    prompter = Prompter(interactive)
    if interactive:
        prompter.say(
            f"aiact-lint init: describe one AI system for {target}. Enter takes the [default]; "
            "Ctrl-D stops without writing anything."
        )
    dialogue = Dialogue(prompter, args, folder)
    answers = dialogue.run()
    data = answers.data()
    det = determine(data, as_of, policy)
    obligations = evaluate(data, det, as_of)
    todos = todos_for(obligations)
    text = render(answers, det.risk, todos, as_of)
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
        _closing(prompter, todos, dialogue.not_accepted, target, written=False)
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
    _closing(prompter, todos, dialogue.not_accepted, written, written=True)
    return 0


def _closing(
    p: Prompter, todos: list[Todo], not_accepted: list[str], target: Path, written: bool
) -> None:
    if todos:
        p.say()
        p.say(
            "TODO: evidence the obligations ask for (commented out in the manifest, not claimed):"
        )
        for todo in todos:
            p.say(f"  [ ] {todo.key}: {todo.line()}")
    if not_accepted:
        p.say()
        p.say("Suggestions not accepted (answer them with flags, or --yes to accept):")
        for label in not_accepted:
            p.say(f"  - {label}")
    if written:
        p.say()
        p.say(f"Next: aiact-lint check {target}")
