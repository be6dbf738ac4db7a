"""The decision step: from every finding the rules produced to the findings the run reports.

Runs once, after all findings are collected (flake8's shape: selection is its own step):

1. ``--diff-base``: add the legal effect of each manifest change (changes.py) and stale evidence
   (history.py); then every system's determination held against its aiact.lock (lock.py);
2. ``exclude``: drop manifests and files the configuration excludes;
3. ``select`` / ``ignore`` and ``severity`` overrides;
4. waivers from each manifest's ``waivers:`` block (expired, expiring, stale, refused);
5. ``--diff-base``: a lock rewritten in this change that matches the live determination
   accepts the system's legal-effect findings (waived, naming the reviewer);
6. baselines: ``--write-baseline`` records, ``--baseline`` hides what it recorded;
7. ``--new-only``: only findings on lines changed since ``--diff-base`` (and the legal effect of
   the change, and differences from the lock, wherever they point).

Prohibited practices (Art. 5) and input errors are never ignored, softened, waived, or hidden
by a baseline or ``--new-only``.
"""

from __future__ import annotations

import datetime
import fnmatch
import json
import os
import posixpath
import re
import sys
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, Optional, Sequence

from aiact_lint import __version__
from aiact_lint.catalogue import get, rules
from aiact_lint.config import SettingsError
from aiact_lint.findings import Finding, sort_findings
from aiact_lint.manifest import Manifest, find_root
from aiact_lint.options import Options
from aiact_lint.result import CheckResult, SystemResult, finding_dict
from aiact_lint.safetext import json_dumps
from aiact_lint.yamlsafe import iso_date

if TYPE_CHECKING:
    from aiact_lint.changes import Review
    from aiact_lint.history import History
    from aiact_lint.lock import LockCheck

EXPIRY_NOTICE_DAYS = 30
WAIVER_RULES = ("AIA900", "AIA901", "AIA902", "AIA903", "AIA904")
# The findings that state the legal effect of a change (--diff-base), for the summary.
LEGAL_EFFECT_RULES = frozenset(
    {"AIA920", "AIA921", "AIA922", "AIA923", "AIA924", "AIA925", "AIA926", "AIA927"}
    | {f"AIA{n}" for n in range(932, 940)}
)
BASELINE_VERSION = 1


class Entry(NamedTuple):
    """A finding on its way through the decision, with the system it belongs to."""

    finding: Finding
    system: Optional[SystemResult]


class Waiver(NamedTuple):
    list_index: int  # its position in the manifest's waivers list
    rule: str
    reason: str
    owner: str
    expires: datetime.date
    path: Optional[str] = None
    model: Optional[str] = None
    obligation: Optional[str] = None


def is_prohibited(finding: Finding) -> bool:
    """An error about an Art. 5 practice that applies (not upcoming, not excepted)."""
    rule = get(finding.rule)
    return rule.name == "prohibited-practice" or (
        finding.subject.startswith("art5:") and rule.severity == "error"
    )


def is_protected(finding: Finding) -> bool:
    """Never waived, ignored, softened or hidden: prohibited practices and input errors."""
    return get(finding.rule).input_error or is_prohibited(finding)


def decide(result: CheckResult, manifests: Sequence[Manifest], options: Options) -> None:
    """Turn the collected findings into the reported ones, in place."""
    owner = {id(f): s for s in result.systems for f in s.findings}
    entries = [Entry(f, owner.get(id(f))) for f in result.findings]
    by_path = {m.path: m for m in manifests}
    history: Optional[History] = None
    if options.diff_base:
        history = _open_history(options)
    try:
        review: Optional[Review] = None
        if history is not None:
            from aiact_lint.changes import Review

            review = Review(history, options, Path(os.getcwd()), _base())
            review.run(result, manifests)
            entries += [Entry(f, s) for f, s in review.findings]
            for system in result.systems:
                manifest = by_path.get(system.manifest)
                if manifest is not None and manifest.valid:
                    entries += [Entry(f, system) for f in history.stale_evidence(manifest)]
        locks = _check_locks(result, by_path, staged=options.staged and not options.manifest_only)
        entries += [Entry(f, s) for s, check in locks for f in check.findings]
        entries = _exclude(entries, result, options)
        entries = _select(entries, options)
        for system in result.systems:
            manifest = by_path.get(system.manifest)
            if manifest is not None and manifest.valid:
                entries = apply_waivers(entries, system, manifest, options)
        if history is not None:
            entries = _accept_reviewed(entries, locks, by_path, history)
        if options.write_baseline:
            _refuse_to_overwrite(options.write_baseline, manifests, options)
            write_baseline(options.write_baseline, [e.finding for e in entries])
        if options.baseline:
            entries, result.baseline_hidden = _apply_baseline(entries, options.baseline)
        if history is not None and options.new_only:
            entries, outside = _new_only(entries, history)
            result.outside_diff = len(outside)
            if not options.fail_on_new_only:
                result.hidden = [e.finding for e in outside]
    finally:
        if history is not None:
            history.close()
    for system in result.systems:
        system.findings = [e.finding for e in entries if e.system is system]
    result.findings = [e.finding for e in entries]
    if review is not None and history is not None:
        result.diff = _legal_effect(review, result, history, options)


# --- the determination lock --------------------------------------------------------------------


def _check_locks(
    result: CheckResult, by_path: dict[str, Manifest], staged: bool = False
) -> list[tuple[SystemResult, LockCheck]]:
    """Each valid system's live determination against its aiact.lock (read only); ``staged``
    (a hook run): a lock the git index does not hold is not in the commit."""
    from aiact_lint.lock import check, facts_of

    checks = []
    for system in result.systems:
        manifest = by_path.get(system.manifest)
        if manifest is None or system.risk is None or _unreadable(manifest):
            continue
        live = facts_of(system.in_scope, system.risk, system.routes, system.roles, system.models)
        found = check(manifest, live, staged=staged)
        system.lock = found.as_json()
        checks.append((system, found))
    return checks


def _unreadable(manifest: Manifest) -> bool:
    """Input errors (the facts could not be read): no verdict to hold against a lock."""
    return any(get(f.rule).input_error for f in manifest.findings)


def _accept_reviewed(
    entries: list[Entry],
    locks: list[tuple[SystemResult, LockCheck]],
    by_path: dict[str, Manifest],
    history: History,
) -> list[Entry]:
    """A lock that matches the live determination and was (re)written in this change is the
    recorded review of the change's legal effect: it accepts the system's legal-effect findings
    (never a prohibited practice) as waived, naming the reviewer."""
    from aiact_lint.changes import ACCEPTED_BY_LOCK, accept_reviewed
    from aiact_lint.lock import lock_file

    reviewed: dict[int, tuple[str, str, str]] = {}
    for system, check in locks:
        manifest = by_path.get(system.manifest)
        if check.status != "matches" or check.lock is None or manifest is None:
            continue
        rel = history.relative(lock_file(manifest.file))
        if rel is None or history.read(history.base, rel) == check.text:
            continue
        review = check.lock.review
        reviewed[id(system)] = (review.reviewed_by, review.reviewed_on.isoformat(), check.path)
        if system.lock is not None:
            system.lock["reviewed_in_this_change"] = True
    if not reviewed:
        return entries
    accepted = []
    for entry in entries:
        finding = entry.finding
        by = reviewed.get(id(entry.system))
        if (
            by is not None
            and finding.rule in ACCEPTED_BY_LOCK
            and not finding.waived
            and not is_protected(finding)
        ):
            entry = Entry(accept_reviewed(finding, *by), entry.system)
        accepted.append(entry)
    return accepted


def _legal_effect(
    review: Review, result: CheckResult, history: History, options: Options
) -> dict[str, Any]:
    """Per system: the determination before and after, new duties, the lock (document "diff")."""
    kept = {s.manifest: s for s in result.systems}
    systems = []
    for record in review.records:
        system = kept.get(record["manifest"])
        if system is None and (
            record["status"] != "removed" or excluded(record["manifest"], options)
        ):
            continue
        if system is not None:
            record["lock"] = system.lock
            record["findings"] = sorted(
                {f.rule for f in system.findings if f.rule in LEGAL_EFFECT_RULES}
            )
        else:
            record["lock"] = None
            record["findings"] = ["AIA936"]
        systems.append(record)
    systems.sort(key=lambda r: r["manifest"])
    return {"base": history.label, "systems": systems}


def _open_history(options: Options) -> History:
    cwd = Path(os.getcwd())
    if find_root(cwd) is None:
        raise SettingsError(
            f"--diff-base needs a git repository, and {cwd} is not inside one "
            "(no .git folder here or above)"
        )
    from aiact_lint.history import open_history

    assert options.diff_base is not None
    return open_history(cwd, options.diff_base)


def _base() -> Path:
    cwd = Path(os.getcwd())
    return find_root(cwd) or cwd


# --- exclude -----------------------------------------------------------------------------------


def excluded(path: str, options: Options) -> bool:
    """Whether a base-relative path falls under an ``exclude`` pattern (or a folder in it)."""
    if not options.exclude:
        return False
    absolute = Path(path) if os.path.isabs(path) else _base() / path
    folder = Path(options.exclude_base or os.getcwd())
    try:
        relative = absolute.resolve().relative_to(folder.resolve()).as_posix()
    except ValueError:
        return False
    parts = relative.split("/")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    for pattern in options.exclude:
        pattern = pattern.strip("/").removeprefix("./") if pattern != "./" else "."
        if any(fnmatch.fnmatchcase(p, pattern) for p in prefixes):
            return True
        if "/" not in pattern and any(fnmatch.fnmatchcase(part, pattern) for part in parts):
            return True
    return False


def _exclude(entries: list[Entry], result: CheckResult, options: Options) -> list[Entry]:
    """Drop what ``exclude`` names, except what no setting may hide: a prohibited practice or an
    input error in an excluded manifest is still reported (with its system), as ``ignore`` and
    ``severity`` refuse to hide them too."""
    if not options.exclude:
        return entries
    named = {os.path.abspath(p) for p in options.paths if os.path.isfile(p)}
    base = _base()

    def out(path: str) -> bool:
        return excluded(path, options) and os.path.abspath(base / path) not in named

    protected = {id(e.system) for e in entries if e.system is not None and is_protected(e.finding)}
    hidden = {id(s) for s in result.systems if out(s.manifest)}
    result.systems = [s for s in result.systems if id(s) not in hidden or id(s) in protected]

    def keep(entry: Entry) -> bool:
        if is_protected(entry.finding):
            return True
        return id(entry.system) not in hidden and not out(entry.finding.path)

    return [e for e in entries if keep(e)]


# --- select / ignore / severity ----------------------------------------------------------------


def _select(entries: list[Entry], options: Options) -> list[Entry]:
    enabled = options.enabled_rules
    overrides = options.severity_overrides
    kept = []
    for entry in entries:
        finding = entry.finding
        if enabled is not None and finding.rule not in enabled and not is_protected(finding):
            continue
        severity = overrides.get(finding.rule)
        if severity and severity != finding.severity and not is_protected(finding):
            entry = Entry(finding.with_(severity=severity), entry.system)
        kept.append(entry)
    return kept


# --- waivers -----------------------------------------------------------------------------------


def read_waivers(manifest: Manifest) -> list[Waiver]:
    """The well-formed waivers of a manifest (the schema reports the others)."""
    waivers = []
    entries = manifest.get("waivers", default=[])
    for index, entry in enumerate(entries if isinstance(entries, list) else []):
        if not isinstance(entry, dict):
            continue
        rule, reason, owner = entry.get("rule"), entry.get("reason"), entry.get("owner")
        expires = iso_date(entry.get("expires"))
        if not (isinstance(rule, str) and isinstance(reason, str) and isinstance(owner, str)):
            continue
        if expires is None:
            continue
        limits = [entry.get(key) for key in ("path", "model", "obligation")]
        path, model, obligation = (v if isinstance(v, str) and v else None for v in limits)
        waivers.append(
            Waiver(
                index,
                rule.strip().upper(),
                reason.strip(),
                owner.strip(),
                expires,
                path,
                model,
                obligation,
            )
        )
    return waivers


def _model_in(model: str, finding: Finding) -> bool:
    subject = finding.subject
    if subject == f"model:{model}" or subject.startswith(f"model:{model}:"):
        return True
    if subject.startswith(("obligation:", "diff:")) and (
        subject.endswith(f":{model}") or model in subject.rsplit(":", 1)[-1].split(",")
    ):
        return True
    pattern = rf"(?<![\w./-]){re.escape(model)}(?![\w/-]|\.\w)"
    return re.search(pattern, finding.message) is not None


def matches(waiver: Waiver, finding: Finding, manifest: Manifest) -> bool:
    """Whether ``waiver`` (from ``manifest``) covers ``finding``."""
    if finding.rule != waiver.rule:
        return False
    if waiver.path is not None:
        target = posixpath.normpath(
            posixpath.join(posixpath.dirname(manifest.path), waiver.path.replace("\\", "/"))
        )
        inside = finding.path.startswith(target.rstrip("/") + "/")
        if not (finding.path == target or inside or fnmatch.fnmatchcase(finding.path, target)):
            return False
    if waiver.model is not None and not _model_in(waiver.model, finding):
        return False
    if waiver.obligation is not None:
        # "obligation:ID[,ID...]:MODEL": one finding per missing document, which several
        # obligations may share.
        kind, _, rest = finding.subject.partition(":")
        if kind != "obligation" or waiver.obligation not in rest.split(":", 1)[0].split(","):
            return False
    return True


@lru_cache(maxsize=1024)
def _closest_rule(code: str) -> str:
    """The did-you-mean of an unknown rule code, once per code (2,000 waivers naming unknown
    codes would otherwise run difflib over the catalogue 2,000 times)."""
    from difflib import get_close_matches

    close = get_close_matches(code, list(rules()), n=1)
    return f' (did you mean "{close[0]}"?)' if close else ""


def _refusal(waiver: Waiver) -> Optional[str]:
    rule = get(waiver.rule)
    if rule.name == "prohibited-practice":
        return (
            "prohibited practices (Art. 5) cannot be waived: they may not be placed on the "
            "market, put into service or used at all"
        )
    if rule.input_error:
        return "input errors cannot be waived: the manifest must be fixed so it can be read"
    if rule.code in WAIVER_RULES:
        return "waiver findings cannot themselves be waived"
    return None


def apply_waivers(
    entries: list[Entry], system: SystemResult, manifest: Manifest, options: Options
) -> list[Entry]:
    """Mark the findings the manifest's waivers cover; report expired, expiring, stale ones."""
    waivers = read_waivers(manifest)
    if not waivers:
        return entries
    catalogue = rules()
    notes: list[Finding] = []
    for waiver in waivers:
        where = ("waivers", waiver.list_index)
        label = f"waivers[{waiver.list_index}] ({waiver.rule}, owner {waiver.owner})"
        subject = f"waivers[{waiver.list_index}]:{waiver.rule}"
        if waiver.rule not in catalogue:
            hint = _closest_rule(waiver.rule)
            notes.append(
                manifest.finding(
                    "AIA904",
                    (*where, "rule"),
                    f"waivers[{waiver.list_index}] names {waiver.rule}, which is not a rule{hint}; "
                    "it waives nothing",
                    subject=subject,
                    value=True,
                )
            )
            continue
        refusal = _refusal(waiver)
        if refusal is not None:
            notes.append(
                manifest.finding(
                    "AIA903",
                    (*where, "rule"),
                    f"{label}: {refusal}; the waiver has no effect",
                    article="Art. 5(1)" if get(waiver.rule).name == "prohibited-practice" else "",
                    subject=subject,
                    value=True,
                )
            )
            continue
        days_left = (waiver.expires - options.as_of).days
        if days_left < 0:
            notes.append(
                manifest.finding(
                    "AIA900",
                    (*where, "expires"),
                    f"{label} expired on {waiver.expires.isoformat()}; {waiver.owner} must "
                    f"renew it or close the gap. It no longer waives {waiver.rule} "
                    f'(reason was: "{waiver.reason}")',
                    subject=subject,
                    value=True,
                )
            )
            continue
        matched: list[Finding] = []
        reason = f"{waiver.reason} (owner {waiver.owner}, until {waiver.expires.isoformat()})"
        for position, entry in enumerate(entries):
            finding = entry.finding
            if entry.system is not system or is_protected(finding):
                continue
            if matches(waiver, finding, manifest):
                matched.append(finding)
                if not finding.waived:
                    waived = finding.with_(waived=True, waiver_reason=reason)
                    entries[position] = Entry(waived, system)
        if not matched:
            notes.append(
                manifest.finding(
                    "AIA902",
                    where,
                    f"{label} matches no finding; delete it or narrow it (it would silently "
                    f"accept a future {waiver.rule} finding)",
                    subject=subject,
                )
            )
        elif days_left <= EXPIRY_NOTICE_DAYS:
            plural = "s" if days_left > 1 else ""
            when = "today" if days_left == 0 else f"in {days_left} day{plural}"
            notes.append(
                manifest.finding(
                    "AIA901",
                    (*where, "expires"),
                    f"{label} expires on {waiver.expires.isoformat()} ({when}); after that "
                    + _after_expiry(waiver.rule, matched, options.fail_on),
                    subject=subject,
                    value=True,
                )
            )
    return entries + _select([Entry(f, system) for f in notes], options)


def _after_expiry(rule: str, waived: list[Finding], fail_on: str) -> str:
    """What lapses with a waiver: which rule's findings come back, and whether they fail."""
    from aiact_lint.findings import SEVERITY_RANK

    subjects = sorted({f.subject.rstrip(":").replace(":", " ", 1) for f in waived if f.subject})
    worst = max(waived, key=lambda f: SEVERITY_RANK.get(f.severity, 0)).severity
    shown = ", ".join(subjects[:3]) + (
        f" and {len(subjects) - 3} more" if len(subjects) > 3 else ""
    )
    what = f"{rule} ({worst}{': ' + shown if shown else ''})"
    if fail_on != "never" and SEVERITY_RANK.get(worst, 0) >= SEVERITY_RANK.get(fail_on, 9):
        return f"{what} fails the build again (--fail-on {fail_on})"
    if fail_on == "never":
        return f"{what} is reported again (--fail-on never: the build does not fail)"
    return (
        f"{what} is reported again; as a {worst} it does not fail the build (--fail-on {fail_on})"
    )


# --- baselines ---------------------------------------------------------------------------------


def _baselined(findings: Sequence[Finding]) -> list[tuple[Finding, str]]:
    """The findings a baseline may hold, each with its fingerprint (report/_common.py's)."""
    from aiact_lint.report._common import fingerprints

    eligible = [
        f
        for f in sort_findings(list(findings))
        if not f.waived and not is_protected(f) and f.rule not in WAIVER_RULES
    ]
    return list(zip(eligible, fingerprints(finding_dict(f) for f in eligible)))


def _refuse_to_overwrite(file: str, manifests: Sequence[Manifest], options: Options) -> None:
    """A baseline never replaces a manifest, an evidence file, a setting or a tracked file that
    is not itself a baseline (output_guard)."""
    from aiact_lint.output_guard import OutputRefused, files_named_by, is_baseline, refuse_overwrite

    inputs: list[Optional[str | os.PathLike[str]]] = [options.baseline, options.output]
    inputs += [options.config]
    for manifest in manifests:
        inputs += files_named_by(manifest)
    try:
        refuse_overwrite(file, "--write-baseline", inputs, keep=is_baseline)
    except OutputRefused as error:
        raise SettingsError(str(error)) from None


def write_baseline(file: str, findings: Sequence[Finding]) -> None:
    rows = sorted(
        ({"rule": f.rule, "path": f.path, "fingerprint": fp} for f, fp in _baselined(findings)),
        key=lambda row: (row["path"], row["rule"], row["fingerprint"]),
    )
    document = {
        "version": BASELINE_VERSION,
        "tool": {"name": "aiact-lint", "version": __version__},
        "fingerprints": rows,
    }
    try:
        with open(file, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(json_dumps(document) + "\n")
    except OSError as error:
        raise SettingsError(f"--write-baseline {file}: {error.strerror or error}") from None
    sys.stderr.write(f"aiact-lint: wrote {len(rows)} finding(s) to the baseline {file}\n")


def read_baseline(file: str) -> set[str]:
    """The fingerprints of a ``--write-baseline`` file. Anything else (``[]``, ``null``, a
    partial document, non-UTF-8, NaN, nesting that would exhaust the parser) is a clear error."""
    from aiact_lint.report.saved import SavedResultError, refuse_deep

    def refuse(why: str) -> SettingsError:
        return SettingsError(f"--baseline {file}: {why}")

    try:
        with open(file, "rb") as handle:
            raw = handle.read()
    except OSError as error:
        raise refuse(error.strerror or str(error)) from None
    try:
        text = raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
        refuse_deep(text, "it")
        document = json.loads(text, parse_constant=_no_constant)
    except UnicodeDecodeError as error:
        raise refuse(f"not UTF-8 (byte 0x{raw[error.start]:02x} at offset {error.start})") from None
    except SavedResultError as error:
        raise refuse(str(error)) from None
    except (ValueError, RecursionError) as error:
        raise refuse(f"not JSON: {error}") from None
    rows = document.get("fingerprints") if isinstance(document, dict) else None
    if (
        not isinstance(document, dict)
        or document.get("version") != BASELINE_VERSION
        or not isinstance(rows, list)
    ):
        raise refuse(
            f"not an aiact-lint baseline (version {BASELINE_VERSION}); write one with "
            "--write-baseline"
        )
    known = set()
    for index, row in enumerate(rows):
        fingerprint = row.get("fingerprint") if isinstance(row, dict) else None
        if not isinstance(fingerprint, str) or not re.fullmatch(r"[0-9a-f]{16,128}", fingerprint):
            raise refuse(f"fingerprints[{index}] is not a fingerprint written by --write-baseline")
        known.add(fingerprint)
    return known


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


def _apply_baseline(entries: list[Entry], file: str) -> tuple[list[Entry], int]:
    known = read_baseline(file)
    hide = {f for f, fp in _baselined([e.finding for e in entries]) if fp in known}
    kept = [e for e in entries if e.finding not in hide]
    return kept, len(entries) - len(kept)


# --- --new-only --------------------------------------------------------------------------------


def _new_only(entries: list[Entry], history: History) -> tuple[list[Entry], list[Entry]]:
    changed, untracked = history.changed_lines()
    base = _base()
    try:
        prefix = base.resolve().relative_to(history.root).as_posix()
    except ValueError:
        prefix = ""
    new, old = [], []
    for entry in entries:
        finding = entry.finding
        path = posixpath.join(prefix, finding.path) if prefix not in ("", ".") else finding.path
        lines = set(range(finding.line, max(finding.line, finding.end_line) + 1))
        fresh = path in untracked or bool(lines & changed.get(path, set()))
        # The legal effect of the change is new by definition, wherever it points (a tier
        # raised by another line, a removed manifest); so is a verdict that differs from its lock.
        about_the_change = finding.rule in LEGAL_EFFECT_RULES or finding.rule == "AIA929"
        if fresh or about_the_change or is_protected(finding):
            new.append(entry)
        else:
            old.append(entry)
    return new, old
