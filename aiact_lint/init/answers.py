"""The answers of one ``init`` dialogue and the manifest data they stand for."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

# Capabilities the dialogue asks about, in the order the manifest lists them.
CAPABILITY_KEYS = (
    "interacts_with_natural_persons",
    "generates_synthetic_content",
    "deep_fake",
    "emotion_recognition",
    "workplace_or_education_emotion_inference",
    "biometric_categorisation",
    "remote_biometric_identification",
)


@dataclass
class ModelAnswer:
    id: str
    access: Optional[str] = None  # api | weights; None: not known, not written
    general_purpose: Optional[bool] = None  # Art. 3(63); None: unknown, not written
    provider: Optional[str] = None  # who provides it, when known
    basis: str = ""  # why general_purpose is what it is (the known-models table, the user)
    developer: Optional[str] = None  # us | third_party: whose model (Art. 53, Recital 97)


@dataclass
class Answers:
    name: str = ""
    description: str = ""
    roles: list[str] = field(default_factory=list)
    developer: Optional[str] = None  # us | third_party
    brand: Optional[str] = None  # own | third_party
    regions: list[str] = field(default_factory=list)
    output_used_in_eu: Optional[bool] = None
    established_in: Optional[str] = None
    public_authority: Optional[bool] = None
    placed_on_market: Optional[str] = None
    free_open_source: Optional[bool] = None
    purpose: str = ""
    sector: str = ""
    affected_persons: list[str] = field(default_factory=list)
    capabilities: dict[str, Any] = field(default_factory=dict)  # only the ones answered
    profiling: Optional[bool] = None
    annex_iii: list[str] = field(default_factory=list)
    derogation: Optional[str] = None  # an Art. 6(3) condition
    annex_i: list[str] = field(default_factory=list)
    safety_component: Optional[bool] = None
    third_party_assessment: Optional[bool] = None
    models: list[ModelAnswer] = field(default_factory=list)
    # Facts the engine asked about after the dialogue (law/facts.yaml), by manifest path.
    facts: dict[tuple[str, ...], Any] = field(default_factory=dict)

    def data(self, classification: Optional[str] = None) -> dict[str, Any]:
        """The manifest these answers describe, as data (the keys that matter only)."""
        system: dict[str, Any] = {"name": self.name}
        if self.description:
            system["description"] = self.description
        if self.developer:
            system["developer"] = self.developer
        data: dict[str, Any] = {"schema_version": 1, "system": system, "roles": list(self.roles)}
        organisation: dict[str, Any] = {}
        if self.established_in:
            organisation["established_in"] = self.established_in
        if self.public_authority is not None:
            organisation["public_authority"] = self.public_authority
        if organisation:
            data["organisation"] = organisation
        market: dict[str, Any] = {}
        if self.regions:  # none given: left out (`check` then assumes use in the Union)
            market["regions"] = list(self.regions)
        if self.output_used_in_eu is not None:
            market["output_used_in_eu"] = self.output_used_in_eu
        if self.placed_on_market:
            market["placed_on_market"] = self.placed_on_market
        if self.brand:
            market["brand"] = self.brand
        if self.free_open_source is not None:
            market["free_open_source"] = self.free_open_source
        if market:
            data["market"] = market
        if self.models:
            models = []
            for model in self.models:
                entry: dict[str, Any] = {"id": model.id}
                if model.provider:
                    entry["provider"] = model.provider
                if model.access:
                    entry["access"] = model.access
                if model.general_purpose is not None:
                    entry["general_purpose"] = model.general_purpose
                if model.developer is not None:
                    entry["developer"] = model.developer
                models.append(entry)
            data["models"] = models
        use_case: dict[str, Any] = {}
        if self.purpose:
            use_case["purpose"] = self.purpose
        if self.sector:
            use_case["sector"] = self.sector
        if self.affected_persons:
            use_case["affected_persons"] = list(self.affected_persons)
        use_case["annex_iii"] = list(self.annex_iii)
        if self.annex_i:
            use_case["annex_i"] = list(self.annex_i)
            product: dict[str, Any] = {}
            if self.safety_component is not None:
                product["safety_component"] = self.safety_component
            if self.third_party_assessment is not None:
                product["third_party_conformity_assessment"] = self.third_party_assessment
            if product:
                use_case["product"] = product
        if self.profiling is not None:
            use_case["profiling"] = self.profiling
        if self.derogation:
            # The assessment (Art. 6(4)) is a document the user writes: never invented here.
            use_case["derogation"] = {"condition": self.derogation}
        capabilities = {k: self.capabilities[k] for k in CAPABILITY_KEYS if k in self.capabilities}
        capabilities.update(
            (k, v) for k, v in sorted(self.capabilities.items()) if k not in capabilities
        )
        if capabilities:
            use_case["capabilities"] = capabilities
        data["use_case"] = use_case
        for path, value in self.facts.items():
            node = data
            for key in path[:-1]:
                node = node.setdefault(key, {})
            node[path[-1]] = value
        if classification is not None:
            data["risk"] = {"classification": classification}
        return data
