"""The determination lock: each system's legal verdict as a named reviewer accepted it.

``aiact-lint lock`` writes ``aiact.lock`` beside each manifest; ``aiact-lint check`` compares the
live determination with it (AIA929, an error by default), reports a missing lock (AIA930) and
one it cannot read (AIA931). ``check`` never writes a lock.

One lock beside each manifest, not one per repository: a lock belongs to one system and travels
with its folder (a move or a deletion takes it along, and no lock names a path that can go
stale); a pull request that changes one system of a monorepo touches only that system's lock, so
two teams' reviews never conflict in one file; CODEOWNERS can give every lock to the compliance
team with one pattern (``aiact.lock``) or each system's lock to its own reviewer; and checking
one manifest (the pre-commit hook) reads one small file.

The file is YAML written by this module alone, byte for byte the same for the same verdict and
review: sorted keys, one fact per line, every string double-quoted, no clock (the review date is
an argument), no tool version.
"""

from __future__ import annotations

import datetime
import json
import os
import posixpath
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, NamedTuple, Optional

from aiact_lint import LAW_VERSION
from aiact_lint.catalogue import make_finding
from aiact_lint.findings import Finding, Span
from aiact_lint.yamlsafe import Located, PathKey, YamlProblem, iso_date, load

if TYPE_CHECKING:
    from aiact_lint.manifest import Manifest

LOCK_VERSION = 1
SUFFIX = ".lock"
MAX_LOCK_BYTES = 256 * 1024
# Route prefix -> the lock key that lists it, and how a reviewer reads one entry.
GROUPS = (
    ("art5:", "prohibited_practices", "Art. "),
    ("annex_iii:", "annex_iii", "Annex III "),
    ("annex_i:", "annex_i", "Annex I "),
    ("art50:", "transparency", "Art. "),
)
DEROGATION_ROUTE = "art6_3_derogation"
LIST_KEYS = ("roles", *(key for _, key, _ in GROUPS), "other_routes")
CONFLICT = re.compile(r"^(<{7}|={7}|>{7})(\s|$)", re.M)
_UNPRINTABLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029\ufeff\ufffe\uffff]"
)


class Facts(NamedTuple):
    """What the lock records of a determination: scope, tier, routes, roles, GPAI statuses."""

    in_scope: bool
    risk: str
    roles: tuple[str, ...]
    prohibited_practices: tuple[str, ...]
    annex_iii: tuple[str, ...]
    annex_i: tuple[str, ...]
    transparency: tuple[str, ...]
    art6_3_derogation: bool
    other_routes: tuple[str, ...]
    models: tuple[tuple[str, str], ...]  # (model id, GPAI status), sorted by id

    def routes(self) -> list[str]:
        """The routes again, as the determination names them (``annex_iii:4(a)``...)."""
        found = []
        for prefix, key, _ in GROUPS:
            found += [prefix + _route_value(prefix, v) for v in getattr(self, key)]
        if self.art6_3_derogation:
            found.append(DEROGATION_ROUTE)
        return found + list(self.other_routes)

    def route_labels(self) -> list[str]:
        labels = []
        for _, key, label in GROUPS:
            labels += [label + value for value in getattr(self, key)]
        if self.art6_3_derogation:
            labels.append("Art. 6(3) derogation")
        return labels + list(self.other_routes)

    def as_json(self) -> dict[str, Any]:
        return {
            "in_scope": self.in_scope,
            "risk": self.risk,
            "routes": self.routes(),
            "roles": list(self.roles),
            "models": [{"id": i, "gpai_status": s} for i, s in self.models],
        }


def _natural(text: str) -> tuple[Any, ...]:
    """Sort key that puts 4(b) before 10(a) and art50:2 before art50:10."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text))


def _route_value(prefix: str, shown: str) -> str:
    if prefix == "art5:":
        return shown.removeprefix("5(1)")
    if prefix == "art50:":
        return shown.removeprefix("50(").removesuffix(")")
    return shown


def _shown(prefix: str, value: str) -> str:
    if prefix == "art5:":
        return f"5(1){value}"
    if prefix == "art50:":
        return f"50({value})"
    return value


def facts_of(
    in_scope: Optional[bool],
    risk: Optional[str],
    routes: Iterable[str],
    roles: Iterable[str],
    models: Iterable[dict[str, Any]],
) -> Facts:
    """The lock's facts of one determination (the public fields of a checked system)."""
    groups: dict[str, list[str]] = {key: [] for _, key, _ in GROUPS}
    other: list[str] = []
    derogation = False
    for route in routes:
        if route == DEROGATION_ROUTE:
            derogation = True
            continue
        for prefix, key, _ in GROUPS:
            if route.startswith(prefix):
                groups[key].append(_shown(prefix, route[len(prefix) :]))
                break
        else:
            other.append(route)
    statuses: dict[str, set[str]] = {}
    for model in models:
        statuses.setdefault(str(model.get("id")), set()).add(str(model.get("gpai_status")))
    return Facts(
        in_scope=bool(in_scope),
        risk=str(risk),
        roles=tuple(sorted(set(roles))),
        prohibited_practices=tuple(sorted(set(groups["prohibited_practices"]), key=_natural)),
        annex_iii=tuple(sorted(set(groups["annex_iii"]), key=_natural)),
        annex_i=tuple(sorted(set(groups["annex_i"]), key=_natural)),
        transparency=tuple(sorted(set(groups["transparency"]), key=_natural)),
        art6_3_derogation=derogation,
        other_routes=tuple(sorted(set(other), key=_natural)),
        models=tuple((i, ", ".join(sorted(s))) for i, s in sorted(statuses.items())),
    )


# --- the file -------------------------------------------------------------------------------


def _lock_basename(name: str) -> str:
    """``aiact.yaml`` / ``aiact.yml`` -> ``aiact.lock``; any other name gets ``.lock`` added,
    so that a lock can never be the manifest itself."""
    for ending in (".yaml", ".yml"):
        if name.lower().endswith(ending) and len(name) > len(ending):
            return name[: -len(ending)] + SUFFIX
    return name + SUFFIX


def lock_file(manifest_file: Path) -> Path:
    """The lock beside a manifest, in the same folder."""
    return manifest_file.with_name(_lock_basename(manifest_file.name))


def lock_name(manifest_path: str) -> str:
    """The lock's path in the form findings use, from the manifest's (base-relative) path."""
    folder, name = posixpath.split(manifest_path)
    return posixpath.join(folder, _lock_basename(name))


def quote(value: str) -> str:
    """A YAML double-quoted scalar (JSON's escapes are YAML's), printable in any editor."""
    text = json.dumps(value, ensure_ascii=False)
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


class Review(NamedTuple):
    reviewed_by: str
    reviewed_on: datetime.date
    note: str = ""


def render(manifest_name: str, system: str, facts: Facts, review: Review) -> str:
    """The lock file's text: a fixed header, then sorted keys, one fact per line."""
    shown = quote(manifest_name)[1:-1]  # a comment holds no line break
    lines = [
        f"# The reviewed legal determination of the AI system declared in {shown}.",
        "# Written by `aiact-lint lock`; `aiact-lint check` fails while the live determination",
        "# differs. After a legal review, re-run `aiact-lint lock --reviewer NAME`; do not edit.",
        "# Own it in CODEOWNERS by the compliance team, e.g. `aiact.lock @your-org/compliance`.",
        "determination:",
    ]
    determination: dict[str, Any] = {
        "annex_i": facts.annex_i,
        "annex_iii": facts.annex_iii,
        "art6_3_derogation": facts.art6_3_derogation,
        "in_scope": facts.in_scope,
        "models": facts.models,
        "other_routes": facts.other_routes,
        "prohibited_practices": facts.prohibited_practices,
        "risk": facts.risk,
        "roles": facts.roles,
        "transparency": facts.transparency,
    }
    for key in sorted(determination):
        value = determination[key]
        if isinstance(value, bool):
            lines.append(f"  {key}: {'true' if value else 'false'}")
        elif key == "models":
            if not value:
                lines.append("  models: {}")
            else:
                lines.append("  models:")
                lines += [f"    {quote(ident)}: {quote(status)}" for ident, status in value]
        elif isinstance(value, tuple):
            if not value:
                lines.append(f"  {key}: []")
            else:
                lines.append(f"  {key}:")
                lines += [f"    - {quote(item)}" for item in value]
        else:
            lines.append(f"  {key}: {quote(value)}")
    lines += [
        f"law: {quote(LAW_VERSION)}",
        f"lock_version: {LOCK_VERSION}",
        f"manifest: {quote(manifest_name)}",
        "review:",
    ]
    if review.note:
        lines.append(f"  note: {quote(review.note)}")
    lines += [
        f"  reviewed_by: {quote(review.reviewed_by)}",
        f"  reviewed_on: {review.reviewed_on.isoformat()}",
        f"system: {quote(system)}",
    ]
    return "\n".join(lines) + "\n"


class Lock(NamedTuple):
    """A lock read back: what it records and who reviewed it."""

    facts: Facts
    review: Review
    manifest: str  # the manifest file name it was written for


class LockProblem(Exception):
    def __init__(self, message: str, span: Span = (1, 1, 1, 2)) -> None:
        super().__init__(message)
        self.message = message
        self.span = span


_LINE = re.compile(r'^( *)(?:"((?:[^"\\]|\\.)*)"|([a-z0-9_]+)):(?: (.+))?$')
_ITEM = re.compile(r"^( *)- (.+)$")
_PLAIN = re.compile(r"^(?:true|false|\[\]|\{\}|-?[0-9]+|[0-9]{4}-[0-9]{2}-[0-9]{2})$")


def _fast_scalar(text: str) -> Any:
    if text.startswith('"'):
        return json.loads(text)  # ValueError: not the format written here
    if not _PLAIN.match(text):
        raise ValueError(text)
    if text in ("true", "false"):
        return text == "true"
    if text in ("[]", "{}"):
        return [] if text == "[]" else {}
    return text if "-" in text[1:] else int(text)


def _fast_load(text: str) -> Optional[dict[str, Any]]:
    """The lock as data when it is exactly in the form :func:`render` writes (the common case,
    read without the YAML parser: the hook reads a lock on every run); None otherwise, and the
    YAML parser reads it, with locations for any problem."""
    root: dict[str, Any] = {}
    parents: list[tuple[int, Any]] = [(-1, root)]
    pending: Optional[tuple[int, dict[str, Any], str]] = None  # a key waiting for its value
    try:
        for line in text.split("\n"):
            if not line or line.startswith("#"):
                continue
            item = _ITEM.match(line)
            match = None if item else _LINE.match(line)
            found = item or match
            if found is None:
                return None
            indent = len(found.group(1))
            if pending is not None:
                depth, owner, key = pending
                if indent <= depth:
                    return None  # a key with no value
                owner[key] = [] if item else {}
                parents.append((depth, owner[key]))
                pending = None
            while parents[-1][0] >= indent:
                parents.pop()
            container = parents[-1][1]
            if item:
                if not isinstance(container, list):
                    return None
                container.append(_fast_scalar(item.group(2)))
                continue
            if match is None or not isinstance(container, dict):
                return None
            key = (
                json.loads(f'"{match.group(2)}"') if match.group(2) is not None else match.group(3)
            )
            if key in container:
                return None  # duplicate: the YAML reader reports it at its place
            if match.group(4) is None:
                pending = (indent, container, key)
                continue
            container[key] = _fast_scalar(match.group(4))
    except ValueError:
        return None
    return None if pending is not None else root


def parse(text: str) -> Lock:
    """The lock in ``text``; LockProblem (with where) when it is not one this version wrote."""
    conflict = CONFLICT.search(text)
    if conflict is not None:
        line = text.count("\n", 0, conflict.start()) + 1
        raise LockProblem(
            "unresolved merge-conflict markers: two reviews met; resolve by re-running "
            "`aiact-lint lock --reviewer NAME` on the merged manifest",
            (line, 1, line, 8),
        )
    fast = _fast_load(text)
    if fast is not None:
        try:
            return _validated(fast, None)
        except LockProblem:
            pass  # read it again with the YAML parser, for the location of the problem
    try:
        doc = load(text)
    except YamlProblem as problem:
        raise LockProblem(f"not valid YAML: {problem.message}", problem.span) from None
    return _validated(doc.data, doc)


def _validated(data: Any, doc: Optional[Located]) -> Lock:
    """The lock in ``data``; LockProblem located in ``doc`` (first line without it)."""

    def where(*path: str | int) -> Span:
        return doc.value_span(tuple(path)) if doc is not None else (1, 1, 1, 2)

    if not isinstance(data, dict):
        raise LockProblem("not a mapping", where())
    if "lock_version" not in data:
        raise LockProblem(
            "lock_version: missing; this is not a lock written by `aiact-lint lock`", where()
        )
    if data.get("lock_version") != LOCK_VERSION:
        raise LockProblem(
            f"lock_version {data.get('lock_version')!r} is not supported (this aiact-lint "
            f"writes lock_version {LOCK_VERSION}); re-run `aiact-lint lock --reviewer NAME`",
            where("lock_version"),
        )
    det = data.get("determination")
    if not isinstance(det, dict):
        raise LockProblem("determination: missing or not a mapping", where("determination"))
    values: dict[str, Any] = {}
    for key in ("in_scope", "art6_3_derogation"):
        if not isinstance(det.get(key), bool):
            raise LockProblem(
                f"determination.{key}: not true or false", where("determination", key)
            )
        values[key] = det[key]
    if not isinstance(det.get("risk"), str):
        raise LockProblem(
            "determination.risk: missing or not a string", where("determination", "risk")
        )
    values["risk"] = det["risk"]
    for key in LIST_KEYS:
        items = det.get(key, [])
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise LockProblem(
                f"determination.{key}: not a list of strings", where("determination", key)
            )
        values[key] = tuple(items)
    models = det.get("models", {})
    if not isinstance(models, dict) or not all(isinstance(v, str) for v in models.values()):
        raise LockProblem(
            "determination.models: not a mapping of model id to GPAI status",
            where("determination", "models"),
        )
    values["models"] = tuple(sorted(models.items()))
    review = data.get("review")
    if not isinstance(review, dict):
        raise LockProblem("review: missing or not a mapping", where("review"))
    who = review.get("reviewed_by")
    if not isinstance(who, str) or not who.strip():
        raise LockProblem("review.reviewed_by: missing or empty", where("review", "reviewed_by"))
    when = iso_date(review.get("reviewed_on"))
    if when is None:
        raise LockProblem(
            "review.reviewed_on: missing or not a date (YYYY-MM-DD)", where("review", "reviewed_on")
        )
    note = review.get("note", "")
    if not isinstance(note, str):
        raise LockProblem("review.note: not a string", where("review", "note"))
    manifest = data.get("manifest")
    facts = Facts(
        in_scope=values["in_scope"],
        risk=values["risk"],
        roles=tuple(sorted(values["roles"])),
        prohibited_practices=tuple(sorted(values["prohibited_practices"], key=_natural)),
        annex_iii=tuple(sorted(values["annex_iii"], key=_natural)),
        annex_i=tuple(sorted(values["annex_i"], key=_natural)),
        transparency=tuple(sorted(values["transparency"], key=_natural)),
        art6_3_derogation=values["art6_3_derogation"],
        other_routes=tuple(sorted(values["other_routes"], key=_natural)),
        models=values["models"],
    )
    return Lock(facts, Review(who, when, note), manifest if isinstance(manifest, str) else "")


def read_text(root: Path, rel: str) -> tuple[Optional[str], str]:
    """(text, "") of the lock at root-relative ``rel``; (None, "") when absent; (None, why)
    when it cannot be used (a folder, a link out of the repository, too large, unreadable)."""
    from aiact_lint.repo.files import inspect

    state = inspect(root, rel)
    if state.status == "missing" and state.detail == "no such file":
        return None, ""
    if state.status != "ok":
        return None, state.detail or state.status
    if state.text is None:
        return None, state.content_skipped or "not text"
    if len(state.text) > MAX_LOCK_BYTES:
        return None, f"larger than {MAX_LOCK_BYTES // 1024} KiB"
    return state.text, ""


# --- comparing ------------------------------------------------------------------------------


class Difference(NamedTuple):
    aspect: str  # scope | risk | routes | roles | model:<id>
    text: str
    before: Any
    after: Any
    at: PathKey


def _routes_text(labels: list[str]) -> str:
    return ", ".join(labels) if labels else "no route"


def differences(locked: Facts, live: Facts) -> list[Difference]:
    """Every fact of ``live`` that is not what the lock records, worded for a reviewer."""
    found: list[Difference] = []
    if locked.in_scope != live.in_scope:
        what = "now within" if live.in_scope else "no longer within"
        found.append(
            Difference(
                "scope",
                f"the system is {what} the scope of the AI Act (Art. 2)",
                locked.in_scope,
                live.in_scope,
                ("market",),
            )
        )
    if locked.risk != live.risk:
        found.append(
            Difference(
                "risk",
                f"risk changed from {locked.risk} to {live.risk} "
                f"({_routes_text(live.route_labels())})",
                {"risk": locked.risk, "routes": locked.routes()},
                {"risk": live.risk, "routes": live.routes()},
                ("risk", "classification"),
            )
        )
    elif set(locked.routes()) != set(live.routes()):
        gained = [r for r in live.route_labels() if r not in locked.route_labels()]
        lost = [r for r in locked.route_labels() if r not in live.route_labels()]
        parts = ([f"now {', '.join(gained)}"] if gained else []) + (
            [f"no longer {', '.join(lost)}"] if lost else []
        )
        found.append(
            Difference(
                "routes",
                f"the legal routes of the {live.risk} determination changed ({'; '.join(parts)})",
                locked.routes(),
                live.routes(),
                ("use_case",),
            )
        )
    if locked.roles != live.roles:
        found.append(
            Difference(
                "roles",
                f"roles changed from [{', '.join(locked.roles)}] to [{', '.join(live.roles)}]",
                list(locked.roles),
                list(live.roles),
                ("roles",),
            )
        )
    before, after = dict(locked.models), dict(live.models)
    for ident in sorted(set(before) | set(after)):
        if before.get(ident) == after.get(ident):
            continue
        if ident not in before:
            text = f"model {ident} ({after[ident]}) is not in the lock"
        elif ident not in after:
            text = f"model {ident} ({before[ident]}) is in the lock but no longer in the manifest"
        else:
            text = f"model {ident}: GPAI status changed from {before[ident]} to {after[ident]}"
        found.append(
            Difference(f"model:{ident}", text, before.get(ident), after.get(ident), ("models",))
        )
    return found


class LockCheck:
    """The lock of one checked system: its status for the report and the findings it gives."""

    def __init__(self, path: str, repo_path: str) -> None:
        self.path = path  # as findings name it (relative to the run's base)
        self.repo_path = repo_path  # relative to the repository root (for git)
        self.status = "missing"  # matches | differs | missing | unreadable
        self.text: Optional[str] = None
        self.lock: Optional[Lock] = None
        self.findings: list[Finding] = []
        self.differences: list[Difference] = []

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"path": self.path, "status": self.status}
        if self.lock is not None:
            data["reviewed_by"] = self.lock.review.reviewed_by
            data["reviewed_on"] = self.lock.review.reviewed_on.isoformat()
            if self.lock.review.note:
                data["note"] = self.lock.review.note
            data["determination"] = self.lock.facts.as_json()
        if self.differences:
            data["differences"] = [d.text for d in self.differences]
        return data


def _command(manifest_path: str) -> str:
    folder = posixpath.dirname(manifest_path)
    target = f" {folder}" if folder else ""
    return f'aiact-lint lock --reviewer "NAME"{target}'


def _outside_index(manifest: Manifest, repo_rel: str) -> bool:
    """Whether git tracks files here but its index does not hold the lock: the commit a hook
    judges will not contain it, whatever is on disk (never added, or `git rm --cached`)."""
    from aiact_lint.repo.files import tracked_files

    tracked = tracked_files(str(manifest.root), (repo_rel,))
    return tracked is not None and repo_rel not in tracked


def check(manifest: Manifest, live: Facts, staged: bool = False) -> LockCheck:
    """Hold one valid manifest's live facts against the lock beside it. Reads; never writes.

    ``staged`` (``check --staged``, the pre-commit hooks): a lock on disk that the git index
    does not hold counts as missing, since the commit, and every clone of it, lacks it."""
    from aiact_lint.manifest import relpath

    repo_rel = relpath(lock_file(manifest.file), manifest.root)
    result = LockCheck(lock_name(manifest.path), repo_rel)
    command = _command(manifest.path)
    text, problem = read_text(manifest.root, repo_rel)
    if text is not None and staged and _outside_index(manifest, repo_rel):
        result.findings.append(
            make_finding(
                "AIA930",
                manifest.path,
                (1, 1, 1, 2),
                f"{result.path} is not in the git index, so the commit will not contain it "
                "(never added, or removed with `git rm --cached`) and records no review of "
                f"this system's verdict (risk {live.risk}); `git add {result.path}` once it "
                "records the legal review",
                fix=f"git add {result.path} (written by `{command}` after legal review) and "
                "commit it with the manifest.",
                subject="lock:missing",
            )
        )
        return result
    if text is None and not problem:
        result.findings.append(
            make_finding(
                "AIA930",
                manifest.path,
                (1, 1, 1, 2),
                f"no determination lock ({result.path}): nobody has recorded a review of this "
                f"system's verdict (risk {live.risk}); after legal review run `{command}` and "
                "commit the lock",
                fix=f"After legal review run `{command}` and commit {result.path}; own "
                "aiact.lock files by the compliance team in CODEOWNERS.",
                subject="lock:missing",
            )
        )
        return result
    result.text = text
    try:
        if text is None:
            raise LockProblem(f"cannot be read: {problem}")
        result.lock = parse(text)
    except LockProblem as error:
        result.status = "unreadable"
        result.findings.append(
            make_finding(
                "AIA931",
                result.path,
                error.span,
                f"{result.path}: {error.message}",
                subject="lock:unreadable",
            )
        )
        return result
    lock = result.lock
    result.differences = differences(lock.facts, live)
    if not result.differences:
        result.status = "matches"
        return result
    result.status = "differs"
    since = (
        f"since the review of {lock.review.reviewed_on.isoformat()} by {lock.review.reviewed_by}"
    )
    for difference in result.differences:
        finding = manifest.finding(
            "AIA929",
            _at(manifest, difference.at),
            f"{difference.text} {since} ({result.path}); re-run `{command}` after legal review",
            fix=f"Have the change reviewed, then run `{command}` and commit {result.path} with it.",
            subject=f"lock:{difference.aspect}",
        )
        result.findings.append(finding.with_(change=change(difference.before, difference.after)))
    return result


def _at(manifest: Manifest, path: PathKey) -> PathKey:
    doc = manifest.doc
    current = path
    while current and current not in doc.keys and current not in doc.values:
        current = current[:-1]
    return current or ("system", "name")


def change(before: Any, after: Any) -> str:
    """The ``change`` field of a finding: its before and after values as canonical JSON."""
    return json.dumps({"before": before, "after": after}, sort_keys=True, ensure_ascii=False)


# --- writing ----------------------------------------------------------------------------------


class LockRefused(Exception):
    """The lock cannot be written there (exit code 2)."""


def write(target: Path, text: str) -> None:
    """Replace ``target`` with ``text`` atomically; never through a link, never outside."""
    import contextlib
    import tempfile

    if target.is_symlink() or (target.exists() and not target.is_file()):
        raise LockRefused(f"{target} is not a regular file; refusing to replace it")
    handle, temp = tempfile.mkstemp(prefix=".aiact.lock.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        current = os.umask(0)
        os.umask(current)
        os.chmod(temp, 0o644 & ~current)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
