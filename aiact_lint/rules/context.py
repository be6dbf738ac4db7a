"""What every legal rule sees: the manifest, the determination, the obligations, the options."""

from __future__ import annotations

from aiact_lint.classify import Determination
from aiact_lint.manifest import Manifest
from aiact_lint.obligations import Obligation
from aiact_lint.options import Options
from aiact_lint.yamlsafe import PathKey


class RuleContext:
    def __init__(
        self,
        manifest: Manifest,
        det: Determination,
        obligations: list[Obligation],
        options: Options,
    ) -> None:
        self.manifest = manifest
        self.det = det
        self.obligations = obligations
        self.options = options
        # Rules report at manifest nodes; the manifest knows where each node is.
        self.finding = manifest.finding

    def first_present(self, *paths: PathKey) -> PathKey:
        """The first of several manifest paths that exists (for pointing at the best node)."""
        for path in paths:
            if path in self.manifest.doc.keys or path in self.manifest.doc.values:
                return path
        return paths[-1]
