"""Renderers: each turns the one result document (the JSON contract) into a format.

Explicit registry, format name -> module; each module has ``render(document, context) -> str``.
Modules are imported only when their format is asked for, so that a pre-commit run that prints
text never pays for the XML or SARIF machinery.
"""

from __future__ import annotations

import importlib
import re
from typing import TYPE_CHECKING, Any, Mapping, NamedTuple, Optional

if TYPE_CHECKING:
    from aiact_lint.catalogue import Rule

RENDERERS = {
    "text": "aiact_lint.report.text",
    "json": "aiact_lint.report.json_doc",
    "sarif": "aiact_lint.report.sarif",
    "github": "aiact_lint.report.github",
    "markdown": "aiact_lint.report.markdown",
    "junit": "aiact_lint.report.junit",
    "gitlab": "aiact_lint.report.gitlab",
    "cyclonedx": "aiact_lint.report.cyclonedx",
    "spdx3": "aiact_lint.report.spdx3",
}


class RenderContext(NamedTuple):
    colour: bool = False
    quiet: bool = False
    # The rule catalogue the SARIF and JUnit renderers list; None means the installed one.
    # Tests pin it so that golden files do not change whenever a rule is added.
    catalogue: Optional[Mapping[str, Rule]] = None

    def rules(self) -> Mapping[str, Rule]:
        if self.catalogue is not None:
            return self.catalogue
        from aiact_lint.catalogue import rules

        return rules()


# Lone surrogates: a manifest's "\ud800" escape, or a non-UTF-8 file name decoded with
# surrogateescape. No encoding can write them, so every report carries U+FFFD in their place.
_SURROGATES = re.compile("[\ud800-\udfff]")


def encodable(value: Any) -> Any:
    """``value`` with every lone surrogate in its strings (keys too) replaced by U+FFFD."""
    if isinstance(value, str):
        return _SURROGATES.sub("\ufffd", value)
    if isinstance(value, dict):
        return {encodable(key): encodable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [encodable(item) for item in value]
    return value


def render(fmt: str, document: dict[str, Any], context: RenderContext) -> str:
    module = importlib.import_module(RENDERERS[fmt])
    text: str = module.render(encodable(document), context)
    return text
