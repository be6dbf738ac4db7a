"""`check --fix`, `--unsafe-fixes`, `--add-noqa`, `--diff`, `--force`: ruff's fixing, for manifests.

Through the real command in real git repositories: what is fixed, that the rest of the YAML (its
comments and layout) comes back byte for byte, that nothing but the manifest and the files the
findings name is ever written, that evidence is never invented, and that uncommitted work is
never overwritten without --force.
"""

from __future__ import annotations

import difflib
import hashlib
import shutil
from pathlib import Path

import pytest

from tests.conftest import AS_OF, ROOT, git, make_repo, run_process

CHATBOT = """\
# Our support bot. Hand-written; keep the comments.
schema_version: 1

system:
  name: Support bot   # shown in the report
roles: [deployer]
market:
  regions: [EU]       # EU only for now

models:
  - id: gpt-4o-mini
    access: api       # hosted

use_case:
  purpose: Answers customer questions about orders
  annex_iii: []
  capabilities:
    interacts_with_natural_persons: true

risk:
  classification: minimal   # we think

waivers:
  - rule: AIA703
    reason: literacy training scheduled
    owner: hr@example.com
    expires: 2027-06-30
"""

STALE = """\
  - rule: AIA301
    reason: reviewed with legal
    owner: legal@example.com
    expires: 2027-06-30
"""

APP = """\
from openai import OpenAI

client = OpenAI()


def answer(question):
    return client.chat.completions.create(model="gpt-4o-mini", messages=[question])


def summarise(text):
    return client.responses.create(model="claude-3-5-haiku-latest", input=text)
"""

BATCH = """\
import anthropic

client = anthropic.Anthropic()


def score(cv):
    return client.messages.create(model="claude-3-5-sonnet-20241022", max_tokens=10, messages=cv)
"""


def check(*args: str, cwd: Path) -> tuple[int, str, str]:
    run = run_process("check", "--as-of", AS_OF, *args, cwd=cwd)
    return run.code, run.out, run.err


def tree(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (outside .git) and a hash of its bytes."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(folder).parts
    }


def only_added(before: str, after: str) -> list[str]:
    """The lines ``after`` adds; asserts it removes or changes no line of ``before``."""
    added, removed = [], []
    for line in difflib.ndiff(before.splitlines(), after.splitlines()):
        if line.startswith("+ "):
            added.append(line[2:])
        elif line.startswith("- "):
            removed.append(line[2:])
    assert not removed, removed
    return added


@pytest.fixture
def bot(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "bot", {"aiact.yaml": CHATBOT, "app/main.py": APP})


def test_fix_declares_models_from_the_code_and_keeps_the_yaml(bot: Path) -> None:
    _code, out, _ = check("--format", "json", cwd=bot)
    assert '"AIA850"' in out  # claude-3-5-haiku-latest is used but not declared
    before = {p: t for p, t in tree(bot).items()}
    _code, out, err = check("--fix", cwd=bot)
    text = (bot / "aiact.yaml").read_text(encoding="utf-8")
    added = only_added(CHATBOT, text)
    # The model the code uses, with what the code shows (a hosted API) and the GPAI status the
    # known-models table answers; the declared gpt-4o-mini's status too.
    assert "  - id: claude-3-5-haiku-latest" in added
    assert "    provider: Anthropic" in added and "    access: api" in added
    assert added.count("    general_purpose: true") == 2
    assert "# hosted" in text and "# we think" in text and "# EU only for now" in text
    # Only the manifest changed; the code was not touched.
    after = tree(bot)
    assert {p for p in after if after[p] != before.get(p)} == {"aiact.yaml"}
    assert "fixed" in err and "AIA850" not in out
    rules = check("--format", "json", cwd=bot)[1]
    assert '"AIA850"' not in rules and '"AIA601"' not in rules
    # Whose model: the table names its provider, so it is not this organisation's (the provider
    # of the system is asked that of a GPAI model, AIA705, until it is declared).
    assert added.count("    developer: third_party") == 2
    assert "developer is not declared" not in rules


def test_stale_waiver_is_removed_and_legal_claims_need_unsafe_fixes(bot: Path) -> None:
    (bot / "aiact.yaml").write_text(CHATBOT + STALE, encoding="utf-8")
    git(bot, "commit", "-q", "-am", "a waiver for a finding long gone")
    _code, _out, err = check("--fix", cwd=bot)
    text = (bot / "aiact.yaml").read_text(encoding="utf-8")
    assert "AIA301" not in text and "rule: AIA703" in text  # AIA902: it matched nothing
    assert text.endswith("expires: 2027-06-30\n")
    assert "classification: minimal   # we think" in text  # a claim: not a safe fix
    assert "--unsafe-fixes" in err
    git(bot, "commit", "-q", "-am", "safe fixes")
    _code, out, err = check("--unsafe-fixes", cwd=bot)
    text = (bot / "aiact.yaml").read_text(encoding="utf-8")
    assert "classification: limited   # we think" in text  # the determined tier, comment kept
    assert "AIA302" not in out and "AIA303" not in out


def test_diff_shows_the_change_and_writes_nothing(bot: Path) -> None:
    before = tree(bot)
    code, out, _err = check("--fix", "--diff", cwd=bot)
    assert code == 1  # there is something to fix (ruff's --diff convention)
    assert out.startswith("--- a/aiact.yaml\n+++ b/aiact.yaml\n")
    assert "+  - id: claude-3-5-haiku-latest" in out
    assert tree(bot) == before
    make_clean = check("--diff", "--select", "AIA1", cwd=bot)
    assert make_clean[0] == 0 and make_clean[1] == ""


def test_uncommitted_changes_are_refused_unless_forced(bot: Path) -> None:
    manifest = bot / "aiact.yaml"
    manifest.write_text(CHATBOT.replace("Support bot", "Support bot v2"), encoding="utf-8")
    edited = manifest.read_bytes()
    code, _out, err = check("--fix", cwd=bot)
    assert code == 2 and "uncommitted changes" in err and "aiact.yaml" in err
    assert manifest.read_bytes() == edited
    code, _out, err = check("--fix", "--force", cwd=bot)
    assert code in (0, 1) and "claude-3-5-haiku-latest" in manifest.read_text(encoding="utf-8")


def test_untracked_manifest_and_no_git_are_refused_unless_forced(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"app/main.py": APP})
    (repo / "aiact.yaml").write_text(CHATBOT, encoding="utf-8")  # written, not committed
    assert check("--fix", cwd=repo)[0] == 2
    assert (repo / "aiact.yaml").read_text(encoding="utf-8") == CHATBOT
    plain = tmp_path / "plain"
    shutil.copytree(repo, plain, ignore=shutil.ignore_patterns(".git"))
    code, _out, err = check("--fix", cwd=plain)
    assert code == 2 and "not a git repository" in err
    assert check("--fix", "--force", cwd=plain)[0] in (0, 1)
    assert "claude-3-5-haiku-latest" in (plain / "aiact.yaml").read_text(encoding="utf-8")


def test_add_noqa_writes_reasoned_suppressions_at_code_findings(tmp_path: Path) -> None:
    manifest = CHATBOT.replace("gpt-4o-mini", "claude-3-5-sonnet-20241022").replace(
        "interacts_with_natural_persons: true", "interacts_with_natural_persons: false"
    )
    repo = make_repo(tmp_path / "r", {"aiact.yaml": manifest, "jobs/score.py": BATCH})
    _code, out, _ = check("--format", "json", cwd=repo)
    assert '"AIA854"' in out  # a chat endpoint while the manifest says nobody interacts
    refused = check("--add-noqa", "  ", cwd=repo)
    assert refused[0] == 2 and "reason" in refused[2]
    reason = "batch scoring of CVs; no person talks to it"
    _code, out, _err = check("--add-noqa", reason, "--select", "AIA854", cwd=repo)
    source = (repo / "jobs/score.py").read_text(encoding="utf-8")
    assert f"# aiact-lint: ignore[AIA854] {reason}" in source
    # Each line is the original one, the finding's line with the comment at its end (ruff style).
    for original, now in zip(BATCH.splitlines(), source.splitlines()):
        assert now == original or now.startswith(original + "  # aiact-lint: ignore[AIA854]")
    assert source.count("aiact-lint: ignore") == 1
    assert (repo / "aiact.yaml").read_text(encoding="utf-8") == manifest  # only the code
    after = check("--format", "json", cwd=repo)[1]
    assert '"AIA854"' not in after and '"AIA856"' not in after


def test_fix_never_invents_evidence(tmp_path: Path) -> None:
    high = """\
schema_version: 1
system:
  name: CV ranker
roles: [provider]
market:
  regions: [EU]
use_case:
  purpose: Shortlists job applicants by scoring their CVs
  annex_iii: ["4(a)"]
risk:
  classification: minimal
evidence:
  risk_management: null
"""
    repo = make_repo(tmp_path / "r", {"aiact.yaml": high})
    _code, out, _err = check("--unsafe-fixes", "--as-of", "2028-01-10", cwd=repo)
    text = (repo / "aiact.yaml").read_text(encoding="utf-8")
    assert "classification: high" in text
    assert "risk_management: null" in text and text.count("evidence") == 1
    assert " AIA701 " in out  # still missing: a document only a person can write


@pytest.mark.parametrize("name", ["customer-chatbot", "hr-screening", "gpai-provider"])
def test_fixing_an_example_changes_only_the_lines_it_fixes(tmp_path: Path, name: str) -> None:
    folder = tmp_path / name
    shutil.copytree(ROOT / "examples" / name, folder)
    (folder / "src").mkdir(exist_ok=True)
    (folder / "src" / "extra.py").write_text(
        "from openai import OpenAI\n"
        'OpenAI().chat.completions.create(model="gpt-4.1", messages=[])\n',
        encoding="utf-8",
    )
    make_repo(folder, {})  # git init, add and commit what is there
    before = (folder / "aiact.yaml").read_text(encoding="utf-8")
    _code, out, _err = check("--fix", cwd=folder)
    after = (folder / "aiact.yaml").read_text(encoding="utf-8")
    added = only_added(before, after)
    assert any(line.endswith("id: gpt-4.1") for line in added), added
    assert "AIA850" not in out


def test_the_round_trip_keeps_what_it_does_not_edit() -> None:
    from aiact_lint.fix import yaml_edit

    text = (
        "# yaml-language-server: $schema=../aiact.schema.json\n# header\n---\n"
        "schema_version: 1\n\nmodels:\n  - id: gpt-4o-mini\n    access: api   # hosted\n"
        "    # GPAI status unknown: add general_purpose (Art. 3(63))\n\n"
        "use_case:\n  purpose: 'Answers'   # quoted as written\n  annex_iii: []\n"
        "evidence:\n  ai_literacy: null  # TODO docs/ai/ai-literacy.md\n"
    )
    assert yaml_edit.edit(text, lambda document: None) == text
    added = yaml_edit.edit(text, yaml_edit.add_model({"id": "claude-3-5-haiku-latest"}))
    assert only_added(text, added) == ["  - id: claude-3-5-haiku-latest"]
    # The note under a model stays with that model (init writes one under each); the new entry
    # follows it, and the blank line before use_case stays.
    assert (
        "    access: api   # hosted\n    # GPAI status unknown: add general_purpose (Art. 3(63))\n"
        "  - id: claude-3-5-haiku-latest\n\nuse_case:"
    ) in added
    # Comments shallower than the entry (about what follows) and blank lines move after it.
    shallow = text.replace("    # GPAI status unknown", "# the use case")
    moved = yaml_edit.edit(shallow, yaml_edit.add_model({"id": "claude-3-5-haiku-latest"}))
    assert "  - id: claude-3-5-haiku-latest\n# the use case" in moved
    answered = yaml_edit.edit(text, yaml_edit.set_model_facts(0, {"general_purpose": True}))
    assert "general_purpose: true" in answered and "GPAI status unknown" not in answered
    windows = text.replace("\n", "\r\n")
    edited = yaml_edit.edit(windows, yaml_edit.set_classification("limited"))
    assert "\r\nrisk:\r\n  classification: limited\r\n" in edited
    assert edited.replace("\r\n", "").count("\n") == 0
