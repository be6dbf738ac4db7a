"""The composite GitHub Action (action.yml), read as data and then run like the runner does.

The runner is emulated closely enough to catch real mistakes: each `run:` step is written to a
file and run with ``bash --noprofile --norc -eo pipefail FILE`` (GitHub's ``shell: bash``), in
the workspace, with ``GITHUB_ACTION_PATH``, a fresh ``GITHUB_OUTPUT`` per step, a shared
``GITHUB_STEP_SUMMARY``, ``RUNNER_TEMP`` and ``GITHUB_WORKSPACE``, and the step's ``env:`` with
``${{ inputs.* }}`` and ``${{ steps.*.outputs.* }}`` substituted as the runner would. The
install step is not run (it needs the network); the CLI of this checkout stands in for it.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from ruamel.yaml import YAML

from tests.conftest import AS_OF, MINIMAL, ROOT, git, make_repo

ACTION = ROOT / "action.yml"
WORKFLOW = ROOT / ".github" / "workflows" / "aiact-lint.yml"
SARIF_SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
BAD = MINIMAL.replace("[deployer]", "[developer]")


def load(path: Path) -> Any:
    return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def action() -> dict[str, Any]:
    data: dict[str, Any] = load(ACTION)
    return data


# --- the file itself ----------------------------------------------------------------------


def test_inputs_reach_scripts_only_through_env(action: dict[str, Any]) -> None:
    steps = action["runs"]["steps"]
    assert action["runs"]["using"] == "composite"
    for step in steps:
        if "run" in step:
            assert "${{" not in step["run"], f"expression inside run: of step {step.get('name')}"
            assert step["shell"] == "bash"
        for value in (step.get("env") or {}).values():
            for expression in EXPRESSION.findall(str(value)):
                assert re.fullmatch(r"inputs\.[\w-]+|steps\.[\w-]+\.outputs\.[\w-]+", expression)
                if expression.startswith("inputs."):
                    assert expression.split(".", 1)[1] in action["inputs"]


def test_inputs_and_outputs_are_declared(action: dict[str, Any]) -> None:
    expected_inputs = {
        "paths",
        "fail-on",
        "as-of",
        "modification-policy",
        "sarif-file",
        "summary",
        "annotations",
        "working-directory",
        "diff-base",
        "new-only",
    }
    assert set(action["inputs"]) == expected_inputs
    for spec in action["inputs"].values():
        assert spec["description"] and "default" in spec and isinstance(spec["default"], str)
    assert set(action["outputs"]) == {"errors", "warnings", "sarif-file", "exit-code"}
    for spec in action["outputs"].values():
        assert spec["description"] and EXPRESSION.fullmatch(spec["value"])
    used = {
        name
        for step in action["runs"]["steps"]
        for value in (step.get("env") or {}).values()
        for name in re.findall(r"inputs\.([\w-]+)", str(value))
    }
    assert used == expected_inputs, "every input is used, through env:"


def test_install_step_installs_this_checkout(action: dict[str, Any]) -> None:
    install = action["runs"]["steps"][0]
    assert install["id"] == "install"
    assert '"$GITHUB_ACTION_PATH"' in install["run"] and "pip install" in install["run"]
    syntax = subprocess.run(["bash", "-n"], input=install["run"], text=True, check=False)
    assert syntax.returncode == 0
    check_runs = [s for s in action["runs"]["steps"] if "check --format json" in s.get("run", "")]
    assert len(check_runs) == 1, "the check runs once"
    assert check_runs[0]["run"].count("check --format") == 1


def test_workflow_dogfoods_the_action_with_sarif_upload() -> None:
    workflow = load(WORKFLOW)
    job = next(iter(workflow["jobs"].values()))
    assert job["permissions"] == {"contents": "read", "security-events": "write"}
    steps = job["steps"]
    own = next(step for step in steps if step.get("uses") == "./")
    assert own["with"]["paths"] == "examples" and own["with"]["sarif-file"]
    upload = next(
        s for s in steps if str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif@")
    )
    assert upload["with"]["sarif_file"] == own["with"]["sarif-file"]
    for step in steps:
        if "run" in step:
            assert "${{" not in step["run"]


# --- running it ---------------------------------------------------------------------------


@dataclass
class ActionRun:
    code: int
    stdout: str
    stderr: str
    outputs: dict[str, str]
    summary: str
    step_outputs: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def annotations(self) -> list[str]:
        return [line for line in self.stdout.splitlines() if line.startswith("::")]


def read_outputs(path: Path) -> dict[str, str]:
    """$GITHUB_OUTPUT: ``name=value`` lines and ``name<<DELIMITER`` blocks."""
    outputs: dict[str, str] = {}
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    i = 0
    while i < len(lines):
        line = lines[i]
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            block = []
            i += 1
            while lines[i] != delimiter:
                block.append(lines[i])
                i += 1
            outputs[name] = "\n".join(block)
        elif line:
            name, value = line.split("=", 1)
            outputs[name] = value
        i += 1
    return outputs


def run_action(action: dict[str, Any], workspace: Path, tmp: Path, **inputs: str) -> ActionRun:
    values = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}
    for name, value in inputs.items():
        key = name.replace("_", "-")
        assert key in values, key
        values[key] = value
    steps: dict[str, dict[str, str]] = {}

    def evaluate(text: str) -> str:
        def one(match: re.Match[str]) -> str:
            parts = match.group(1).split(".")
            if parts[0] == "inputs":
                return values[parts[1]]
            if parts[0] == "steps" and parts[2] == "outputs":
                return steps.get(parts[1], {}).get(parts[3], "")
            raise AssertionError(f"the emulated runner does not know ${{{{ {match.group(1)} }}}}")

        return EXPRESSION.sub(one, text)

    runner_temp = tmp / "runner-temp"
    runner_temp.mkdir(exist_ok=True)
    summary = tmp / "step-summary.md"
    summary.write_text("", encoding="utf-8")
    base_env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("GITHUB_", "RUNNER_", "INPUT_", "AIACT_"))
    }
    base_env.update(
        GITHUB_ACTIONS="true",
        GITHUB_ACTION_PATH=str(ROOT),
        GITHUB_WORKSPACE=str(workspace),
        GITHUB_STEP_SUMMARY=str(summary),
        RUNNER_TEMP=str(runner_temp),
        PYTHONPATH=str(ROOT),
    )
    stdout, stderr, code = "", "", 0
    for index, step in enumerate(action["runs"]["steps"]):
        step_id = step.get("id", f"step{index}")
        if step_id == "install":
            # Not run here (it needs the network): the checkout's CLI must be importable instead.
            subprocess.run([sys.executable, "-c", "import aiact_lint.cli"], check=True)
            steps["install"] = {"python": sys.executable}
            continue
        assert "if" not in step, "the emulated runner does not evaluate if: conditions"
        output_file = tmp / f"output-{index}"
        output_file.write_text("", encoding="utf-8")
        script = tmp / f"step-{index}.sh"
        script.write_text(step["run"], encoding="utf-8")
        env = dict(base_env, GITHUB_OUTPUT=str(output_file))
        env.update({name: evaluate(str(value)) for name, value in (step.get("env") or {}).items()})
        cwd = workspace / evaluate(step.get("working-directory", "."))
        proc = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        stdout += proc.stdout
        stderr += proc.stderr
        steps[step_id] = read_outputs(output_file)
        code = proc.returncode
        if code != 0:
            break
    outputs = {name: evaluate(spec["value"]) for name, spec in action["outputs"].items()}
    return ActionRun(code, stdout, stderr, outputs, summary.read_text(encoding="utf-8"), steps)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    return make_repo(
        tmp_path / "workspace",
        {
            "good/aiact.yaml": MINIMAL,
            "bad/aiact.yaml": BAD,
            "name with space/aiact.yaml": MINIMAL,
        },
    )


def test_passing_manifest(action: dict[str, Any], workspace: Path, tmp_path: Path) -> None:
    run = run_action(
        action, workspace, tmp_path, paths="good", as_of=AS_OF, sarif_file="reports/aiact.sarif"
    )
    assert run.code == 0, run.stdout + run.stderr
    assert run.outputs["errors"] == "0" and run.outputs["exit-code"] == "0"
    assert run.outputs["warnings"].isdigit()
    assert not [a for a in run.annotations if a.startswith("::error")]
    assert run.stdout.splitlines()[-1].startswith(("All checks passed", "Found ", "Nothing"))
    assert "## " in run.summary and "aiact-lint report" in run.summary
    assert run.outputs["sarif-file"] == "reports/aiact.sarif"
    sarif = json.loads((workspace / "reports" / "aiact.sarif").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))).validate(sarif)
    assert not list(Path(tmp_path / "runner-temp").glob("aiact-lint-result.*")), "temp file removed"


def test_failing_manifest(action: dict[str, Any], workspace: Path, tmp_path: Path) -> None:
    run = run_action(action, workspace, tmp_path, paths="bad good", as_of=AS_OF)
    assert run.code == 2, "a schema error is an input error: exit code 2"
    assert run.outputs["exit-code"] == "2"
    assert run.outputs["errors"] == "1" and run.outputs["sarif-file"] == ""
    [annotation] = [a for a in run.annotations if a.startswith("::error ")]
    assert annotation.startswith("::error file=bad/aiact.yaml,line=4,col=9,endLine=4,endColumn=18,")
    assert "title=aiact-lint AIA104%3A " in annotation
    assert "::bad/aiact.yaml:4:9: AIA104 " not in annotation, "no path:line:col: CODE again"
    assert re.search(r"^Found \d+ problems? \(1 error, .* in 2 manifests", run.stdout, re.M)
    assert "AIA104" in run.summary and "## :x: aiact-lint report" in run.summary
    assert "failing the step (exit code 2; fail-on: error)" in run.stdout


def test_diff_base_reports_the_legal_effect_of_the_change(
    action: dict[str, Any], workspace: Path, tmp_path: Path
) -> None:
    base = git(workspace, "rev-parse", "HEAD").strip()
    changed = MINIMAL.replace("  annex_iii: []", '  annex_iii: ["5(b)"]')
    (workspace / "good" / "aiact.yaml").write_text(changed, encoding="utf-8")
    git(workspace, "commit", "-qam", "credit scoring")
    run = run_action(action, workspace, tmp_path, paths="good", as_of=AS_OF, diff_base=base)
    codes = re.findall(r"AIA9\d\d", run.stdout)
    assert codes, run.stdout + run.stderr
    quiet = run_action(action, workspace, tmp_path, paths="good", as_of=AS_OF, diff_base="nope")
    assert quiet.code == 2 and quiet.outputs["exit-code"] == "2"


def test_paths_are_split_without_eval_or_globbing(
    action: dict[str, Any], workspace: Path, tmp_path: Path
) -> None:
    paths = "good\n  $(touch pwned)  \n*\n\nname with space\n;rm -rf good\n"
    run = run_action(action, workspace, tmp_path, paths=paths, as_of=AS_OF, fail_on="never")
    assert not (workspace / "pwned").exists() and (workspace / "good" / "aiact.yaml").exists()
    files = {
        a.split("file=", 1)[1].split(",line=", 1)[0]
        for a in run.annotations
        if "title=aiact-lint AIA003" in a
    }
    assert files == {"$(touch pwned)", "*", ";rm -rf good"}, run.stdout
    assert "in 2 manifests" in run.stdout, "good and 'name with space'"
    assert run.code == 2 and run.outputs["errors"] == "3"


def test_usage_error_fails_with_a_message(
    action: dict[str, Any], workspace: Path, tmp_path: Path
) -> None:
    run = run_action(action, workspace, tmp_path, paths="good", fail_on="bogus")
    assert run.code == 2
    assert any("aiact-lint did not run (exit code 2)" in a for a in run.annotations)
    assert "invalid choice" in run.stderr
    assert run.outputs["exit-code"] == "2" and run.outputs["errors"] == ""
    assert run.summary == ""


def test_switches_and_working_directory(action: dict[str, Any], tmp_path: Path) -> None:
    workspace = tmp_path / "workspace"
    make_repo(workspace / "project", {"aiact.yaml": BAD})
    run = run_action(
        action,
        workspace,
        tmp_path,
        annotations="false",
        summary="false",
        working_directory="project",
        sarif_file="out/aiact.sarif",
        as_of=AS_OF,
    )
    assert run.code == 2
    assert run.annotations == [], "plain text instead of workflow commands"
    assert "aiact.yaml:4:9: AIA104 error" in run.stdout
    assert run.summary == ""
    assert run.outputs["sarif-file"] == "project/out/aiact.sarif"
    assert (workspace / "project" / "out" / "aiact.sarif").exists()


def test_sarif_file_with_a_line_break_is_refused(
    action: dict[str, Any], workspace: Path, tmp_path: Path
) -> None:
    run = run_action(action, workspace, tmp_path, paths="good", sarif_file="a.sarif\nerrors=0")
    assert run.code == 2 and "must not contain line breaks" in run.stdout
    assert "errors" not in run.step_outputs["lint"]
