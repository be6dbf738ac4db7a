"""The code scan's modules, one job each, tested on their own (the CLI tests are test_code_scan)."""

from __future__ import annotations

from pathlib import Path

from aiact_lint.manifest import Manifest, read_manifest
from aiact_lint.repo.scan.capabilities import _capability_findings
from aiact_lint.repo.scan.lines import _Lines
from aiact_lint.repo.scan.models import _declared, _matching, model_findings
from aiact_lint.repo.scan.ownership import _group_folder, _ordered_dirs, _owner
from aiact_lint.repo.scan.patterns import patterns
from aiact_lint.repo.scan.records import CodeIndex, Hint, Reference
from aiact_lint.repo.scan.suppressions import _suppressions
from aiact_lint.repo.scan.text import scan_text
from aiact_lint.repo.scan.unowned import check_unowned

MANIFEST = """\
schema_version: 1
system:
  name: Shop assistant
roles: [deployer]
market:
  regions: [EU]
models:
  - id: gpt-4o-mini
    aliases: ["gpt-4o-*"]
risk:
  classification: minimal
"""


def _manifest(tmp_path: Path, folder: str = "") -> Manifest:
    file = tmp_path / folder / "aiact.yaml" if folder else tmp_path / "aiact.yaml"
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(MANIFEST, encoding="utf-8")
    return read_manifest(file, tmp_path)


def test_ownership_is_the_nearest_manifest_folder() -> None:
    dirs = _ordered_dirs(["", "services/hr", "services"], [])
    assert dirs == ["services/hr", "services", ""]
    assert _owner("services/hr/app.py", dirs) == "services/hr"
    assert _owner("services/other.py", dirs) == "services"
    assert _owner("tools/x.py", ["services"]) is None
    assert _group_folder("tools/ml/x.py", ["services"]) == "tools"


def test_a_constant_is_resolved_to_its_string_literal() -> None:
    text = (
        'from openai import OpenAI\nMODEL = "gpt-4o-mini"\nclient = OpenAI()\n'
        "client.chat.completions.create(model=MODEL)\n"
    )
    references, _, _ = scan_text("app.py", text, patterns().entries_for("python"))
    [ref] = [r for r in references if r.model]
    assert (ref.model, ref.line, ref.use_line) == ("gpt-4o-mini", 2, 4)


def test_suppressions_parse_codes_reason_and_reach() -> None:
    text = "# aiact-lint: ignore[AIA850] chosen at run time\nx = 1  # aiact-lint: ignore[bogus]\n"
    first, second = _suppressions("a.py", text, _Lines(text))
    assert first.codes == ("AIA850",) and first.reason == "chosen at run time"
    assert first.own_line and first.covers(2)
    assert second.unknown == ("bogus",) and not second.own_line and not second.covers(3)


def test_declared_models_match_by_id_alias_glob_and_tag(tmp_path: Path) -> None:
    manifest = _manifest(tmp_path)
    declared = _declared(manifest)
    ref = Reference("a.py", 1, 1, 1, 5, model="gpt-4o-2024-08-06", provider="OpenAI", kind="api")
    assert _matching(ref, "", declared) == [0]
    other = Reference("a.py", 2, 1, 2, 5, model="claude-3", provider="Anthropic", kind="api")
    index = CodeIndex(root=tmp_path, use_git=False, references=[ref, other])
    findings, files = model_findings(manifest, index, lambda p: True, str)
    assert [f.rule for f in findings] == ["AIA850"] and files == {"a.py"}


def test_capabilities_the_manifest_does_not_declare(tmp_path: Path) -> None:
    manifest = _manifest(tmp_path)
    hint = Hint("gen.py", 4, 1, 4, 10, "image", "OpenAI", "images.generate")
    index = CodeIndex(root=tmp_path, use_git=False, hints=[hint])
    [finding] = _capability_findings(manifest, index, lambda p: True, str)
    assert (finding.rule, finding.path, finding.line) == ("AIA853", "gen.py", 4)


def test_unowned_ai_use_is_one_finding_per_folder(tmp_path: Path) -> None:
    refs = [
        Reference("tools/a.py", 1, 1, 1, 2, model="gpt-4o", provider="OpenAI", kind="api"),
        Reference("tools/b.py", 3, 1, 3, 2, model="o3", provider="OpenAI", kind="api"),
        Reference("svc/c.py", 1, 1, 1, 2, model="o3", provider="OpenAI", kind="api"),
    ]
    index = CodeIndex(root=tmp_path, use_git=False, references=refs, manifest_dirs=["svc"])
    [finding] = check_unowned(index, tmp_path, ["svc"], str)
    assert finding.rule == "AIA855" and finding.path == "tools/a.py"
    assert "2 references in 2 files under tools/" in finding.message
