"""Property-based: whatever the manifest holds, aiact-lint answers with findings, never a crash.

For every input: no traceback, an exit code in {0, 1, 2} that agrees with the findings, valid
JSON with ``--format json`` (and a well-formed document in every other format), a bounded run
time, and nothing read outside the repository root. Most examples run in-process (fast); a
sample runs as real processes, where stdout encoding and exit codes are what a user sees.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ._strategies import damaged_bytes, manifest_texts
from ._support import (
    AS_OF,
    FORMATS,
    TECHNICAL,
    Recorder,
    budget,
    check_run,
    example,
    git,
    inside,
    run_inproc,
    run_proc,
    write_files,
)

CANARY = "CANARY-7f3a-outside-the-repository"


@pytest.fixture(scope="module")
def fuzz_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A git repository with the files the generated evidence paths name, and traps."""
    base = tmp_path_factory.mktemp("fuzz")
    outside = base / "outside"
    write_files(outside, {"canary.md": f"# {CANARY}\n{CANARY}\n" * 40})
    root = base / "repo"
    write_files(
        root,
        {
            "aiact.yaml": "schema_version: 1\n",
            "docs/technical.md": TECHNICAL,
            "docs/empty.md": "",
            "docs/placeholder.md": "# TODO\n\nTBD\n",
            "web/notice.html": "<p>You are chatting with an AI system.</p>\n",
            "src/app.py": "from openai import OpenAI\nclient = OpenAI()\nmodel = 'gpt-4o'\n",
        },
    )
    (root / "docs" / "dir.md").mkdir()
    os.symlink("../../outside/canary.md", root / "docs" / "outside.md")
    os.symlink("loop.md", root / "docs" / "loop.md")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "fuzz fixture")
    return root


def _consistent(document: dict[str, Any], code: int, fail_on: str) -> None:
    """The exit code follows from the findings (the CLI contract)."""
    from aiact_lint.catalogue import get
    from aiact_lint.findings import SEVERITY_RANK

    active = [f for f in document["findings"] if not f["waived"]]
    if any(get(f["rule"]).input_error for f in active):
        assert code == 2, "an input error exits 2"
        return
    floor = SEVERITY_RANK.get(fail_on)
    failing = floor is not None and any(SEVERITY_RANK[f["severity"]] >= floor for f in active)
    assert code == (1 if failing else 0), (code, fail_on, [f["rule"] for f in active])


options = st.fixed_dictionaries(
    {
        "as_of": st.one_of(
            st.just(AS_OF),
            st.dates(min_value=date(2023, 1, 1), max_value=date(2035, 12, 31)).map(
                lambda d: d.isoformat()
            ),
        ),
        "fail_on": st.sampled_from(["error", "warning", "info", "never"]),
        "policy": st.sampled_from(["commission_one_third", "cumulative"]),
        "manifest_only": st.booleans(),
        "discover": st.booleans(),
    }
)


def _args(chosen: dict[str, Any], fmt: str) -> list[str]:
    args = ["check", "--format", fmt, "--as-of", chosen["as_of"], "--fail-on", chosen["fail_on"]]
    args += ["--modification-policy", chosen["policy"]]
    if chosen["manifest_only"]:
        args.append("--manifest-only")
    if not chosen["discover"]:
        args.append("aiact.yaml")
    return args


def _one(root: Path, content: bytes, fmt: str, chosen: dict[str, Any]) -> None:
    (root / "aiact.yaml").write_bytes(content)
    with Recorder() as recorder:
        run = run_inproc(*_args(chosen, "json"), cwd=root)
    document = check_run(run, "json")
    _consistent(document, run.code, chosen["fail_on"])
    outside = root.parent / "outside"
    read = [p for p in recorder.paths("read", root) if inside(p, outside)]
    assert not read, f"read outside the repository: {read}"
    assert not recorder.paths("write", root), "a check writes nothing"
    assert CANARY not in run.out
    if fmt != "json":
        other = run_inproc(*_args(chosen, fmt), cwd=root)
        check_run(other, fmt)
        assert other.code == run.code, "the exit code does not depend on the format"
        assert CANARY not in other.out


@budget(ci=200, long=4000)
@given(content=manifest_texts(), fmt=st.sampled_from(FORMATS), chosen=options)
def test_mutated_schema_manifests(
    fuzz_repo: Path, content: bytes, fmt: str, chosen: dict[str, Any]
) -> None:
    example()
    _one(fuzz_repo, content, fmt, chosen)


@budget(ci=100, long=2000)
@given(content=damaged_bytes(), fmt=st.sampled_from(FORMATS), chosen=options)
def test_raw_bytes(fuzz_repo: Path, content: bytes, fmt: str, chosen: dict[str, Any]) -> None:
    example()
    _one(fuzz_repo, content, fmt, chosen)


@budget(ci=15, long=200)
@given(
    content=st.one_of(manifest_texts(), damaged_bytes()),
    fmt=st.sampled_from(FORMATS),
)
def test_as_a_real_process(fuzz_repo: Path, content: bytes, fmt: str) -> None:
    """Real stdout (strict UTF-8 decoding of what the process wrote), real exit codes."""
    example()
    (fuzz_repo / "aiact.yaml").write_bytes(content)
    run = run_proc("check", "--format", "json", "--as-of", AS_OF, "aiact.yaml", cwd=fuzz_repo)
    document = check_run(run, "json")
    _consistent(document, run.code, "error")
    assert CANARY not in run.out
    if fmt != "json":
        other = run_proc("check", "--format", fmt, "--as-of", AS_OF, "aiact.yaml", cwd=fuzz_repo)
        check_run(other, fmt)
        assert other.code == run.code


@pytest.mark.parametrize(
    "text",
    [
        "models:\n  - id: m\n    training_compute_flop: 1e999\n",
        "models:\n  - id: m\n    parameters: .nan\n    training_tokens: -.inf\n",
        "models:\n  - id: m\n    training_compute_flop: " + "9" * 5000 + "\n",
        "models:\n  - id: m\n    training_compute_flop: 4.9e-324\n",
        "market:\n  placed_on_market: 2026-02-30\n",
        "waivers:\n  - {rule: AIA301, reason: r, owner: o, expires: 2026-02-30}\n",
        "system:\n  name: " + "x" * 900_000 + "\n",
        "a: " + "[" * 100_000 + "]" * 100_000 + "\n",
        "system: !!python/object/apply:os.system ['touch pwned']\n",
        'system:\n  name: "\\ud800\\udcff \\x1b[31m ::error::x"\nroles: [deployer]\n',
    ],
    ids=[
        "1e999",
        "nan-inf",
        "5000-digit-number",
        "subnormal",
        "feb-30",
        "waiver-feb-30",
        "900k-name",
        "100k-deep",
        "python-tag",
        "surrogates",
    ],
)
def test_known_nasty_manifests(fuzz_repo: Path, text: str) -> None:
    """Fixed regressions beside the random ones (each once in-process, once as a process)."""
    content = ("schema_version: 1\n" + text).encode("utf-8")
    (fuzz_repo / "aiact.yaml").write_bytes(content)
    for fmt in ("json", "markdown", "github", "text"):
        run = run_inproc("check", "--format", fmt, "--as-of", AS_OF, "aiact.yaml", cwd=fuzz_repo)
        check_run(run, fmt)
    run = run_proc("check", "--format", "json", "--as-of", AS_OF, "aiact.yaml", cwd=fuzz_repo)
    check_run(run, "json")
    assert not (fuzz_repo / "pwned").exists()
