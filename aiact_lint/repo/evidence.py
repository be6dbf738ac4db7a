"""Evidence documents and disclosure texts, held against the repository (issue: repository checks).

``EvidenceInspector.problem`` tells the obligation evaluator whether declared evidence counts;
``EvidenceInspector.findings`` reports every contradiction at the manifest line that declared it.
"""

from __future__ import annotations

from typing import Any, Iterable, Optional

from aiact_lint.classify import Determination
from aiact_lint.findings import Finding
from aiact_lint.lawdata import table
from aiact_lint.manifest import Manifest, dotted, path_fields, resolve_in_repo
from aiact_lint.obligations import Obligation
from aiact_lint.repo import documents
from aiact_lint.repo.files import FileState, inspect, tracked_files
from aiact_lint.yamlsafe import PathKey


class EvidenceInspector:
    def __init__(self, manifest: Manifest):
        self.manifest = manifest
        self._states: dict[str, FileState] = {}

    def state(self, value: str) -> Optional[FileState]:
        """The file a manifest path names, inspected once; None when the path leaves the root."""
        rel = resolve_in_repo(self.manifest, value)
        if rel is None:
            return None
        if rel not in self._states:
            self._states[rel] = inspect(self.manifest.root, rel)
        return self._states[rel]

    def _usable(self, value: Any, document: bool = True) -> Optional[str]:
        """None when this declared path is acceptable evidence, else why not.

        Documents must also not be placeholders; implementation files (the UI code a
        transparency measure points at) only need to exist.
        """
        if not isinstance(value, str):
            return "not a path"
        state = self.state(value)
        if state is None:
            return "outside the repository"
        if state.status != "ok":
            return state.detail
        if document and state.text is not None:
            reason = documents.placeholder_reason(state.text)
            if reason:
                return f"a placeholder ({reason})"
        return None

    def problem(self, key: str, value: Any) -> Optional[str]:
        """For the obligation evaluator: does the declared evidence for ``key`` count?"""
        values = value if isinstance(value, list) else [value]
        document = not key.startswith("transparency.")
        reasons = [self._usable(v, document) for v in values]
        if any(reason is None for reason in reasons):
            if key.startswith("transparency."):
                return self._disclosure_problem(key.split(".", 1)[1])
            return None
        return "; ".join(r for r in reasons if r) or "no usable document"

    def _disclosure_problem(self, measure: str) -> Optional[str]:
        text = self.manifest.get("transparency", measure, "text")
        if not isinstance(text, str) or not text.strip():
            return None
        files = self.manifest.get("transparency", measure, "evidence") or []
        for value in files:
            state = self.state(value) if isinstance(value, str) else None
            if state is not None and state.text is not None:
                if documents.contains_disclosure(state.text, text):
                    return None
            elif state is not None and state.status == "ok":
                return None  # a binary file we cannot read: do not claim the text is absent
        return "the disclosure text appears in none of its evidence files"

    # --- findings ---------------------------------------------------------------------------

    def findings(self, det: Determination, obligations: list[Obligation]) -> list[Finding]:
        out: list[Finding] = []
        fields = list(path_fields(self.manifest))
        rels = {resolve_in_repo(self.manifest, value) for _, value in fields}
        named = tuple(sorted(r for r in rels if r))
        tracked = tracked_files(str(self.manifest.root), named) if named else None
        seen: set[str] = set()
        for at, value in fields:
            document = at[0] != "transparency"
            out.extend(self._file_findings(at, value, tracked, seen, document))
        out.extend(self._section_findings(det, obligations))
        out.extend(self._disclosure_findings())
        return out

    def _file_findings(
        self,
        at: PathKey,
        value: str,
        tracked: Optional[frozenset[str]],
        seen: set[str],
        document: bool,
    ) -> Iterable[Finding]:
        state = self.state(value)
        if state is None:
            return  # AIA107 already reports paths that leave the repository
        name = dotted(at)
        subject = f"evidence:{state.rel}"
        if state.status == "missing":
            yield self.manifest.finding(
                "AIA801",
                at,
                f'{name}: "{value}" does not exist ({state.rel})',
                value=True,
                subject=subject,
            )
            return
        if state.status != "ok":
            yield self.manifest.finding(
                "AIA802", at, f'{name}: "{value}" is {state.detail}', value=True, subject=subject
            )
            return
        if state.rel in seen:
            return
        seen.add(state.rel)
        if tracked is not None and state.rel not in tracked:
            yield self.manifest.finding(
                "AIA803",
                at,
                f"{name}: {state.rel} exists but is not tracked by git",
                value=True,
                subject=subject,
            )
        if state.text is None and document:
            yield self.manifest.finding(
                "AIA807",
                at,
                f"{name}: {state.rel} exists, but its content was not checked "
                f"({state.content_skipped})",
                value=True,
                subject=subject,
            )
            return
        reason = (
            documents.placeholder_reason(state.text)
            if document and state.text is not None
            else None
        )
        if reason:
            yield self.manifest.finding(
                "AIA804",
                at,
                f"{name}: {state.rel} is a placeholder: {reason}",
                value=True,
                subject=subject,
            )

    def _section_findings(
        self, det: Determination, obligations: list[Obligation]
    ) -> Iterable[Finding]:
        due = {o.id for o in obligations if o.status != "exempt"}
        systemic = any(
            o.id == "gpai_systemic_risk_evaluation" and o.status != "exempt" for o in obligations
        )
        checks: list[tuple[str, str]] = []
        if "technical_documentation" in due:
            checks.append(("technical_documentation", "annex_iv"))
        if "gpai_technical_documentation" in due:
            checks.append(("technical_documentation", "annex_xi"))
            if systemic:
                checks.append(("technical_documentation", "annex_xi_systemic"))
        if "gpai_downstream_information" in due:
            key = (
                "downstream_documentation"
                if self.manifest.get("evidence", "downstream_documentation")
                else "technical_documentation"
            )
            checks.append((key, "annex_xii"))
        if "fundamental_rights_impact_assessment" in due:
            checks.append(("fundamental_rights_impact_assessment", "fria"))
        for key, document in checks:
            value = self.manifest.get("evidence", key)
            state = self.state(value) if isinstance(value, str) else None
            if state is None or state.text is None or documents.placeholder_reason(state.text):
                continue
            missing = documents.missing_sections(state.text, document)
            if not missing:
                continue
            spec = table("documents")["documents"][document]
            listed = "; ".join(f"{s['id']} {s['name']}" for s in missing)
            yield self.manifest.finding(
                "AIA805",
                ("evidence", key),
                f"evidence.{key}: {state.rel} has no heading for {len(missing)} "
                f"{spec['title']} section(s) ({spec['article']}): {listed}",
                article=spec["article"],
                value=True,
                subject=f"sections:{document}:{state.rel}",
            )

    def _disclosure_findings(self) -> Iterable[Finding]:
        transparency = self.manifest.get("transparency", default={})
        if not isinstance(transparency, dict):
            return
        for measure in sorted(transparency):
            problem = self._disclosure_problem(measure)
            if problem is None:
                continue
            files = [
                v
                for v in (self.manifest.get("transparency", measure, "evidence") or [])
                if isinstance(v, str)
            ]
            if not any(self._usable(v, document=False) is None for v in files):
                continue  # the files themselves are reported (missing, placeholder...)
            text = self.manifest.get("transparency", measure, "text")
            yield self.manifest.finding(
                "AIA806",
                ("transparency", measure, "text"),
                f'transparency.{measure}.text "{text}" appears in none of the files searched: '
                + ", ".join(files),
                value=True,
                subject=f"disclosure:{measure}",
            )
