"""Evidence documents and disclosure texts, held against the repository (issue: repository checks).

``EvidenceInspector.problem`` tells the obligation evaluator whether declared evidence counts;
``EvidenceInspector.findings`` reports every contradiction at the manifest line that declared it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable, Optional

from aiact_lint.classify import Determination
from aiact_lint.findings import Finding
from aiact_lint.lawdata import table
from aiact_lint.manifest import (
    Manifest,
    dotted,
    identifier_problem,
    is_identifier_key,
    looks_like_path,
    path_fields,
    resolve_in_repo,
)
from aiact_lint.obligations import Obligation
from aiact_lint.repo import documents
from aiact_lint.repo.files import FileState, inspect, tracked_files
from aiact_lint.yamlsafe import PathKey

if TYPE_CHECKING:
    from aiact_lint.repo.scan.marking import Outcome
    from aiact_lint.result import SystemResult

MARKING_KEY = "transparency.synthetic_content_marking"


class EvidenceInspector:
    def __init__(self, manifest: Manifest):
        self.manifest = manifest
        self._states: dict[str, FileState] = {}
        self._marking: Optional[Outcome] = None

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
        if is_identifier_key(key):
            return identifier_problem(key, value) if isinstance(value, str) else "not a string"
        if key.endswith("authorisation") and isinstance(value, str) and not looks_like_path(value):
            return None  # an authorisation reference given as an identifier, not a document
        values = value if isinstance(value, list) else [value]
        document = not key.startswith("transparency.")
        reasons = [self._usable(v, document) for v in values]
        if any(reason is None for reason in reasons):
            if key == MARKING_KEY:
                return self._marking_problem()
            if key.startswith("transparency."):
                return self._disclosure_problem(key.split(".", 1)[1])
            return None
        return "; ".join(r for r in reasons if r) or "no usable document"

    def _marking_problem(self) -> Optional[str]:
        """Art. 50(2): the declared method must be implemented in the code (repo/marking.py)."""
        from aiact_lint.obligations import Unverified, Verified
        from aiact_lint.repo.scan import marking
        from aiact_lint.repo.scan.ownership import _display

        method = self.manifest.get("transparency", "synthetic_content_marking", "method")
        if not isinstance(method, str) or method not in table("marking")["methods"]:
            return None
        if self._marking is None:
            files = self.manifest.get("transparency", "synthetic_content_marking", "evidence")
            states = [self.state(v) for v in files or () if isinstance(v, str)]
            evidence = [s.rel for s in states if s is not None and s.status == "ok"]
            self._marking = marking.verify(self.manifest, method, evidence)
        if self._marking.hits:
            hit = self._marking.hits[0]
            return Verified(f"{_display(self.manifest, hit.path)}:{hit.line}")
        return Unverified(marking.describe(self._marking))

    def _disclosure_problem(self, measure: str) -> Optional[str]:
        """None when the notice is shown: its text, or one of its declared translations, is
        in an evidence file (AIA806 and AIA836 still report each one that is not)."""
        text = self.manifest.get("transparency", measure, "text")
        if not isinstance(text, str) or not text.strip():
            return None
        if self._found(measure, text, None) is not False:
            return None
        for _, language, translated in self._translations(measure):
            if self._found(measure, translated, language):
                return None
        return "the disclosure text appears in none of its evidence files"

    def _evidence_files(self, measure: str) -> list[FileState]:
        files = self.manifest.get("transparency", measure, "evidence") or []
        states = [self.state(v) for v in files if isinstance(v, str)]
        return [s for s in states if s is not None and s.status == "ok"]

    def _found(self, measure: str, text: str, language: Optional[str]) -> Optional[bool]:
        """Whether ``text`` is in the measure's evidence files (None: a binary file could hold
        it). With a ``language``, only that language's catalogues count when there are any."""
        from aiact_lint.repo import catalogues

        states = self._evidence_files(measure)
        if language is not None:
            own = [
                s
                for s in states
                if s.text is not None and catalogues.language(s.rel, s.text) == language
            ]
            states = own or states
        unreadable = False
        for state in states:
            if state.text is None:
                unreadable = True
            elif catalogues.contains(state.rel, state.text, text):
                return True
        return None if unreadable else False

    def _translations(self, measure: str) -> list[tuple[int, str, str]]:
        """(index, primary language subtag, text) of each declared translation."""
        items = self.manifest.get("transparency", measure, "translations", default=[])
        found = []
        for index, item in enumerate(items if isinstance(items, list) else []):
            if not isinstance(item, dict):
                continue
            language, text = item.get("language"), item.get("text")
            if isinstance(language, str) and isinstance(text, str) and text.strip():
                primary = language.replace("_", "-").split("-")[0].lower()
                found.append((index, primary, text))
        return found

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
        out.extend(self._unverified_findings(obligations))
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

    def _unverified_findings(self, obligations: list[Obligation]) -> Iterable[Finding]:
        for obligation in obligations:
            if obligation.status != "unverified" or obligation.evidence_key != MARKING_KEY:
                continue
            method = self.manifest.get("transparency", "synthetic_content_marking", "method")
            yield self.manifest.finding(
                "AIA837",
                ("transparency", "synthetic_content_marking", "method"),
                f"{obligation.id} ({obligation.article}): method {method} is declared, but "
                f"{obligation.problem}",
                value=True,
                subject="marking:unverified",
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
            yield from self._translation_findings(measure)
            text = self.manifest.get("transparency", measure, "text")
            if not isinstance(text, str) or not text.strip():
                continue
            if self._found(measure, text, None) is not False:
                continue
            files = [
                v
                for v in (self.manifest.get("transparency", measure, "evidence") or [])
                if isinstance(v, str)
            ]
            if not any(self._usable(v, document=False) is None for v in files):
                continue  # the files themselves are reported (missing, placeholder...)
            yield self.manifest.finding(
                "AIA806",
                ("transparency", measure, "text"),
                f'transparency.{measure}.text "{text}" appears in none of the files searched: '
                + ", ".join(files),
                article=_measure_article(measure),
                value=True,
                subject=f"disclosure:{measure}",
            )

    def _translation_findings(self, measure: str) -> Iterable[Finding]:
        files = self._evidence_files(measure)
        if not files:
            return  # the files themselves are reported (missing, placeholder...)
        from aiact_lint.repo import catalogues

        for index, language, text in self._translations(measure):
            if self._found(measure, text, language) is not False:
                continue
            own = [
                s.rel
                for s in files
                if s.text is not None and catalogues.language(s.rel, s.text) == language
            ]
            where = (
                f"the {language} catalogue{'s' if len(own) > 1 else ''} " + ", ".join(own)
                if own
                else "none of the files searched: " + ", ".join(s.rel for s in files)
            )
            yield self.manifest.finding(
                "AIA836",
                ("transparency", measure, "translations", index, "text"),
                f'transparency.{measure}.translations[{index}] ({language}) "{text}" appears in '
                + where,
                value=True,
                subject=f"disclosure:{measure}:{language}",
            )


def _measure_article(measure: str) -> Optional[str]:
    """The Art. 50 paragraph a transparency measure implements (from law/obligations.yaml)."""
    key = f"transparency.{measure}"
    entry = next((o for o in table("obligations")["obligations"] if o.get("evidence") == key), None)
    return str(entry["article"]) if entry is not None else None


def judge_by_index(manifest: Manifest, system: SystemResult) -> None:
    """``--staged`` (the pre-commit hooks): evidence counts only when the git index holds it.

    A hook run checks what the commit will contain. A declared file that exists on disk but is
    not in the index (never added, or removed with ``git rm --cached``) will be missing from a
    fresh clone of the commit, so it is reported as missing (AIA801, an error) instead of
    untracked (AIA803, a warning), its content findings are dropped, and the obligations it was
    meant to meet are missing. Files deleted from the index and from disk are AIA801 already.
    """
    untracked = {
        f.subject.split(":", 1)[1]
        for f in system.findings
        if f.rule == "AIA803" and f.subject.startswith("evidence:")
    }
    if not untracked:
        return
    content_rules = ("AIA804", "AIA805", "AIA807")

    def about_untracked(finding: Finding) -> bool:
        if finding.rule == "AIA803":
            return True
        kind, _, rest = finding.subject.partition(":")
        rel = rest.partition(":")[2] if kind == "sections" else rest
        return finding.rule in content_rules and rel in untracked

    kept = [f for f in system.findings if not about_untracked(f)]
    reported: set[str] = set()
    for at, value in path_fields(manifest):
        rel = resolve_in_repo(manifest, value)
        if rel is None or rel not in untracked or rel in reported:
            continue
        reported.add(rel)
        kept.append(
            manifest.finding(
                "AIA801",
                at,
                f"{dotted(at)}: {rel} is not in the git index, so the commit will not contain "
                "it (never added, or removed with `git rm --cached`); `git add` it or correct "
                "the path",
                value=True,
                fix=f"git add {rel} (or correct the path) and commit it with the manifest.",
                subject=f"evidence:{rel}",
            )
        )
    system.findings = kept
    for obligation in system.obligations:
        values = obligation.get("evidence")
        listed = values if isinstance(values, list) else [values]
        paths = [resolve_in_repo(manifest, v) for v in listed if isinstance(v, str)]
        counted = obligation.get("status") in ("met", "unverified")
        if counted and paths and all(p in untracked for p in paths):
            obligation["status"] = "missing"
            obligation["reason"] = "its evidence is not in the git index (--staged)"
