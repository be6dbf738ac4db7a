"""Detector: models used in code against the models the manifest declares (AIA850-AIA852)."""

from __future__ import annotations

import fnmatch
import posixpath
import re
from typing import TYPE_CHECKING, Callable, Optional

from aiact_lint.catalogue import make_finding
from aiact_lint.findings import Finding
from aiact_lint.record import Record

if TYPE_CHECKING:
    from aiact_lint.manifest import Manifest
from aiact_lint.repo.scan.records import CodeIndex, Reference


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


def model_findings(
    manifest: Manifest,
    index: CodeIndex,
    governed: Callable[[str], bool],
    path_of: Callable[[str], str],
    article: Optional[str] = None,
) -> tuple[list[Finding], set[str]]:
    """(findings, the governed files that refer to a model); ``article``: what AIA850 cites."""
    folder = manifest.folder
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
                article=article,
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
    return findings, files
