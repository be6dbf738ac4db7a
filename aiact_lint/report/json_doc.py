"""The JSON contract (shared/spec/output.md): one document on stdout, stable key order."""

from __future__ import annotations

import json
from typing import Any

from aiact_lint.report import RenderContext


def render(document: dict[str, Any], context: RenderContext) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
