"""Waivers in the manifest: what they waive, how they expire, and what they may never waive."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import make_repo, run_cli

# Provider of an Annex III 4(a) system: with --as-of 2028-01-01 the high-risk obligations apply
# and each missing document is an AIA701 error with subject obligation:<id>:.
HIGH_RISK = """\
schema_version: 1
system:
  name: HR screener
roles: [provider]
market:
  regions: [EU]
use_case:
  purpose: Ranks job applicants
  annex_iii: ["4(a)"]
risk:
  classification: high
"""
AFTER = "2028-01-01"


def waiver_block(*entries: dict[str, str]) -> str:
    lines = ["waivers:"]
    for entry in entries:
        first = True
        for key, value in entry.items():
            lines.append(f"  {'- ' if first else '  '}{key}: {json.dumps(value)}")
            first = False
    return "\n".join(lines) + "\n"


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line of the n-th line containing ``needle``."""
    hits = [i for i, line in enumerate(text.splitlines(), 1) if needle in line]
    return hits[occurrence - 1]


def check(repo: Path, *args: str) -> tuple[int, dict[str, Any]]:
    run = run_cli("check", "--format", "json", *args, cwd=repo)
    assert run.code in (0, 1), run.err
    return run.code, run.json()


def codes(doc: dict[str, Any], waived: bool | None = None) -> list[str]:
    return [
        f["rule"] for f in doc["findings"] if waived is None or bool(f["waived"]) is bool(waived)
    ]


def one(doc: dict[str, Any], rule: str) -> dict[str, Any]:
    found: list[dict[str, Any]] = [f for f in doc["findings"] if f["rule"] == rule]
    assert len(found) == 1, found
    return found[0]


def blanket(expires: str) -> dict[str, str]:
    return {
        "rule": "AIA701",
        "reason": "Documents in review with the notified body",
        "owner": "compliance@example.com",
        "expires": expires,
    }


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("2028-01-30", "expiring"),  # the day before expiry: still waives, warns
        ("2028-01-31", "expiring"),  # the day of expiry: still waives ("today")
        ("2028-02-01", "expired"),  # the day after: an error that names the owner
        ("2028-01-01", "expiring"),  # 30 days before: inside the notice window
        ("2027-12-31", "quiet"),  # 31 days before: outside it
    ],
)
def test_waiver_expiry_boundaries(tmp_path: Path, as_of: str, expected: str) -> None:
    text = HIGH_RISK + waiver_block(blanket("2028-01-31"))
    repo = make_repo(tmp_path / "r", {"aiact.yaml": text})
    # Only the obligations and the waiver rules, so the exit code speaks of the waiver alone.
    code, doc = check(repo, "--as-of", as_of, "--select", "AIA701,AIA9")
    expires_line = line_of(text, "expires:")
    obligations = [f for f in doc["findings"] if f["rule"] == "AIA701"]
    assert obligations
    if expected == "expired":
        finding = one(doc, "AIA900")
        assert finding["severity"] == "error"
        assert "compliance@example.com" in finding["message"]
        assert "2028-01-31" in finding["message"]
        assert (finding["path"], finding["line"]) == ("aiact.yaml", expires_line)
        assert all(not f["waived"] for f in obligations)
        assert "AIA901" not in codes(doc)
        assert code == 1
        return
    assert all(f["waived"] for f in obligations)
    assert "AIA900" not in codes(doc)
    assert "AIA902" not in codes(doc)
    if expected == "expiring":
        finding = one(doc, "AIA901")
        assert finding["severity"] == "warning"
        assert (finding["line"], finding["column"]) == (expires_line, len("    expires: ") + 1)
        assert "compliance@example.com" in finding["message"]
        if as_of == "2028-01-31":
            assert "today" in finding["message"]
        if as_of == "2028-01-30":
            assert "in 1 day)" in finding["message"]
    else:
        assert "AIA901" not in codes(doc)
    assert code == 0  # waived errors and a warning do not fail the build


def test_waived_finding_stays_visible_in_every_format(tmp_path: Path) -> None:
    waiver = blanket("2029-06-30") | {"obligation": "risk_management"}
    text = HIGH_RISK + waiver_block(waiver)
    repo = make_repo(tmp_path / "r", {"aiact.yaml": text})
    code, doc = check(repo, "--as-of", AFTER)
    waived = [f for f in doc["findings"] if f["waived"]]
    assert [f["rule"] for f in waived] == ["AIA701"]
    assert waived[0]["subject"].startswith("obligation:risk_management:")
    assert "Documents in review" in waived[0]["waiver_reason"]
    assert "compliance@example.com" in waived[0]["waiver_reason"]
    assert doc["summary"]["waived"] == 1
    # Every other AIA701 is still reported and still fails.
    assert "AIA701" in codes(doc, waived=False)
    assert code == 1

    sarif = json.loads(run_cli("check", "--format", "sarif", "--as-of", AFTER, cwd=repo).out)
    suppressed = [r for r in sarif["runs"][0]["results"] if r.get("suppressions")]
    assert len(suppressed) == 1
    assert suppressed[0]["ruleId"] == "AIA701"
    assert "Documents in review" in suppressed[0]["suppressions"][0]["justification"]

    text_out = run_cli("check", "--as-of", AFTER, "--no-color", cwd=repo).out
    assert "Waived (1):" in text_out
    assert "waived: Documents in review" in text_out


def test_waived_findings_do_not_fail_the_build(tmp_path: Path) -> None:
    text = HIGH_RISK + waiver_block(blanket("2029-06-30"))
    repo = make_repo(tmp_path / "r", {"aiact.yaml": text})
    code, doc = check(repo, "--as-of", AFTER, "--select", "AIA7,AIA9", "--ignore", "AIA703,AIA705")
    assert codes(doc, waived=False) == []
    assert set(codes(doc, waived=True)) == {"AIA701"}
    assert code == 0


def test_stale_waiver_is_a_warning_at_the_waiver(tmp_path: Path) -> None:
    stale = {
        "rule": "AIA501",
        "reason": "Notice shown by the partner page",
        "owner": "legal@example.com",
        "expires": "2029-01-31",
    }
    text = HIGH_RISK + waiver_block(blanket("2029-06-30"), stale)
    repo = make_repo(tmp_path / "r", {"aiact.yaml": text})
    _, doc = check(repo, "--as-of", AFTER)
    finding = one(doc, "AIA902")
    assert finding["severity"] == "warning"
    assert finding["line"] == line_of(text, 'rule: "AIA501"')
    assert "legal@example.com" in finding["message"]
    assert "AIA501" in finding["message"]


def test_prohibited_practice_cannot_be_waived(tmp_path: Path) -> None:
    text = HIGH_RISK.replace(
        '  annex_iii: ["4(a)"]\n',
        '  annex_iii: ["4(a)"]\n  capabilities:\n    social_scoring: true\n',
    ) + waiver_block(
        {
            "rule": "AIA401",
            "reason": "Pilot only",
            "owner": "cto@example.com",
            "expires": "2029-01-31",
        }
    )
    repo = make_repo(tmp_path / "r", {"aiact.yaml": text})
    code, doc = check(repo, "--as-of", "2026-11-25")
    prohibited = one(doc, "AIA401")
    assert not prohibited["waived"]
    assert prohibited["line"] == line_of(text, "social_scoring")
    refused = one(doc, "AIA903")
    assert refused["severity"] == "error"
    assert refused["line"] == line_of(text, 'rule: "AIA401"')
    assert "Art. 5" in refused["message"]
    assert "AIA902" not in codes(doc)  # refused, not merely stale
    assert code == 1


def test_unknown_rule_in_a_waiver(tmp_path: Path) -> None:
    typo = {"rule": "AIA799", "reason": "typo", "owner": "a@example.com", "expires": "2029-01-31"}
    text = HIGH_RISK + waiver_block(typo)
    repo = make_repo(tmp_path / "r", {"aiact.yaml": text})
    code, doc = check(repo, "--as-of", "2026-11-25")
    finding = one(doc, "AIA904")
    assert finding["severity"] == "error"
    assert finding["line"] == line_of(text, 'rule: "AIA799"')
    assert "AIA799" in finding["message"]
    assert code == 1


def test_waiver_limited_to_an_obligation(tmp_path: Path) -> None:
    waiver = blanket("2029-06-30") | {"obligation": "data_governance"}
    repo = make_repo(tmp_path / "r", {"aiact.yaml": HIGH_RISK + waiver_block(waiver)})
    _, doc = check(repo, "--as-of", AFTER)
    waived = [f for f in doc["findings"] if f["waived"]]
    assert [f["subject"].split(":")[1] for f in waived] == ["data_governance"]
    assert len([f for f in doc["findings"] if f["rule"] == "AIA701" and not f["waived"]]) > 3


def test_waiver_limited_to_a_path_relative_to_the_manifest(tmp_path: Path) -> None:
    good = blanket("2029-06-30") | {"path": "aiact.yaml"}
    elsewhere = blanket("2029-06-30") | {"path": "../other/aiact.yaml"}
    text = HIGH_RISK + waiver_block(good, elsewhere)
    repo = make_repo(tmp_path / "r", {"services/hr/aiact.yaml": text})
    _, doc = check(repo, "--as-of", AFTER, "--select", "AIA701,AIA9")
    obligations = [f for f in doc["findings"] if f["rule"] == "AIA701"]
    assert obligations and all(f["waived"] for f in obligations)
    assert all(f["path"] == "services/hr/aiact.yaml" for f in obligations)
    stale = one(doc, "AIA902")  # the second waiver points at another file
    assert stale["line"] == line_of(text, "rule:", 2)


def test_waiver_limited_to_a_model(tmp_path: Path) -> None:
    text = (
        HIGH_RISK
        + "models:\n  - id: acme/summariser\n  - id: acme/ranker\n"
        + waiver_block(
            {
                "rule": "AIA601",
                "reason": "Vendor will publish compute in Q3",
                "owner": "ml@example.com",
                "expires": "2029-06-30",
                "model": "acme/ranker",
            }
        )
    )
    repo = make_repo(tmp_path / "r", {"aiact.yaml": text})
    _, doc = check(repo, "--as-of", "2026-11-25")
    unknown = {f["subject"]: f for f in doc["findings"] if f["rule"] == "AIA601"}
    assert unknown["model:acme/ranker"]["waived"]
    assert unknown["model:acme/ranker"]["line"] == line_of(text, "acme/ranker", 1)
    assert not unknown["model:acme/summariser"]["waived"]


def test_waivers_apply_only_to_their_own_manifest(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "r",
        {
            "a/aiact.yaml": HIGH_RISK + waiver_block(blanket("2029-06-30")),
            "b/aiact.yaml": HIGH_RISK,
        },
    )
    _, doc = check(repo, "--as-of", AFTER, "--select", "AIA701")
    by_path: dict[str, set[bool]] = {}
    for finding in doc["findings"]:
        by_path.setdefault(finding["path"], set()).add(finding["waived"])
    assert by_path == {"a/aiact.yaml": {True}, "b/aiact.yaml": {False}}
