"""The facts layer (issue 11): provenance in the JSON reasons, questions, derived facts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.conftest import NO_PRACTICES, git, make_repo, run_cli

ROOT = Path(__file__).resolve().parent.parent


def check(repo: Path, *args: str) -> tuple[int, dict[str, Any]]:
    run = run_cli("check", "aiact.yaml", "--format", "json", *args, cwd=repo)
    assert run.out.strip(), run.err
    return run.code, run.json()


def facts_of(system: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["fact"]: f for r in system["reasons"] for f in r.get("facts", [])}


REAL_TIME = NO_PRACTICES.replace(
    "remote_biometric_identification: null", "remote_biometric_identification: real_time"
)
RBI = f"""\
schema_version: 1
system: {{name: Live watchlist matcher, developer: third_party}}
roles: [deployer]
organisation: {{established_in: PL}}
market: {{regions: [EU]}}
use_case:
  purpose: Matches faces in live video of publicly accessible areas against a watchlist.
  sector: police
  annex_iii: []
  annex_i: []
  capabilities: {REAL_TIME}
risk: {{classification: high}}
"""


def test_reasons_name_the_facts_and_where_they_came_from(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"aiact.yaml": RBI})
    code, doc = check(repo, "--as-of", "2026-12-01")
    (system,) = doc["systems"]
    assert system["risk"] == "prohibited" and "art5:(h)" in system["routes"]
    facts = facts_of(system)
    assert facts["remote_biometric_identification"]["source"] == "declared"
    assert facts["remote_biometric_identification"]["key"] == (
        "use_case.capabilities.remote_biometric_identification"
    )
    assert facts["law_enforcement"] == {
        "fact": "law_enforcement",
        "value": True,
        "source": "derived",
        "key": "use_case.capabilities.law_enforcement",
        "via": 'use_case.sector: "police"',
        "article": "Art. 3(45), 3(46)",
    }
    assert facts["publicly_accessible_spaces"]["via"] == 'use_case.purpose: "publicly accessible"'
    assert code == 1


def test_a_declared_fact_wins_over_a_derivation(tmp_path: Path) -> None:
    text = RBI.replace(
        "remote_biometric_identification: real_time",
        ("remote_biometric_identification: real_time, law_enforcement: false"),
    )
    repo = make_repo(tmp_path / "r", {"aiact.yaml": text})
    _, doc = check(repo, "--as-of", "2026-12-01")
    (system,) = doc["systems"]
    assert "art5:(h)" not in system["routes"]


def test_unknown_facts_are_questions_never_no(tmp_path: Path) -> None:
    bare = "schema_version: 1\nsystem: {name: Bare}\nroles: [provider]\nmarket: {regions: [EU]}\n"
    repo = make_repo(tmp_path / "r", {"aiact.yaml": bare})
    code, doc = check(repo, "--as-of", "2026-12-01")
    (system,) = doc["systems"]
    questions = {q["fact"]: q for q in system["questions"]}
    assert questions["social_scoring"]["stake"] == "prohibited"
    assert questions["use_case.annex_iii"]["stake"] == "high_risk"
    assert questions["interacts_with_natural_persons"]["stake"] == "duty"
    # (ba)/(bb) concern generators of images, video or audio: asked through that gateway fact.
    assert "non_consensual_intimate_imagery" not in questions
    assert "generates_synthetic_content" in questions
    rules = {f["rule"] for f in system["findings"]}
    assert {"AIA404", "AIA309", "AIA705"} <= rules
    assert code == 1  # an open Art. 5 fact is an error


def test_a_value_of_the_wrong_type_is_unknown_and_still_asked(tmp_path: Path) -> None:
    text = (
        "schema_version: 1\nsystem: {name: T}\nroles: [provider]\nmarket: {regions: [EU]}\n"
        f"use_case:\n  annex_iii: []\n  annex_i: []\n  capabilities: {NO_PRACTICES}\n"
    ).replace("social_scoring: false", 'social_scoring: "maybe"')
    repo = make_repo(tmp_path / "r", {"aiact.yaml": text})
    code, doc = check(repo, "--as-of", "2026-12-01")
    (system,) = doc["systems"]
    rules = [f["rule"] for f in system["findings"]]
    assert "AIA103" in rules  # the schema says where
    question = next(f for f in system["findings"] if f["rule"] == "AIA404")
    assert "social_scoring is not usable" in question["message"]
    assert code == 2


LEGACY = f"""\
schema_version: 1
system: {{name: Tenant screening, developer: us}}
roles: [provider]
organisation: {{established_in: DE, public_authority: false}}
market: {{regions: [EU], placed_on_market: 2025-03-01, significant_change: null,
  intended_for_public_authorities: false}}
use_case:
  purpose: Scores tenants' rental applications.
  annex_iii: ["5(b)"]
  annex_i: []
  profiling: true
  capabilities: {NO_PRACTICES}
risk: {{classification: high}}
evidence: {{ai_literacy: docs/literacy.md}}
"""


def test_a_purpose_change_seen_by_diff_base_ends_legacy_status(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"aiact.yaml": LEGACY, "docs/literacy.md": "# Literacy\n"})
    git(repo, "checkout", "-q", "-b", "change")
    changed = LEGACY.replace("Scores tenants' rental applications.", "Decides tenants' leases.")
    (repo / "aiact.yaml").write_text(changed, encoding="utf-8")
    git(repo, "commit", "-qam", "new purpose")

    # Art. 111(2): only a change as from the Chapter III date (2 Dec 2027) counts.
    _, before = check(repo, "--as-of", "2027-12-02")
    status = {o["id"]: o["status"] for o in before["systems"][0]["obligations"]}
    assert status["risk_management"] == "legacy"
    _, after = check(repo, "--as-of", "2027-12-02", "--diff-base", "main")
    (system,) = after["systems"]
    status = {o["id"]: o["status"] for o in system["obligations"]}
    assert status["risk_management"] == "missing"
    assert system["legacy"]["status"] == "ended"
    change = facts_of(system)["market.significant_change"]
    assert change["source"] == "derived" and change["via"].startswith("use_case.purpose changed")
    # Before the Chapter III date the changed system is still placed before it: legacy holds.
    _, early = check(repo, "--as-of", "2026-12-01", "--diff-base", "main")
    assert early["systems"][0]["legacy"]["status"] == "legacy"


def test_licence_table_follows_the_spdx_list() -> None:
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("gen_licences", ROOT / "scripts/gen_licences.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["gen_licences"] = module
    spec.loader.exec_module(module)
    text = (ROOT / "aiact_lint/law/licences.yaml").read_text(encoding="utf-8")
    assert text == module.render(), "stale: run scripts/gen_licences.py"
    assert '"Apache-2.0"' in text and '"CC-BY-NC-4.0"' in text
