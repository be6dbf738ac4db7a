"""Evidence documents and disclosure texts held against the repository (read-only, in the root)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from tests.conftest import git, make_repo, run_cli

LITERACY = "# AI literacy\n\n" + "Staff are trained on how the system works and fails. " * 5 + "\n"

BASE = """\
schema_version: 1
system:
  name: Support bot
roles: [provider, deployer]
market:
  regions: [EU]
use_case:
  capabilities:
    interacts_with_natural_persons: true
risk:
  classification: limited
transparency:
  ai_interaction_notice:
    text: "You are chatting with an AI assistant."
    evidence: [web/Chat.tsx]
evidence:
  ai_literacy: docs/literacy.md
"""

CHAT = """\
export function Chat() {
  return (
    <div>
      <p className="notice">
        You are chatting with
        an AI assistant.
      </p>
    </div>
  );
}
"""


def check(repo: Path, *args: str) -> dict[str, Any]:
    run = run_cli("check", "--format", "json", "--as-of", "2026-11-25", *args, cwd=repo)
    assert run.code in (0, 1), run.out + run.err
    data: dict[str, Any] = json.loads(run.out)
    return data


def located(doc: dict[str, Any], rule: str) -> list[tuple[str, int, int]]:
    return [(f["path"], f["line"], f["column"]) for f in doc["findings"] if f["rule"] == rule]


def status(doc: dict[str, Any], obligation: str) -> str:
    found = [o for o in doc["systems"][0]["obligations"] if o["id"] == obligation]
    assert found, [o["id"] for o in doc["systems"][0]["obligations"]]
    return str(found[0]["status"])


def test_clean_repository_is_silent(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "r", {"aiact.yaml": BASE, "web/Chat.tsx": CHAT, "docs/literacy.md": LITERACY}
    )
    doc = check(repo)
    assert [f["rule"] for f in doc["findings"] if f["rule"].startswith("AIA8")] == []
    assert status(doc, "ai_interaction_notice") == "met"
    assert status(doc, "ai_literacy") == "met"


def test_missing_evidence_points_at_the_manifest_value(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"aiact.yaml": BASE, "web/Chat.tsx": CHAT})
    doc = check(repo)
    assert located(doc, "AIA801") == [("aiact.yaml", 17, 16)]
    assert status(doc, "ai_literacy") == "missing"
    # The missing file is reported once, not again as a missing obligation.
    assert not [f for f in doc["findings"] if f["rule"] in ("AIA701", "AIA703")]


def test_manifest_in_a_subfolder_resolves_paths_from_there(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "r",
        {
            "svc/aiact.yaml": BASE,
            "svc/web/Chat.tsx": CHAT,
            "svc/docs/literacy.md": LITERACY,
            "docs/literacy.md": "x",
        },
    )
    doc = check(repo)
    assert [f for f in doc["findings"] if f["rule"].startswith("AIA8")] == []


def test_untracked_evidence_is_a_warning_but_counts(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"aiact.yaml": BASE, "web/Chat.tsx": CHAT})
    (repo / "docs").mkdir()
    (repo / "docs/literacy.md").write_text(LITERACY)
    doc = check(repo)
    assert located(doc, "AIA803") == [("aiact.yaml", 17, 16)]
    assert status(doc, "ai_literacy") == "met"


def test_placeholder_documents(tmp_path: Path) -> None:
    for content, why in [
        ("", "empty"),
        ("# AI literacy\n\nTODO: write this before launch.\n" + "words " * 30, "TODO"),
        ("Lorem ipsum dolor sit amet " * 10, "lorem ipsum"),
        ("# Literacy\nWe train people.\n", "only"),
    ]:
        repo = make_repo(
            tmp_path / why.replace(" ", "_"),
            {"aiact.yaml": BASE, "web/Chat.tsx": CHAT, "docs/literacy.md": content},
        )
        doc = check(repo)
        findings = [f for f in doc["findings"] if f["rule"] == "AIA804"]
        assert [(f["line"], f["column"]) for f in findings] == [(17, 16)], why
        assert why.lower() in findings[0]["message"].lower()
        assert status(doc, "ai_literacy") == "missing"


def test_directory_fifo_and_symlinks_are_not_evidence(tmp_path: Path) -> None:
    outside = tmp_path / "secret.md"
    outside.write_text(LITERACY)
    for name, make in [
        ("dir", lambda p: p.mkdir()),
        ("fifo", lambda p: os.mkfifo(p)),
        ("outside", lambda p: p.symlink_to(outside)),
        ("loop", lambda p: p.symlink_to(p)),
    ]:
        repo = make_repo(tmp_path / name, {"aiact.yaml": BASE, "web/Chat.tsx": CHAT})
        (repo / "docs").mkdir()
        make(repo / "docs/literacy.md")
        doc = check(repo)
        rules = [(f["rule"], f["line"]) for f in doc["findings"] if f["rule"].startswith("AIA80")]
        assert rules == [("AIA802", 17)], (name, rules)
        assert status(doc, "ai_literacy") == "missing"


def test_disclosure_text_found_across_markup_and_catalogues(tmp_path: Path) -> None:
    for name, path, content in [
        ("jsx", "web/Chat.tsx", CHAT),
        ("string", "web/Chat.tsx", "const NOTICE = 'You are chatting with an AI assistant.';\n"),
        ("i18n", "web/Chat.tsx", '{"chat": {"notice": "You are  chatting with an AI assistant."}}'),
        ("html", "web/Chat.tsx", "<p>You are <b>chatting</b> with an&nbsp;AI assistant.</p>"),
        ("case", "web/Chat.tsx", "YOU ARE CHATTING WITH AN AI ASSISTANT."),
    ]:
        repo = make_repo(
            tmp_path / name, {"aiact.yaml": BASE, path: content, "docs/literacy.md": LITERACY}
        )
        doc = check(repo)
        assert located(doc, "AIA806") == [], name
        assert status(doc, "ai_interaction_notice") == "met", name


def test_disclosure_text_absent_is_an_error_at_the_text_line(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "r",
        {
            "aiact.yaml": BASE,
            "web/Chat.tsx": "export const Chat = () => <p>Hello! How can I help?</p>;\n",
            "docs/literacy.md": LITERACY,
        },
    )
    doc = check(repo)
    findings = [f for f in doc["findings"] if f["rule"] == "AIA806"]
    assert [(f["line"], f["column"]) for f in findings] == [(14, 11)]
    assert "web/Chat.tsx" in findings[0]["message"]
    assert status(doc, "ai_interaction_notice") == "missing"


HIGH_RISK = """\
schema_version: 1
system:
  name: CV ranking
roles: [provider]
market:
  regions: [EU]
use_case:
  purpose: Ranks job applicants for recruiters.
  annex_iii: ["4(a)"]
risk:
  classification: high
evidence:
  technical_documentation: docs/tech.md
"""

FULL_ANNEX_IV = (
    """\
# Technical documentation
## 1. General description
## 2. Development process and system design
## 3. Capabilities and limitations
## 4. Performance metrics
## 5. Risk management system
## 6. Change history
## 7. Harmonised standards applied
## 8. EU declaration of conformity
## 9. Post-market monitoring plan
"""
    + "Text describing the system in detail. " * 10
)


def test_annex_iv_sections_matched_generously(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "full", {"aiact.yaml": HIGH_RISK, "docs/tech.md": FULL_ANNEX_IV})
    doc = check(repo, "--as-of", "2028-01-01")
    assert located(doc, "AIA805") == []
    assert status(doc, "technical_documentation") == "met"
    partial = (
        FULL_ANNEX_IV.replace("## 4. Performance metrics\n", "")
        .replace("## 7. Harmonised standards applied\n", "")
        .replace("## 1. General description", "GENERAL DESCRIPTION\n===================")
    )
    repo = make_repo(tmp_path / "partial", {"aiact.yaml": HIGH_RISK, "docs/tech.md": partial})
    doc = check(repo, "--as-of", "2028-01-01")
    findings = [f for f in doc["findings"] if f["rule"] == "AIA805"]
    assert [(f["line"], f["column"]) for f in findings] == [(13, 28)]
    assert "4 performance metrics" in findings[0]["message"]
    assert "7 harmonised standards applied" in findings[0]["message"]
    assert "1 general description" not in findings[0]["message"]


def test_binary_evidence_exists_but_content_is_not_checked(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"aiact.yaml": HIGH_RISK.replace("tech.md", "tech.pdf")})
    (repo / "docs").mkdir()
    (repo / "docs/tech.pdf").write_bytes(b"%PDF-1.7\n\x00\x01binary")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "pdf")
    doc = check(repo, "--as-of", "2028-01-01")
    assert located(doc, "AIA807") == [("aiact.yaml", 13, 28)]
    assert status(doc, "technical_documentation") == "met"


def test_manifest_only_skips_the_repository(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"aiact.yaml": BASE})
    doc = check(repo, "--manifest-only")
    assert [f for f in doc["findings"] if f["rule"].startswith("AIA8")] == []


def test_the_check_changes_nothing_in_the_repository(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "r", {"aiact.yaml": BASE, "web/Chat.tsx": CHAT, "docs/literacy.md": LITERACY}
    )
    before = {p: p.read_bytes() for p in repo.rglob("*") if p.is_file() and ".git" not in p.parts}
    check(repo)
    after = {p: p.read_bytes() for p in repo.rglob("*") if p.is_file() and ".git" not in p.parts}
    assert before == after
    assert git(repo, "status", "--porcelain") == ""
