"""What a manifest declares that other tools' formats need: identity, purpose, models, documents.

The JSON result carries it per system as ``inventory`` so that the ML-BOM renderers
(``--format cyclonedx``) and ``aiact-lint render --from`` work from the one result document,
without re-reading the manifest. Declared facts only, as written: no legal conclusion here.
Standard library only: it runs on the pre-commit hook's path.
"""

from __future__ import annotations

import math
from typing import Any

from aiact_lint.manifest import Manifest, path_fields, resolve_in_repo

_SYSTEM_KEYS = ("name", "version", "description", "contact")
_MODEL_KEYS = (
    "id",
    "provider",
    "access",
    "license",
    "open_weights",
    "free_open_source",
    "general_purpose",
    "parameters",
    "training_tokens",
    "training_compute_flop",
    "generates",
)


def _plain(value: Any) -> Any:
    """Strings, finite numbers, booleans and lists of them; anything else is left out."""
    if isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, float)):
        return value if math.isfinite(value) else None
    if isinstance(value, list):
        items = [_plain(item) for item in value]
        return [item for item in items if item is not None]
    return None


def _pick(source: Any, keys: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(source, dict):
        return {}
    picked = {}
    for key in keys:
        value = _plain(source.get(key))
        if value is not None and value != "" and value != []:
            picked[key] = value
    return picked


def declared(manifest: Manifest) -> dict[str, Any]:
    """The inventory of one manifest, JSON-ready and in a stable order."""
    models = []
    raw_models = manifest.get("models", default=[])
    for index, model in enumerate(raw_models if isinstance(raw_models, list) else []):
        if not isinstance(model, dict) or not isinstance(model.get("id"), str):
            continue
        entry: dict[str, Any] = {"index": index, **_pick(model, _MODEL_KEYS)}
        modifications = model.get("modifications")
        if isinstance(modifications, list):
            kinds = [m.get("kind") for m in modifications if isinstance(m, dict)]
            entry["modifications"] = [k for k in kinds if isinstance(k, str)]
        models.append(entry)
    documents = []
    for at, value in path_fields(manifest):
        rel = resolve_in_repo(manifest, value)
        if rel is None:
            continue
        key = ".".join(str(part) for part in at if isinstance(part, str))
        documents.append({"key": key, "path": rel})
    purpose = manifest.get("use_case", "purpose")
    registration_id = manifest.get("evidence", "registration_id")
    inventory: dict[str, Any] = {
        "system": _pick(manifest.get("system", default={}), _SYSTEM_KEYS),
        "purpose": purpose if isinstance(purpose, str) else None,
        "models": models,
        "documents": documents,
    }
    if isinstance(registration_id, str) and registration_id:
        inventory["registration_id"] = registration_id
    return inventory
