"""Action injection: every input of action.yml reaches the CLI as data, never as shell code.

The composite action runs in the emulated runner of tests/test_action.py (each ``run:`` step as
``bash --noprofile --norc -eo pipefail``, inputs through ``env:`` as the runner substitutes
them). Each input carries ``$(...)``, backticks, quotes, ``;`` and line breaks; a marker file
``pwned`` must never appear, the value must show up verbatim in what the CLI says about it, and
no line of ``$GITHUB_OUTPUT`` may be forged.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.test_action import ActionRun, load, run_action

from ._support import AS_OF, MINIMAL, ROOT, git, write_files

SHELL = [
    "$(touch pwned)",
    "`touch pwned`",
    '"; touch pwned; echo "',
    "'; touch pwned; echo '",
    "x; touch pwned",
    "x && touch pwned",
    "x | touch pwned",
    "$(touch${IFS}pwned)",
    "${PWD/*/$(touch pwned)}",
    "x\ntouch pwned",
    "x\r\ntouch pwned",
    "*",
    "~",
    "--output=pwned",
    "-opwned",
]
# One of each kind, for the inputs tested one value at a time (each run costs ~0.5 s).
KINDS = [
    "$(touch pwned)",
    "`touch pwned`",
    '"; touch pwned; echo "',
    "'; touch pwned; echo '",
    "x\ntouch pwned",
    "--output=pwned",
]


@pytest.fixture(scope="module")
def action() -> dict[str, Any]:
    data: dict[str, Any] = load(ROOT / "action.yml")
    return data


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    root = tmp_path / "workspace"
    write_files(root, {"good/aiact.yaml": MINIMAL})
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "fixture")
    return root


def no_marker(tmp_path: Path) -> None:
    found = [p for p in tmp_path.rglob("*pwned*") if p.name == "pwned"]
    found += [Path(p) for p in ("pwned", str(ROOT / "pwned")) if os.path.exists(p)]
    assert not found, f"an input ran as shell code: {found}"


def outputs_not_forged(run: ActionRun) -> None:
    lint = run.step_outputs.get("lint", {})
    assert set(lint) <= {"exit-code", "errors", "warnings", "sarif-file"}, lint
    for name in ("errors", "warnings", "exit-code"):
        value = lint.get(name, "")
        assert value == "" or value.isdigit(), (name, value)


@pytest.mark.parametrize("value", KINDS)
@pytest.mark.parametrize("name", ["as-of", "fail-on", "modification-policy"])
def test_option_inputs_are_data(
    action: dict[str, Any], workspace: Path, tmp_path: Path, name: str, value: str
) -> None:
    inputs = {"paths": "good", "as_of": AS_OF, name.replace("-", "_"): value}
    run = run_action(action, workspace, tmp_path, **inputs)
    no_marker(tmp_path)
    outputs_not_forged(run)
    assert run.code == 2, "refused as a usage error"
    shown = value.replace("\r", "\\r").replace("\n", "\\n")
    assert shown in run.stderr, f"the CLI did not receive {value!r} verbatim: {run.stderr}"


@pytest.mark.parametrize("value", ["\n".join(SHELL), "$(touch pwned) `touch pwned`"])
def test_paths_input_is_data(
    action: dict[str, Any], workspace: Path, tmp_path: Path, value: str
) -> None:
    run = run_action(action, workspace, tmp_path, paths=f"good\n{value}", as_of=AS_OF)
    no_marker(tmp_path)
    outputs_not_forged(run)
    assert run.code == 2, "a path that does not exist is an input error"
    missing = {
        a.split("file=", 1)[1].split(",line=", 1)[0]
        for a in run.annotations
        if "title=aiact-lint AIA003" in a
    }
    lines = [line.strip() for line in value.replace("\r", "").split("\n") if line.strip()]
    expected = {line.replace("%", "%25").replace(":", "%3A").replace(",", "%2C") for line in lines}
    assert missing <= expected, run.stdout
    assert len(missing) == min(len(expected), 10), "GitHub shows at most 10 errors"
    # Each line of the input is one path (the same path twice is reported once).
    assert f"({len(set(lines))} error" in run.stdout, "each line of the input is one path"
    assert not (workspace / "pwned").exists()


@pytest.mark.parametrize("value", [v for v in KINDS if "\n" not in v])
def test_sarif_file_input_is_data(
    action: dict[str, Any], workspace: Path, tmp_path: Path, value: str
) -> None:
    target = f"out/{value}.sarif"
    run = run_action(action, workspace, tmp_path, paths="good", as_of=AS_OF, sarif_file=target)
    no_marker(tmp_path)
    outputs_not_forged(run)
    assert run.code == 0, run.stdout + run.stderr
    assert (workspace / target).is_file(), "the SARIF report is written at the literal path"
    assert run.outputs["sarif-file"] == target


@pytest.mark.parametrize("value", ["true; touch pwned", "$(touch pwned)", "true\ntouch pwned"])
@pytest.mark.parametrize("name", ["summary", "annotations"])
def test_switch_inputs_are_data(
    action: dict[str, Any], workspace: Path, tmp_path: Path, name: str, value: str
) -> None:
    run = run_action(action, workspace, tmp_path, paths="good", as_of=AS_OF, **{name: value})
    no_marker(tmp_path)
    outputs_not_forged(run)
    assert run.code == 0, run.stdout + run.stderr
    if name == "annotations":
        assert run.annotations == [], "anything but 'true' prints the text report"
    else:
        assert run.summary == "", "anything but 'true' writes no summary"


@pytest.mark.parametrize("value", KINDS)
def test_working_directory_input_is_data(
    action: dict[str, Any], workspace: Path, tmp_path: Path, value: str
) -> None:
    run = run_action(action, workspace, tmp_path, as_of=AS_OF, working_directory=value)
    no_marker(tmp_path)
    outputs_not_forged(run)
    assert run.code != 0, "no such folder"


def test_working_directory_with_a_line_break_cannot_forge_outputs(
    action: dict[str, Any], tmp_path: Path
) -> None:
    """A folder whose name holds a line break must not add lines to $GITHUB_OUTPUT."""
    workspace = tmp_path / "workspace"
    folder = "project\nerrors=0"
    write_files(workspace, {f"{folder}/aiact.yaml": MINIMAL.replace("[deployer]", "[developer]")})
    run = run_action(
        action,
        workspace,
        tmp_path,
        as_of=AS_OF,
        working_directory=folder,
        sarif_file="report.sarif",
    )
    outputs_not_forged(run)
    assert run.step_outputs.get("lint", {}).get("errors") in (None, "1"), run.step_outputs
    assert run.code == 2


def test_inputs_with_every_trick_at_once(
    action: dict[str, Any], workspace: Path, tmp_path: Path
) -> None:
    everything = "\n".join(SHELL)
    run = run_action(
        action,
        workspace,
        tmp_path,
        paths=everything,
        as_of=AS_OF,
        sarif_file="$(touch pwned)`touch pwned`.sarif",
        summary=everything,
        annotations=everything,
    )
    no_marker(tmp_path)
    outputs_not_forged(run)
    assert run.code == 2
