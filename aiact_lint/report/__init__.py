"""Renderers: each turns the one result document (the JSON contract) into a format.

Explicit registry, format name -> module; each module has ``render(document, context) -> str``.
Modules are imported only when their format is asked for, so that a pre-commit run that prints
text never pays for the XML or SARIF machinery.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Mapping, Optional

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
}


@dataclass(frozen=True)
class RenderContext:
    colour: bool = False
    quiet: bool = False
    # The rule catalogue the SARIF and JUnit renderers list; None means the installed one.
    # Tests pin it so that golden files do not change whenever a rule is added.
    catalogue: Optional[Mapping[str, Rule]] = field(default=None, compare=False, hash=False)

    def rules(self) -> Mapping[str, Rule]:
        if self.catalogue is not None:
            return self.catalogue
        from aiact_lint.catalogue import rules

        return rules()


def render(fmt: str, document: dict[str, Any], context: RenderContext) -> str:
    module = importlib.import_module(RENDERERS[fmt])
    text: str = module.render(document, context)
    return text
