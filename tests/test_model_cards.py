"""Model cards held against the manifest, through the CLI: each mismatch at the card's line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.conftest import AS_OF, make_repo, run_cli

MANIFEST = """\
schema_version: 1
system:
  name: Support assistant
roles: [provider]
market:
  regions: [EU]
models:
  - id: acme/support-llm
    provider: Acme
    access: weights
    license: apache-2.0
    free_open_source: true
    open_weights: true
    parameters: 7.0e9
use_case:
  purpose: Answers customer questions about orders.
  annex_iii: []
risk:
  classification: minimal
"""

CARD = """\
---
license: llama3.2
base_model: meta-llama/Llama-3.2-3B
tags: [text-generation]
---
# Support LLM

A 13B parameters model for support.

## Intended uses

Shortlisting job applicants by scoring their CVs.

## Out-of-scope use

Credit scoring of consumers.
"""

CLEAN_CARD = """\
---
license: apache-2.0
tags: [text-generation]
---
# Support LLM

A 7B parameters model. Answers customer questions about orders.

## Intended uses

Answering customer questions about orders and deliveries.

## Out-of-scope use

Shortlisting job applicants by scoring their CVs.
"""


def _check(tmp_path: Path, card: str, name: str = "models/support-llm/README.md") -> list[Any]:
    files = {"aiact.yaml": MANIFEST, name: card, "models/support-llm/model.safetensors": "x"}
    repo = make_repo(tmp_path / "repo", files)
    run = run_cli("check", "--format", "json", "--as-of", AS_OF, cwd=repo)
    assert run.code in (0, 1), run.err
    findings: list[Any] = run.json()["findings"]
    return [f for f in findings if f["rule"].startswith("AIA83")]


def _by_rule(findings: list[Any]) -> dict[str, Any]:
    return {f["rule"]: f for f in findings}


def test_each_mismatch_is_reported_at_the_cards_line(tmp_path: Path) -> None:
    found = _by_rule(_check(tmp_path, CARD))
    card = "models/support-llm/README.md"
    assert {f["path"] for f in found.values()} == {card}
    licence = found["AIA830"]
    assert (licence["line"], licence["column"]) == (2, 10)
    assert '"llama3.2"' in licence["message"] and "aiact.yaml:11" in licence["message"]
    assert found["AIA831"]["line"] == 2 and "aiact.yaml:12" in found["AIA831"]["message"]
    base = found["AIA832"]
    assert base["line"] == 3 and "meta-llama/Llama-3.2-3B" in base["message"]
    assert "aiact.yaml:8" in base["message"]
    figures = found["AIA834"]
    assert figures["line"] == 8 and "1.3e+10" in figures["message"]
    assert "aiact.yaml:14" in figures["message"]
    annex = found["AIA833"]
    assert annex["line"] == 12 and "4(a)" in annex["message"]
    assert "aiact.yaml:17" in annex["message"]


def test_an_out_of_scope_section_is_not_an_intended_use(tmp_path: Path) -> None:
    assert _check(tmp_path, CLEAN_CARD) == []


def test_a_model_card_file_anywhere_under_the_manifest(tmp_path: Path) -> None:
    found = _by_rule(_check(tmp_path, CARD, name="docs/MODEL_CARD.md"))
    assert found["AIA830"]["path"] == "docs/MODEL_CARD.md"


def test_a_readme_away_from_weights_is_not_a_model_card(tmp_path: Path) -> None:
    assert _check(tmp_path, CARD, name="docs/README.md") == []


def test_broken_front_matter_is_reported_not_a_traceback(tmp_path: Path) -> None:
    broken = "---\nlicense: [apache-2.0\n---\n# Card\n"
    found = _check(tmp_path, broken)
    assert [f["rule"] for f in found] == ["AIA835"]


def test_the_manifest_only_hook_reads_no_card(tmp_path: Path) -> None:
    files = {"aiact.yaml": MANIFEST, "models/support-llm/README.md": CARD}
    files["models/support-llm/model.safetensors"] = "x"
    repo = make_repo(tmp_path / "repo", files)
    run = run_cli("check", "--manifest-only", "--format", "json", "--as-of", AS_OF, cwd=repo)
    assert not [f for f in run.json()["findings"] if f["rule"].startswith("AIA83")]
