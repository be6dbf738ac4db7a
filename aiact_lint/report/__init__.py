"""Renderers: each turns the one result document (the JSON contract) into a format.

Explicit registry, format name -> module; each module has ``render(document, context) -> str``.
Modules are imported only when their format is asked for.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

RENDERERS = {
    "text": "aiact_lint.report.text",
    "json": "aiact_lint.report.json_doc",
}


@dataclass(frozen=True)
class RenderContext:
    colour: bool = False
    quiet: bool = False


def render(fmt: str, document: dict[str, Any], context: RenderContext) -> str:
    module = importlib.import_module(RENDERERS[fmt])
    text: str = module.render(document, context)
    return text
