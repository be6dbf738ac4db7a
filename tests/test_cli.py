"""The CLI contract: output shape, exit codes, rules/explain/schema, discovery, locations."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import AS_OF, MINIMAL, ROOT, git, make_repo, run_cli, run_process

CONTRACT_FINDING_KEYS = {
    "rule",
    "severity",
    "title",
    "message",
    "article",
    "path",
    "line",
    "column",
    "end_line",
    "end_column",
    "fix",
    "waived",
}
CONTRACT_SYSTEM_KEYS = {
    "manifest",
    "name",
    "in_scope",
    "roles",
    "risk",
    "routes",
    "models",
    "obligations",
    "findings",
}


def test_json_document_has_every_contract_key(repo: Path) -> None:
    (repo / "aiact.yaml").write_text(MINIMAL + "evidence:\n  risk_managment: x.md\n")
    run = run_cli("check", "--format", "json", "--as-of", AS_OF, cwd=repo)
    doc = run.json()
    assert {"version", "tool", "as_of", "policy", "systems", "findings", "summary"} <= set(doc)
    assert doc["version"] == 1 and doc["tool"]["name"] == "aiact-lint"
    assert doc["as_of"] == AS_OF and doc["policy"] == {"modification": "commission_one_third"}
    assert set(doc["systems"][0]) >= CONTRACT_SYSTEM_KEYS
    assert doc["findings"], "the misspelt key must be reported"
    for finding in doc["findings"]:
        assert set(finding) >= CONTRACT_FINDING_KEYS
    assert set(doc["summary"]) >= {"systems", "error", "warning", "info", "waived"}
    assert doc["systems"][0]["findings"] == doc["findings"]


def test_json_goes_to_stdout_only_and_output_file(repo: Path) -> None:
    run = run_process("check", "--format", "json", "--as-of", AS_OF, cwd=repo)
    json.loads(run.out)
    assert run.err == ""
    written = run_process("check", "--format", "json", "-o", "out.json", "--as-of", AS_OF, cwd=repo)
    assert written.out == ""
    assert json.loads((repo / "out.json").read_text())["summary"]["systems"] == 1


def test_unknown_key_location_and_did_you_mean(repo: Path) -> None:
    (repo / "aiact.yaml").write_text(MINIMAL + "evidence:\n  risk_managment: x.md\n")
    run = run_cli("check", "--as-of", AS_OF, cwd=repo)
    assert run.code == 2
    assert 'aiact.yaml:14:3: AIA101 error   unknown key "risk_managment" in evidence' in run.out
    assert 'did you mean "risk_management"?' in run.out


def test_enum_error_points_at_the_list_item(repo: Path) -> None:
    (repo / "aiact.yaml").write_text(MINIMAL.replace("[deployer]", "[provider, developer]"))
    findings = run_cli("check", "--format", "json", cwd=repo).json()["findings"]
    finding = next(f for f in findings if f["rule"] < "AIA2")  # legal findings go on beside it
    assert (finding["rule"], finding["line"], finding["column"]) == ("AIA104", 4, 19)
    assert (finding["end_line"], finding["end_column"]) == (4, 28)
    assert finding["message"].startswith('roles[1]: "developer" is not one of provider, deployer')
    assert 'did you mean "deployer"?' in finding["message"]


def test_missing_key_points_at_its_parent(repo: Path) -> None:
    (repo / "aiact.yaml").write_text(
        MINIMAL.replace("  name: Shop support assistant\n", "  version: 1\n")
    )
    finding = run_cli("check", "--format", "json", cwd=repo).json()["findings"][0]
    assert (finding["rule"], finding["line"], finding["column"]) == ("AIA102", 2, 1)
    assert finding["message"] == 'system: missing required key "name"'


def test_missing_top_level_key_points_at_the_start(repo: Path) -> None:
    (repo / "aiact.yaml").write_text("schema_version: 1\nsystem: {name: x}\n")
    finding = run_cli("check", "--format", "json", cwd=repo).json()["findings"][0]
    assert (finding["rule"], finding["line"], finding["column"]) == ("AIA102", 1, 1)


def test_exit_codes(repo: Path) -> None:
    assert run_process("check", "--as-of", AS_OF, cwd=repo).code == 0
    assert run_process("check", "--as-of", "2026-02-30", cwd=repo).code == 2
    assert run_process("check", "--format", "nope", cwd=repo).code == 2
    assert run_process("frobnicate", cwd=repo).code == 2
    assert run_process(cwd=repo).code == 2


def test_rules_table_and_json() -> None:
    run = run_cli("rules")
    assert run.code == 0
    assert "AIA001" in run.out and "yaml-syntax-error" in run.out
    data = json.loads(run_cli("rules", "--format", "json").out)
    codes = [rule["code"] for rule in data]
    assert codes == sorted(codes) and len(codes) == len(set(codes))


def test_explain_has_the_five_sections() -> None:
    run = run_cli("explain", "AIA101")
    assert run.code == 0
    for heading in ("## What it does", "## Why", "## Example", "## Fix", "## References"):
        assert heading in run.out
    assert run_cli("explain", "unknown-key").out == run.out
    missing = run_cli("explain", "AIA10")
    assert missing.code == 2 and "unknown rule" in missing.err


def test_schema_command_prints_the_packaged_schema() -> None:
    run = run_cli("schema")
    schema = json.loads(run.out)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert schema == json.loads((ROOT / "aiact_lint/schema/aiact.schema.json").read_text())


def test_discovery_in_a_monorepo(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "mono",
        {
            "services/hr/aiact.yaml": MINIMAL,
            "services/chat/aiact.yml": MINIMAL,
            "node_modules/pkg/aiact.yaml": "broken: [",
            "ignored/aiact.yaml": "broken: [",
            ".gitignore": "node_modules/\nignored/\n",
        },
    )
    (repo / "services/new").mkdir()
    (repo / "services/new/aiact.yaml").write_text(MINIMAL)  # untracked but not ignored
    doc = run_cli("check", "--format", "json", "--as-of", AS_OF, cwd=repo).json()
    assert [s["manifest"] for s in doc["systems"]] == [
        "services/chat/aiact.yml",
        "services/hr/aiact.yaml",
        "services/new/aiact.yaml",
    ]
    # From a subfolder: only what is under it, paths still relative to the repository root.
    sub = run_cli("check", "--format", "json", cwd=repo / "services" / "hr").json()
    assert [s["manifest"] for s in sub["systems"]] == ["services/hr/aiact.yaml"]
    # Text output names files relative to where the user stands.
    text = run_cli("check", "--as-of", AS_OF, cwd=repo / "services").out
    assert "hr/aiact.yaml" in text or "1 manifest" in text or "3 manifests" in text


def test_walk_outside_git_skips_vendored_folders(tmp_path: Path) -> None:
    for folder in ("a", "b/c"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "aiact.yaml").write_text(MINIMAL)
    for skipped in ("node_modules/x", ".venv/y", ".hg/z"):
        (tmp_path / skipped).mkdir(parents=True)
        (tmp_path / skipped / "aiact.yaml").write_text("broken: [")
    doc = run_cli("check", "--format", "json", "--as-of", AS_OF, cwd=tmp_path).json()
    assert [s["manifest"] for s in doc["systems"]] == ["a/aiact.yaml", "b/c/aiact.yaml"]


def test_output_is_deterministic(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"x/aiact.yaml": MINIMAL, "y/aiact.yaml": "roles: 1\n"})
    first = run_process("check", "--format", "json", "--as-of", AS_OF, cwd=repo)
    second = run_process(
        "check", "--format", "json", "--as-of", AS_OF, cwd=repo, env={"PYTHONHASHSEED": "123"}
    )
    assert first.out == second.out


@pytest.mark.parametrize("name", ["aiact.yaml", "aiact.yml"])
def test_python_dash_m_and_both_names(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_text(MINIMAL)
    run = run_process("check", "--as-of", AS_OF, cwd=tmp_path)
    assert run.code == 0 and "in 1 manifest" in run.out


def test_git_helper_repo_is_clean(repo: Path) -> None:
    assert git(repo, "status", "--porcelain") == ""


def test_a_verdict_with_open_questions_reads_as_provisional(tmp_path: Path) -> None:
    """The summary line never shows a settled "minimal" while undeclared facts could make the
    system prohibited or high-risk; with every fact declared it does not say provisional."""
    sparse = (
        "schema_version: 1\nsystem: {name: Spam filter}\nroles: [provider]\n"
        "market: {regions: [EU]}\nuse_case: {purpose: Filters spam from incoming email.}\n"
    )
    repo = make_repo(tmp_path / "sparse", {"aiact.yaml": sparse})
    run = run_cli("check", "--as-of", AS_OF, cwd=repo)
    assert (
        "risk minimal (no route, provisional: open questions could make it prohibited or high)"
        in run.out
    )
    settled = make_repo(tmp_path / "settled", {"aiact.yaml": MINIMAL})
    run = run_cli("check", "--as-of", AS_OF, "--format", "json", cwd=settled)
    assert json.loads(run.out)["systems"][0]["risk_open"] == []
    assert "provisional" not in run_cli("check", "--as-of", AS_OF, cwd=settled).out
