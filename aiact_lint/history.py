"""Pull-request checks (``--diff-base REF``): the git side of comparing with a base revision.

This module reads REF (the manifests it holds and their text, for changes.py, which decides what
the differences mean in law), answers which lines changed since REF (``--new-only``) and when
evidence went stale (AIA928).

GitPython is imported here only, and this module only on the ``--diff-base`` path: a plain
check never pays for it.
"""

from __future__ import annotations

import json
import posixpath
import re
import shutil
from pathlib import Path
from typing import Any, Iterable, Optional

from aiact_lint.config import SettingsError
from aiact_lint.findings import Finding
from aiact_lint.manifest import Manifest, resolve_in_repo
from aiact_lint.yamlsafe import PathKey, YamlProblem, load

MAX_WALK = 200  # commits of a manifest's history searched for the last change of models/purpose
WORKTREE = "the working tree (uncommitted)"
_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


class HistoryError(SettingsError):
    """``--diff-base`` cannot work here (exit code 2): no git, no repository, no such REF."""


def _short(sha: str) -> str:
    return sha[:7]


def _unquote(path: str) -> str:
    """Undo git's C-style quoting of unusual file names."""
    if not (path.startswith('"') and path.endswith('"')):
        return path
    raw = path[1:-1].encode("latin-1", "backslashreplace").decode("unicode_escape")
    return raw.encode("latin-1", "replace").decode("utf-8", "replace")


def parse_diff(text: str) -> dict[str, set[int]]:
    """``git diff --unified=0`` output -> path -> the line numbers added or changed."""
    changed: dict[str, set[int]] = {}
    current: Optional[str] = None
    for line in text.splitlines():
        if line.startswith("+++ "):
            target = _unquote(line[4:].rstrip("\t"))
            current = target[2:] if target.startswith("b/") else None
            if current is not None:
                changed.setdefault(current, set())
            continue
        match = _HUNK.match(line)
        if match and current is not None:
            start = int(match.group(1))
            count = 1 if match.group(2) is None else int(match.group(2))
            changed[current].update(range(start, start + count))
    return changed


def _get(data: dict[str, Any], *path: str) -> Any:
    node: Any = data
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
    return node


def _models_and_purpose(data: dict[str, Any]) -> str:
    facts = {"models": data.get("models") or [], "purpose": _get(data, "use_case", "purpose")}
    return json.dumps(facts, sort_keys=True, default=str)


class History:
    """A git repository opened for one run, with REF resolved to a commit."""

    def __init__(self, start: Path, ref: str):
        if ref.startswith("-") or not ref.strip():
            raise HistoryError(f"--diff-base {ref!r}: not a revision name")
        if shutil.which("git") is None:
            raise HistoryError("--diff-base needs git, which is not installed (or not on PATH)")
        try:
            import git
        except ImportError as error:  # GitPython refuses to import without a git executable
            raise HistoryError(f"--diff-base needs git and GitPython: {error}") from None
        self._git = git
        try:
            self.repo = git.Repo(start, search_parent_directories=True)
        except (git.InvalidGitRepositoryError, git.NoSuchPathError):
            raise HistoryError(
                f"--diff-base needs a git repository, and {start} is not inside one"
            ) from None
        from aiact_lint.gitsafe import SAFE_GIT_ENV

        self.repo.git.update_environment(**SAFE_GIT_ENV)
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
        except (KeyError, ValueError, self._git.GitCommandError):
            return None
        if raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        return raw.decode("utf-8", "replace")

    def dirty(self) -> set[str]:
        """Root-relative paths changed in the work tree since HEAD, or untracked."""
        if self._dirty is None:
            names = self.repo.git.diff("--name-only", "-z", "HEAD", "--").split("\0")
            self._dirty = {n for n in names if n} | set(self.repo.untracked_files)
        return self._dirty

    # -- --new-only ----------------------------------------------------------------------------

    def changed_lines(self) -> tuple[dict[str, set[int]], set[str]]:
        """Lines added or changed since REF per path, and the files that are wholly new."""
        text = self.repo.git.diff(
            "--unified=0", "--no-color", "--no-ext-diff", "--no-textconv", "-M", self.base, "--"
        )
        return parse_diff(text), set(self.repo.untracked_files)

    # -- manifests at REF ------------------------------------------------------------------

    def manifests_at_base(self) -> list[str]:
        """Root-relative paths of every aiact.yaml / aiact.yml in the base revision's tree."""
        from aiact_lint.discover import MANIFEST_NAMES

        listed: str = self.repo.git.ls_tree("-r", "-z", "--name-only", "--full-tree", self.base)
        return sorted(
            p for p in listed.split("\0") if p and posixpath.basename(p) in MANIFEST_NAMES
        )

    # -- evidence freshness --------------------------------------------------------------------

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

    def last_commit(self, path: str) -> Optional[str]:
        sha: str = self.repo.git.log("-1", "--format=%H", "--", path).strip()
        return sha or None

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
