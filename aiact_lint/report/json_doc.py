"""The JSON contract (shared/spec/output.md): one document on stdout, stable key order.

Strict JSON through :func:`aiact_lint.safetext.json_dumps`: the data exactly as found (a JSON
reader sees the same strings), with the characters a log would obey written as escapes.
"""

from __future__ import annotations

from typing import Any

from aiact_lint.report import RenderContext
from aiact_lint.safetext import json_dumps


def render(document: dict[str, Any], context: RenderContext) -> str:
    return json_dumps(document) + "\n"
