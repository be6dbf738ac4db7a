"""`aiact-lint register`: the Annex VIII draft of the systems Art. 49 covers, and why not."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.conftest import MINIMAL, make_repo, run_cli

AS_OF = "2028-01-01"  # the Annex III duties apply (Art. 113 as amended)
DOC = "# Assessment\n\nThe documented reasoning, with enough words to be a real document.\n" * 3

PROVIDER = """\
schema_version: 1
system:
  name: Candidate ranker
  version: 2.1.0
roles: [provider]
market:
  regions: [DE, FR]
  placed_on_market: 2027-06-01
use_case:
  purpose: Ranks job applicants for recruiters.
  annex_iii: ["4(a)"]
risk:
  classification: high
registration:
  provider:
    name: Acme HR GmbH
    address: Hauptstrasse 1, 10115 Berlin
evidence:
  eu_declaration_of_conformity: docs/declaration.md
"""

DEROGATED = """\
schema_version: 1
system:
  name: Interview scheduler
roles: [provider]
market:
  regions: [EU]
use_case:
  purpose: Schedules interviews that recruiters have already decided on.
  annex_iii: ["4(a)"]
  profiling: false
  derogation:
    condition: narrow_procedural_task
    assessment: docs/art6-3-assessment.md
risk:
  classification: minimal
"""

PUBLIC_DEPLOYER = """\
schema_version: 1
system:
  name: Benefit eligibility checker
roles: [deployer]
organisation:
  public_authority: true
market:
  regions: [NL]
use_case:
  purpose: Assesses whether applicants are eligible for public assistance benefits.
  annex_iii: ["5(a)"]
risk:
  classification: high
registration:
  deployer: {name: Gemeente Utrecht, address: Stadsplateau 1, contact: ai@utrecht.example}
evidence:
  fundamental_rights_impact_assessment: docs/fria.md
"""


def _register(tmp_path: Path, manifest: str, *extra: str) -> dict[str, Any]:
    files = {"aiact.yaml": manifest, "docs/fria.md": DOC, "docs/art6-3-assessment.md": DOC}
    files["docs/declaration.md"] = DOC
    repo = make_repo(tmp_path / "repo", files)
    run = run_cli("register", "--format", "json", "--as-of", AS_OF, *extra, cwd=repo)
    assert run.code == 0, run.err
    import json

    document: dict[str, Any] = json.loads(run.out)
    system: dict[str, Any] = document["systems"][0]
    return system


def _fields(section: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["id"]: f for f in section["fields"]}


def test_a_high_risk_provider_gets_section_a_with_its_gaps(tmp_path: Path) -> None:
    system = _register(tmp_path, PROVIDER)
    assert system["registration"] == "required"
    [section] = system["sections"]
    assert section["section"] == "A" and section["article"] == "Art. 49(1)"
    assert section["obligation"]["id"] == "registration"
    assert section["obligation"]["status"] == "missing"  # no evidence.registration_id yet
    fields = _fields(section)
    provider = fields["provider"]
    assert provider["value"] == {"name": "Acme HR GmbH", "address": "Hauptstrasse 1, 10115 Berlin"}
    assert provider["status"] == "gap" and provider["declare"] == ["registration.provider.contact"]
    assert fields["trade_name"]["value"] == "Candidate ranker"
    assert fields["trade_name"]["parts"]["reference"]["value"] == "2.1.0"
    assert fields["intended_purpose"]["value"] == "Ranks job applicants for recruiters."
    assert "registration.components_and_functions" in fields["intended_purpose"]["declare"]
    assert fields["data_and_logic"]["declare"] == ["registration.data_and_operating_logic"]
    assert fields["status"]["value"].startswith("on the market / in service (since 2027-06-01")
    assert fields["member_states"]["value"] == "DE, FR"
    assert fields["declaration_of_conformity"]["source"] == "evidence.eu_declaration_of_conformity"
    assert fields["instructions_for_use"]["declare"] == ["evidence.instructions_for_use"]
    assert fields["certificate"]["status"] == "where_applicable"
    assert fields["url"]["status"] == "optional"
    assert section["gaps"] == sum(1 for f in section["fields"] if f["status"] == "gap") >= 4


def test_a_derogated_system_gets_section_b(tmp_path: Path) -> None:
    system = _register(tmp_path, DEROGATED)
    assert system["registration"] == "required"
    [section] = system["sections"]
    assert section["section"] == "B" and "Art. 49(2)" in section["article"]
    fields = _fields(section)
    assert fields["derogation_conditions"]["value"] == "narrow_procedural_task"
    grounds = fields["derogation_grounds"]
    assert grounds["source"] == "use_case.derogation.assessment"
    assert grounds["value"].startswith("docs/art6-3-assessment.md")
    assert fields["member_states"]["value"].startswith("all Member States")
    assert "data_and_logic" not in fields  # Section B has no such point


def test_a_public_authority_deployer_gets_section_c(tmp_path: Path) -> None:
    system = _register(tmp_path, PUBLIC_DEPLOYER)
    assert system["registration"] == "required"
    [section] = system["sections"]
    assert section["section"] == "C" and "Art. 49(3)" in section["article"]
    fields = _fields(section)
    assert fields["deployer"]["status"] == "filled"
    assert fields["submitter"]["declare"] == ["registration.submitter"]
    assert fields["provider_entry_url"]["declare"] == ["registration.provider_database_url"]
    assert fields["fria_summary"]["source"] == "evidence.fundamental_rights_impact_assessment"
    assert fields["dpia_summary"]["status"] == "where_applicable"


def test_a_deployer_not_known_to_be_public_is_asked_not_told_no(tmp_path: Path) -> None:
    manifest = PUBLIC_DEPLOYER.replace("organisation:\n  public_authority: true\n", "")
    system = _register(tmp_path, manifest)
    assert system["registration"] == "unknown"
    [section] = system["sections"]
    assert section["section"] == "C" and section["conditional"] is True
    assert "organisation.public_authority" in [q["declare"] for q in system["questions"]]
    declared_private = PUBLIC_DEPLOYER.replace("public_authority: true", "public_authority: false")
    private = _register(tmp_path / "private", declared_private)
    assert private["registration"] == "not_required"
    assert private["reason"]["article"] == "Art. 49(3)"


def test_a_system_that_needs_no_registration_says_why(tmp_path: Path) -> None:
    system = _register(tmp_path, MINIMAL)
    assert system["registration"] == "not_required" and system["sections"] == []
    assert "not a high-risk Annex III system" in system["reason"]["text"]


def test_law_enforcement_uses_go_to_the_secure_section(tmp_path: Path) -> None:
    manifest = PROVIDER.replace('annex_iii: ["4(a)"]', 'annex_iii: ["6(d)"]').replace(
        "Ranks job applicants for recruiters.", "Assesses the reliability of evidence for police."
    )
    system = _register(tmp_path, manifest)
    [section] = system["sections"]
    assert section["secure_non_public_section"] is True
    fields = _fields(section)
    assert fields["instructions_for_use"]["status"] == "not_submitted"
    assert fields["data_and_logic"]["status"] == "not_submitted"
    assert fields["provider"]["status"] == "gap"


def test_critical_infrastructure_is_registered_nationally(tmp_path: Path) -> None:
    manifest = PROVIDER.replace('annex_iii: ["4(a)"]', 'annex_iii: ["2"]').replace(
        "Ranks job applicants for recruiters.", "Controls the water supply network pumps."
    )
    system = _register(tmp_path, manifest)
    assert system["registration"] == "national" and system["sections"] == []
    assert system["notes"][0]["article"] == "Art. 49(5)"


def test_markdown_lists_every_point_and_the_keys_to_declare(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", {"aiact.yaml": PROVIDER, "docs/declaration.md": DOC})
    run = run_cli("register", "--as-of", AS_OF, cwd=repo)
    assert run.code == 0, run.err
    assert "### Section A: providers of high-risk AI systems (Art. 49(1))" in run.out
    assert "| 1 | The name, address and contact details of the provider |" in run.out
    assert "**gap**: declare `registration.provider.contact`" in run.out
    assert "UNVERIFIED" in run.out


def test_an_unreadable_manifest_exits_2(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", {"aiact.yaml": "schema_version: [\n"})
    run = run_cli("register", "--as-of", AS_OF, cwd=repo)
    assert run.code == 2 and "input errors" in run.err
