"""Shared machinery of the adversarial tests: hypothesis budgets, runners, output checkers.

Imported relatively (``from ._support import ...``) by the test modules and the package's
conftest, so there is one copy of the example counters however pytest names the package.
"""

from __future__ import annotations

import io
import json
import os
import re
import socket
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

from hypothesis import HealthCheck, Phase, settings

from tests.conftest import MINIMAL as MINIMAL  # one fixture manifest for the whole suite
from tests.conftest import git as git  # one git helper for the whole suite

ROOT = Path(__file__).resolve().parents[2]
AS_OF = "2026-11-25"
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
# Generous wall-clock bounds for one run, for a loaded 2-core machine: they catch a hang or a
# blow-up, never a slow CI runner.
INPROC_SECONDS = 10.0
PROCESS_TIMEOUT = 60.0
FORMATS = ("text", "json", "sarif", "github", "junit", "markdown", "gitlab", "cyclonedx", "spdx3")

_HEALTH = [
    HealthCheck.too_slow,
    HealthCheck.data_too_large,
    HealthCheck.function_scoped_fixture,
    HealthCheck.filter_too_much,
    HealthCheck.large_base_example,
]
# ci: deterministic (the same examples on every run, no example database written into the
# checkout); long: random, with the database under .hypothesis/ so failures replay.
# ci does not shrink a failure (each example runs the whole CLI, often several times, and
# shrinking could take many minutes); derandomized, the same failing example comes back on the
# next run, and the long profile shrinks it.
settings.register_profile(
    "ci",
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=_HEALTH,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    print_blob=True,
)
settings.register_profile("long", deadline=None, suppress_health_check=_HEALTH, print_blob=True)
if PROFILE not in ("ci", "long"):
    raise RuntimeError(f"HYPOTHESIS_PROFILE={PROFILE!r}: use ci (the default) or long")
settings.load_profile(PROFILE)

# What ran: "examples" (hypothesis examples of the property tests), "in-process runs" and
# "subprocess runs" (aiact-lint invocations, examples and plain tests alike).
COUNTS: Counter[str] = Counter()


def example() -> None:
    """Count one hypothesis example (called at the top of each property test body)."""
    COUNTS["examples"] += 1


def budget(ci: int, long: int) -> settings:
    """How many examples one property test runs under the active profile."""
    return settings(max_examples=long if PROFILE == "long" else ci)


@dataclass
class Run:
    code: int
    out: str
    err: str
    seconds: float

    def json(self) -> Any:
        return strict_json(self.out)


def run_inproc(*args: str, cwd: Path, env: dict[str, str] | None = None) -> Run:
    """``aiact_lint.cli.main`` in this process, stdout and stderr captured.

    AIACT_LINT_DEBUG=1 makes any internal error propagate (a test failure with its traceback)
    instead of the friendly exit 2 the CLI gives users.
    """
    from aiact_lint.cli import main

    out, err = io.StringIO(), io.StringIO()
    saved_env = {key: os.environ.get(key) for key in ("AIACT_LINT_DEBUG", "GITHUB_ACTIONS")}
    extra = dict(env or {})
    old = os.getcwd()
    os.environ["AIACT_LINT_DEBUG"] = "1"
    os.environ.pop("GITHUB_ACTIONS", None)
    for key, value in extra.items():
        saved_env.setdefault(key, os.environ.get(key))
        os.environ[key] = value
    start = time.monotonic()
    try:
        os.chdir(cwd)
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as exit_:  # argparse refusing an option
                code = exit_.code if isinstance(exit_.code, int) else 2
    finally:
        os.chdir(old)
        for key, saved in saved_env.items():
            if saved is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = saved
    seconds = time.monotonic() - start
    COUNTS["in-process runs"] += 1
    assert seconds < INPROC_SECONDS, f"one in-process run took {seconds:.1f} s"
    return Run(code, out.getvalue(), err.getvalue(), seconds)


def process_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "AIACT_LINT"))}
    env["PYTHONPATH"] = str(ROOT)
    env.update(extra)
    return env


def run_proc(
    *args: str,
    cwd: Path,
    env: dict[str, str] | None = None,
    prefix: tuple[str, ...] = (),
    timeout: float = PROCESS_TIMEOUT,
    stdin: bytes | None = None,
) -> Run:
    """The CLI as a real process; a run past ``timeout`` is a hang (test failure)."""
    start = time.monotonic()
    try:
        proc = subprocess.run(
            [*prefix, sys.executable, "-m", "aiact_lint", *args],
            cwd=cwd,
            env=env if env is not None else process_env(),
            capture_output=True,
            input=stdin if stdin is not None else b"",
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise AssertionError(f"aiact-lint {' '.join(args)} hung (> {timeout:.0f} s)") from None
    COUNTS["subprocess runs"] += 1
    out = proc.stdout.decode("utf-8")  # strict: stdout must be valid UTF-8
    err = proc.stderr.decode("utf-8", "replace")
    return Run(proc.returncode, out, err, time.monotonic() - start)


# --- checking outputs -----------------------------------------------------------------------------


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def strict_json(text: str) -> Any:
    """RFC 8259 JSON: no NaN/Infinity, and encodable as UTF-8 (no lone surrogates)."""
    text.encode("utf-8")
    return json.loads(text, parse_constant=_no_constant)


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_ANNOTATION = re.compile(
    r"::(error|warning|notice)"
    r"(?: ([A-Za-z]+=[^,:\r\n]*(?:,[A-Za-z]+=[^,:\r\n]*)*))?"
    r"::([^\r\n]*)"
)


def forges_a_command(line: str) -> bool:
    """Would the Actions runner read this log line as a workflow command (v2 or legacy v1)?"""
    stripped = line.lstrip()
    return stripped.startswith(("::", "##["))


def check_github(text: str) -> list[re.Match[str]]:
    """Annotations and the closing summary line; nothing else, nothing forged."""
    assert text.endswith("\n")
    lines = text[:-1].split("\n")
    *commands, summary = lines
    assert summary.startswith(("Found ", "All checks passed", "Nothing to check")), summary
    assert not forges_a_command(summary)
    matches = []
    for line in commands:
        match = _ANNOTATION.fullmatch(line)
        assert match is not None, f"not one well-formed annotation: {line!r}"
        assert not _CONTROL.search(line), f"control character in an annotation: {line!r}"
        matches.append(match)
    assert len(commands) <= 30, "at most 10 annotations per level"
    return matches


def check_text(text: str) -> None:
    assert not _CONTROL.search(text), f"control character in text output: {text!r}"
    for line in text.splitlines():
        assert not forges_a_command(line), f"text line read as a workflow command: {line!r}"


_PIPE = re.compile(r"(?<!\\)(?:\\\\)*\|")


def check_markdown(text: str) -> None:
    # C1 controls are inert in HTML; C0 ones (ESC, CR, form feed...) must not get through.
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", text), "control character in Markdown"
    assert "<" not in text.replace("<br>", ""), "raw HTML in the Markdown report"
    assert not re.search(r"(?<![&\w])@\w", text), "an @mention in the Markdown report"
    columns: int | None = None
    for line in text.split("\n"):
        if line.startswith("|"):
            count = len(_PIPE.findall(line))
            if columns is None:
                columns = count
            assert count == columns, f"a table row with {count} cells, not {columns}: {line!r}"
        else:
            columns = None
            assert not line.startswith(("<", "[", "!", ">")) or line.startswith("> **Report")


def check_output(fmt: str, text: str) -> Any:
    """Whatever ``fmt`` must look like; returns the parsed document where there is one."""
    text.encode("utf-8")
    if fmt == "json":
        document = strict_json(text)
        assert document["version"] == 1 and isinstance(document["findings"], list)
        summary = document["summary"]
        for level in ("error", "warning", "info"):
            assert summary[level] == sum(
                1 for f in document["findings"] if f["severity"] == level and not f["waived"]
            )
        for finding in document["findings"]:
            assert finding["line"] >= 1 and finding["column"] >= 1
        return document
    if fmt in ("sarif", "gitlab"):
        data = strict_json(text)
        if fmt == "sarif":
            assert data["version"] == "2.1.0" and len(data["runs"]) == 1
        else:
            assert isinstance(data, list)
        return data
    if fmt == "cyclonedx":
        bom = strict_json(text)
        assert bom["bomFormat"] == "CycloneDX" and bom["specVersion"] == "1.6"
        assert all(c["bom-ref"] for c in bom.get("components", ()))
        return bom
    if fmt == "spdx3":
        spdx = strict_json(text)
        assert spdx["@context"] == "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"
        assert any(item.get("type") == "SpdxDocument" for item in spdx["@graph"])
        return spdx
    if fmt == "junit":
        return ET.fromstring(text.encode("utf-8"))
    if fmt == "github":
        return check_github(text)
    if fmt == "markdown":
        check_markdown(text)
        return None
    if fmt == "text":
        check_text(text)
        return None
    if fmt in ("cyclonedx", "spdx3"):  # ML-BOM formats (issue 16): strict JSON documents
        data = strict_json(text)
        assert isinstance(data, dict)
        if fmt == "cyclonedx":
            assert data["bomFormat"] == "CycloneDX" and data["specVersion"] == "1.6"
        return data
    raise AssertionError(fmt)


def check_run(run: Run, fmt: str | None = None) -> Any:
    """The universal contract: a known exit code, no traceback, the format's own shape."""
    assert run.code in (0, 1, 2), (run.code, run.err[-2000:])
    assert "Traceback" not in run.err, run.err[-4000:]
    assert "internal error" not in run.err, run.err[-4000:]
    if fmt is not None:
        assert run.out, f"no output (exit {run.code}): {run.err[-2000:]}"
        return check_output(fmt, run.out)
    return None


# --- what the process touches ---------------------------------------------------------------------

_RECORDERS: list[list[tuple[str, str, str]]] = []


_CHANGES = frozenset(
    {
        "os.remove",
        "os.rename",
        "os.mkdir",
        "os.rmdir",
        "os.symlink",
        "os.link",
        "os.chmod",
        "os.chown",
        "os.utime",
        "os.truncate",
    }
)


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if not _RECORDERS:
        return
    if event == "open" and args and isinstance(args[0], (str, bytes, os.PathLike)):
        path = os.fsdecode(args[0])
        mode = str(args[1]) if len(args) > 1 and args[1] is not None else ""
        flags = args[2] if len(args) > 2 and isinstance(args[2], int) else 0
        writes = any(c in mode for c in "wax+") or bool(
            flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND)
        )
        _RECORDERS[-1].append(("write" if writes else "read", path, event))
    elif event in _CHANGES and isinstance(args[0], (str, bytes, os.PathLike)):
        _RECORDERS[-1].append(("write", os.fsdecode(args[0]), event))
    elif event == "subprocess.Popen":
        _RECORDERS[-1].append(("exec", repr(args[1]), event))


sys.addaudithook(_audit)


class Recorder:
    """Every file this process opens (read or write) and changes, while active."""

    def __init__(self) -> None:
        self.events: list[tuple[str, str, str]] = []

    def __enter__(self) -> Recorder:
        _RECORDERS.append(self.events)
        return self

    def __exit__(self, *exc: object) -> None:
        _RECORDERS.remove(self.events)

    def paths(self, kind: str, cwd: Path) -> list[str]:
        found = (
            os.path.realpath(os.path.join(cwd, path))
            for what, path, _ in self.events
            if what == kind
        )
        return [path for path in found if path != os.devnull]


def inside(path: str, folder: Path) -> bool:
    real = os.path.realpath(folder)
    return path == real or path.startswith(real + os.sep)


class NetworkUsed(OSError):
    pass


NETWORK_ATTEMPTS: list[str] = []


class _NoSocket(socket.socket):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        NETWORK_ATTEMPTS.append(f"socket.socket{args}")
        raise NetworkUsed("network access is disabled in the adversarial tests")


def _refuse(name: str) -> Callable[..., Any]:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        NETWORK_ATTEMPTS.append(f"{name}{args}")
        raise NetworkUsed(f"{name}: network access is disabled in the adversarial tests")

    return refuse


def network_patches() -> Iterator[tuple[Any, str, Any]]:
    yield socket, "socket", _NoSocket
    for name in ("create_connection", "getaddrinfo", "gethostbyname", "socketpair"):
        yield socket, name, _refuse(f"socket.{name}")


def tree_digest(folder: Path) -> dict[str, str]:
    """Every entry under ``folder`` (git's own files included): type, mode, content or target.

    Byte-level names (os.fsencode) so that non-UTF-8 names compare exactly. FIFOs and devices
    are described, never opened.
    """
    import hashlib
    import stat

    digest: dict[str, str] = {}
    base = os.fsencode(folder)
    for current, dirs, files in os.walk(base, followlinks=False):
        dirs.sort()
        for name in sorted(dirs + files):
            full = os.path.join(current, name)
            rel = os.path.relpath(full, base).decode("utf-8", "backslashreplace")
            info = os.lstat(full)
            mode = stat.S_IMODE(info.st_mode)
            if stat.S_ISLNK(info.st_mode):
                digest[rel] = f"link {os.readlink(full)!r}"
            elif stat.S_ISDIR(info.st_mode):
                digest[rel] = f"dir {mode:o}"
            elif stat.S_ISREG(info.st_mode):
                if info.st_size > 50_000_000:  # a sparse giant: size and mtime stand in
                    digest[rel] = f"big {mode:o} {info.st_size} {info.st_mtime_ns}"
                    continue
                with open(full, "rb") as handle:
                    content = hashlib.sha256(handle.read()).hexdigest()
                digest[rel] = f"file {mode:o} {content}"
            else:
                digest[rel] = f"special {stat.S_IFMT(info.st_mode):o} {mode:o}"
    return digest


def write_files(root: Path, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")


# A high-risk provider manifest with evidence, transparency and models: most code paths run.
RICH = """\
schema_version: 1
system:
  name: CV ranking service
  description: Ranks job applications.
  developer: us
roles: [provider, deployer]
organisation:
  established_in: NL
market:
  regions: [EU]
  placed_on_market: 2026-09-01
models:
  - id: mistralai/Mistral-7B-v0.1
    access: weights
    parameters: 7.3e9
    training_tokens: 8.0e12
    modifications:
      - kind: fine_tune
        compute_flop: 2.0e19
use_case:
  purpose: Shortlists applicants by scoring their CVs against the job description.
  annex_iii: ["4(a)"]
  capabilities:
    interacts_with_natural_persons: true
risk:
  classification: high
transparency:
  ai_interaction_notice:
    text: You are chatting with an AI system.
    evidence: [web/notice.html]
evidence:
  technical_documentation: docs/technical.md
  risk_management: docs/risk.md
  ai_literacy: docs/literacy.md
"""

TECHNICAL = "# Technical documentation\n\n" + "Words about the system. " * 60 + "\n"
