"""Load one ``aiact.yaml``: read it safely, parse it with locations, validate it against the schema.

Every problem becomes a finding of an input-error rule (exit code 2) pointing at the exact node.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
from functools import cache
from pathlib import Path
from typing import Any, Iterator

from aiact_lint.catalogue import make_finding
from aiact_lint.findings import Finding, Span
from aiact_lint.yamlsafe import Located, PathKey, YamlProblem, load

MAX_MANIFEST_BYTES = 1024 * 1024
SCHEMA_FILE = Path(__file__).resolve().parent / "schema" / "aiact.schema.json"
START: Span = (1, 1, 1, 2)


class Manifest:
    """A parsed manifest: its data, where each node sits, and where the file lives."""

    def __init__(self, file: Path, root: Path, doc: Located, path: str = "") -> None:
        self.file = file  # absolute path of the manifest
        self.root = root  # repository root (absolute): evidence paths must stay inside it
        self.doc = doc
        # How findings name the manifest: relative to the run's base folder.
        self.path = path or relpath(file, root)
        self.findings: list[Finding] = []

    @property
    def repo_path(self) -> str:
        """The manifest's path relative to the repository root."""
        return relpath(self.file, self.root)

    @property
    def folder(self) -> str:
        """The manifest's folder relative to the repository root ('' at the root)."""
        return posixpath.dirname(self.repo_path)

    @property
    def data(self) -> dict[str, Any]:
        data = self.doc.data
        return data if isinstance(data, dict) else {}

    @property
    def valid(self) -> bool:
        return not any(f.severity == "error" and f.rule < "AIA2" for f in self.findings)

    @property
    def parsed(self) -> bool:
        """A mapping was read: its facts can be classified even if some fields are unusable."""
        return isinstance(self.doc.data, dict) and not any(
            f.rule < "AIA1" and f.severity == "error" for f in self.findings
        )

    def get(self, *path: str | int, default: Any = None) -> Any:
        node: Any = self.data
        for key in path:
            in_list = isinstance(key, int) and isinstance(node, list) and 0 <= key < len(node)
            in_map = isinstance(key, str) and isinstance(node, dict) and key in node
            if in_list or in_map:
                node = node[key]
            else:
                return default
        return default if node is None else node

    def span(self, *path: str | int) -> Span:
        return self.doc.span(tuple(path))

    def value_span(self, *path: str | int) -> Span:
        return self.doc.value_span(tuple(path))

    def finding(
        self,
        code: str,
        at: PathKey,
        message: str,
        *,
        article: str | None = None,
        fix: str | None = None,
        subject: str = "",
        value: bool = False,
    ) -> Finding:
        """A finding located at the manifest node ``at`` (its key; ``value=True``: its value)."""
        span = self.doc.value_span(at) if value else self.doc.span(at)
        return make_finding(
            code,
            self.path,
            span,
            message,
            article=article,
            fix=fix,
            subject=subject or dotted(at),
        )


def relpath(file: Path, root: Path) -> str:
    try:
        return file.relative_to(root).as_posix()
    except ValueError:
        return file.as_posix()


def dotted(path: PathKey) -> str:
    """``("models", 0, "id")`` -> ``models[0].id`` — how messages name a node."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + str(part)
    return text or "(top level)"


def find_root(start: Path) -> Path | None:
    """The enclosing git work tree (a folder holding ``.git``), found without running git."""
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return None


def read_manifest(file: Path, root: Path, path: str = "") -> Manifest:
    """Read and validate one manifest. Never raises for bad input: problems become findings."""
    manifest = Manifest(file=file, root=root, doc=Located(data=None), path=path)
    text = _read_text(manifest)
    if text is None:
        return manifest
    try:
        manifest.doc = load(text)
    except YamlProblem as problem:
        message = problem.message
        manifest.findings.append(make_finding(problem.code, manifest.path, problem.span, message))
        if problem.related is not None:
            manifest.findings.append(
                make_finding(
                    problem.code,
                    manifest.path,
                    problem.related,
                    f"{message.split(' (')[0]} (defined again at line {problem.span[0]}, "
                    f"column {problem.span[1]})",
                )
            )
        return manifest
    if not isinstance(manifest.doc.data, dict):
        kind = "a list" if isinstance(manifest.doc.data, list) else "a single value"
        if manifest.doc.data is None:
            manifest.findings.append(
                make_finding("AIA003", manifest.path, START, "the manifest holds no data")
            )
        else:
            manifest.findings.append(
                make_finding(
                    "AIA005",
                    manifest.path,
                    manifest.doc.value_span(()),
                    f"the manifest is {kind}; it must be a mapping of keys "
                    "(schema_version, system, roles, ...)",
                )
            )
        return manifest
    manifest.findings.extend(validate(manifest))
    manifest.findings.extend(check_paths(manifest))
    return manifest


def _read_text(manifest: Manifest) -> str | None:
    file = manifest.file

    def fail(message: str, span: Span = START) -> None:
        manifest.findings.append(make_finding("AIA003", manifest.path, span, message))

    try:
        real, real_root = os.path.realpath(file), os.path.realpath(manifest.root)
        if real != real_root and not real.startswith(real_root.rstrip(os.sep) + os.sep):
            # A symbolic link (the file or a folder above it) out of the repository: reading
            # it could show a file of the machine (a secret) in a finding. Never followed.
            fail("is a symbolic link to a file outside the repository; it is not read")
            return None
        if not file.exists():
            if file.is_symlink():
                fail("is a broken symbolic link or a symbolic link loop")
                return None
            fail("no such file")
            return None
        if file.is_dir():
            fail("is a directory, not a manifest file")
            return None
        if not file.is_file():
            fail("is not a regular file (device, FIFO or socket)")
            return None
        size = file.stat().st_size
        if size > MAX_MANIFEST_BYTES:
            fail(f"is {size / 1_000_000:.1f} MB; a manifest may hold at most 1 MiB")
            return None
        with file.open("rb") as handle:
            raw = handle.read(MAX_MANIFEST_BYTES + 1)
    except OSError as error:
        fail(f"cannot be read: {error.strerror or error}")
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        fail(
            f"is not valid UTF-8: byte 0x{raw[error.start]:02x} at line {line}, column {column}",
            (line, column, line, column + 1),
        )
        return None
    if "\x00" in text:
        index = text.index("\x00")
        line = text.count("\n", 0, index) + 1
        column = index - (text.rfind("\n", 0, index) + 1) + 1
        fail("contains a NUL character; it is not a text file", (line, column, line, column + 1))
        return None
    if not text.strip():
        fail("is empty")
        return None
    return text


# --- schema validation -------------------------------------------------------------------------


@cache
def schema() -> dict[str, Any]:
    with SCHEMA_FILE.open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def validate(manifest: Manifest) -> list[Finding]:
    """Fast path: the generated validator. Only when it fails, jsonschema explains every error."""
    from aiact_lint.schema import _validator

    fast_validate: Any = _validator.validate
    try:
        fast_validate(manifest.data)
    except _validator.JsonSchemaValueException:
        pass
    else:
        return []
    from aiact_lint.schema_errors import explain

    return explain(manifest, schema())


# --- paths ----------------------------------------------------------------------------------------

_DRIVE = re.compile(r"^[A-Za-z]:")


_PATHLIKE = re.compile(r"[/\\]|\.[A-Za-z0-9]{1,5}$")


def is_identifier_key(key: str) -> bool:
    """Manifest keys whose value is an identifier (never a file), e.g. evidence.registration_id."""
    from aiact_lint.lawdata import table

    return key in table("facts")["identifiers"]


def looks_like_path(value: str) -> bool:
    return bool(_PATHLIKE.search(value))


def path_fields(manifest: Manifest) -> Iterator[tuple[PathKey, str]]:
    """Every manifest value that names a file in the repository, with its location."""
    evidence = manifest.get("evidence", default={})
    if isinstance(evidence, dict):
        for key, value in evidence.items():
            if isinstance(value, str) and not is_identifier_key(f"evidence.{key}"):
                yield ("evidence", key), value
    assessment = manifest.get("use_case", "derogation", "assessment")
    if isinstance(assessment, str):
        yield ("use_case", "derogation", "assessment"), assessment
    for name in ("rbi_authorisation", "post_rbi_authorisation"):
        reference = manifest.get("use_case", "capabilities", name)
        # An authorisation reference may be an identifier or a document in the repository.
        if isinstance(reference, str) and looks_like_path(reference):
            yield ("use_case", "capabilities", name), reference
    transparency = manifest.get("transparency", default={})
    if isinstance(transparency, dict):
        for name, measure in transparency.items():
            files = measure.get("evidence") if isinstance(measure, dict) else None
            if isinstance(files, list):
                for index, value in enumerate(files):
                    if isinstance(value, str):
                        yield ("transparency", name, "evidence", index), value


def resolve_in_repo(manifest: Manifest, value: str) -> str | None:
    """The root-relative posix path a manifest path names, or None when it leaves the root."""
    if not value or "\x00" in value or value.startswith(("/", "\\", "~")) or _DRIVE.match(value):
        return None
    joined = posixpath.normpath(posixpath.join(manifest.folder, value.replace("\\", "/")))
    if joined == ".." or joined.startswith("../") or joined.startswith("/"):
        return None
    return joined


def identifier_problem(key: str, value: str) -> str | None:
    """Why a declared identifier (evidence.registration_id) is not one, or None."""
    from aiact_lint.lawdata import table

    spec = table("facts")["identifiers"][key]
    if value.strip().lower() in spec["placeholders"]:
        return f'"{value}" is a placeholder, not an identifier'
    if not re.match(spec["pattern"], value):
        return f'"{value}" is not an identifier (one token of letters, digits and . _ : / -)'
    return None


def check_paths(manifest: Manifest) -> list[Finding]:
    findings = []
    evidence = manifest.get("evidence", default={})
    for key, value in evidence.items() if isinstance(evidence, dict) else ():
        name = f"evidence.{key}"
        if isinstance(value, str) and is_identifier_key(name):
            problem = identifier_problem(name, value)
            if problem is not None:
                findings.append(
                    manifest.finding(
                        "AIA108",
                        ("evidence", key),
                        f"{name}: {problem} ({table_article(name)})",
                        value=True,
                    )
                )
    for at, value in path_fields(manifest):
        if resolve_in_repo(manifest, value) is None:
            findings.append(
                manifest.finding(
                    "AIA107",
                    at,
                    f'{dotted(at)}: "{value}" points outside the repository; '
                    "paths are relative to the manifest and stay inside the repository",
                    value=True,
                )
            )
    return findings


def table_article(key: str) -> str:
    from aiact_lint.lawdata import table

    return str(table("facts")["identifiers"][key]["article"])
