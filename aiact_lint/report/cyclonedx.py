"""The result as a CycloneDX 1.6 ML-BOM (JSON), built with cyclonedx-python-lib.

One ``application`` component per AI system and one ``machine-learning-model`` component per
declared model (the system depends on its models); the determination and the open obligations
are properties in the ``aiact-lint:`` namespace (docs/integrations.md lists them), the evidence
documents are external references. The library has no model-card class yet (a TODO in its
``Component``), so the ``modelCard`` objects are added to its JSON output; tests validate the
whole document with the library's own strict JSON-schema validator.

Deterministic: the serial number is derived from the content, the timestamp is the ``as_of``
date, never the clock. Imported only when this format is asked for (cyclonedx-python-lib costs
about 70 ms to import).
"""

from __future__ import annotations

import datetime
import json
import uuid
from typing import Any, Iterable
from urllib.parse import quote

from aiact_lint.report import RenderContext, bom_properties

# Evidence keys -> CycloneDX external reference types; anything else is "evidence".
REFERENCE_TYPES = {
    "evidence.technical_documentation": "documentation",
    "evidence.downstream_documentation": "documentation",
    "evidence.instructions_for_use": "documentation",
    "evidence.risk_management": "risk-assessment",
    "evidence.fundamental_rights_impact_assessment": "risk-assessment",
    "evidence.systemic_risk_assessment": "risk-assessment",
    "evidence.conformity_assessment": "certification-report",
    "evidence.eu_declaration_of_conformity": "attestation",
    "evidence.logging": "log",
    "evidence.quality_management": "quality-metrics",
}


def _props(pairs: Iterable[tuple[str, str]]) -> list[Any]:
    from cyclonedx.model import Property

    return [Property(name=name, value=value) for name, value in pairs]


def _references(documents: Iterable[dict[str, Any]]) -> list[Any]:
    from cyclonedx.model import ExternalReference, ExternalReferenceType, XsUri

    references = []
    for item in documents:
        kind = ExternalReferenceType(REFERENCE_TYPES.get(item["key"], "evidence"))
        references.append(
            # Repository paths as relative URI references, percent-encoded (XsUri refuses "%zz").
            ExternalReference(
                type=kind, url=XsUri(quote(item["path"], safe="/")), comment=item["key"]
            )
        )
    return references


def _licence(text: str) -> Any:
    from cyclonedx.contrib.license.factories import LicenseFactory  # its home since 11.12

    return LicenseFactory().make_from_string(text)


def _model_component(
    declared: dict[str, Any], assessed: dict[str, Any], ref: str, system: dict[str, Any]
) -> Any:
    from cyclonedx.model.component import Component, ComponentType
    from cyclonedx.model.contact import OrganizationalEntity

    licence = declared.get("license")
    provider = declared.get("provider")
    return Component(
        name=declared["id"],
        type=ComponentType.MACHINE_LEARNING_MODEL,
        bom_ref=ref,
        supplier=OrganizationalEntity(name=provider) if isinstance(provider, str) else None,
        licenses=[_licence(licence)] if isinstance(licence, str) and licence.strip() else [],
        properties=_props(bom_properties.model_pairs(declared, assessed, system)),
    )


def _model_card(declared: dict[str, Any], purpose: Any) -> dict[str, Any]:
    """The CycloneDX 1.6 ``modelCard`` of a declared model (intended use, parameters)."""
    card: dict[str, Any] = {}
    outputs = [{"format": kind} for kind in declared.get("generates", ()) if isinstance(kind, str)]
    if outputs:
        card["modelParameters"] = {"outputs": outputs}
    if isinstance(purpose, str) and purpose.strip():
        card["considerations"] = {"useCases": [purpose.strip()]}
    figures = [{"name": n, "value": v} for n, v in bom_properties.figure_pairs(declared)]
    if figures:
        card["properties"] = figures
    return card


def render(document: dict[str, Any], context: RenderContext) -> str:
    from cyclonedx.model.bom import Bom
    from cyclonedx.model.component import Component, ComponentType
    from cyclonedx.output.json import JsonV1Dot6

    bom = Bom()
    as_of = datetime.date.fromisoformat(str(document.get("as_of", "1970-01-01")))
    bom.metadata.timestamp = datetime.datetime(
        as_of.year, as_of.month, as_of.day, tzinfo=datetime.timezone.utc
    )
    tool = document.get("tool") or {}
    bom.metadata.tools.components.add(
        Component(
            type=ComponentType.APPLICATION,
            name=str(tool.get("name", "aiact-lint")),
            version=str(tool.get("version", "")),
        )
    )
    cards: dict[str, dict[str, Any]] = {}
    for system in document.get("systems") or ():
        inventory = system.get("inventory") or {}
        identity = inventory.get("system") or {}
        manifest = str(system.get("manifest"))
        system_ref = f"system:{manifest}"
        version = identity.get("version")
        component = Component(
            name=str(system.get("name") or identity.get("name") or manifest),
            type=ComponentType.APPLICATION,
            bom_ref=system_ref,
            version=str(version) if version is not None else None,
            description=identity.get("description"),
            properties=_props(bom_properties.system_pairs(system, document)),
            external_references=_references(inventory.get("documents") or ()),
        )
        bom.components.add(component)
        assessed = {m.get("id"): m for m in system.get("models") or ()}
        models = []
        for declared in inventory.get("models") or ():
            ref = f"model:{manifest}#{declared['index']}"
            models.append(_model_component(declared, assessed.get(declared["id"], {}), ref, system))
            card = _model_card(declared, inventory.get("purpose"))
            if card:
                cards[ref] = card
        for model in models:
            bom.components.add(model)
        bom.register_dependency(component, models)
    data = json.loads(JsonV1Dot6(bom).output_as_string())
    for component in data.get("components", ()):
        model_card = cards.get(component.get("bom-ref", ""))
        if model_card:
            component["modelCard"] = model_card
    data.pop("serialNumber", None)  # the library's is random
    content = json.dumps(data, sort_keys=True, ensure_ascii=False)
    data["serialNumber"] = uuid.uuid5(uuid.NAMESPACE_URL, "aiact-lint:" + content).urn
    text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False)
    return bom_properties.escape_controls(text) + "\n"
