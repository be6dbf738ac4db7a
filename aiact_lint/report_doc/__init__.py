"""``aiact-lint report``: one readable document per run, in HTML (default) or Markdown.

It renders the same result document as every other format (``result.to_document``), plus what
a reader of a report needs and the JSON contract does not carry: per system the facts its verdict
rests on (intended purpose, affected persons, markets), the commit the manifest was read at,
each manifest's waivers with their owners and expiry dates (read back from the manifest) and
links from each obligation to its evidence file (relative to where the report is written, only
for files that exist inside the repository). With ``--diff-base`` the document's ``diff`` gives
the legal effect of the change. The renderers (:mod:`.html_page`, :mod:`.markdown_page`) decide
nothing.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Optional

from aiact_lint.report_doc.provenance import Provenance

if TYPE_CHECKING:
    from aiact_lint.manifest import Manifest
    from aiact_lint.result import CheckResult

FORMATS = ("html", "markdown")
WAIVER_STATUS = {
    "AIA900": "expired",
    "AIA901": "expires within 30 days",
    "AIA902": "matches no finding",
    "AIA903": "not allowed",
    "AIA904": "unknown rule",
}


def _base() -> Path:
    from aiact_lint.manifest import find_root

    cwd = Path(os.getcwd())
    return find_root(cwd) or cwd  # the folder the run's manifest paths are relative to


def _manifest(system: Mapping[str, Any], base: Path) -> Optional[Manifest]:
    from aiact_lint.manifest import find_root, read_manifest

    file = base / str(system.get("manifest"))
    if not file.is_file():
        return None
    root = base if base in file.parents else (find_root(file.parent) or file.parent)
    return read_manifest(file, root, path=str(system.get("manifest")))


def about(
    system: Mapping[str, Any], manifest: Optional[Manifest], provenance: Provenance
) -> dict[str, Any]:
    """What a compliance officer files about a system: the facts its verdict rests on, the
    manifest and the commit it was read at, and who reviewed the verdict (the lock)."""

    def text(*path: str) -> Any:
        value = manifest.get(*path) if manifest is not None else None
        return value if isinstance(value, (str, int, float, bool)) else None

    def texts(*path: str) -> list[str]:
        value = manifest.get(*path) if manifest is not None else None
        if isinstance(value, list):
            return [str(v) for v in value if isinstance(v, (str, int, float))]
        return [str(value)] if isinstance(value, (str, int, float)) else []

    used_in_eu = text("market", "output_used_in_eu")
    return {
        "purpose": text("use_case", "purpose"),
        "affected_persons": texts("use_case", "affected_persons"),
        "regions": texts("market", "regions"),
        "output_used_in_eu": used_in_eu if isinstance(used_in_eu, bool) else None,
        "placed_on_market": text("market", "placed_on_market"),
        "commit": provenance.of(str(system.get("manifest"))),
        "lock": system.get("lock"),
    }


def waivers(system: Mapping[str, Any], manifest: Optional[Manifest]) -> list[dict[str, Any]]:
    """The manifest's well-formed waivers, each with what the run made of it."""
    from aiact_lint.decide import read_waivers

    if manifest is None:
        return []
    findings = [f for f in system.get("findings") or [] if isinstance(f, dict)]
    found = []
    for waiver in read_waivers(manifest):
        subject = f"waivers[{waiver.list_index}]:{waiver.rule}"
        notes = [f.get("rule") for f in findings if f.get("subject") == subject]
        status = next((WAIVER_STATUS[r] for r in WAIVER_STATUS if r in notes), "active")
        marker = f"{waiver.reason} (owner {waiver.owner}, until {waiver.expires.isoformat()})"
        count = sum(1 for f in findings if f.get("waived") and f.get("waiver_reason") == marker)
        entry: dict[str, Any] = {
            "rule": waiver.rule,
            "reason": waiver.reason,
            "owner": waiver.owner,
            "expires": waiver.expires.isoformat(),
            "status": status,
            "waived": count,
        }
        for key in ("path", "model", "obligation"):
            value = getattr(waiver, key)
            if value:
                entry[key] = value
        found.append(entry)
    return found


class EvidenceLinks:
    """Relative links from the report to evidence files that exist inside the repository."""

    def __init__(self, base: Path, output: Optional[str]) -> None:
        self.base = base.resolve()
        self.folder = Path(output).resolve().parent if output else Path(os.getcwd()).resolve()

    def __call__(self, system: Mapping[str, Any], value: str) -> Optional[str]:
        from aiact_lint.manifest import find_root

        manifest = (self.base / str(system.get("manifest"))).resolve()
        # The repository the manifest belongs to, as the check saw it (runner.run_check).
        if self.base in manifest.parents:
            root = self.base
        else:
            root = (find_root(manifest.parent) or manifest.parent).resolve()
        try:
            target = (manifest.parent / value).resolve()
        except (OSError, ValueError, RuntimeError):
            return None
        if root not in target.parents:
            return None  # never a link outside the repository
        if not target.is_file():
            return None  # an id (registration number) or a missing file: shown, not linked
        return os.path.relpath(target, self.folder).replace(os.sep, "/")


def render_report(result: CheckResult, fmt: str, output: Optional[str] = None) -> str:
    from aiact_lint.lawdata import table
    from aiact_lint.result import to_document

    document = to_document(result)
    base = _base()
    provenance = Provenance(base)
    for system in document["systems"]:
        try:
            manifest = _manifest(system, base)
        except (OSError, ValueError):
            manifest = None
        system["waivers"] = waivers(system, manifest)
        system["about"] = about(system, manifest, provenance)
    link = EvidenceLinks(base, output)
    timeline = table("timeline")
    if fmt == "markdown":
        from aiact_lint.report_doc.markdown_page import render

        return printable(render(document, timeline, link))
    from aiact_lint.report_doc.html_page import render as render_html

    return printable(render_html(document, timeline, link))


def printable(text: str) -> str:
    """Valid UTF-8 text: a path that is not UTF-8 on disk (lone surrogates from the file system)
    shows its undecodable bytes as U+FFFD instead of failing to write."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        try:
            raw = text.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:
            raw = text.encode("utf-8", "surrogatepass")
        return raw.decode("utf-8", "replace")
    return text
