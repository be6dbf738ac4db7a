"""Command line: argparse -> Options, wiring of the pieces, exit codes. No legal logic here.

Imports of anything heavier than the standard library happen inside the command functions so
that ``aiact-lint check`` on one manifest starts fast enough for a pre-commit hook.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import os
import sys
from typing import Any, Callable, Sequence

from aiact_lint import LAW_VERSION, __version__
from aiact_lint.options import FAIL_LEVELS, POLICIES, Options

FORMATS = (
    "text",
    "json",
    "sarif",
    "github",
    "junit",
    "markdown",
    "gitlab",
    "cyclonedx",
    "spdx3",
    "auto",
)
JSON_FORMATS = ("json", "sarif", "gitlab", "cyclonedx", "spdx3")
MAX_NUMBER = 1e100  # yamlsafe.MAX_NUMBER: the largest number a manifest (or a flag) may hold
AS_OF_HELP = (
    "apply the law as at this date (default: today's date in UTC, so that the verdict does "
    "not depend on the machine's time zone)"
)


class Parser(argparse.ArgumentParser):
    """argparse, with its error messages escaped: they quote the arguments, and a pre-commit
    hook's arguments are file names from the repository (safetext.message)."""

    def error(self, message: str) -> Any:
        from aiact_lint.safetext import message as inert

        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {inert(message)}\n")


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a date of the form YYYY-MM-DD"
        ) from None


# How model cards write sizes: 7B parameters, 70M, 1.2T; 15T training tokens.
SCALE = {"K": 1e3, "M": 1e6, "B": 1e9, "G": 1e9, "T": 1e12, "P": 1e15}


def _flop(value: str) -> float:
    text = value.strip().replace("_", "")
    factor = 1.0
    if text[-1:].upper() in SCALE:
        factor = SCALE[text[-1].upper()]
        text = text[:-1]
    try:
        number = float(text) * factor
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a number (e.g. 7e9, 7B, 70M, 1.2T, 15T)"
        ) from None
    if not (0 <= number <= MAX_NUMBER):
        raise argparse.ArgumentTypeError(
            f"{value!r} must be a finite, non-negative number of at most 1e100"
        )
    return number


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="aiact-lint",
        description=(
            f"Check AI systems declared in aiact.yaml against the EU AI Act ({LAW_VERSION})."
        ),
        epilog="Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or input error.",
    )
    parser.add_argument("--version", action="version", version=f"aiact-lint {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = commands.add_parser("check", help="check manifests (default: every aiact.yaml here)")
    check.add_argument("paths", nargs="*", metavar="PATH", help="manifests or folders")
    check.add_argument(
        "--format",
        dest="output_format",
        choices=FORMATS,
        default=None,
        help="output format (default: text; github when GITHUB_ACTIONS=true)",
    )
    check.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE")
    check.add_argument("--as-of", type=_date, metavar="YYYY-MM-DD", help=AS_OF_HELP)
    check.add_argument(
        "--modification-policy",
        choices=POLICIES,
        dest="policy",
        help="who provides a modified GPAI model (default: commission_one_third)",
    )
    check.add_argument(
        "--fail-on", choices=FAIL_LEVELS, help="lowest severity that fails the run (default: error)"
    )
    check.add_argument(
        "--quiet",
        "-q",
        action="store_true",
        help="text format: errors and warnings and the summary only (no info, no fix lines)",
    )
    check.add_argument(
        "--manifest-only",
        action="store_true",
        help="check the manifests only, not the repository (fast; for pre-commit)",
    )
    check.add_argument(
        "--staged",
        action="store_true",
        help="judge evidence by the git index, i.e. what the commit will contain: a file that "
        "is not staged counts as missing (the pre-commit hooks pass this)",
    )
    colour = check.add_mutually_exclusive_group()
    colour.add_argument(
        "--color",
        dest="color",
        action="store_true",
        default=None,
        help="colour the text output even when not on a terminal",
    )
    colour.add_argument(
        "--no-color", dest="color", action="store_false", help="never colour the text output"
    )
    _add_decision_options(check)
    _add_fix_options(check)
    check.set_defaults(func=cmd_check)

    rules = commands.add_parser("rules", help="list the rule catalogue")
    rules.add_argument("--format", choices=("text", "json"), default="text")
    rules.set_defaults(func=cmd_rules)

    explain = commands.add_parser("explain", help="explain one rule: what, why, example, fix")
    explain.add_argument("rule", metavar="RULE", help="a rule code (AIA301) or name")
    explain.set_defaults(func=cmd_explain)

    schema = commands.add_parser(
        "schema",
        help="print the manifest JSON Schema, or write a copy for editors",
        description="Print the manifest JSON Schema. With --output, write it to a file (a "
        "folder: FOLDER/aiact.schema.json) that manifests name in their modeline by a relative "
        "path, `# yaml-language-server: $schema=../aiact.schema.json`, as `init` writes it.",
    )
    schema.add_argument(
        "--output", "-o", metavar="PATH", help="write the schema here (file or folder)"
    )
    schema.set_defaults(func=cmd_schema)

    compute = commands.add_parser(
        "compute", help="explain a training-compute calculation and the GPAI thresholds"
    )
    compute.add_argument(
        "--params", type=_flop, metavar="N", help="number of parameters (7e9, 7B, 70M, 1.2T)"
    )
    compute.add_argument(
        "--tokens", type=_flop, metavar="D", help="number of training tokens (2e12, 15T)"
    )
    compute.add_argument(
        "--base-flop",
        type=_flop,
        metavar="FLOP",
        help="published training compute of the (base) model",
    )
    compute.add_argument(
        "--modification-flop",
        type=_flop,
        metavar="FLOP",
        help="compute of our modification (fine-tune, continued pre-training...)",
    )
    compute.add_argument(
        "--modification-policy", choices=POLICIES, dest="policy", default="commission_one_third"
    )
    compute.set_defaults(func=cmd_compute)

    render_cmd = commands.add_parser(
        "render", help="render a saved `check --format json` result in another format"
    )
    render_cmd.add_argument(
        "--from",
        dest="source",
        required=True,
        metavar="FILE",
        help="the JSON result of `aiact-lint check --format json` (- = stdin)",
    )
    render_cmd.add_argument(
        "--format",
        dest="output_format",
        required=True,
        choices=[f for f in FORMATS if f != "auto"],
        help="output format",
    )
    render_cmd.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE")
    render_cmd.add_argument(
        "--quiet", "-q", action="store_true", help="text format: findings and the summary only"
    )
    render_cmd.set_defaults(func=cmd_render)

    init = commands.add_parser(
        "init",
        help="write an aiact.yaml by answering the questions the law turns on",
        description="Ask the questions the EU AI Act turns on (at a terminal, or with "
        "--interactive from standard input), suggest Annex III points and models found in the "
        "code, print the determination and write a commented aiact.yaml. Without a terminal, "
        "give the answers as flags; --yes accepts every suggestion.",
    )
    init.add_argument(
        "path",
        nargs="?",
        default=".",
        metavar="PATH",
        help="folder to write aiact.yaml in, or the manifest file itself (default: .)",
    )
    init_mode = init.add_mutually_exclusive_group()
    init_mode.add_argument(
        "--interactive",
        "-i",
        action="store_true",
        help="ask the questions even when standard input is not a terminal (e.g. a pipe)",
    )
    init_mode.add_argument(
        "--yes",
        "-y",
        action="store_true",
        help="ask nothing: the flags are the answers and every suggestion is accepted",
    )
    init.add_argument(
        "--force", action="store_true", help="replace an existing manifest (keeping a .bak copy)"
    )
    init.add_argument(
        "--dry-run", action="store_true", help="print the manifest instead of writing it"
    )
    init.add_argument(
        "--no-code-scan",
        dest="code_scan",
        action="store_false",
        help="do not look for models and capabilities in the code",
    )
    init.add_argument("--as-of", type=_date, metavar="YYYY-MM-DD", help=AS_OF_HELP)
    init.add_argument("--modification-policy", choices=POLICIES, dest="policy")
    answer = init.add_argument_group("answers (each one skips its question)")
    answer.add_argument("--name", help="name of the AI system (default: the folder name)")
    answer.add_argument("--description", help="what the system does, in a sentence")
    answer.add_argument(
        "--role",
        dest="roles",
        type=_codes,
        action="extend",
        metavar="ROLE",
        help="provider, "
        "deployer, importer, distributor, authorised_representative, product_manufacturer",
    )
    answer.add_argument("--developer", choices=("us", "third_party"), help="who built it")
    answer.add_argument("--brand", choices=("own", "third_party"), help="under whose name")
    answer.add_argument(
        "--region",
        dest="regions",
        type=_codes,
        action="extend",
        metavar="CODE",
        help="where it is placed on the market or used: ISO codes, EU or EEA",
    )
    answer.add_argument("--established-in", metavar="CODE", help="where you are established")
    answer.add_argument(
        "--placed-on-market", type=_date, metavar="YYYY-MM-DD", help="first placed on the market"
    )
    answer.add_argument("--purpose", help="the intended purpose, in plain words")
    answer.add_argument("--sector", help="sector of use")
    answer.add_argument(
        "--affected", type=_codes, action="extend", metavar="PERSONS", help="who is affected"
    )
    answer.add_argument(
        "--annex-iii", type=_codes, action="extend", metavar="POINT", help="e.g. 4(a)"
    )
    answer.add_argument(
        "--derogation",
        choices=(
            "narrow_procedural_task",
            "improves_prior_human_activity",
            "detects_patterns_without_replacing_review",
            "preparatory_task",
        ),
        help="Art. 6(3) condition relied on",
    )
    answer.add_argument(
        "--annex-i", type=_codes, action="extend", metavar="ACT", help="e.g. MDR, MACHINERY"
    )
    answer.add_argument(
        "--generates",
        type=_codes,
        action="extend",
        metavar="KINDS",
        help="synthetic content: text, image, audio, video or none",
    )
    answer.add_argument(
        "--remote-biometric-id", choices=("none", "real_time", "post"), help="Art. 5(1)(h)"
    )
    for flag, text in (
        ("output-used-in-eu", "its output is used in the EU (Art. 2(1)(c))"),
        ("open-source", "the system is released under a free and open-source licence"),
        ("public-authority", "your organisation is a public authority (Art. 27)"),
        ("safety-component", "it is (a safety component of) the Annex I product"),
        ("third-party-assessment", "the product needs third-party conformity assessment"),
        ("chat", "it interacts directly with people (Art. 50(1))"),
        ("deep-fake", "it generates deep fakes (Art. 50(4))"),
        ("emotion-recognition", "it recognises emotions (Art. 50(3))"),
        ("workplace-emotion", "it infers emotions at work or in education (Art. 5(1)(f))"),
        ("biometric-categorisation", "it categorises people from biometric data"),
        ("profiling", "it profiles natural persons (Art. 6(3))"),
    ):
        answer.add_argument(
            f"--{flag}", action=argparse.BooleanOptionalAction, default=None, help=text
        )
    answer.add_argument(
        "--model", dest="models", action="append", metavar="ID", help="a model it uses"
    )
    answer.add_argument(
        "--gpai",
        action="append",
        metavar="ID",
        help="this model is a general-purpose AI model (Art. 3(63)); well-known models are "
        "answered from aiact-lint's known-models table",
    )
    answer.add_argument(
        "--not-gpai", action="append", metavar="ID", help="this model is not a GPAI model"
    )
    answer.add_argument(
        "--own-model",
        action="append",
        metavar="ID",
        help="this organisation developed this model (models[].developer: us): as provider of "
        "its system it provides the model too, with the GPAI model duties (Art. 53, Recital 97)",
    )
    answer.add_argument(
        "--third-party-model",
        action="append",
        metavar="ID",
        help="someone else developed this model (models[].developer: third_party)",
    )
    answer.add_argument(
        "--fact",
        dest="facts",
        action="append",
        metavar="NAME=VALUE",
        help="answer one of the questions the law turns on (law/facts.yaml), e.g. "
        "social_scoring=false, use_case.annex_i=[]",
    )
    init.set_defaults(func=cmd_init)

    lock = commands.add_parser(
        "lock",
        help="record the reviewed determination of each system in aiact.lock",
        description="Write aiact.lock beside each manifest: the system's scope, risk tier, "
        "routes, roles and the GPAI status of its models, with who reviewed it and when. "
        "`check` then fails while the live determination differs from the lock. Without "
        "PATH only missing or out-of-date locks are written; naming a system records a new "
        "review of it. Give aiact.lock files to the compliance team in CODEOWNERS.",
    )
    lock.add_argument("paths", nargs="*", metavar="PATH", help="manifests or folders")
    lock.add_argument(
        "--reviewer", required=True, metavar="NAME", help="who reviewed the determination"
    )
    lock.add_argument(
        "--reviewed-on",
        type=_date,
        metavar="YYYY-MM-DD",
        help="date of the review (default: today)",
    )
    lock.add_argument("--note", metavar="TEXT", help="a note kept with the review")
    lock.add_argument(
        "--as-of", type=_date, metavar="YYYY-MM-DD", help="apply the law as at this date"
    )
    lock.add_argument("--modification-policy", choices=POLICIES, dest="policy")
    lock.add_argument("--config", metavar="PATH", help="settings file, as for check")
    lock.add_argument(
        "--dry-run", action="store_true", help="print the locks instead of writing them"
    )
    lock.set_defaults(func=cmd_lock)

    report = commands.add_parser(
        "report",
        help="write an obligations report (HTML or Markdown) with a timeline",
        description="Check the manifests like `check`, then render per system the "
        "determination, the obligations, open findings and waivers, and a timeline.",
    )
    report.add_argument("paths", nargs="*", metavar="PATH", help="manifests or folders")
    report.add_argument(
        "--format",
        dest="report_format",
        choices=("html", "markdown"),
        default="html",
        help="report format (default: html, one self-contained file)",
    )
    report.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE")
    report.add_argument("--as-of", type=_date, metavar="YYYY-MM-DD", help=AS_OF_HELP)
    report.add_argument("--modification-policy", choices=POLICIES, dest="policy")
    report.add_argument("--config", metavar="PATH", help="settings file, as for check")
    report.add_argument(
        "--diff-base",
        metavar="REF",
        help="add the legal effect of the change since REF (as `check --diff-base`)",
    )
    report.set_defaults(func=cmd_report)

    register = commands.add_parser(
        "register",
        help="draft the EU-database registration (Art. 49, Annex VIII) of each system",
        description="Check the manifests like `check`, then print for each system that must be "
        "registered the Annex VIII data (Section A: providers of high-risk systems; B: providers "
        "relying on an Art. 6(3) derogation; C: public-authority deployers), filled from the "
        "manifest, with every field it cannot fill listed as a gap with the key to declare.",
    )
    register.add_argument("paths", nargs="*", metavar="PATH", help="manifests or folders")
    register.add_argument(
        "--format",
        dest="register_format",
        choices=("markdown", "json"),
        default="markdown",
        help="output format (default: markdown)",
    )
    register.add_argument("--output", "-o", metavar="FILE", help="write the draft to FILE")
    register.add_argument(
        "--as-of", type=_date, metavar="YYYY-MM-DD", help="apply the law as at this date"
    )
    register.add_argument("--modification-policy", choices=POLICIES, dest="policy")
    register.add_argument("--config", metavar="PATH", help="settings file, as for check")
    register.set_defaults(func=cmd_register)
    return parser


def _codes(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _add_decision_options(check: argparse.ArgumentParser) -> None:
    """Configuration, selection, waivers' companions: baselines and pull-request checks."""
    group = check.add_argument_group("configuration and selection")
    group.add_argument(
        "--config",
        metavar="PATH",
        help="read settings from this TOML file (default: the closest .aiact-lint.toml or "
        "pyproject.toml with [tool.aiact-lint], up to the repository root)",
    )
    group.add_argument(
        "--select",
        type=_codes,
        metavar="CODES",
        help="only these rules: codes or prefixes, comma-separated (AIA3,AIA701); replaces "
        "the configured selection",
    )
    group.add_argument(
        "--extend-select",
        type=_codes,
        action="extend",
        metavar="CODES",
        help="rules to add to the selection",
    )
    group.add_argument(
        "--ignore", type=_codes, action="extend", metavar="CODES", help="rules to leave out"
    )
    group.add_argument(
        "--show-settings",
        action="store_true",
        help="print the effective settings and where each came from, then exit",
    )
    group.add_argument(
        "--exit-zero",
        action="store_true",
        help="exit 0 even when findings fail the run (2 still means a usage or input error)",
    )
    baseline = check.add_argument_group("baselines")
    baseline.add_argument(
        "--write-baseline",
        metavar="FILE",
        help="record today's findings in FILE (fingerprints that survive line shifts)",
    )
    baseline.add_argument(
        "--baseline",
        metavar="FILE",
        help="report only findings not recorded in FILE (prohibited practices always show)",
    )
    pull = check.add_argument_group("pull requests")
    pull.add_argument(
        "--diff-base",
        metavar="REF",
        help="compare each manifest with its version at REF and report the legal effect",
    )
    pull.add_argument(
        "--new-only",
        action="store_true",
        help="report only findings on lines changed since --diff-base (the exit code still "
        "reflects every finding)",
    )
    pull.add_argument(
        "--fail-on-new-only",
        action="store_true",
        help="like --new-only, and the exit code reflects only the findings reported",
    )


def _add_fix_options(check: argparse.ArgumentParser) -> None:
    """ruff's fixing flags, for the manifest and the code it governs."""
    group = check.add_argument_group(
        "fixes",
        "Edit the manifests (ruamel round trip: comments and layout kept) and, with "
        "--add-noqa, the code files the findings name; nothing else. Evidence is never "
        "invented. Files with uncommitted changes are refused unless --force.",
    )
    group.add_argument(
        "--fix",
        action="store_true",
        help="apply safe fixes: declare models the code uses (with what the code and the "
        "known-models table show), answer the GPAI status of well-known models, remove "
        "waivers that match nothing",
    )
    group.add_argument(
        "--unsafe-fixes",
        action="store_true",
        help="also fixes that change a legal claim: risk.classification to the determined "
        "tier, provider into roles (implies --fix)",
    )
    group.add_argument(
        "--add-noqa",
        metavar="REASON",
        help="write `aiact-lint: ignore[CODE] REASON` at each code finding (AIA850, "
        "AIA853-AIA855) that is selected; narrow it with --select",
    )
    group.add_argument(
        "--diff",
        action="store_true",
        help="show the fixes as a unified diff and write nothing (exit 1 if any; implies --fix "
        "unless --add-noqa is given alone)",
    )
    group.add_argument(
        "--force",
        action="store_true",
        help="fix files even with uncommitted changes (or outside git)",
    )


def options_from(args: argparse.Namespace) -> Options:
    options = Options(paths=list(args.paths))
    if args.as_of is not None:
        options.as_of = args.as_of
    if args.policy is not None:
        options.policy = args.policy
    if args.fail_on is not None:
        options.fail_on = args.fail_on
    fmt = args.output_format or "auto"
    if fmt == "auto":
        fmt = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    options.output_format = fmt
    options.output = args.output
    options.quiet = args.quiet
    options.manifest_only = args.manifest_only
    options.staged = args.staged
    options.color = args.color
    options.config = args.config
    options.select = args.select
    options.extend_select = args.extend_select or []
    options.ignore = args.ignore or []
    cli = {"as_of": args.as_of, "policy": args.policy, "fail_on": args.fail_on}
    options.cli_set = {name for name, value in cli.items() if value is not None}
    options.baseline = args.baseline
    options.write_baseline = args.write_baseline
    options.diff_base = args.diff_base
    options.new_only = args.new_only or args.fail_on_new_only
    options.fail_on_new_only = args.fail_on_new_only
    options.exit_zero = args.exit_zero
    return options


def _use_colour(options: Options) -> bool:
    if options.color is not None:
        return options.color
    if options.output or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout is not None and sys.stdout.isatty()


def render(document: dict[str, Any], options: Options) -> str:
    from aiact_lint.report import RENDERERS, RenderContext
    from aiact_lint.report import render as render_format

    if options.output_format not in RENDERERS:
        raise UsageError(f"--format {options.output_format} is not available in this version")
    context = RenderContext(colour=_use_colour(options), quiet=options.quiet)
    return render_format(options.output_format, document, context)


class UsageError(Exception):
    """A problem with how the command was called (exit code 2)."""


def write_stdout(text: str, json_text: bool = False) -> None:
    """Write to stdout whatever its encoding: UTF-8 when it can, else escapes (``\\uNNNN``
    inside JSON, which stays valid JSON; ``\\xNN`` elsewhere), never an encoding error."""
    stream = sys.stdout
    if stream is None:
        raise UsageError("standard output is closed; write the report to a file with --output")
    try:
        stream.write(text)
    except UnicodeEncodeError:
        encoding = getattr(stream, "encoding", None) or "ascii"
        if json_text:
            from aiact_lint.safetext import ascii_json

            stream.write(ascii_json(text))
        else:
            stream.write(text.encode(encoding, "backslashreplace").decode(encoding, "replace"))
    stream.flush()


def emit(
    text: str,
    output: str | None,
    fmt: str = "text",
    inputs: Sequence[Any] = (),
    keep: Callable[[bytes], bool] | None = None,
) -> None:
    """The report on stdout, or in ``output`` unless that would destroy a file the user keeps
    (a manifest, an evidence file, a tracked file: output_guard)."""
    if output:
        from aiact_lint.output_guard import OutputRefused, refuse_overwrite

        try:
            refuse_overwrite(output, "--output", inputs, keep)
        except OutputRefused as error:
            raise UsageError(str(error)) from None
        with open(output, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    else:
        write_stdout(text, json_text=fmt in JSON_FORMATS)


def cmd_check(args: argparse.Namespace) -> int:
    from aiact_lint.config import SettingsError, configure, show_settings
    from aiact_lint.result import to_document
    from aiact_lint.runner import run_check

    options = options_from(args)
    for flag, target in (
        ("--output", options.output),
        ("--write-baseline", options.write_baseline),
    ):
        if target:  # refused before anything runs; tracked and input files once they are known
            _refuse_by_name(flag, target)
    fixing = args.fix or args.unsafe_fixes or args.diff or args.add_noqa is not None
    try:
        settings = configure(options)  # the configuration file, under the flags
        if args.show_settings:
            from aiact_lint.safetext import escape

            write_stdout(escape(show_settings(settings, options), newlines=True))
            return 0
        if fixing:
            from aiact_lint.fix.command import run_fix
            from aiact_lint.fix.files import FixRefused

            try:
                result, code = run_fix(
                    options,
                    fix=args.fix or args.unsafe_fixes or (args.diff and args.add_noqa is None),
                    unsafe=args.unsafe_fixes,
                    noqa_reason=args.add_noqa,
                    diff=args.diff,
                    force=args.force,
                    check=run_check,
                )
            except FixRefused as refused:
                raise UsageError(str(refused)) from None
            if args.diff:
                return code
        else:
            result = run_check(options)
    except SettingsError as error:
        raise UsageError(str(error)) from None
    inputs: list[Any] = [*result.inputs, settings.file, options.baseline, options.write_baseline]
    emit(render(to_document(result), options), options.output, options.output_format, inputs)
    code = result.exit_code()
    if code == 1 and (options.exit_zero or options.write_baseline):
        return 0
    return code


def _refuse_by_name(flag: str, target: str) -> None:
    from aiact_lint.output_guard import OutputRefused, refuse_overwrite

    try:
        refuse_overwrite(target, flag, tracked=False)
    except OutputRefused as error:
        raise UsageError(str(error)) from None


def cmd_rules(args: argparse.Namespace) -> int:
    from aiact_lint.catalogue import rules

    catalogue = rules()
    if args.format == "json":
        import json

        data = [
            {
                "code": r.code,
                "name": r.name,
                "title": r.title,
                "severity": r.severity,
                "articles": list(r.articles),
                "input_error": r.input_error,
                "verified": r.verified,
            }
            for r in catalogue.values()
        ]
        write_stdout(json.dumps(data, indent=2, ensure_ascii=False) + "\n", json_text=True)
        return 0
    rows = [("CODE", "NAME", "SEVERITY", "ARTICLES", "TITLE")]
    rows += [(r.code, r.name, r.severity, r.article or "-", r.title) for r in catalogue.values()]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = [
        "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:4])) + "  " + row[4] + "\n"
        for row in rows
    ]
    lines.append(f"\n{len(catalogue)} rules; `aiact-lint explain CODE` for details.\n")
    write_stdout("".join(lines))
    return 0


def explain_text(code: str) -> str | None:
    from aiact_lint.catalogue import resolve

    rule = resolve(code)
    if rule is None:
        return None
    parts = [
        f"{rule.code} ({rule.name}): {rule.title}",
        f"Default severity: {rule.severity}"
        + ("; an input error (exit code 2)" if rule.input_error else ""),
        "",
        "## What it does",
        rule.what,
        "",
        "## Why",
        rule.why,
        "",
        "## Example",
        "\n".join("    " + line for line in rule.example.splitlines()),
        "",
        "## Fix",
        rule.fix,
        "",
        "## References",
    ]
    if rule.articles:
        parts.append(f"- {rule.article} — {LAW_VERSION}")
    else:
        parts.append("- Not a legal rule: it protects the manifest format the other rules read.")
    parts.extend(f"- {reference}" for reference in rule.references)
    if not rule.verified:
        parts.append(
            "- UNVERIFIED: part of this rule rests on a provision whose amended text has not been "
            "checked against EUR-Lex; treat its findings as a prompt to verify, not settled law."
        )
    return "\n".join(parts) + "\n"


def cmd_explain(args: argparse.Namespace) -> int:
    text = explain_text(args.rule)
    if text is None:
        from difflib import get_close_matches

        from aiact_lint.catalogue import rules

        names = list(rules()) + [r.name for r in rules().values()]
        close = get_close_matches(args.rule.upper(), names, n=1) or get_close_matches(
            args.rule.lower(), names, n=1
        )
        hint = f' (did you mean "{close[0]}"?)' if close else ""
        raise UsageError(f"unknown rule {args.rule!r}{hint}; `aiact-lint rules` lists them")
    write_stdout(text)
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from pathlib import Path

    from aiact_lint.output_guard import OutputRefused, is_schema_copy, refuse_overwrite
    from aiact_lint.schema.local_copy import COPY_NAME, schema_text, write_copy

    if not args.output:
        write_stdout(schema_text(), json_text=True)
        return 0
    target = Path(args.output)
    if not target.is_dir() and not target.parent.is_dir():
        raise UsageError(f"--output {args.output}: no such folder {target.parent}")
    file = target / COPY_NAME if target.is_dir() else target
    try:  # never over a manifest, into .git, or over a tracked file that is not a schema copy
        refuse_overwrite(str(file), "--output", keep=is_schema_copy)
    except OutputRefused as error:
        raise UsageError(str(error)) from None
    written = write_copy(file)
    sys.stderr.write(
        f"aiact-lint: wrote {written}; name it in a manifest's first line: "
        "# yaml-language-server: $schema=<path relative to the manifest>\n"
    )
    return 0


def cmd_render(args: argparse.Namespace) -> int:
    """Re-render one saved result, so a CI job checks once and reports in several formats."""
    from aiact_lint.report import RENDERERS, RenderContext
    from aiact_lint.report import render as render_format
    from aiact_lint.report.saved import SavedResultError, parse

    if args.output:
        _refuse_by_name("--output", args.output)
    if args.source == "-":
        stdin = sys.stdin
        if stdin is None:
            raise UsageError("--from -: standard input is closed")
        raw = stdin.buffer.read() if hasattr(stdin, "buffer") else stdin.read().encode()
    else:
        with open(args.source, "rb") as handle:
            raw = handle.read()
    try:
        document = parse(raw, args.source)
    except SavedResultError as error:
        raise UsageError(str(error)) from None
    if args.output_format not in RENDERERS:
        raise UsageError(f"--format {args.output_format} is not available in this version")
    findings = document.get("findings")
    if isinstance(findings, list) and isinstance(document.get("summary"), dict):
        # The counts follow the findings as saved, never a summary that disagrees with them.
        counts = {"error": 0, "warning": 0, "info": 0, "waived": 0}
        for finding in findings:
            if not isinstance(finding, dict):
                continue
            level = "waived" if finding.get("waived") else finding.get("severity")
            if isinstance(level, str) and level in counts:
                counts[level] += 1
        document["summary"].update(counts)
    context = RenderContext(colour=False, quiet=args.quiet)
    text = render_format(args.output_format, document, context)
    inputs = [args.source] if args.source != "-" else []
    emit(text, args.output, args.output_format, inputs)
    return 0


def cmd_compute(args: argparse.Namespace) -> int:
    from aiact_lint.gpai import explain_compute

    if args.base_flop is None and (args.params is None or args.tokens is None):
        raise UsageError("give --base-flop, or --params and --tokens to estimate it")
    if args.modification_flop is not None:
        from aiact_lint.gpai import estimate_compute

        base = args.base_flop
        if base is None:
            base = estimate_compute(args.params, args.tokens)
        if base < 1:  # a modification's share of nothing is not a number
            raise UsageError("the base model's training compute must be at least 1 FLOP")
    write_stdout(
        explain_compute(
            params=args.params,
            tokens=args.tokens,
            base_flop=args.base_flop,
            modification_flop=args.modification_flop,
            policy=args.policy,
        )
    )
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    from aiact_lint.init.command import InitError, run_init

    try:
        return run_init(args)
    except InitError as error:
        raise UsageError(str(error)) from None


def _options_like_check(args: argparse.Namespace) -> Options:
    """The options ``lock``, ``report`` and ``register`` share with ``check``: paths, --as-of,
    --modification-policy, --config (what the command line set wins over the configuration)."""
    options = Options(paths=list(args.paths))
    if args.as_of is not None:
        options.as_of = args.as_of
    if args.policy is not None:
        options.policy = args.policy
    options.config = args.config
    cli = {"as_of": args.as_of, "policy": args.policy}
    options.cli_set = {name for name, value in cli.items() if value is not None}
    return options


def cmd_lock(args: argparse.Namespace) -> int:
    """Determine each system like ``check`` and record the reviewed verdict in its lock."""
    from aiact_lint.config import SettingsError, configure
    from aiact_lint.lock_cmd import run_lock

    options = _options_like_check(args)
    try:
        configure(options)
        return run_lock(options, args.reviewer, args.reviewed_on, args.note, args.dry_run)
    except SettingsError as error:
        raise UsageError(str(error)) from None


def cmd_report(args: argparse.Namespace) -> int:
    """Check like ``check`` (paths, --as-of, --modification-policy, config), render a report."""
    from aiact_lint.config import SettingsError, configure
    from aiact_lint.report_doc import render_report
    from aiact_lint.runner import run_check

    options = _options_like_check(args)
    options.diff_base = args.diff_base
    try:
        configure(options)
        result = run_check(options)
    except SettingsError as error:
        raise UsageError(str(error)) from None
    if args.output:
        _refuse_by_name("--output", args.output)
    from aiact_lint.output_guard import is_report

    text = render_report(result, args.report_format, args.output)
    emit(text, args.output, "text", [*result.inputs], keep=is_report)
    return 0


def cmd_register(args: argparse.Namespace) -> int:
    """Check like ``report``; print the Annex VIII draft. Exit 2 when a manifest is unreadable."""
    from aiact_lint.config import SettingsError, configure
    from aiact_lint.register import drafts
    from aiact_lint.report.registration import as_json, markdown
    from aiact_lint.runner import run_check

    options = _options_like_check(args)
    try:
        configure(options)
        result = run_check(options)
    except SettingsError as error:
        raise UsageError(str(error)) from None
    document = drafts(result)
    emit((as_json if args.register_format == "json" else markdown)(document), args.output)
    if result.input_error:
        sys.stderr.write(
            "aiact-lint: error: some manifests have input errors; `aiact-lint check` shows them\n"
        )
        return 2
    return 0


def _say(text: str) -> None:
    """One message on stderr, escaped (it may quote repository content), if stderr is open."""
    from aiact_lint.safetext import message

    if sys.stderr is not None:
        with contextlib.suppress(OSError, ValueError):
            sys.stderr.write(f"aiact-lint: {message(text)}\n")


def _silence_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so that the exit flush stays quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int] | None = getattr(args, "func", None)
    if func is None:
        if sys.stderr is not None:
            parser.print_help(sys.stderr)
        return 2
    try:
        return func(args)
    except UsageError as error:
        _say(f"error: {error}")
        return 2
    except BrokenPipeError:
        _silence_stdout()
        return 0
    except KeyboardInterrupt:
        _say("interrupted")
        return 2
    except OSError as error:
        _say(f"error: {error}")
        return 2
    except Exception as error:  # a bug in aiact-lint: say so plainly, never a bare traceback
        if os.environ.get("AIACT_LINT_DEBUG"):
            raise
        _say(
            f"internal error: {type(error).__name__}: {error}; please report it "
            "(set AIACT_LINT_DEBUG=1 to see the traceback)"
        )
        return 2
