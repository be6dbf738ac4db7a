"""Never write a report onto a file the user keeps: a manifest, an evidence file, a tracked file.

A pre-commit hook appends the staged file names after its arguments, so a committed file called
``--output=victim/aiact.yaml`` would otherwise be read as an option and the report would replace
the manifest (the hooks end their options with ``--``, and this guard holds whatever a hook or a
user passes). ``--output``, ``--write-baseline`` and ``report --output`` refuse, with exit code 2:

- a file named like a manifest (``aiact.yaml``, ``aiact.yml``), anywhere;
- a file the run reads: a manifest, an evidence document, the configuration, the baseline;
- anything inside a ``.git`` folder;
- a file git tracks, unless it already holds what would be written there again (a baseline a
  team commits, a report regenerated in place: ``keep`` says so from its first bytes).

Symbolic links are resolved first: the file that would be written is the one checked.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Optional

if TYPE_CHECKING:
    from aiact_lint.manifest import Manifest

MANIFEST_NAMES = ("aiact.yaml", "aiact.yml")


class OutputRefused(Exception):
    """Writing the report there would destroy a file the user keeps (exit code 2)."""


def _tracked(real: str) -> bool:
    from aiact_lint.gitsafe import is_tracked

    return is_tracked(real)


def refuse_overwrite(
    target: str,
    flag: str,
    inputs: Iterable[Optional[str | os.PathLike[str]]] = (),
    keep: Optional[Callable[[bytes], bool]] = None,
    tracked: bool = True,
) -> None:
    """Raise OutputRefused when writing ``target`` could destroy a file worth keeping.
    ``tracked=False``: only what the name and the inputs tell (a check before the run)."""
    real = os.path.realpath(target)
    shown = repr(target)

    def refuse(why: str) -> None:
        raise OutputRefused(
            f"{flag} {shown}: refusing to overwrite {why}; write the report to a new file "
            "(or to one git ignores)"
        )

    if os.path.basename(real) in MANIFEST_NAMES or os.path.basename(target) in MANIFEST_NAMES:
        refuse("a manifest (aiact.yaml)")
    if ".git" in Path(real).parts:
        refuse("a file inside a .git folder")
    for path in inputs:
        if path and os.path.realpath(path) == real:
            refuse("a file this run reads (a manifest, an evidence document or a setting)")
    if not tracked or not os.path.lexists(real):
        return
    if os.path.isfile(real) and _tracked(real):
        if keep is not None:
            try:
                with open(real, "rb") as handle:
                    head = handle.read(65536)
            except OSError:
                head = b""
            if keep(head):
                return
        refuse("a file git tracks")


def is_baseline(head: bytes) -> bool:
    """An aiact-lint baseline (what ``--write-baseline`` writes), judged by its first bytes."""
    return head.lstrip().startswith(b"{") and b'"fingerprints"' in head and b"aiact-lint" in head


def is_report(head: bytes) -> bool:
    """An aiact-lint report page (``aiact-lint report``), judged by its first bytes: the HTML
    page's generator tag or the Markdown page's title. A file that merely mentions aiact-lint
    (a README with a badge) is not one."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return b'<meta name="generator" content="aiact-lint' in head or text.startswith(
        b"# EU AI Act obligations report"
    )


def is_schema_copy(head: bytes) -> bool:
    """A copy of the manifest schema (``aiact-lint schema --output``), by its ``$id``; other
    JSON files with a ``"$schema"`` key (package.json, tsconfig.json) are not one."""
    return b'"$schema"' in head and b"aiact.schema.json" in head


def files_named_by(manifest: Manifest) -> list[Path]:
    """The manifest and the repository files it names (evidence, assessments): inputs."""
    from aiact_lint.manifest import path_fields, resolve_in_repo

    found = [manifest.file]
    for _, value in path_fields(manifest):
        rel = resolve_in_repo(manifest, value)
        if rel is not None:
            found.append(manifest.root.joinpath(*rel.split("/")))
    return found
