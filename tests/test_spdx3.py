"""`check --format spdx3`: an SPDX 3.0.1 document (AI profile) that the SPDX bindings load back."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import spdx_python_model

from tests.conftest import AS_OF, make_repo, run_cli
from tests.test_cyclonedx import DOC, MANIFEST


def _spdx(tmp_path: Path) -> tuple[dict[str, Any], str]:
    files = {"aiact.yaml": MANIFEST, "docs/technical-documentation.md": DOC, "docs/risk.md": DOC}
    repo = make_repo(tmp_path / "repo", files)
    run = run_cli("check", "--format", "spdx3", "--as-of", AS_OF, cwd=repo)
    assert run.code in (0, 1), run.err
    return json.loads(run.out), run.out


def _by_id(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item.get("spdxId", item.get("@id")): item for item in document["@graph"]}


def test_the_document_loads_with_the_spdx_3_bindings(tmp_path: Path) -> None:
    document, _ = _spdx(tmp_path)
    assert document["@context"] == "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"
    _, objects = spdx_python_model.load_data(document)
    kinds = {type(o).__name__ for o in objects.objects}
    assert {"SpdxDocument", "ai_AIPackage", "Relationship", "CreationInfo"} <= kinds


def test_systems_and_models_are_ai_packages_with_their_facts(tmp_path: Path) -> None:
    document, _ = _spdx(tmp_path)
    items = _by_id(document)
    system = items["urn:aiact-lint:system:aiact.yaml"]
    assert system["type"] == "ai_AIPackage" and system["software_primaryPurpose"] == "application"
    assert (
        system["ai_informationAboutApplication"]
        == "Rank job applicants by their CVs for recruiters."
    )
    assert system["ai_standardCompliance"][0].startswith("Regulation (EU) 2024/1689")
    props = {
        (p["extension_cdxPropName"], p["extension_cdxPropValue"])
        for p in system["extension"][0]["extension_cdxProperty"]
    }
    assert ("aiact-lint:risk", "high") in props and ("aiact-lint:route", "annex_iii:4(a)") in props
    refs = {(r["externalRefType"], r["locator"][0]) for r in system["externalRef"]}
    assert ("riskAssessment", "docs/risk.md") in refs
    model = items["urn:aiact-lint:system:aiact.yaml#model-0"]
    assert model["software_primaryPurpose"] == "model" and model["name"] == "acme/ranker-7b"
    assert items[model["suppliedBy"]]["name"] == "Acme AI"
    licence = items["urn:aiact-lint:system:aiact.yaml#model-0-licence"]
    assert licence["simplelicensing_licenseExpression"] == "Apache-2.0"
    depends = items["urn:aiact-lint:system:aiact.yaml#depends-on-models"]
    assert depends["relationshipType"] == "dependsOn" and len(depends["to"]) == 2


def test_the_document_is_deterministic(tmp_path: Path) -> None:
    _, first = _spdx(tmp_path / "a")
    _, second = _spdx(tmp_path / "b")
    assert first == second


def test_hostile_values_still_give_a_document_that_loads() -> None:
    from aiact_lint.report import RenderContext, render
    from tests.test_cyclonedx import HOSTILE

    document = json.loads(render("spdx3", HOSTILE, RenderContext()))
    spdx_python_model.load_data(document)
