"""Pull-request checks (``--diff-base REF``): the git side of comparing with a base revision.

This module reads REF (the manifests it holds and their text, for changes.py, which decides what
the differences mean in law), answers which lines changed since REF (``--new-only``) and when
evidence went stale (AIA928).

GitPython is imported here only, and this module only on the ``--diff-base`` path: a plain
check never pays for it.
"""

from __future__ import annotations

import functools
import json
import os
import posixpath
import re
import shutil
from pathlib import Path
from typing import Any, Callable, Iterable, Optional, TypeVar

from aiact_lint.config import SettingsError
from aiact_lint.findings import Finding
from aiact_lint.manifest import Manifest, resolve_in_repo
from aiact_lint.yamlsafe import PathKey, YamlProblem, load

MAX_WALK = 200  # commits of a manifest's history searched for the last change of models/purpose
WORKTREE = "the working tree (uncommitted)"
_HUNK = re.compile(rb"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


class HistoryError(SettingsError):
    """``--diff-base`` cannot work here (exit code 2): no git, no repository, no such REF."""


def _short(sha: str) -> str:
    return sha[:7]


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


def _get(data: dict[str, Any], *path: str) -> Any:
    node: Any = data
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
    return node


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
        from aiact_lint.gitsafe import same_blob

        return same_blob(self.root, meta, path)

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

    # -- manifests at REF ------------------------------------------------------------------

    @_git_errors
    def manifests_at_base(self) -> list[str]:
        """Root-relative paths of every aiact.yaml / aiact.yml in the base revision's tree."""
        from aiact_lint.discover import MANIFEST_NAMES

        listed = self._bytes("ls_tree", "-r", "-z", "--name-only", "--full-tree", self.base)
        return sorted(p for p in _names(listed) if posixpath.basename(p) in MANIFEST_NAMES)

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


def open_history(start: Path, ref: str) -> History:
    """Open the repository around ``start`` with ``ref`` resolved, or raise HistoryError."""
    return History(start, ref)
