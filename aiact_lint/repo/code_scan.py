"""Models and capabilities evident in code, held against the manifests that govern the code.

One scan per repository root per run (``CodeScans``): git lists and pre-filters the files
(``git grep -F -l -z`` with the fixed strings of ``law/model_patterns.yaml``), and Python reads
only the files that hit, inside the root, regular, bounded and tolerantly decoded. Outside git a
walk that skips vendored and generated folders does the same job in Python.

Nothing here executes, imports or writes anything from the repository. Git runs with
``core.fsmonitor`` disabled so that a repository's own configuration cannot start a program.
"""

from __future__ import annotations

import contextlib
import fnmatch
import os
import posixpath
import re
import stat
import subprocess
import weakref
from bisect import bisect_right
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Optional, Sequence

from aiact_lint.catalogue import make_finding, resolve
from aiact_lint.findings import Finding, Span
from aiact_lint.lawdata import table
from aiact_lint.record import Record

if TYPE_CHECKING:
    from aiact_lint.classify import Determination
    from aiact_lint.manifest import Manifest

MANIFEST_NAMES = ("aiact.yaml", "aiact.yml")
SUPPRESSION_MARK = "aiact-lint:"
MODALITIES = ("image", "audio", "video")
GIT = ("git", "-c", "core.fsmonitor=false", "-c", "core.quotePath=false")
BINARY_SNIFF = 8192
WEIGHT_SPAN: Span = (1, 1, 1, 1)


# --- the pattern data ----------------------------------------------------------------------------


class Entry(Record):
    """One provider or SDK from law/model_patterns.yaml (regexes compiled on first use)."""

    __slots__ = ("examples", "fixed", "hints", "kind", "languages", "name", "patterns")

    def __init__(
        self,
        name: str,
        kind: str,
        languages: tuple[str, ...],
        fixed: tuple[str, ...],
        patterns: tuple[str, ...],
        hints: tuple[tuple[str, str], ...],
        examples: tuple[dict[str, Any], ...],
    ) -> None:
        self.name = name
        self.kind = kind
        self.languages = languages
        self.fixed = fixed
        self.patterns = patterns
        self.hints = hints  # (capability, regex)
        self.examples = examples

    def applies(self, text: str) -> bool:
        return any(token in text for token in self.fixed)


def _may_match(regex: str, text: str) -> bool:
    """False when ``text`` holds none of the literals ``regex`` cannot match without (computed
    at build time, law/compiled.json): then it is neither compiled nor run on this file."""
    needed = _literals().get(regex)
    return not needed or any(literal in text for literal in needed)


@cache
def _literals() -> dict[str, list[str]]:
    found: dict[str, list[str]] = table("model_pattern_literals")
    return found


class Patterns(Record):
    __slots__ = (
        "_language_res",
        "_skip_files_re",
        "_weights_re",
        "entries",
        "example_files",
        "languages",
        "max_bytes",
        "prefilter",
        "ref_ignore",
        "skip_dirs",
        "skip_files",
        "weights",
    )

    def __init__(
        self,
        entries: tuple[Entry, ...],
        languages: dict[str, tuple[str, ...]],
        example_files: dict[str, str],
        weights: tuple[str, ...],
        skip_dirs: frozenset[str],
        skip_files: tuple[str, ...],
        max_bytes: int,
        ref_ignore: frozenset[str],
        prefilter: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...],
        _language_res: tuple[tuple[str, re.Pattern[str]], ...],
        _weights_re: re.Pattern[str],
        _skip_files_re: re.Pattern[str],
    ) -> None:
        self.entries = entries
        self.languages = languages  # language -> globs
        self.example_files = example_files
        self.weights = weights
        self.skip_dirs = skip_dirs
        self.skip_files = skip_files
        self.max_bytes = max_bytes
        self.ref_ignore = ref_ignore
        self.prefilter = prefilter  # (languages, fixed)
        self._language_res = _language_res
        self._weights_re = _weights_re
        self._skip_files_re = _skip_files_re

    def language_of(self, rel: str) -> str | None:
        for name, regex in self._language_res:
            if regex.match(rel):
                return name
        return None

    def is_weights(self, rel: str) -> bool:
        return self._weights_re.match(rel) is not None

    def skipped(self, rel: str) -> bool:
        """In a vendored or generated folder, or a lock file / bundle: never scanned."""
        parts = rel.split("/")
        if any(p in self.skip_dirs or p.endswith(".egg-info") for p in parts[:-1]):
            return True
        return self._skip_files_re.match(parts[-1]) is not None

    def tokens(self, language: str) -> list[str]:
        """The fixed strings that make a file of ``language`` worth scanning: the entries'
        own ``fixed`` and the suppression mark (the git pre-filter covers them all)."""
        found = {SUPPRESSION_MARK}
        for entry in self.entries:
            if language in entry.languages:
                found.update(entry.fixed)
        return sorted(found)

    def entries_for(self, language: str) -> list[Entry]:
        return [e for e in self.entries if language in e.languages]


def _globs_re(globs: Iterable[str]) -> re.Pattern[str]:
    """git's default pathspec semantics: fnmatch where ``*`` also matches ``/``."""
    return re.compile("|".join(f"(?:{fnmatch.translate(g)})" for g in globs) or "(?!)")


_MACRO = re.compile(r"\{([a-z_]+)\}")


def expand(pattern: str, macros: dict[str, str], depth: int = 0) -> str:
    """Replace ``{name}`` by its macro (recursively); quantifiers such as ``{1,200}`` stay."""
    if depth > 5:
        raise ValueError("macros nest too deeply")

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in macros:
            raise ValueError(f"unknown macro {{{name}}} in {pattern!r}")
        return expand(macros[name], macros, depth + 1)

    return _MACRO.sub(one, pattern)


@cache
def patterns() -> Patterns:
    data = table("model_patterns")
    macros: dict[str, str] = dict(data.get("macros") or {})
    entries = []
    for raw in data["providers"]:
        entries.append(
            Entry(
                name=raw["name"],
                kind=raw["kind"],
                languages=tuple(raw["languages"]),
                fixed=tuple(raw["fixed"]),
                patterns=tuple(expand(p, macros) for p in raw.get("patterns") or ()),
                hints=tuple(
                    (h["capability"], expand(h["regex"], macros)) for h in raw.get("hints") or ()
                ),
                examples=tuple(raw.get("examples") or ()),
            )
        )
    languages = {name: tuple(spec["globs"]) for name, spec in data["languages"].items()}
    return Patterns(
        entries=tuple(entries),
        languages=languages,
        example_files={name: spec["example_file"] for name, spec in data["languages"].items()},
        weights=tuple(data["weights"]),
        skip_dirs=frozenset(data["skip_dirs"]),
        skip_files=tuple(data["skip_files"]),
        max_bytes=int(data["max_bytes"]),
        ref_ignore=frozenset(data.get("ref_ignore") or ()),
        prefilter=tuple(
            (tuple(group["languages"]), tuple(group["fixed"])) for group in data["prefilter"]
        ),
        _language_res=tuple((name, _globs_re(globs)) for name, globs in languages.items()),
        _weights_re=_globs_re(data["weights"]),
        _skip_files_re=_globs_re(data["skip_files"]),
    )


@cache
def _compiled(regex: str) -> re.Pattern[str]:
    return re.compile(regex, re.MULTILINE)


# --- what a scan finds ---------------------------------------------------------------------------


class Reference(Record):
    """A model named in code (``model`` None: an SDK call whose model the code does not name)."""

    __slots__ = (
        "column",
        "end_column",
        "end_line",
        "kind",
        "line",
        "model",
        "path",
        "provider",
        "use_line",
    )

    def __init__(
        self,
        path: str,
        line: int,
        column: int,
        end_line: int,
        end_column: int,
        model: Optional[str],
        provider: str,
        kind: str,
        use_line: int = 0,
    ) -> None:
        self.path = path  # root-relative, posix
        self.line = line
        self.column = column
        self.end_line = end_line
        self.end_column = end_column
        self.model = model
        self.provider = provider
        self.kind = kind  # hub | api | local | wrapper | config | weights
        # where a constant holding the id is used, when that is another line
        self.use_line = use_line

    @property
    def span(self) -> Span:
        return (self.line, self.column, self.end_line, self.end_column)


class Hint(Record):
    """A place where the code shows an Art. 50 capability (image/audio/video/interaction)."""

    __slots__ = (
        "capability",
        "column",
        "end_column",
        "end_line",
        "line",
        "path",
        "provider",
        "text",
    )

    def __init__(
        self,
        path: str,
        line: int,
        column: int,
        end_line: int,
        end_column: int,
        capability: str,
        provider: str,
        text: str,
    ) -> None:
        self.path = path
        self.line = line
        self.column = column
        self.end_line = end_line
        self.end_column = end_column
        self.capability = capability
        self.provider = provider
        self.text = text

    @property
    def span(self) -> Span:
        return (self.line, self.column, self.end_line, self.end_column)


class Suppression(Record):
    """An ``aiact-lint: ignore[...]`` comment. It covers its own line, and the next line too
    when the comment stands alone on its line."""

    __slots__ = (
        "bracket",
        "codes",
        "column",
        "end_column",
        "line",
        "own_line",
        "path",
        "reason",
        "unknown",
    )

    def __init__(
        self,
        path: str,
        line: int,
        column: int,
        end_column: int,
        codes: tuple[str, ...],
        unknown: tuple[str, ...],
        bracket: bool,
        reason: str,
        own_line: bool,
    ) -> None:
        self.path = path
        self.line = line
        self.column = column
        self.end_column = end_column
        self.codes = codes  # resolved catalogue codes
        self.unknown = unknown  # names that resolve to no rule
        self.bracket = bracket  # False: no [CODE] list at all
        self.reason = reason
        self.own_line = own_line

    def covers(self, line: int) -> bool:
        return line == self.line or (self.own_line and line == self.line + 1)


class CodeIndex(Record):
    """Everything one repository scan found. Paths are root-relative posix strings."""

    __slots__ = (
        "files_read",
        "hints",
        "manifest_dirs",
        "references",
        "root",
        "skipped",
        "suppressions",
        "use_git",
    )

    def __init__(
        self,
        root: Path,
        use_git: bool,
        references: Optional[list[Reference]] = None,
        hints: Optional[list[Hint]] = None,
        suppressions: Optional[dict[str, list[Suppression]]] = None,
        manifest_dirs: Optional[list[str]] = None,
        skipped: Optional[list[tuple[str, str]]] = None,
        files_read: int = 0,
    ) -> None:
        self.root = root
        self.use_git = use_git
        self.references: list[Reference] = [] if references is None else references
        self.hints: list[Hint] = [] if hints is None else hints
        self.suppressions: dict[str, list[Suppression]] = (
            {} if suppressions is None else suppressions
        )
        self.manifest_dirs: list[str] = [] if manifest_dirs is None else manifest_dirs
        self.skipped: list[tuple[str, str]] = [] if skipped is None else skipped  # (path, why)
        self.files_read = files_read

    __hash__ = None  # type: ignore[assignment]  # mutable

    def suppressed(self, path: str, lines: Iterable[int], code: str) -> bool:
        wanted = [line for line in lines if line > 0]
        for item in self.suppressions.get(path, ()):
            if item.reason and code in item.codes and any(item.covers(n) for n in wanted):
                return True
        return False


# --- scanning one text ---------------------------------------------------------------------------


class _Lines:
    """Offsets -> 1-based (line, column), computed once per file on first need."""

    def __init__(self, text: str) -> None:
        starts = [0]
        index = text.find("\n")
        while index >= 0:
            starts.append(index + 1)
            index = text.find("\n", index + 1)
        self.starts = starts

    def at(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1

    def span(self, start: int, end: int) -> Span:
        line, column = self.at(start)
        end_line, end_column = self.at(end)
        return line, column, end_line, end_column


_ASSIGN_TAIL = (
    r"[ \t]*(?::[^=\n]{1,80})?=[ \t]*"
    r"(?:(?:os\.getenv|os\.environ\.get)\(\s*[\"'][^\"'\n]*[\"']\s*,\s*)?"
    r"(?P<q>[\"'`])(?P<model>[^\"'`\s\\{}$<>]{1,200})(?P=q)"
)


@lru_cache(maxsize=512)
def _assignment(name: str) -> re.Pattern[str]:
    """``NAME = "value"`` (Python, annotated), ``const NAME = "value"`` (JS/TS), at line start."""
    head = r"^[ \t]*(?:export[ \t]+)?(?:(?:const|let|var|final|static|readonly|private)[ \t]+)*"
    return re.compile(head + re.escape(name) + r"(?![\w$])" + _ASSIGN_TAIL, re.MULTILINE)


def _resolve(text: str, name: str, before: int) -> tuple[int, int, str] | None:
    """The string literal assigned to ``name`` in this file: the last one before ``before``,
    else the first one after it. Dotted names also try their last part (``settings.MODEL``)."""
    candidates = [name]
    if "." in name:
        candidates.append(name.rsplit(".", 1)[1])
    for candidate in candidates:
        if candidate not in text:
            continue
        best: tuple[int, int, str] | None = None
        for match in _assignment(candidate).finditer(text):
            found = (match.start("model"), match.end("model"), match.group("model"))
            if match.start() < before:
                best = found
            elif best is None:
                return found
            else:
                break
        if best is not None:
            return best
    return None


def _plausible(value: str) -> bool:
    return bool(value) and not value.isdigit() and len(value) <= 200


_SUPPRESSION = re.compile(
    r"(?:#|//|/\*|<!--)[ \t]*aiact-lint:[ \t]*ignore\b(?P<bracket>\[(?P<codes>[^\]\n]*)\])?"
    r"(?P<reason>[^\n]*)"
)
_REASON_JUNK = re.compile(r"^[\s:;,\-–—]+|(?:\*/|-->)\s*$")


def _suppressions(rel: str, text: str, lines: _Lines) -> list[Suppression]:
    found = []
    for match in _SUPPRESSION.finditer(text):
        line, column = lines.at(match.start())
        line_start = lines.starts[line - 1]
        own_line = not text[line_start : match.start()].strip()
        end = match.end()
        while end > match.start() and text[end - 1] in "\r \t":
            end -= 1
        codes: list[str] = []
        unknown: list[str] = []
        for token in re.split(r"[\s,]+", match.group("codes") or ""):
            if not token:
                continue
            rule = resolve(token)
            if rule is None:
                unknown.append(token)
            elif rule.code not in codes:
                codes.append(rule.code)
        reason = match.group("reason") or ""
        reason = _REASON_JUNK.sub("", reason.strip()).strip()
        found.append(
            Suppression(
                path=rel,
                line=line,
                column=column,
                end_column=column + (end - match.start()),
                codes=tuple(codes),
                unknown=tuple(unknown),
                bracket=match.group("bracket") is not None,
                reason=reason,
                own_line=own_line,
            )
        )
    return found


def scan_text(
    rel: str, text: str, entries: Iterable[Entry], ref_ignore: frozenset[str] | None = None
) -> tuple[list[Reference], list[Hint], list[Suppression]]:
    """The model references, capability hints and suppressions in one file's text."""
    if ref_ignore is None:
        ref_ignore = patterns().ref_ignore
    lines: _Lines | None = None
    references: dict[tuple[int, int], Reference] = {}
    hints: dict[tuple[int, str], Hint] = {}

    for entry in entries:
        if not entry.applies(text):
            continue
        for regex in entry.patterns:
            if not _may_match(regex, text):
                continue
            for match in _compiled(regex).finditer(text):
                groups = match.groupdict()
                use_line = 0
                if groups.get("model") is not None:
                    start, end = match.span("model")
                    model: str | None = groups["model"]
                elif groups.get("ref") is not None:
                    if groups["ref"] in ref_ignore:
                        continue
                    start, end = match.span("ref")
                    resolved = _resolve(text, groups["ref"], start)
                    if resolved is None:
                        model = None
                    else:
                        lines = lines or _Lines(text)
                        use_line = lines.at(start)[0]
                        start, end, model = resolved
                else:
                    continue
                if model is not None and not _plausible(model):
                    continue
                if (start, end) in references:
                    continue
                lines = lines or _Lines(text)
                span = lines.span(start, end)
                references[(start, end)] = Reference(
                    rel,
                    *span,
                    model=model,
                    provider=entry.name,
                    kind=entry.kind,
                    use_line=use_line if use_line != span[0] else 0,
                )
        for capability, regex in entry.hints:
            if not _may_match(regex, text):
                continue
            for match in _compiled(regex).finditer(text):
                start, end = match.span()
                for name, value in match.groupdict().items():
                    if name.startswith("at") and value is not None:
                        start, end = match.span(name)
                        break
                if (start, capability) in hints:
                    continue
                lines = lines or _Lines(text)
                hints[(start, capability)] = Hint(
                    rel, *lines.span(start, end), capability, entry.name, text[start:end]
                )
    suppressions: list[Suppression] = []
    if SUPPRESSION_MARK in text:
        suppressions = _suppressions(rel, text, lines or _Lines(text))
    ordered = sorted(references.items())
    return [r for _, r in ordered], [h for _, h in sorted(hints.items())], suppressions


# --- reading files safely ------------------------------------------------------------------------


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
    return subprocess.Popen(
        [*GIT, *args],
        cwd=root,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
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
        folders = [_pathspec_escape(f) + "/" for f in scope if f]
        if "" in scope:
            folders = []

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
    for rel in names:
        if pats.skipped(rel) and posixpath.basename(rel) not in MANIFEST_NAMES:
            continue
        base = posixpath.basename(rel)
        if base in MANIFEST_NAMES:
            if not any(p in pats.skip_dirs for p in rel.split("/")[:-1]):
                folder = posixpath.dirname(rel)
                if folder not in index.manifest_dirs:
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


# --- ownership and matching ----------------------------------------------------------------------


def _owner(path: str, dirs: list[str]) -> str | None:
    """The folder of the nearest manifest above ``path`` (dirs sorted longest first)."""
    for folder in dirs:
        if folder == "" or path.startswith(folder + "/"):
            return folder
    return None


def _ordered_dirs(*groups: Iterable[str]) -> list[str]:
    merged = {d.strip("/") for group in groups for d in group}
    return sorted(merged, key=lambda d: (-len(d), d))


class _Declared(Record):
    __slots__ = ("index", "model_id", "names")

    def __init__(self, index: int, model_id: str, names: tuple[str, ...]) -> None:
        self.index = index
        self.model_id = model_id
        self.names = names  # lower-cased id and aliases


def _declared(manifest: Manifest) -> list[_Declared]:
    declared = []
    models = manifest.get("models", default=[])
    for i, model in enumerate(models if isinstance(models, list) else []):
        if not isinstance(model, dict) or not isinstance(model.get("id"), str):
            continue
        names = [model["id"]]
        aliases = model.get("aliases")
        if isinstance(aliases, list):
            names += [a for a in aliases if isinstance(a, str) and a]
        declared.append(_Declared(i, model["id"], tuple(n.strip().lower() for n in names)))
    return declared


_GLOB = re.compile(r"[*?\[]")


def _name_matches(name: str, candidates: tuple[str, ...]) -> bool:
    if _GLOB.search(name):
        return any(fnmatch.fnmatchcase(c, name) for c in candidates)
    return name in candidates or name.removesuffix(":latest") in candidates


def _candidates(reference: Reference, folder: str) -> tuple[str, ...]:
    """The forms of a reference a declared name may match, lower-cased."""
    model = (reference.model or "").lower()
    found = {model, model.rsplit("/", 1)[-1]}
    for value in list(found):
        if ":" in value and "/" not in value.rsplit(":", 1)[1]:
            found.add(value.rsplit(":", 1)[0])  # ollama tag, bedrock version
        if value.startswith("./"):
            found.add(value[2:])
    if reference.kind == "weights" and folder and model.startswith(folder.lower() + "/"):
        found.add(model[len(folder) + 1 :])
    return tuple(sorted(found))


def _matching(reference: Reference, folder: str, declared: list[_Declared]) -> list[int]:
    candidates = _candidates(reference, folder)
    padded = "/" + posixpath.dirname((reference.model or "").lower()) + "/"
    hits = []
    for item in declared:
        for name in item.names:
            if _name_matches(name, candidates) or (
                reference.kind == "weights" and "/" in name and f"/{name}/" in padded
            ):
                hits.append(item.index)
                break
    return hits


def _display(manifest: Manifest, rel: str) -> str:
    """How findings name a repository file: like the run names the manifest."""
    repo_path = manifest.repo_path
    if manifest.path != repo_path and manifest.path.endswith("/" + repo_path):
        return manifest.path[: -len(repo_path)] + rel
    return rel


# --- the checks ----------------------------------------------------------------------------------


def _suppression_findings(
    index: CodeIndex, paths: Iterable[str], path_of: Callable[[str], str]
) -> list[Finding]:
    findings = []
    for rel in sorted(set(paths)):
        for item in index.suppressions.get(rel, ()):
            span = (item.line, item.column, item.line, item.end_column)
            if not item.bracket or (not item.codes and not item.unknown):
                findings.append(
                    make_finding(
                        "AIA857",
                        path_of(rel),
                        span,
                        "this suppression names no rule; write ignore[CODE] followed by the reason",
                        subject=f"suppression:{rel}",
                    )
                )
            for token in item.unknown:
                findings.append(
                    make_finding(
                        "AIA857",
                        path_of(rel),
                        span,
                        f'"{token}" is not a rule code or name; it suppresses nothing',
                        subject=f"suppression:{rel}:{token}",
                    )
                )
            if item.codes and not item.reason:
                codes = ", ".join(item.codes)
                findings.append(
                    make_finding(
                        "AIA856",
                        path_of(rel),
                        span,
                        f"suppression of {codes} gives no reason, so it is not honoured; "
                        "add the reason after the brackets",
                        subject=f"suppression:{rel}:{codes}",
                    )
                )
    return findings


def check_manifest_code(
    manifest: Manifest,
    det: Determination,
    index: CodeIndex,
    manifests_dirs: list[str],
) -> list[Finding]:
    """Findings for the code this manifest governs: the files under its folder that no nested
    manifest's folder holds."""
    folder = manifest.folder
    dirs = _ordered_dirs(manifests_dirs, index.manifest_dirs, [folder])

    def governed(path: str) -> bool:
        return _owner(path, dirs) == folder

    def path_of(rel: str) -> str:
        return _display(manifest, rel)

    declared = _declared(manifest)
    used: set[int] = set()
    findings: list[Finding] = []
    files: set[str] = set()
    for ref in index.references:
        if not governed(ref.path):
            continue
        files.add(ref.path)
        if ref.model is None:
            continue
        matched = _matching(ref, folder, declared)
        used.update(matched)
        if matched:
            continue
        if ref.kind == "weights":
            if not index.suppressed(ref.path, [ref.line], "AIA852"):
                findings.append(
                    make_finding(
                        "AIA852",
                        path_of(ref.path),
                        ref.span,
                        f'model weights "{ref.path}" are in the repository but no models[].id '
                        f"or alias in {manifest.path} names them",
                        subject=f"weights:{ref.path}",
                    )
                )
            continue
        if index.suppressed(ref.path, [ref.line, ref.use_line], "AIA850"):
            continue
        findings.append(
            make_finding(
                "AIA850",
                path_of(ref.path),
                ref.span,
                f'model "{ref.model}" ({ref.provider}) is used here but {manifest.path} does not '
                "declare it in models[] (id or aliases)",
                subject=f"model-ref:{ref.model}",
            )
        )
    for item in declared:
        if item.index not in used:
            findings.append(
                manifest.finding(
                    "AIA851",
                    ("models", item.index, "id"),
                    f'model "{item.model_id}" is declared but no code or weights '
                    f"{'under ' + folder + '/' if folder else 'in the repository'} refer to it; "
                    "fine if it is chosen at run time",
                    subject=f"declared-model:{item.model_id}",
                    value=True,
                )
            )
    if det.in_scope:
        findings.extend(_capability_findings(manifest, index, governed, path_of))
    files.update(path for path in index.suppressions if governed(path))
    findings.extend(_suppression_findings(index, files, path_of))
    return findings


def _capability_findings(
    manifest: Manifest,
    index: CodeIndex,
    governed: Callable[[str], bool],
    path_of: Callable[[str], str],
) -> list[Finding]:
    generates = manifest.get("use_case", "capabilities", "generates_synthetic_content", default=[])
    generates = generates if isinstance(generates, list) else []
    interacts = manifest.get("use_case", "capabilities", "interacts_with_natural_persons")
    wanted: dict[str, str] = {}
    for modality in MODALITIES:
        if modality not in generates:
            wanted[modality] = "AIA853"
    if interacts is not True:
        wanted["interaction"] = "AIA854"
    places: dict[str, list[Hint]] = {}
    for hint in index.hints:
        code = wanted.get(hint.capability)
        if code is None or not governed(hint.path):
            continue
        if index.suppressed(hint.path, [hint.line], code):
            continue
        places.setdefault(hint.capability, []).append(hint)
    findings = []
    for capability, hints in sorted(places.items()):
        first = hints[0]
        others = len(hints) - 1
        more = f" (and {others} other place{'s' if others > 1 else ''})" if others else ""
        if capability == "interaction":
            message = (
                f'"{first.text}" ({first.provider}) is a chat endpoint{more}, but '
                f"{manifest.path} says the system does not interact with natural persons "
                "(use_case.capabilities.interacts_with_natural_persons)"
            )
            code = "AIA854"
        else:
            message = (
                f'"{first.text}" ({first.provider}) generates {capability}{more}, but '
                f"{manifest.path} does not list {capability} in "
                "use_case.capabilities.generates_synthetic_content"
            )
            code = "AIA853"
        findings.append(
            make_finding(
                code, path_of(first.path), first.span, message, subject=f"capability:{capability}"
            )
        )
    return findings


def _group_folder(path: str, dirs: list[str]) -> str:
    """The highest folder above ``path`` that holds no manifest (or the file itself)."""
    parts = path.split("/")
    for depth in range(1, len(parts)):
        folder = "/".join(parts[:depth])
        if not any(d == folder or d.startswith(folder + "/") for d in dirs if d):
            return folder
    return path


def check_unowned(
    index: CodeIndex,
    root: Path,
    manifest_dirs: list[str],
    path_of: Callable[[str], str],
    within: list[str] | None = None,
) -> list[Finding]:
    """AI use in files no manifest governs: one finding per folder, at its first reference.

    ``within`` limits the report to files under these root-relative folders ("" = all)."""
    dirs = _ordered_dirs(manifest_dirs, index.manifest_dirs)
    scope = [""] if within is None else [w.strip("/") for w in within]
    groups: dict[str, list[Reference]] = {}
    for ref in index.references:
        if _owner(ref.path, dirs) is not None:
            continue
        if not any(w == "" or ref.path == w or ref.path.startswith(w + "/") for w in scope):
            continue
        if index.suppressed(ref.path, [ref.line, ref.use_line], "AIA855"):
            continue
        groups.setdefault(_group_folder(ref.path, dirs), []).append(ref)
    findings = []
    for folder, refs in sorted(groups.items()):
        # Point at a source line where one exists, not at line 1 of a binary weights file.
        first = next((r for r in refs if r.kind != "weights"), refs[0])
        files = len({r.path for r in refs})
        models = sorted({r.model for r in refs if r.model is not None})
        shown = ", ".join(f'"{m}"' for m in models[:5]) + (", ..." if len(models) > 5 else "")
        what = (
            f"model{'s' if len(models) > 1 else ''} {shown}"
            if models
            else f"{first.provider} calls"
        )
        count = f"{len(refs)} reference{'s' if len(refs) > 1 else ''}"
        if folder == first.path:
            where = "this file"
        else:
            where = f"{folder}/"
            count += f" in {files} file{'s' if files > 1 else ''} under {where}"
        findings.append(
            make_finding(
                "AIA855",
                path_of(first.path),
                first.span,
                f"AI use outside any manifest: {what} ({count}); no aiact.yaml governs {where}",
                fix=(
                    f"Create an aiact.yaml in {folder if folder != first.path else 'its folder'} "
                    "declaring the system and its models (`aiact-lint init`), move the code under "
                    "the folder of the system it belongs to, or suppress the first reference with "
                    "a reason."
                ),
                subject=f"unowned:{folder}",
            )
        )
    return findings


# --- one run -------------------------------------------------------------------------------------


class CodeScans:
    """The code indexes of one ``check`` run: one scan per repository root.

    ``start``: a root whose git processes begin at once, so that git searches the files while
    Python reads and classifies the manifests."""

    def __init__(
        self,
        start: Path | None = None,
        scope: Sequence[str] = (),
        untracked: Optional[list[str]] = None,
    ) -> None:
        """``scope``: the folders (relative to ``start``) this run checks; only their files are
        read. The quick start, `check examples/customer-chatbot`, reads that example alone.
        ``untracked``: the untracked files of the scope, when discovery has listed them."""
        self._indexes: dict[Path, CodeIndex] = {}
        self._folders: dict[Path, set[str]] = {}
        self._started: dict[Path, GitScan] = {}
        self._start, self._scope = start, tuple(scope)
        if start is not None and _git_usable(start):
            with contextlib.suppress(OSError):
                self._started[start] = GitScan(start, patterns(), self._scope, untracked)

    def index_for(self, manifest: Manifest) -> CodeIndex:
        root = manifest.root
        index = self._indexes.get(root)
        if index is None:
            index = scan_repository(
                root,
                use_git=_git_usable(root),
                started=self._started.pop(root, None),
                scope=self._scope if root == self._start else (),
            )
            self._indexes[root] = index
        self._folders.setdefault(root, set()).add(manifest.folder)
        return index

    def close(self) -> None:
        """Stop git processes started for a root no manifest turned out to live in."""
        for scan in self._started.values():
            scan.close()
        self._started.clear()

    def unowned(
        self, paths: list[str], cwd: Path, base: Path, manifests: Iterable[Manifest] = ()
    ) -> list[Finding]:
        """AI use outside manifests, within the folders this run was asked to check.
        ``manifests``: every manifest of the run; each governs its folder, valid or not."""
        self.close()
        for manifest in manifests:
            self._folders.setdefault(manifest.root, set()).add(manifest.folder)
        findings = []
        for root, index in self._indexes.items():
            within = _folders_within(paths or ["."], cwd, root)
            if not within:
                continue

            def path_of(rel: str, root: Path = root) -> str:
                target = root.joinpath(*rel.split("/"))
                try:
                    return target.relative_to(base).as_posix()
                except ValueError:
                    return target.as_posix()

            folders = sorted(self._folders.get(root, ()))
            findings.extend(check_unowned(index, root, folders, path_of, within))
        return findings


def _git_usable(root: Path) -> bool:
    import shutil

    return (root / ".git").exists() and shutil.which("git") is not None


def _folders_within(paths: list[str], cwd: Path, root: Path) -> list[str]:
    """The command-line folders (not manifest files) inside ``root``, root-relative."""
    real_root = os.path.realpath(root)
    found = []
    for given in paths:
        absolute = os.path.realpath(os.path.join(cwd, given))
        if not os.path.isdir(absolute):
            continue
        if absolute == real_root:
            found.append("")
        elif absolute.startswith(real_root + os.sep):
            found.append(os.path.relpath(absolute, real_root).replace(os.sep, "/"))
    return found
