"""Pull-request checks (``--diff-base REF``): what a change to a manifest means in law.

Each manifest is read at REF and compared with the working tree; both versions are classified
with the same pure ``classify.determine`` and the differences that carry legal weight become
findings (AIA920-AIA928) located at the changed node of the current manifest. This module also
answers which lines changed since REF (``--new-only``) and when evidence went stale.

GitPython is imported here only, and this module only on the ``--diff-base`` path: a plain
check never pays for it.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Optional, Sequence, TypeVar

from aiact_lint.catalogue import get
from aiact_lint.classify import RISK_ORDER, Determination, determine, union_codes
from aiact_lint.config import SettingsError
from aiact_lint.findings import Finding
from aiact_lint.lawdata import table
from aiact_lint.manifest import Manifest, resolve_in_repo
from aiact_lint.options import Options
from aiact_lint.yamlsafe import PathKey, YamlProblem, load

MAX_WALK = 200  # commits of a manifest's history searched for the last change of models/purpose
WORKTREE = "the working tree (uncommitted)"
_HUNK = re.compile(rb"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


class HistoryError(SettingsError):
    """``--diff-base`` cannot work here (exit code 2): no git, no repository, no such REF."""


@dataclass
class Version:
    """One manifest version: its data and its determination (None when unreadable)."""

    data: dict[str, Any]
    det: Determination


def _short(sha: str) -> str:
    return sha[:7]


def _clip(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


_C_ESCAPES = {
    ord("a"): 7,
    ord("b"): 8,
    ord("t"): 9,
    ord("n"): 10,
    ord("v"): 11,
    ord("f"): 12,
    ord("r"): 13,
    ord('"'): 34,
    ord("\\"): 92,
}


def _unquote(raw: bytes) -> bytes:
    """Undo git's C-style quoting of a file name (``"a\\"b\\303\\251"``), byte for byte."""
    if not (len(raw) >= 2 and raw.startswith(b'"') and raw.endswith(b'"')):
        return raw
    body, out, index = raw[1:-1], bytearray(), 0
    while index < len(body):
        byte = body[index]
        if byte != 0x5C or index + 1 >= len(body):  # not a backslash
            out.append(byte)
            index += 1
            continue
        following = body[index + 1]
        if 0x30 <= following <= 0x37:  # \ooo: one byte in octal
            digits = body[index + 1 : index + 4]
            out.append(int(digits, 8) & 0xFF)
            index += 1 + len(digits)
        else:
            out.append(_C_ESCAPES.get(following, following))
            index += 2
    return bytes(out)


def _target(line: bytes) -> Optional[str]:
    """The new-side path of a ``+++`` line (None for /dev/null), decoded like git's -z names."""
    name = _unquote(line[4:].rstrip(b"\n").rstrip(b"\r").rstrip(b"\t"))
    return os.fsdecode(name[2:]) if name.startswith(b"b/") else None


def parse_diff(text: str | bytes) -> dict[str, set[int]]:
    """``git diff --unified=0`` output -> path -> the line numbers added or changed."""
    data = text.encode("utf-8", "surrogateescape") if isinstance(text, str) else text
    changed: dict[str, set[int]] = {}
    current: Optional[str] = None
    for line in data.split(b"\n"):
        if line.startswith(b"diff --git "):
            current = None
        elif line.startswith(b"+++ "):
            current = _target(line)
            if current is not None:
                changed.setdefault(current, set())
            continue
        match = _HUNK.match(line)
        if match and current is not None:
            start = int(match.group(1))
            count = 1 if match.group(2) is None else int(match.group(2))
            changed[current].update(range(start, start + count))
    return changed


def _names(raw: bytes) -> set[str]:
    """NUL-separated names (``git ... -z``), decoded like every other path of the run."""
    return {os.fsdecode(name) for name in raw.split(b"\0") if name}


def _valid(data: Any) -> bool:
    from aiact_lint.schema import _validator

    fast_validate: Any = _validator.validate
    try:
        fast_validate(data)
    except _validator.JsonSchemaValueException:
        return False
    return True


def _version(text: Optional[str], options: Options) -> Optional[Version]:
    if text is None:
        return None
    try:
        data = load(text).data
    except YamlProblem:
        return None
    if not isinstance(data, dict) or not _valid(data):
        return None
    return Version(data, determine(data, options.as_of, options.policy))


def _get(data: dict[str, Any], *path: str) -> Any:
    node: Any = data
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
    return node


def _in_union(data: dict[str, Any]) -> bool:
    regions = _get(data, "market", "regions") or []
    codes = union_codes()
    listed = any(isinstance(r, str) and r in codes for r in regions)
    return listed or _get(data, "market", "output_used_in_eu") is True


def _models_and_purpose(data: dict[str, Any]) -> str:
    facts = {"models": data.get("models") or [], "purpose": _get(data, "use_case", "purpose")}
    return json.dumps(facts, sort_keys=True, default=str)


_Method = TypeVar("_Method", bound=Callable[..., Any])


def _git_errors(method: _Method) -> _Method:
    """A git failure inside ``method`` becomes a clean input error (exit code 2), never an
    uncaught GitCommandError whose message would carry the raw command line."""

    @functools.wraps(method)
    def guarded(self: History, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except self._git.GitError as error:
            raise _failure(error) from None

    return guarded  # type: ignore[return-value]


def _failure(error: Exception) -> HistoryError:
    command = getattr(error, "command", None)
    words = command if isinstance(command, (list, tuple)) else []
    # `git -c ... diff-index ...`: name the subcommand, not the (repository-derived) arguments
    name = next((str(w) for w in words[1:] if not str(w).startswith("-")), "")
    status = getattr(error, "status", None)
    stderr = getattr(error, "stderr", "") or ""
    if isinstance(stderr, bytes):
        stderr = stderr.decode("utf-8", "replace")
    detail = next((line.strip() for line in str(stderr).splitlines() if line.strip()), "")
    detail = detail.removeprefix("stderr:").strip().strip("'").strip()
    what = f"git {name}".strip() + (f" failed (exit status {status})" if status else " failed")
    return HistoryError(f"--diff-base: {what}" + (f": {detail}" if detail else ""))


def _read_regular(root: Path, rel: str, limit: int) -> Optional[bytes]:
    """The bytes of a regular file inside ``root`` (no link out, no FIFO, at most ``limit``)."""
    import stat

    full = os.path.join(root, *rel.split("/"))
    real, top = os.path.realpath(full), os.path.realpath(root)
    if not real.startswith(top.rstrip(os.sep) + os.sep):
        return None
    try:
        info = os.lstat(full)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        fd = os.open(
            full, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        )
    except (OSError, ValueError):
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError:
        return None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    return data if len(data) <= limit else None


def _work_tree(start: Path) -> Optional[Path]:
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return None


class History:
    """A git repository opened for one run, with REF resolved to a commit.

    Every git call goes through gitsafe's environment (no program from the repository's
    configuration, no index refresh, no submodule), with literal pathspecs, plumbing commands
    and NUL-separated names; git's failures become HistoryError.
    """

    def __init__(self, start: Path, ref: str):
        if ref.startswith("-") or not ref.strip():
            raise HistoryError(f"--diff-base {ref!r}: not a revision name")
        if shutil.which("git") is None:
            raise HistoryError("--diff-base needs git, which is not installed (or not on PATH)")
        try:
            import git
        except ImportError as error:  # GitPython refuses to import without a git executable
            raise HistoryError(f"--diff-base needs git and GitPython: {error}") from None
        from aiact_lint.gitsafe import foreign_gitdir, git_settings

        self._git = git
        top = _work_tree(start.resolve())
        if top is None:
            raise HistoryError(f"--diff-base needs a git repository, and {start} is not inside one")
        elsewhere = foreign_gitdir(str(top))
        if elsewhere is not None:
            raise HistoryError(
                f"--diff-base: {top / '.git'} is a file naming the git folder {elsewhere}, which "
                "belongs to another work tree; refusing to read another repository's history"
            )
        try:
            self.repo = git.Repo(top)
        except (git.InvalidGitRepositoryError, git.NoSuchPathError):
            raise HistoryError(
                f"--diff-base needs a git repository, and {start} is not inside one"
            ) from None
        except (git.GitError, OSError, ValueError) as error:
            raise HistoryError(
                f"--diff-base: {top} cannot be opened as a git repository: {error}"
            ) from None
        # Paths are data: a folder named ":(exclude)x" or "*" is that folder, never a pattern.
        self.repo.git.update_environment(**{**git_settings(str(top)), "GIT_LITERAL_PATHSPECS": "1"})
        if self.repo.bare or self.repo.working_tree_dir is None:
            raise HistoryError("--diff-base needs a work tree, not a bare repository")
        self.root = Path(self.repo.working_tree_dir).resolve()
        self.ref = ref
        resolved = self._resolve(ref)
        # Compare with where this branch left REF (what the pull request did), not with what
        # REF gained since; in a shallow clone without that history, with REF itself.
        self.base = self._merge_base(resolved) or resolved
        short = _short(self.base)
        self.label = short if resolved.startswith(ref.lower()) else f"{ref} ({short})"
        self._dirty: Optional[set[str]] = None
        self._untracked: Optional[set[str]] = None

    def close(self) -> None:
        self.repo.close()

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- revisions ---------------------------------------------------------------------------

    def _resolve(self, ref: str) -> str:
        try:
            sha: str = self.repo.git.rev_parse("--verify", "--quiet", f"{ref}^{{commit}}")
            return sha.strip()
        except self._git.GitCommandError:
            pass
        try:
            shallow = self.repo.git.rev_parse("--is-shallow-repository").strip() == "true"
        except self._git.GitCommandError:
            shallow = False
        if shallow:
            hint = (
                "this is a shallow clone, so the base revision was probably not fetched: run "
                f"`git fetch --deepen=200 origin` or `git fetch origin {ref}`, or check out with "
                "`fetch-depth: 0` (actions/checkout)"
            )
        else:
            hint = f"fetch it first (`git fetch origin {ref}`) or check the name"
        raise HistoryError(f"--diff-base {ref}: no such commit in this repository; {hint}")

    def _merge_base(self, sha: str) -> Optional[str]:
        try:
            found: str = self.repo.git.merge_base(sha, "HEAD")
        except self._git.GitCommandError:
            return None
        return found.strip() or None

    def relative(self, file: Path) -> Optional[str]:
        """``file`` relative to the work tree root (posix), or None when outside it."""
        try:
            return file.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return None

    def read(self, sha: str, path: str) -> Optional[str]:
        """A file's text at a commit, or None when it did not exist there."""
        try:
            blob = self.repo.commit(sha).tree / path
            raw: bytes = blob.data_stream.read()
        except Exception:  # KeyError, BadName, GitCommandError...: not there
            return None
        if raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        return raw.decode("utf-8", "replace")

    def _bytes(self, *args: str) -> bytes:
        out: bytes = getattr(self.repo.git, args[0])(
            *args[1:], stdout_as_string=False, strip_newline_in_stdout=False
        )
        return out

    @_git_errors
    def untracked(self) -> set[str]:
        """Untracked files git does not ignore (``ls-files``: no index write, no submodule)."""
        if self._untracked is None:
            self._untracked = _names(
                self._bytes("ls_files", "-z", "--others", "--exclude-standard")
            )
        return self._untracked

    @_git_errors
    def dirty(self) -> set[str]:
        """Root-relative paths changed in the work tree since HEAD, or untracked.

        ``git diff-index`` (plumbing) never refreshes the index; a file it lists only because
        its stat data changed is hashed here and left out when it still holds HEAD's blob.
        """
        if self._dirty is None:
            from aiact_lint.gitsafe import DIFF_SAFETY

            raw = self._bytes("diff_index", "-z", "--raw", "--no-renames", *DIFF_SAFETY, "HEAD")
            changed = set()
            fields = raw.split(b"\0")
            for meta, name in zip(fields[0::2], fields[1::2]):
                path = os.fsdecode(name)
                if path and not self._same_blob(meta, path):
                    changed.add(path)
            self._dirty = changed | self.untracked()
        return self._dirty

    def _same_blob(self, meta: bytes, path: str) -> bool:
        """Whether the work-tree file still holds the blob a ``--raw`` line says it had."""
        parts = meta.lstrip(b":").split()
        if len(parts) < 5 or parts[0] != parts[1] or parts[1] not in (b"100644", b"100755"):
            return False
        old = parts[2].decode("ascii", "replace")
        if set(parts[3]) != {ord("0")}:
            return False  # git already knows the new content differs
        data = _read_regular(self.root, path, 64 * 1024 * 1024)
        if data is None:
            return False
        digest = hashlib.sha256 if len(old) == 64 else hashlib.sha1
        header = b"blob %d\0" % len(data)
        return digest(header + data, usedforsecurity=False).hexdigest() == old

    # -- --new-only ----------------------------------------------------------------------------

    @_git_errors
    def changed_lines(self) -> tuple[dict[str, set[int]], set[str]]:
        """Lines added or changed since REF per path, and the files that are wholly new.

        ``git diff-index`` compares REF's tree with the work tree without writing the index;
        names in the patch are C-unquoted byte for byte, so quoted names (``"``, ``\\``,
        non-ASCII) match the paths the findings carry.
        """
        from aiact_lint.gitsafe import DIFF_SAFETY

        patch = self._bytes("diff_index", "-p", "--unified=0", "-M", *DIFF_SAFETY, self.base, "--")
        return parse_diff(patch), self.untracked()

    # -- comparison ----------------------------------------------------------------------------

    @_git_errors
    def compare(self, manifest: Manifest, options: Options) -> list[Finding]:
        path = self.relative(manifest.file)
        if path is None:
            return []
        old = _version(self.read(self.base, path), options)
        if old is None:  # new at REF, or unreadable there: nothing to compare with
            return []
        new = Version(manifest.data, determine(manifest.data, options.as_of, options.policy))
        return Comparison(self, manifest, old, new).findings()

    # -- evidence freshness --------------------------------------------------------------------

    @_git_errors
    def last_change(self, manifest: Manifest) -> Optional[tuple[str, str]]:
        """(commit or WORKTREE, what changed) for the newest change of models or purpose."""
        path = self.relative(manifest.file)
        if path is None:
            return None
        newer_key = _models_and_purpose(manifest.data)
        newer: str = WORKTREE
        newer_data = manifest.data
        commits = list(self.repo.iter_commits(paths=path, max_count=MAX_WALK))
        if path not in self.dirty() and commits:
            newer = commits[0].hexsha  # the working tree holds HEAD's version
            commits = commits[1:]
        for commit in commits:
            text = self.read(commit.hexsha, path)
            try:
                data = load(text).data if text is not None else None
            except YamlProblem:
                data = None
            if not isinstance(data, dict):
                return None  # created (or unreadable) here: no earlier version to differ from
            if _models_and_purpose(data) != newer_key:
                return newer, _what_changed(data, newer_data)
            newer, newer_data = commit.hexsha, data
        return None

    def _is_ancestor(self, older: str, newer: str) -> bool:
        try:
            self.repo.git.merge_base("--is-ancestor", older, newer)
        except self._git.GitCommandError:
            return False
        return True

    @_git_errors
    def last_commit(self, path: str) -> Optional[str]:
        sha: str = self.repo.git.log("-1", "--format=%H", "--", path).strip()
        return sha or None

    @_git_errors
    def stale_evidence(self, manifest: Manifest) -> list[Finding]:
        change = self.last_change(manifest)
        if change is None:
            return []
        changed_in, what = change
        findings = []
        for at, value in _evidence(manifest):
            doc = resolve_in_repo(manifest, value)
            if doc is None or not (self.root / doc).is_file() or doc in self.dirty():
                continue
            doc_commit = self.last_commit(doc)
            if doc_commit is None or doc_commit == changed_in:
                continue
            if changed_in != WORKTREE and not self._is_ancestor(doc_commit, changed_in):
                continue
            where = "uncommitted changes" if changed_in == WORKTREE else f"commit {changed_in[:7]}"
            findings.append(
                manifest.finding(
                    "AIA928",
                    at,
                    f"{'.'.join(str(p) for p in at)} ({doc}) was last changed in commit "
                    f"{doc_commit[:7]}, before {where} changed the system's {what}; review it "
                    "so that it describes the system as it is now (Art. 11(1))",
                    subject=f"stale-evidence:{doc}",
                    value=True,
                )
            )
        return findings


def _what_changed(old: dict[str, Any], new: dict[str, Any]) -> str:
    parts = []
    if json.dumps(old.get("models") or [], sort_keys=True, default=str) != json.dumps(
        new.get("models") or [], sort_keys=True, default=str
    ):
        parts.append("models")
    if _get(old, "use_case", "purpose") != _get(new, "use_case", "purpose"):
        parts.append("intended purpose")
    return " and ".join(parts) or "models"


def _evidence(manifest: Manifest) -> Iterable[tuple[PathKey, str]]:
    evidence = manifest.get("evidence", default={})
    if isinstance(evidence, dict):
        for key, value in evidence.items():
            if isinstance(value, str) and value:
                yield ("evidence", key), value
    assessment = manifest.get("use_case", "derogation", "assessment")
    if isinstance(assessment, str) and assessment:
        yield ("use_case", "derogation", "assessment"), assessment


class Comparison:
    """The legal differences between one manifest at REF (old) and in the work tree (new)."""

    def __init__(self, history: History, manifest: Manifest, old: Version, new: Version):
        self.history = history
        self.manifest = manifest
        self.old = old
        self.new = new
        self.since = f"since {history.label}"

    def findings(self) -> list[Finding]:
        found: list[Finding] = []
        for check in (
            self.purpose,
            self.annex_iii,
            self.risk,
            self.roles,
            self.union_market,
            self.models,
            self.compute,
            self.derogation,
        ):
            found.extend(check())
        return found

    def _at(self, *paths: PathKey) -> PathKey:
        doc = self.manifest.doc
        for path in paths:
            if path in doc.keys or path in doc.values:
                return path
        return paths[-1]

    def _finding(
        self, code: str, at: PathKey, message: str, subject: str, articles: Sequence[str] = ()
    ) -> Finding:
        article = ", ".join(dict.fromkeys(articles)) if articles else get(code).article
        return self.manifest.finding(code, at, message, article=article, subject=subject)

    @property
    def provider(self) -> bool:
        return "provider" in self.new.det.roles

    @property
    def declared_provider(self) -> bool:
        return "provider" in self.new.det.declared_roles

    def purpose(self) -> list[Finding]:
        before = _get(self.old.data, "use_case", "purpose")
        after = _get(self.new.data, "use_case", "purpose")
        if not isinstance(before, str) or not isinstance(after, str):
            return []
        if " ".join(before.split()) == " ".join(after.split()):
            return []
        head = f'use_case.purpose changed {self.since}: "{_clip(before)}" -> "{_clip(after)}"'
        if self.new.det.high_risk and self.declared_provider:
            tail = (
                "; a change of intended purpose is a substantial modification (Art. 3(23)) and "
                "the high-risk system needs a new conformity assessment (Art. 43(4))"
            )
            articles = ["Art. 3(12)", "Art. 3(23)", "Art. 43(4)"]
        elif self.new.det.high_risk:
            tail = (
                "; changing the intended purpose so that the system is high-risk makes you its "
                "provider (Art. 25(1)(c)), with the provider obligations and a conformity "
                "assessment (Art. 43)"
            )
            articles = ["Art. 3(12)", "Art. 25(1)(c)", "Art. 43"]
        else:
            tail = (
                "; re-check the classification for the new purpose (Art. 6): if it makes the "
                "system high-risk, whoever changed it becomes the provider (Art. 25(1)(c)), "
                "and a high-risk system needs a new conformity assessment (Art. 43(4))"
            )
            articles = ["Art. 3(12)", "Art. 25(1)(c)", "Art. 43(4)"]
        at = self._at(("use_case", "purpose"))
        return [self._finding("AIA920", at, head + tail, "diff:purpose", articles)]

    def annex_iii(self) -> list[Finding]:
        titles = {p["point"]: p["title"] for p in table("annex_iii")["points"]}
        added = [p for p in self.new.det.annex_iii if p not in self.old.det.annex_iii]
        declared = _get(self.new.data, "use_case", "annex_iii") or []
        found = []
        for point in added:
            if point in declared:
                at: PathKey = ("use_case", "annex_iii", declared.index(point))
            else:
                fact = self.new.det.implied_annex_iii.get(point, "")
                at = self._at(("use_case", "capabilities", fact), ("use_case", "annex_iii"))
            title = titles.get(point, "")
            head = f"Annex III {point}" + (f" ({title})" if title else "")
            if not self.new.det.high_risk:
                effect = (
                    "; the Art. 6(3) derogation must be documented before placing on the "
                    "market (Art. 6(4))"
                )
                articles = ["Art. 6(2)", "Art. 6(4)"]
            elif self.old.det.high_risk and self.declared_provider:
                effect = (
                    ": a substantial modification of a high-risk system, which needs a new "
                    "conformity assessment (Art. 43(4))"
                )
                articles = ["Art. 6(2)", "Art. 3(23)", "Art. 43(4)"]
            elif self.declared_provider:
                effect = (
                    ": the system becomes high-risk (Art. 6(2)) and needs a conformity "
                    "assessment before it is placed on the market (Art. 43)"
                )
                articles = ["Art. 6(2)", "Art. 43"]
            else:
                effect = (
                    ": the system becomes high-risk (Art. 6(2)) and whoever changed its purpose "
                    "this way becomes its provider (Art. 25(1)(c))"
                )
                articles = ["Art. 6(2)", "Art. 25(1)(c)"]
            found.append(
                self._finding(
                    "AIA921",
                    at,
                    f"{head} applies now but did not {self.since}{effect}",
                    f"diff:annex_iii:{point}",
                    articles,
                )
            )
        return found

    def risk(self) -> list[Finding]:
        before, after = self.old.det.risk, self.new.det.risk
        if before not in RISK_ORDER or after not in RISK_ORDER:
            return []  # out of scope at either end: eu_market covers the change of scope
        if RISK_ORDER[after] <= RISK_ORDER[before]:
            return []
        effects = {
            "prohibited": (
                "it may not be placed on the market, put into service or used",
                "Art. 5(1)",
            ),
            "high": (
                "the high-risk requirements (Arts. 8-17) apply and a conformity assessment is "
                "needed, a new one after a substantial modification (Art. 43(4))",
                "Art. 43(4)",
            ),
            "limited": ("the transparency obligations of Art. 50 apply", "Art. 50"),
        }
        effect, article = effects.get(after, ("", ""))
        routes = ", ".join(self.new.det.routes) or "no route"
        at = self._at(("risk", "classification"), ("use_case",))
        message = f"risk raised from {before} to {after} {self.since} ({routes}): {effect}"
        return [self._finding("AIA922", at, message, f"diff:risk:{after}", ["Art. 6", article])]

    def roles(self) -> list[Finding]:
        before, after = sorted(self.old.det.roles), sorted(self.new.det.roles)
        if before == after:
            return []
        gained = [r for r in after if r not in before]
        lost = [r for r in before if r not in after]
        articles = ["Art. 3(3)", "Art. 3(4)"]
        parts = []
        if gained:
            parts.append(f"now {', '.join(gained)}")
        if lost:
            parts.append(f"no longer {', '.join(lost)}")
        message = f"roles changed {self.since}: {'; '.join(parts)}"
        shifts = [s for s in self.new.det.role_shifts if "provider" in gained]
        for shift in shifts:
            message += f"; provider because this organisation {shift.text} ({shift.article})"
            articles.append(shift.article)
        if "provider" in gained:
            if self.new.det.high_risk:
                message += (
                    "; the provider of a high-risk system owes the Art. 16 obligations, "
                    "including a conformity assessment (Art. 43)"
                )
                articles += ["Art. 16", "Art. 43"]
            else:
                message += "; the provider obligations of its risk tier now apply"
        at = self._at(("roles",))
        return [self._finding("AIA923", at, message, "diff:roles", articles)]

    def union_market(self) -> list[Finding]:
        if _in_union(self.old.data) or not _in_union(self.new.data):
            return []
        regions = _get(self.new.data, "market", "regions") or []
        codes = union_codes()
        union = [r for r in regions if isinstance(r, str) and r in codes]
        if union:
            index = regions.index(union[0])
            at = self._at(("market", "regions", index), ("market", "regions"))
            what = f"market.regions now includes {', '.join(union)}"
        else:
            at = self._at(("market", "output_used_in_eu"), ("market",))
            what = "market.output_used_in_eu is now true"
        message = (
            f"{what} ({self.since}: outside the Union): the Regulation applies to the system "
            f"(Art. 2(1)); its determined risk is {self.new.det.risk}"
        )
        return [self._finding("AIA924", at, message, "diff:eu_market", ["Art. 2(1)"])]

    def models(self) -> list[Finding]:
        old_ids = [m.id for m in self.old.det.models]
        new_ids = [m.id for m in self.new.det.models]
        removed = [i for i in old_ids if i not in new_ids]
        found = []
        high = self.new.det.high_risk
        for model in self.new.det.models:
            if model.id in old_ids:
                continue
            replaced = removed.pop(0) if removed else None
            change = f"replaces {replaced}" if replaced else "was added"
            message = f"model {model.id} {change} {self.since}"
            if high:
                message += (
                    ": for a high-risk system this can be a substantial modification "
                    "(Art. 3(23)) that needs a new conformity assessment (Art. 43(4))"
                )
                articles = ["Art. 3(23)", "Art. 43(4)"]
            else:
                message += (
                    ": re-run the evaluations and update the documentation; if the system "
                    "becomes high-risk, a model swap can be a substantial modification "
                    "(Art. 3(23), Art. 43(4))"
                )
                articles = ["Art. 3(23)"]
            if model.status in ("gpai", "gpai_systemic_risk") and self.provider:
                message += (
                    "; the model provider's information (Art. 53(1)(b)) and the supply terms "
                    "(Art. 25(4)) must cover the new model"
                )
                articles += ["Art. 53(1)(b)", "Art. 25(4)"]
            at = self._at(("models", model.index, "id"), ("models", model.index))
            subject = f"diff:model:{model.id}"
            found.append(self._finding("AIA925", at, message, subject, articles))
        return found

    def compute(self) -> list[Finding]:
        limits = table("gpai")["thresholds"]
        thresholds = (
            (
                float(limits["systemic_risk_flop"]),
                "10^25 FLOP: presumed to have systemic risk (Art. 51(2)); the provider must "
                "notify the Commission within two weeks (Art. 52(1)) and owes the Art. 55 duties",
                ["Art. 51(2)", "Art. 52(1)", "Art. 55"],
            ),
            (
                float(limits["gpai_indicative_flop"]),
                "10^23 FLOP: indicatively a general-purpose AI model (Art. 3(63), Commission "
                "guidelines of July 2025) whose provider owes the Art. 53 duties",
                ["Art. 3(63)", "Art. 53"],
            ),
        )
        old_by_id = {m.id: m for m in self.old.det.models}
        found = []
        for model in self.new.det.models:
            previous = old_by_id.get(model.id)
            if previous is None:
                continue
            before, after = previous.cumulative_compute, model.cumulative_compute
            if before is None or after is None:
                continue
            for limit, effect, articles in thresholds:
                if before <= limit < after:
                    at = self._at(
                        ("models", model.index, "modifications"),
                        ("models", model.index, "training_compute_flop"),
                        ("models", model.index, "id"),
                    )
                    message = (
                        f"model {model.id}: cumulative training compute rose from {before:.3g} "
                        f"to {after:.3g} FLOP {self.since}, crossing {effect}"
                    )
                    subject = f"diff:compute:{model.id}:{limit:.0e}"
                    found.append(self._finding("AIA926", at, message, subject, articles))
                    break
        return found

    def derogation(self) -> list[Finding]:
        before, after = self.old.det.derogation, self.new.det.derogation
        if before != "valid" or after == "valid" or not self.new.det.annex_iii:
            return []
        if after == "voided_by_profiling":
            why = "use_case.profiling is now true, which voids it (Art. 6(3), third subparagraph)"
            at = self._at(("use_case", "profiling"), ("use_case", "derogation"))
        elif after == "incomplete":
            why = "it now lacks its condition or its documented assessment (Art. 6(4))"
            at = self._at(("use_case", "derogation"), ("use_case", "annex_iii"))
        else:
            why = "it was removed"
            at = self._at(("use_case", "derogation"), ("use_case", "annex_iii"))
        points = ", ".join(self.new.det.annex_iii)
        message = (
            f"the Art. 6(3) derogation for Annex III {points} held {self.since} but {why}: the "
            "system is high-risk (Art. 6(2)) and every high-risk obligation applies"
        )
        return [
            self._finding(
                "AIA927", at, message, "diff:derogation", ["Art. 6(3)", "Art. 6(4)", "Art. 6(2)"]
            )
        ]


def open_history(start: Path, ref: str) -> History:
    """Open the repository around ``start`` with ``ref`` resolved, or raise HistoryError."""
    return History(start, ref)
