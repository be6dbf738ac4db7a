"""Art. 50(2) marking verified in code: is the declared method actually implemented?

For a system whose obligation to mark synthetic content applies, the files under the manifest's
folder (and its declared evidence files) are searched for the calls that mark (law/marking.yaml:
C2PA signing, invisible-watermark, AudioSeal, SynthID, IPTC digitalSourceType / XMP / EXIF
writes). git pre-filters with ``git grep -F`` on the detectors' fixed strings; files are read
with the code scan's safe reader (inside the root, regular, bounded). Outside git, a walk that
skips vendored folders does the same. The outcome tells the obligation evaluator ``met`` (with
file:line) or ``unverified`` (with what was searched).
"""

from __future__ import annotations

import os
import posixpath
import re
from functools import cache
from typing import TYPE_CHECKING, NamedTuple, Optional

from aiact_lint.lawdata import table

if TYPE_CHECKING:
    from aiact_lint.manifest import Manifest


class Hit(NamedTuple):
    path: str  # root-relative
    line: int
    column: int
    method: str
    detector: str


class Outcome(NamedTuple):
    method: str
    hits: list[Hit]  # implementations of the declared method
    others: list[Hit]  # implementations of another method
    searched: int  # files searched
    scope: str  # where: "services/img/" or "the repository"
    evidence: list[str]  # declared evidence files (root-relative)


@cache
def _detectors() -> list[tuple[str, str, tuple[str, ...], tuple[re.Pattern[str], ...]]]:
    found = []
    for method, spec in table("marking")["methods"].items():
        for item in spec["detectors"]:
            regexes = tuple(re.compile(p, re.MULTILINE) for p in item["patterns"])
            found.append((method, item["name"], tuple(item["fixed"]), regexes))
    return found


def _suffix_ok(rel: str) -> bool:
    suffix = posixpath.splitext(rel)[1].lower()
    base = posixpath.basename(rel)
    return suffix in table("marking")["suffixes"] or base in ("Dockerfile", "Makefile")


def _candidates(manifest: Manifest) -> tuple[list[str], list[str]]:
    """(files that hold a fixed string, every file searched) under the manifest folder."""
    from aiact_lint.repo.files import tracked_files
    from aiact_lint.repo.scan.patterns import patterns
    from aiact_lint.repo.scan.reading import GIT, _git_usable

    pats = patterns()
    folder = manifest.folder
    root = manifest.root
    tokens = sorted({t for _, _, fixed, _ in _detectors() for t in fixed})
    if _git_usable(root):
        names = tracked_files(str(root))
        if names is not None:
            prefix = folder + "/" if folder else ""
            listed = [
                n for n in names if n.startswith(prefix) and _suffix_ok(n) and not pats.skipped(n)
            ]
            args = [*GIT, "grep", "-F", "-l", "-z", "-I", "--no-color"]
            for token in tokens:
                args += ["-e", token]
            args += ["--", f":(top,literal){folder}" if folder else "."]
            hits = _run(args, root)
            if hits is not None:
                listed_set = set(listed)
                return sorted(h for h in hits if h in listed_set), listed
    walked = _walk(manifest)
    return walked, walked


def _run(args: list[str], root: object) -> Optional[list[str]]:
    import subprocess

    from aiact_lint.gitsafe import git_env

    try:
        result = subprocess.run(
            args,
            cwd=str(root),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            check=False,
            env=git_env(str(root)),
            timeout=120,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if result.returncode not in (0, 1):
        return None
    return [os.fsdecode(p) for p in result.stdout.split(b"\0") if p]


def _walk(manifest: Manifest) -> list[str]:
    from aiact_lint.repo.scan.patterns import patterns
    from aiact_lint.repo.scan.reading import _walk_names

    pats = patterns()
    start = manifest.root / manifest.folder if manifest.folder else manifest.root
    prefix = manifest.folder + "/" if manifest.folder else ""
    names = _walk_names(start, pats)
    return [prefix + n for n in names if _suffix_ok(n) and not pats.skipped(prefix + n)]


def _scan(rel: str, text: str) -> list[Hit]:
    hits = []
    for method, name, fixed, regexes in _detectors():
        if not any(token in text for token in fixed):
            continue
        for regex in regexes:
            match = regex.search(text)
            if match is None:
                continue
            line = text.count("\n", 0, match.start()) + 1
            column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
            hits.append(Hit(rel, line, column, method, name))
            break
    return hits


def verify(manifest: Manifest, method: str, evidence: list[str]) -> Outcome:
    """Search the manifest's code for an implementation of ``method``."""
    from aiact_lint.repo.scan.patterns import patterns
    from aiact_lint.repo.scan.reading import _Reader
    from aiact_lint.repo.scan.records import CodeIndex

    candidates, searched = _candidates(manifest)
    # Declared evidence counts only as code: a note that describes the call marks nothing.
    extra = [rel for rel in evidence if rel not in candidates and _suffix_ok(rel)]
    index = CodeIndex(root=manifest.root, use_git=False)
    reader = _Reader(manifest.root, patterns().max_bytes, index)
    hits: list[Hit] = []
    for rel in sorted(set(candidates) | set(extra)):
        text = reader.read(rel)
        if text is not None:
            hits.extend(_scan(rel, text))
    hits.sort(key=lambda h: (h.path, h.line, h.column))
    scope = f"{manifest.folder}/" if manifest.folder else "the repository"
    return Outcome(
        method=method,
        hits=[h for h in hits if h.method == method],
        others=[h for h in hits if h.method != method],
        searched=len(set(searched) | set(extra)),
        scope=scope,
        evidence=sorted(evidence),
    )


def describe(outcome: Outcome) -> str:
    """Why the declared method is ``unverified``: what was searched, what was found instead."""
    title = table("marking")["methods"].get(outcome.method, {}).get("title", outcome.method)
    text = (
        f"no {title} implementation found in {outcome.searched} file(s) searched under "
        f"{outcome.scope}"
    )
    if outcome.evidence:
        text += " (evidence: " + ", ".join(outcome.evidence) + ")"
    if outcome.others:
        first = outcome.others[0]
        text += f"; found {first.method} ({first.detector}) at {first.path}:{first.line} instead"
    return text
