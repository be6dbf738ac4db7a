"""Reading the repository for the code scan: git (or a walk outside git) lists and pre-filters
the files, and a safe reader reads them.

git runs with ``core.fsmonitor`` disabled so that a repository's own configuration cannot start
a program; its processes start early (``GitScan``) so that git searches while Python works.
The reader stays inside the real root, reads regular files only, bounded and tolerantly decoded.
"""

from __future__ import annotations

import os
import posixpath
import re
import stat
import subprocess
import weakref
from pathlib import Path
from typing import Iterable, Iterator, Optional, Sequence

from aiact_lint.findings import Span
from aiact_lint.repo.scan.patterns import MANIFEST_NAMES, Entry, Patterns, patterns
from aiact_lint.repo.scan.records import CodeIndex, Reference
from aiact_lint.repo.scan.text import scan_text

GIT = ("git", "-c", "core.fsmonitor=false", "-c", "core.quotePath=false")
BINARY_SNIFF = 8192
WEIGHT_SPAN: Span = (1, 1, 1, 1)


class _Reader:
    """Reads root-relative paths: inside the real root, regular files only, bounded."""

    def __init__(self, root: Path, max_bytes: int, index: CodeIndex) -> None:
        self.root = os.path.realpath(root)
        self.max_bytes = max_bytes
        self.index = index
        self._dirs: dict[str, bool] = {}

    def _dir_inside(self, rel_dir: str) -> bool:
        known = self._dirs.get(rel_dir)
        if known is None:
            real = os.path.realpath(os.path.join(self.root, *rel_dir.split("/")))
            known = real == self.root or real.startswith(self.root + os.sep)
            self._dirs[rel_dir] = known
        return known

    def read(self, rel: str) -> str | None:
        parts = rel.split("/")
        if (
            not rel
            or "\x00" in rel
            or rel.startswith("/")
            or any(p in ("", ".", "..") for p in parts)
        ):
            self.index.skipped.append((rel, "not a plain relative path"))
            return None
        if not self._dir_inside(posixpath.dirname(rel)):
            self.index.skipped.append((rel, "folder resolves outside the repository"))
            return None
        full = os.path.join(self.root, *parts)
        try:
            info = os.lstat(full)
        except OSError:
            return None  # deleted since git listed it
        if not stat.S_ISREG(info.st_mode):
            why = "symbolic link" if stat.S_ISLNK(info.st_mode) else "not a regular file"
            self.index.skipped.append((rel, why))
            return None
        if info.st_size > self.max_bytes:
            self.index.skipped.append((rel, f"larger than {self.max_bytes} bytes"))
            return None
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        flags |= getattr(os, "O_BINARY", 0)
        try:
            fd = os.open(full, flags)
        except OSError:
            self.index.skipped.append((rel, "cannot be opened"))
            return None
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                self.index.skipped.append((rel, "not a regular file"))
                return None
            chunks = []
            remaining = self.max_bytes + 1
            while remaining > 0:
                chunk = os.read(fd, min(remaining, 1 << 20))
                if not chunk:
                    break
                chunks.append(chunk)
                remaining -= len(chunk)
        except OSError:
            self.index.skipped.append((rel, "cannot be read"))
            return None
        finally:
            os.close(fd)
        raw = b"".join(chunks)
        if len(raw) > self.max_bytes:
            self.index.skipped.append((rel, f"larger than {self.max_bytes} bytes"))
            return None
        if b"\x00" in raw[:BINARY_SNIFF]:
            self.index.skipped.append((rel, "binary"))
            return None
        self.index.files_read += 1
        text = raw.decode("utf-8", errors="replace")
        return text[1:] if text.startswith("\ufeff") else text


# --- listing files: git or a walk ----------------------------------------------------------------


class GitFailed(Exception):
    pass


def _git(root: Path, *args: str) -> subprocess.Popen[bytes]:
    # stderr is not read (a full pipe could stall git); failures show in the exit status.
    from aiact_lint.gitsafe import git_env

    return subprocess.Popen(
        [*GIT, *args],
        cwd=root,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=git_env(root),
    )


def _names(proc: subprocess.Popen[bytes], ok: tuple[int, ...] = (0,)) -> Iterator[str]:
    """The NUL-separated names a git process prints, as it prints them."""
    assert proc.stdout is not None
    fd = proc.stdout.fileno()
    pending = b""
    while True:
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            break
        *done, pending = (pending + chunk).split(b"\0")
        for raw in done:
            if raw:
                yield os.fsdecode(raw)
    if pending:
        yield os.fsdecode(pending)
    if proc.wait() not in ok:
        raise GitFailed(f"git exited with status {proc.returncode}")


class GitScan:
    """The git processes of one scan, started early so that they run while Python works."""

    def __init__(
        self,
        root: Path,
        pats: Patterns,
        scope: Sequence[str] = (),
        untracked: Optional[list[str]] = None,
    ) -> None:
        """``scope``: root-relative folders to search (none: the whole repository). Manifests
        are always listed repository-wide: they decide who owns the files in scope.
        ``untracked``: the untracked files of the scope when the caller has listed them."""
        self.root = root
        self.procs: list[subprocess.Popen[bytes]] = []
        # Never leave a git process behind, whatever happens to this run.
        weakref.finalize(self, _reap, self.procs)
        excludes = [f":(exclude){prefix}/" for prefix in _vendored(root, pats.skip_dirs)]
        manifests = [f"*{name}" for name in MANIFEST_NAMES]
        folders = [] if "" in scope else [_pathspec_escape(f) + "/" for f in scope if f]

        def within(globs: Iterable[str]) -> list[str]:
            return [f + g for f in folders for g in globs] if folders else list(globs)

        try:
            # One grep per pre-filter group (source code; configuration, whose fixed strings
            # such as "model" are too common in code to share a pre-filter with it).
            self.greps = []
            for languages, fixed in pats.prefilter:
                args = ["grep", "-F", "-l", "-z", "-I", "--no-color"]
                for token in fixed:
                    args += ["-e", token]
                globs = [g for language in languages for g in pats.languages[language]]
                self.greps.append(self._start(*args, "--", *within(globs), *excludes))
            # Weights and manifests in the index, by name; untracked files that are not ignored.
            listed = [*within(pats.weights), *manifests]
            self.listed = self._start("ls-files", "-z", "--cached", "--", *listed)
            self.untracked = untracked
            self.others = (
                None
                if untracked is not None
                else self._start(
                    "ls-files", "-z", "--others", "--exclude-standard", "--", *(folders or ["."])
                )
            )
        except OSError:
            self.close()
            raise

    def _start(self, *args: str) -> subprocess.Popen[bytes]:
        proc = _git(self.root, *args)
        self.procs.append(proc)
        return proc

    def hits(self) -> Iterator[str]:
        """The files the greps hit, streamed while git still searches."""
        for proc in self.greps:
            yield from _names(proc, (0, 1))

    def lists(self) -> tuple[list[str], list[str]]:
        """(tracked weights and manifests, untracked files that are not ignored)."""
        others = list(_names(self.others)) if self.others is not None else self.untracked or []
        return list(_names(self.listed)), others

    def close(self) -> None:
        _reap(self.procs)


def _pathspec_escape(folder: str) -> str:
    """A folder name as a literal part of a git (fnmatch) pathspec."""
    return re.sub(r"([*?\[\]\\])", r"\\\1", folder)


def _vendored(root: Path, skip_dirs: frozenset[str]) -> list[str]:
    """Skipped folders at depth 1 and 2, which git then does not even search. Literal
    prefixes cost git almost nothing, where ``**`` globs cost it a match per file; deeper
    vendored folders are rare among tracked files and are dropped from the hits in Python."""
    found = []
    try:
        with os.scandir(root) as top:
            level1 = [e.name for e in top if e.is_dir(follow_symlinks=False)]
    except OSError:
        return []
    for name in sorted(level1):
        if name in skip_dirs:
            found.append(name)
            continue
        if name.startswith("."):
            continue
        try:
            with os.scandir(root / name) as inner:
                found.extend(
                    f"{name}/{e.name}"
                    for e in inner
                    if e.name in skip_dirs and e.is_dir(follow_symlinks=False)
                )
        except OSError:
            continue
    return found


def _reap(procs: list[subprocess.Popen[bytes]]) -> None:
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()


def _scan_git(git_scan: GitScan, pats: Patterns, index: CodeIndex, reader: _Reader) -> None:
    try:
        seen: set[str] = set()
        for rel in git_scan.hits():
            if rel in seen:
                continue
            seen.add(rel)
            language = pats.language_of(rel)
            if language is None or pats.skipped(rel):
                continue
            _scan_file(rel, pats.entries_for(language), index, reader, pats.tokens(language))
        names, untracked = git_scan.lists()
    finally:
        git_scan.close()
    _collect_names(names, pats, index)
    _collect_names(untracked, pats, index)
    for rel in untracked:
        other = pats.language_of(rel)
        if other is None or pats.skipped(rel):
            continue
        _scan_file(rel, pats.entries_for(other), index, reader, pats.tokens(other))


def _collect_names(names: Iterable[str], pats: Patterns, index: CodeIndex) -> None:
    seen_dirs = set(index.manifest_dirs)
    for rel in names:
        if pats.skipped(rel) and posixpath.basename(rel) not in MANIFEST_NAMES:
            continue
        base = posixpath.basename(rel)
        if base in MANIFEST_NAMES:
            if not any(p in pats.skip_dirs for p in rel.split("/")[:-1]):
                folder = posixpath.dirname(rel)
                if folder not in seen_dirs:
                    seen_dirs.add(folder)
                    index.manifest_dirs.append(folder)
        elif pats.is_weights(rel):
            index.references.append(
                Reference(rel, *WEIGHT_SPAN, model=rel, provider="weights", kind="weights")
            )


def _walk_names(root: Path, pats: Patterns) -> list[str]:
    """Every regular file and symlink under ``root``, root-relative, skipping vendored and
    generated folders. Iterative (a stack, not recursion), never into symlinked folders."""
    names: list[str] = []
    stack = [""]
    while stack:
        prefix = stack.pop()
        try:
            with os.scandir(os.path.join(root, prefix) if prefix else root) as entries:
                listing = sorted(entries, key=lambda e: e.name)
        except OSError:
            continue
        folders = []
        for entry in listing:
            rel = prefix + entry.name
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                continue
            if is_dir:
                if entry.name not in pats.skip_dirs and not entry.name.endswith(".egg-info"):
                    folders.append(rel + "/")
            else:
                names.append(rel)
        stack.extend(reversed(folders))
    return names


def _scan_walk(
    root: Path, pats: Patterns, index: CodeIndex, reader: _Reader, scope: Sequence[str] = ()
) -> None:
    names = _walk_names(root, pats)
    if scope and "" not in scope:
        inside = tuple(f.strip("/") + "/" for f in scope)
        manifests = [n for n in names if posixpath.basename(n) in MANIFEST_NAMES]
        names = [n for n in names if n.startswith(inside)]
        _collect_names([m for m in manifests if not m.startswith(inside)], pats, index)
    _collect_names(names, pats, index)
    for rel in names:
        language = pats.language_of(rel)
        if language is None or pats.skipped(rel):
            continue
        _scan_file(rel, pats.entries_for(language), index, reader, pats.tokens(language))


def _scan_file(
    rel: str,
    entries: list[Entry],
    index: CodeIndex,
    reader: _Reader,
    tokens: list[str] | None = None,
) -> None:
    if posixpath.basename(rel) in MANIFEST_NAMES:
        return
    text = reader.read(rel)
    if text is None or (tokens is not None and not any(t in text for t in tokens)):
        return
    references, hints, suppressions = scan_text(rel, text, entries)
    index.references.extend(references)
    index.hints.extend(hints)
    if suppressions:
        index.suppressions[rel] = suppressions


def scan_repository(
    root: Path, *, use_git: bool, started: GitScan | None = None, scope: Sequence[str] = ()
) -> CodeIndex:
    """Scan the repository at ``root`` once: model references, weights, capability hints,
    suppressions and the folders holding manifests. Falls back to the walk if git fails.
    ``started``: the git processes already running for this root (``start_git_scan``).
    ``scope``: root-relative folders whose files are scanned (none: all of them)."""
    pats = patterns()
    index = CodeIndex(root=root, use_git=use_git)
    reader = _Reader(root, pats.max_bytes, index)
    if use_git:
        try:
            _scan_git(started or GitScan(root, pats, scope), pats, index, reader)
        except (GitFailed, OSError):
            index = CodeIndex(root=root, use_git=False)
            reader = _Reader(root, pats.max_bytes, index)
            _scan_walk(root, pats, index, reader, scope)
    else:
        if started is not None:
            started.close()
        _scan_walk(root, pats, index, reader, scope)
    index.references.sort(key=lambda r: (r.path, r.line, r.column))
    index.hints.sort(key=lambda h: (h.path, h.line, h.column))
    index.manifest_dirs.sort()
    return index


def _git_usable(root: Path) -> bool:
    import shutil

    return (root / ".git").exists() and shutil.which("git") is not None
