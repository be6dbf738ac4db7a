"""The result as an SPDX 3.0.1 document with the AI profile (JSON-LD), built with the SPDX
project's own generated bindings (spdx-python-model).

One ``ai_AIPackage`` per AI system (primary purpose ``application``) and one per declared model
(``model``), the system ``dependsOn`` its models; intended purpose as
``ai_informationAboutApplication``, sector as ``ai_domain``, the Regulation as
``ai_standardCompliance``; the provider as ``suppliedBy``; the licence as a
``hasDeclaredLicense`` relationship; evidence documents as external references; the
determination and open obligations as the same ``aiact-lint:`` properties as the CycloneDX
format, in SPDX's CycloneDX-properties extension. ``ai_safetyRiskAssessment`` is left unset: its
scale (Regulation (EC) 765/2008) is not the AI Act's risk tier. Deterministic: identifiers are
derived from manifest paths, the creation date is ``as_of``. Imported only for this format.
"""

from __future__ import annotations

import datetime
import io
import re
from typing import Any
from urllib.parse import quote

from aiact_lint.report import RenderContext, bom_properties

REFERENCE_TYPES = {
    "evidence.technical_documentation": "documentation",
    "evidence.downstream_documentation": "documentation",
    "evidence.instructions_for_use": "documentation",
    "evidence.risk_management": "riskAssessment",
    "evidence.fundamental_rights_impact_assessment": "riskAssessment",
    "evidence.systemic_risk_assessment": "riskAssessment",
    "evidence.conformity_assessment": "certificationReport",
}


def _licence_expression(text: str) -> str:
    """An SPDX id or expression stays; anything else becomes a LicenseRef- (letters, digits,
    dots and hyphens). The SPDX licence list is the one cyclonedx-python-lib ships."""
    from cyclonedx.spdx import fixup_id, is_expression

    cleaned = text.strip()
    known = fixup_id(cleaned)
    if known is not None:
        return known
    if " " in cleaned and is_expression(cleaned):
        return cleaned
    return "LicenseRef-" + (re.sub(r"[^A-Za-z0-9.-]+", "-", cleaned).strip("-") or "unknown")


def render(document: dict[str, Any], context: RenderContext) -> str:
    from spdx_python_model import v3_0_1 as spdx

    as_of = datetime.date.fromisoformat(str(document.get("as_of", "1970-01-01")))
    base = "urn:aiact-lint:"
    info = spdx.CreationInfo()
    info.specVersion = "3.0.1"
    info.created = datetime.datetime(
        as_of.year, as_of.month, as_of.day, tzinfo=datetime.timezone.utc
    )
    tool_data = document.get("tool") or {}
    tool = spdx.Tool(
        spdxId=f"{base}tool",
        name=f"{tool_data.get('name', 'aiact-lint')} {tool_data.get('version', '')}".strip(),
        creationInfo=info,
    )
    author = spdx.Organization(spdxId=f"{base}agent", name="aiact-lint", creationInfo=info)
    info.createdBy = [author]
    info.createdUsing = [tool]
    elements: list[Any] = [author, tool]
    roots: list[Any] = []
    suppliers: dict[str, Any] = {}
    standard = str(document.get("law") or "Regulation (EU) 2024/1689")

    def extension(pairs: list[tuple[str, str]]) -> list[Any]:
        if not pairs:
            return []
        ext = spdx.extension_CdxPropertiesExtension()
        entries = []
        for name, value in pairs:
            entry = spdx.extension_CdxPropertyEntry()
            entry.extension_cdxPropName = name
            entry.extension_cdxPropValue = value
            entries.append(entry)
        ext.extension_cdxProperty = entries
        return [ext]

    for system in document.get("systems") or ():
        inventory = system.get("inventory") or {}
        identity = inventory.get("system") or {}
        manifest = str(system.get("manifest"))
        ident = f"{base}system:{quote(manifest, safe='/')}"
        package = spdx.ai_AIPackage(
            spdxId=ident,
            name=str(system.get("name") or identity.get("name") or manifest),
            creationInfo=info,
        )
        package.software_primaryPurpose = spdx.software_SoftwarePurpose.application
        package.ai_standardCompliance = [standard]
        if identity.get("version") is not None:
            package.software_packageVersion = str(identity["version"])
        if isinstance(identity.get("description"), str):
            package.description = identity["description"]
        purpose = inventory.get("purpose")
        if isinstance(purpose, str) and purpose.strip():
            package.ai_informationAboutApplication = purpose.strip()
        package.extension = extension(bom_properties.system_pairs(system, document))
        refs = []
        for item in inventory.get("documents") or ():
            ref = spdx.ExternalRef()
            kind = REFERENCE_TYPES.get(item["key"], "other")
            ref.externalRefType = getattr(spdx.ExternalRefType, kind)
            ref.locator = [quote(item["path"], safe="/")]
            ref.comment = item["key"]
            refs.append(ref)
        package.externalRef = refs
        elements.append(package)
        roots.append(package)
        assessed = {m.get("id"): m for m in system.get("models") or ()}
        models = []
        for declared in inventory.get("models") or ():
            model_id = f"{ident}#model-{declared['index']}"
            model = spdx.ai_AIPackage(spdxId=model_id, name=declared["id"], creationInfo=info)
            model.software_primaryPurpose = spdx.software_SoftwarePurpose.model
            if isinstance(purpose, str) and purpose.strip():
                model.ai_informationAboutApplication = purpose.strip()
            provider = declared.get("provider")
            if isinstance(provider, str) and provider.strip():
                key = provider.strip()
                if key not in suppliers:
                    suppliers[key] = spdx.Organization(
                        spdxId=f"{base}organisation:{quote(key, safe='')}",
                        name=key,
                        creationInfo=info,
                    )
                    elements.append(suppliers[key])
                model.suppliedBy = suppliers[key]
            pairs = bom_properties.model_pairs(declared, assessed.get(declared["id"], {}), system)
            model.extension = extension(pairs + bom_properties.figure_pairs(declared))
            elements.append(model)
            models.append(model)
            licence = declared.get("license")
            if isinstance(licence, str) and licence.strip():
                expression = spdx.simplelicensing_LicenseExpression(
                    spdxId=f"{model_id}-licence",
                    creationInfo=info,
                    simplelicensing_licenseExpression=_licence_expression(licence),
                )
                elements.append(expression)
                elements.append(
                    spdx.Relationship(
                        spdxId=f"{model_id}-declared-licence",
                        creationInfo=info,
                        from_=model,
                        to=[expression],
                        relationshipType=spdx.RelationshipType.hasDeclaredLicense,
                    )
                )
        if models:
            elements.append(
                spdx.Relationship(
                    spdxId=f"{ident}#depends-on-models",
                    creationInfo=info,
                    from_=package,
                    to=models,
                    relationshipType=spdx.RelationshipType.dependsOn,
                )
            )
    doc = spdx.SpdxDocument(
        spdxId=f"{base}document",
        creationInfo=info,
        name="aiact-lint ML-BOM",
        rootElement=roots,
        element=elements,
    )
    objects = spdx.SHACLObjectSet()
    objects.add(doc)
    for element in elements:
        objects.add(element)
    out = io.BytesIO()
    spdx.JSONLDSerializer().write(objects, out, indent=2)
    text = out.getvalue().decode("utf-8").rstrip("\n")
    return bom_properties.escape_controls(text) + "\n"
