"""`check --format cyclonedx`: a CycloneDX 1.6 ML-BOM that the library's own validator accepts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator

from tests.conftest import AS_OF, make_repo, run_cli

MANIFEST = """\
schema_version: 1
system:
  name: Candidate ranker
  version: 1.4.0
  description: Ranks job applicants for recruiters.
roles: [provider]
market:
  regions: [EU]
models:
  - id: acme/ranker-7b
    provider: Acme AI
    access: weights
    license: apache-2.0
    parameters: 7.0e9
    training_tokens: 2.0e12
    generates: [text]
    modifications:
      - kind: fine_tune
        compute_flop: 1.0e18
  - id: gpt-4o-mini
    provider: OpenAI
    access: api
use_case:
  purpose: Rank job applicants by their CVs for recruiters.
  annex_iii: ["4(a)"]
risk:
  classification: high
evidence:
  technical_documentation: docs/technical-documentation.md
  risk_management: docs/risk.md
"""

DOC = "# Technical documentation\n\nA real description of the system and its components.\n" * 3


def _bom(tmp_path: Path, as_of: str = AS_OF) -> tuple[dict[str, Any], str]:
    repo = make_repo(
        tmp_path / "repo",
        {"aiact.yaml": MANIFEST, "docs/technical-documentation.md": DOC, "docs/risk.md": DOC},
    )
    run = run_cli("check", "--format", "cyclonedx", "--as-of", as_of, cwd=repo)
    assert run.code in (0, 1), run.err
    return json.loads(run.out), run.out


def test_the_bom_validates_against_the_cyclonedx_1_6_schema(tmp_path: Path) -> None:
    _, text = _bom(tmp_path)
    errors = JsonStrictValidator(SchemaVersion.V1_6).validate_str(text, all_errors=True)
    assert errors is None, [str(e) for e in errors or ()]


def test_one_component_per_system_and_per_model(tmp_path: Path) -> None:
    bom, _ = _bom(tmp_path)
    assert bom["bomFormat"] == "CycloneDX" and bom["specVersion"] == "1.6"
    by_ref = {c["bom-ref"]: c for c in bom["components"]}
    system = by_ref["system:aiact.yaml"]
    assert system["type"] == "application" and system["version"] == "1.4.0"
    model = by_ref["model:aiact.yaml#0"]
    assert model["type"] == "machine-learning-model"
    assert model["name"] == "acme/ranker-7b"
    assert model["supplier"] == {"name": "Acme AI"}
    assert model["licenses"] == [{"license": {"id": "Apache-2.0"}}]
    card = model["modelCard"]
    assert card["considerations"]["useCases"] == [
        "Rank job applicants by their CVs for recruiters."
    ]
    assert {"name": "aiact-lint:parameters", "value": "7000000000.0"} in card["properties"]
    assert card["modelParameters"]["outputs"] == [{"format": "text"}]
    assert by_ref["model:aiact.yaml#1"]["supplier"] == {"name": "OpenAI"}
    depends = {d["ref"]: d.get("dependsOn", []) for d in bom["dependencies"]}
    assert sorted(depends["system:aiact.yaml"]) == ["model:aiact.yaml#0", "model:aiact.yaml#1"]


def test_determination_and_open_obligations_are_namespaced_properties(tmp_path: Path) -> None:
    bom, _ = _bom(tmp_path, as_of="2028-01-01")  # the Annex III duties apply
    system = next(c for c in bom["components"] if c["bom-ref"] == "system:aiact.yaml")
    props = [(p["name"], p["value"]) for p in system["properties"]]
    assert ("aiact-lint:risk", "high") in props
    assert ("aiact-lint:route", "annex_iii:4(a)") in props
    assert ("aiact-lint:role", "provider") in props
    names = {name for name, _ in props}
    assert all(name.startswith("aiact-lint:") for name in names)
    # Art. 9 evidence is declared and present: not open. Art. 12 logging is not declared.
    assert "aiact-lint:obligation:risk_management" not in names
    assert ("aiact-lint:obligation:record_keeping", "missing (Art. 12)") in props
    upcoming, _ = _bom(tmp_path / "before", as_of=AS_OF)
    early = next(c for c in upcoming["components"] if c["bom-ref"] == "system:aiact.yaml")
    assert {
        "name": "aiact-lint:obligation:risk_management",
        "value": "upcoming (Art. 9) from 2027-12-02",
    } in early["properties"]
    model = next(c for c in bom["components"] if c["bom-ref"] == "model:aiact.yaml#0")
    assert ("aiact-lint:modification", "fine_tune") in [
        (p["name"], p["value"]) for p in model["properties"]
    ]


def test_evidence_documents_are_external_references(tmp_path: Path) -> None:
    bom, _ = _bom(tmp_path)
    system = next(c for c in bom["components"] if c["bom-ref"] == "system:aiact.yaml")
    refs = {(r["type"], r["url"], r["comment"]) for r in system["externalReferences"]}
    assert (
        "documentation",
        "docs/technical-documentation.md",
        "evidence.technical_documentation",
    ) in refs
    assert ("risk-assessment", "docs/risk.md", "evidence.risk_management") in refs


def test_the_bom_is_deterministic_and_renders_from_a_saved_result(tmp_path: Path) -> None:
    _, first = _bom(tmp_path / "a")
    _, second = _bom(tmp_path / "b")
    assert first == second
    assert json.loads(first)["metadata"]["timestamp"].startswith(AS_OF)
    repo = tmp_path / "a" / "repo"
    saved = run_cli("check", "--format", "json", "--as-of", AS_OF, "-o", "r.json", cwd=repo)
    assert saved.code in (0, 1)
    again = run_cli("render", "--from", "r.json", "--format", "cyclonedx", cwd=repo)
    assert again.code == 0 and again.out == first


HOSTILE: dict[str, Any] = {
    "version": 1,
    "tool": {"name": "aiact-lint", "version": "0.1.0"},
    "as_of": AS_OF,
    "systems": [
        {
            "manifest": "a b/aiact.yaml",
            "name": "\x1c\u202e <>&",
            "roles": ["provider"],
            "risk": "high",
            "models": [{"id": "", "gpai_status": "unknown"}],
            "obligations": [{"id": "x", "article": "Art. 1", "status": "missing"}],
            "inventory": {
                "system": {"version": 1.5, "description": "\x00d"},
                "purpose": "p\x07",
                "models": [
                    {"index": 0, "id": "", "provider": "", "license": "(((", "parameters": 1e308},
                    {"index": 1, "id": "m", "license": "MIT AND (GPL-2.0", "provider": "x\ny"},
                ],
                "documents": [
                    {"key": "evidence.technical_documentation", "path": "docs/a b\x1c#?.md"},
                    {"key": "transparency.x.evidence", "path": "%zz"},
                ],
            },
        },
        {"manifest": "old/aiact.yaml", "name": None},  # a saved result without inventory
    ],
}


def test_hostile_values_still_give_a_valid_bom() -> None:
    from aiact_lint.report import RenderContext, render

    text = render("cyclonedx", HOSTILE, RenderContext())
    errors = JsonStrictValidator(SchemaVersion.V1_6).validate_str(text, all_errors=True)
    assert errors is None, [str(e) for e in errors or ()]


def test_a_model_with_an_empty_id_or_a_bidi_name_renders_inert(tmp_path: Path) -> None:
    """An empty model id is an input finding, not a crash of the BOM writers; bidi overrides
    and line separators in names are escaped like the C1 controls (found by a fuzzer)."""
    text = MANIFEST.replace("id: gpt-4o-mini", 'id: ""').replace(
        "name: Candidate ranker", 'name: "Candidate\\u202e\\u2028ranker"'
    )
    repo = make_repo(
        tmp_path / "repo", {"aiact.yaml": text, "docs/technical-documentation.md": DOC}
    )
    for fmt in ("cyclonedx", "spdx3"):
        run = run_cli("check", "--format", fmt, "--as-of", AS_OF, cwd=repo)
        assert run.code in (1, 2), run.err
        assert "Traceback" not in run.err
        assert run.out, run.err
        assert "\u202e" not in run.out and "\u2028" not in run.out
        json.loads(run.out)
