"""Messages that sit well beside other linters: each one says what is true, once, in its place.

Through the CLI: GitHub annotations without ``path:line:col: CODE`` inside their text, ``--quiet``
without info findings, model-card sizes for ``compute``, AIA901 naming the rule that comes back
and whether it fails the build, AIA602 naming the original compute and its third, and one
missing-evidence finding per document at its own evidence key.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import AS_OF, run_cli

HIGH_RISK = """\
schema_version: 1
system:
  name: CV ranker
roles: [provider, deployer]
market:
  regions: [EU]
use_case:
  purpose: Ranks job applicants
  annex_iii: ["4(a)"]
risk:
  classification: high
evidence:
  logging: null
  human_oversight: null
  risk_management: null
"""


def write(folder: Path, text: str) -> Path:
    manifest = folder / "aiact.yaml"
    manifest.write_text(text, encoding="utf-8")
    return manifest


def test_github_annotations_do_not_repeat_location_and_code(tmp_path: Path) -> None:
    write(tmp_path, HIGH_RISK)
    run = run_cli("check", "--manifest-only", "--as-of", "2028-01-10", "--format", "github",
                  cwd=tmp_path)  # fmt: skip
    annotations = [
        line for line in run.out.splitlines() if line.startswith("::") and "file=" in line
    ]
    assert len(annotations) > 3
    for line in annotations:
        properties, message = line.split("::")[1], line.split("::", 2)[2]
        rule = re.search(r"title=aiact-lint (AIA\d{3})", properties)
        assert rule is not None and "file=aiact.yaml,line=" in properties
        assert not re.match(r"aiact\.yaml(%3A|:)\d+", message), message
        assert not message.startswith(rule.group(1)), message


def test_quiet_hides_info_findings_but_keeps_warnings(tmp_path: Path) -> None:
    # No market: AIA203 (info); a deployer without AI literacy evidence: AIA703 (warning).
    write(tmp_path, "schema_version: 1\nsystem:\n  name: X\nroles: [deployer]\n")
    loud = run_cli("check", "--manifest-only", "--as-of", AS_OF, cwd=tmp_path)
    quiet = run_cli("check", "--manifest-only", "--as-of", AS_OF, "--quiet", cwd=tmp_path)
    assert " AIA203 info " in loud.out and " AIA703 warning " in loud.out
    assert "AIA203" not in quiet.out and " AIA703 warning " in quiet.out
    assert "fix:" not in quiet.out
    assert quiet.code == loud.code


@pytest.mark.parametrize(
    ("params", "tokens", "flop"),
    [("7B", "15T", "6.3e+23"), ("70M", "1.2T", "5.04e+20"), ("1.2T", "15T", "1.08e+26"),
     ("7e9", "2e12", "8.4e+22"), ("7b", "15t", "6.3e+23")],
)  # fmt: skip
def test_compute_takes_model_card_sizes(params: str, tokens: str, flop: str) -> None:
    run = run_cli("compute", "--params", params, "--tokens", tokens)
    assert run.code == 0, run.err
    assert f"= {flop} FLOP" in run.out


@pytest.mark.parametrize("bad", ["7X", "B", "", "-7B", "infT", "nanB"])
def test_compute_refuses_what_is_not_a_size(bad: str) -> None:
    try:
        run = run_cli("compute", "--params", bad, "--tokens", "1T")
    except SystemExit as exit_:  # argparse's usage error
        assert exit_.code == 2
    else:
        assert run.code == 2


WAIVED = """\
schema_version: 1
system:
  name: X
roles: [deployer]
market:
  regions: [EU]
use_case:
  purpose: Answers questions about orders
  annex_iii: []
risk:
  classification: minimal
waivers:
  - rule: AIA703
    reason: literacy training being written
    owner: a@example.com
    expires: 2026-12-10
"""


def test_aia901_names_the_rule_and_says_truly_whether_it_fails(tmp_path: Path) -> None:
    write(tmp_path, WAIVED)
    base = ("check", "--manifest-only", "--as-of", AS_OF, "--format", "json")
    default = run_cli(*base, cwd=tmp_path).json()
    [notice] = [f for f in default["findings"] if f["rule"] == "AIA901"]
    # The waived finding is a warning: under --fail-on error it will NOT fail the build.
    assert "AIA703 (warning: obligation ai_literacy)" in notice["message"]
    assert "does not fail the build (--fail-on error)" in notice["message"]
    assert "fails the build again" not in notice["message"]
    strict = run_cli(*base, "--fail-on", "warning", cwd=tmp_path).json()
    [notice] = [f for f in strict["findings"] if f["rule"] == "AIA901"]
    assert "AIA703 (warning: obligation ai_literacy) fails the build again" in notice["message"]


def test_aia602_names_the_original_compute_and_its_third(tmp_path: Path) -> None:
    write(
        tmp_path,
        """\
schema_version: 1
system: {name: Tuned model}
roles: [provider]
market: {regions: [EU]}
models:
  - id: base-7b
    generates: [text]
    training_compute_flop: 8.4e22
    modifications:
      - {kind: continued_pretraining, compute_flop: 4.0e22}
    placed_on_market_by_us: true
risk: {classification: minimal}
""",
    )
    run = run_cli("check", "--manifest-only", "--as-of", AS_OF, "--format", "json", cwd=tmp_path)
    [finding] = [f for f in run.json()["findings"] if f["rule"] == "AIA602"]
    message = finding["message"]
    assert "add 4e+22 FLOP, more than one third (2.8e+22 FLOP)" in message
    assert "of the original model's training compute of 8.4e+22 FLOP" in message
    assert "training compute (2.8e+22" not in message  # the third is not the original


def test_one_missing_evidence_finding_per_document_at_its_own_key(tmp_path: Path) -> None:
    manifest = write(tmp_path, HIGH_RISK)
    lines = manifest.read_text(encoding="utf-8").splitlines()
    run = run_cli("check", "--manifest-only", "--as-of", "2028-01-10", "--format", "json",
                  cwd=tmp_path)  # fmt: skip
    missing = [f for f in run.json()["findings"] if f["rule"] in ("AIA701", "AIA703")]
    for key in ("logging", "human_oversight", "risk_management"):
        about = [f for f in missing if f"evidence.{key} declares" in f["message"]]
        assert len(about) == 1, (key, about)  # provider's and deployer's duty: one document
        assert lines[about[0]["line"] - 1].strip().startswith(f"{key}:"), (key, about[0])
    [logs] = [f for f in missing if "evidence.logging" in f["message"]]
    assert "record_keeping (Art. 12)" in logs["message"]
    assert "deployer_log_retention (Art. 26(6))" in logs["message"]
    assert len({(f["line"], f["column"]) for f in missing}) < len(missing)  # absent keys share
    at_keys = [f for f in missing if lines[f["line"] - 1].startswith("  ")]
    assert len(at_keys) == 3


def test_a_waiver_for_either_obligation_of_a_shared_document_matches(tmp_path: Path) -> None:
    waiver = (
        "waivers:\n  - rule: AIA701\n    obligation: deployer_log_retention\n"
        "    reason: log store being procured\n    owner: ops@example.com\n"
        "    expires: 2028-06-30\n"
    )
    write(tmp_path, HIGH_RISK + waiver)
    run = run_cli("check", "--manifest-only", "--as-of", "2028-01-10", "--format", "json",
                  cwd=tmp_path)  # fmt: skip
    findings = run.json()["findings"]
    [logs] = [f for f in findings if "evidence.logging declares" in f["message"]]
    assert logs["waived"] is True
    assert "AIA902" not in {f["rule"] for f in findings}
