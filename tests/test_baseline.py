"""Baselines: record today's findings, later report only new ones; Art. 5 is never hidden."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.conftest import SOCIAL_SCORING, UNDECLARED, make_repo, run_cli

AS_OF = "2026-11-25"


def check(repo: Path, *args: str) -> tuple[int, dict[str, Any], str]:
    run = run_cli("check", "--format", "json", "--as-of", AS_OF, *args, cwd=repo)
    return run.code, (run.json() if run.out else {}), run.err


def located(doc: dict[str, Any]) -> list[tuple[str, int]]:
    return sorted((f["rule"], f["line"]) for f in doc["findings"])


def test_baseline_file_has_fingerprints_without_lines(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"aiact.yaml": UNDECLARED})
    code, doc, err = check(repo, "--write-baseline", "baseline.json")
    assert code == 0  # writing a baseline is not a failed check
    assert "wrote 2 finding(s) to the baseline baseline.json" in err
    assert {f["rule"] for f in doc["findings"]} == {"AIA301", "AIA703"}
    data = json.loads((repo / "baseline.json").read_text(encoding="utf-8"))
    assert data["version"] == 1
    assert data["tool"]["name"] == "aiact-lint"
    rows = data["fingerprints"]
    assert [set(row) for row in rows] == [{"rule", "path", "fingerprint"}] * 2
    assert rows == sorted(rows, key=lambda r: (r["path"], r["rule"], r["fingerprint"]))
    assert {(r["rule"], r["path"]) for r in rows} == {
        ("AIA301", "aiact.yaml"),
        ("AIA703", "aiact.yaml"),
    }
    assert "line" not in (repo / "baseline.json").read_text(encoding="utf-8")


def test_baseline_survives_lines_inserted_above_the_findings(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"aiact.yaml": UNDECLARED})
    check(repo, "--write-baseline", "baseline.json")
    _, before, _ = check(repo)
    shifted = UNDECLARED.replace(
        "schema_version: 1\n",
        "# yaml-language-server: $schema=./aiact.schema.json\n# Owner: HR platform team\n"
        "schema_version: 1\n",
    ).replace("  name: HR screener\n", "  name: HR screener\n  description: Ranks CVs.\n")
    (repo / "aiact.yaml").write_text(shifted, encoding="utf-8")
    _, after, _ = check(repo)
    # The same findings, three lines lower.
    assert [(r, line + 3) for r, line in located(before)] == located(after)
    code, doc, _ = check(repo, "--baseline", "baseline.json")
    assert doc["findings"] == []
    assert doc["summary"]["baseline_hidden"] == 2
    assert code == 0
    text = run_cli("check", "--as-of", AS_OF, "--baseline", "baseline.json", cwd=repo).out
    assert "2 hidden by the baseline" in text


def test_new_findings_are_reported_despite_the_baseline(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"aiact.yaml": UNDECLARED})
    check(repo, "--write-baseline", "baseline.json")
    changed = UNDECLARED + "models:\n  - id: acme/ranker\n"
    (repo / "aiact.yaml").write_text(changed, encoding="utf-8")
    code, doc, _ = check(repo, "--baseline", "baseline.json", "--fail-on", "info")
    # The model entry is new since the baseline (other rules may report on it too).
    assert ("AIA601", 15) in located(doc)
    assert not {"AIA301", "AIA703"} & {rule for rule, _ in located(doc)}
    assert doc["summary"]["baseline_hidden"] == 2
    assert code == 1


def test_a_finding_about_another_model_is_new(tmp_path: Path) -> None:
    one = UNDECLARED + "models:\n  - id: acme/ranker\n"
    repo = make_repo(tmp_path / "r", {"aiact.yaml": one})
    check(repo, "--write-baseline", "baseline.json")
    two = one + "  - id: acme/summariser\n"
    (repo / "aiact.yaml").write_text(two, encoding="utf-8")
    _, doc, _ = check(repo, "--baseline", "baseline.json")
    assert [f for f in located(doc) if f[0] == "AIA601"] == [("AIA601", 16)]


def test_prohibited_practice_is_never_hidden_by_a_baseline(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"aiact.yaml": SOCIAL_SCORING})
    code, doc, _ = check(repo, "--write-baseline", "baseline.json")
    assert "AIA401" in {f["rule"] for f in doc["findings"]}
    rows = json.loads((repo / "baseline.json").read_text(encoding="utf-8"))["fingerprints"]
    assert "AIA401" not in {r["rule"] for r in rows}
    code, doc, _ = check(repo, "--baseline", "baseline.json")
    assert located(doc) == [("AIA401", 10)]
    assert doc["findings"][0]["severity"] == "error"
    assert code == 1
    # Even a hand-edited baseline that lists it does not hide it.
    sarif = json.loads(run_cli("check", "--format", "sarif", "--as-of", AS_OF, cwd=repo).out)
    result = next(r for r in sarif["runs"][0]["results"] if r["ruleId"] == "AIA401")
    forged = {
        "version": 1,
        "tool": {"name": "aiact-lint"},
        "fingerprints": [
            {
                "rule": "AIA401",
                "path": "aiact.yaml",
                "fingerprint": next(iter(result["partialFingerprints"].values())),
            }
        ],
    }
    (repo / "forged.json").write_text(json.dumps(forged), encoding="utf-8")
    code, doc, _ = check(repo, "--baseline", "forged.json")
    assert "AIA401" in {f["rule"] for f in doc["findings"]}
    assert code == 1


def test_baseline_fingerprints_are_the_sarif_fingerprints(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"aiact.yaml": UNDECLARED})
    check(repo, "--write-baseline", "baseline.json")
    rows = json.loads((repo / "baseline.json").read_text(encoding="utf-8"))["fingerprints"]
    sarif = json.loads(run_cli("check", "--format", "sarif", "--as-of", AS_OF, cwd=repo).out)
    sarif_prints = {
        value for r in sarif["runs"][0]["results"] for value in r["partialFingerprints"].values()
    }
    assert {r["fingerprint"] for r in rows} <= sarif_prints


def test_bad_baseline_files_are_exit_2(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"aiact.yaml": UNDECLARED})
    code, _, err = check(repo, "--baseline", "missing.json")
    assert code == 2 and "--baseline missing.json" in err
    (repo / "bad.json").write_text("{not json", encoding="utf-8")
    code, _, err = check(repo, "--baseline", "bad.json")
    assert code == 2 and "not JSON" in err
    (repo / "other.json").write_text('{"version": 7}', encoding="utf-8")
    code, _, err = check(repo, "--baseline", "other.json")
    assert code == 2 and "not an aiact-lint baseline" in err


def test_waived_findings_are_not_baselined(tmp_path: Path) -> None:
    waived = UNDECLARED + (
        "waivers:\n  - rule: AIA301\n    reason: Classified by counsel\n"
        "    owner: legal@example.com\n    expires: 2027-06-30\n"
    )
    repo = make_repo(tmp_path / "r", {"aiact.yaml": waived})
    check(repo, "--write-baseline", "baseline.json")
    rows = json.loads((repo / "baseline.json").read_text(encoding="utf-8"))["fingerprints"]
    assert {r["rule"] for r in rows} == {"AIA703"}
