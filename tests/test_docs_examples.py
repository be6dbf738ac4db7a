"""The README and docs stay current, and the bundled examples keep their promised exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_process

EXAMPLES = {
    "customer-chatbot": (0, "limited"),
    "hr-screening": (1, "prohibited"),
    "gpai-provider": (0, "out_of_scope"),
}


def test_generated_docs_are_current() -> None:
    result = subprocess.run(
        [sys.executable, "scripts/gen_docs.py", "--check"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_readme_quick_start_is_exactly_two_commands_and_ci_runs_the_second() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = [b.split("```", 1)[0].strip() for b in section.split("```sh\n")[1:]]
    assert len(blocks) == 2 and all("\n" not in b for b in blocks), blocks
    install_and_run, test_command = blocks
    assert "pip install" in install_and_run and "check examples/" in install_and_run
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test_command in ci.splitlines()


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_example_exit_codes(name: str) -> None:
    code, risk = EXAMPLES[name]
    folder = ROOT / "examples" / name
    run = run_process("check", "--format", "json", "--as-of", "2026-11-25", cwd=folder)
    assert run.code == code, run.out
    document = json.loads(run.out)
    assert [s["risk"] for s in document["systems"]] == [risk]
    text = run_process("check", str(Path("examples") / name), "--as-of", "2026-11-25", cwd=ROOT)
    assert text.code == code
