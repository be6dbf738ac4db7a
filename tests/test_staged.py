"""Hook mode (`check --staged`, what the pre-commit hooks run): evidence is judged by the index.

A declared file that is not in the git index — never added, or removed with `git rm --cached` —
is missing from the commit and from every fresh clone of it, whatever is on disk: an error
(AIA801) in hook mode, the AIA803 warning outside it. The same holds for the determination lock:
one the index does not hold records no review in the commit (AIA930).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import AS_OF, NO_PRACTICES, git, make_repo, run_cli, run_process

CHAT_FACTS = NO_PRACTICES.replace(
    "interacts_with_natural_persons: false", "interacts_with_natural_persons: true"
)
MANIFEST = """\
schema_version: 1
system:
  name: Support assistant
roles: [provider]
market:
  regions: [EU]
use_case:
  purpose: Answers customer questions about orders.
  annex_iii: []
  annex_i: []
  capabilities: {CHAT_FACTS}
risk:
  classification: limited
transparency:
  ai_interaction_notice:
    text: "You are chatting with an AI assistant."
    evidence: [web/chat.tsx]
evidence:
  ai_literacy: docs/literacy.md
"""
MANIFEST = MANIFEST.replace("{CHAT_FACTS}", CHAT_FACTS)
LITERACY = (
    "# AI literacy\n\nEvery member of staff who operates the assistant completes the internal "
    "course on its limits, its failure modes and how to escalate.\n"
)
NOTICE = 'export const notice = "You are chatting with an AI assistant.";\n'
LITERACY_LINE = next(i for i, t in enumerate(MANIFEST.splitlines(), 1) if "ai_literacy:" in t)
NOTICE_LINE = next(i for i, t in enumerate(MANIFEST.splitlines(), 1) if "web/chat.tsx" in t)


def check(repo: Path, *args: str) -> tuple[int, dict[str, Any]]:
    run = run_cli("check", "--format", "json", "--as-of", AS_OF, "--ignore", "AIA930", *args,
                  cwd=repo)  # fmt: skip
    assert run.code in (0, 1), run.err
    return run.code, run.json()


def at(doc: dict[str, Any], rule: str) -> list[tuple[str, int]]:
    return [(f["path"], f["line"]) for f in doc["findings"] if f["rule"] == rule]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = make_repo(tmp_path / "repo", {"aiact.yaml": MANIFEST, "web/chat.tsx": NOTICE})
    (repo / "docs").mkdir()
    (repo / "docs" / "literacy.md").write_text(LITERACY, encoding="utf-8")  # on disk only
    return repo


def test_untracked_evidence_is_missing_in_hook_mode(repo: Path) -> None:
    code, doc = check(repo)
    assert (
        code == 0
        and at(doc, "AIA803") == [("aiact.yaml", LITERACY_LINE)]
        and at(doc, "AIA801") == []
    )
    code, doc = check(repo, "--staged")
    assert code == 1
    assert at(doc, "AIA801") == [("aiact.yaml", LITERACY_LINE)] and at(doc, "AIA803") == []
    (missing,) = [f for f in doc["findings"] if f["rule"] == "AIA801"]
    assert missing["severity"] == "error"
    assert (
        "not in the git index" in missing["message"]
        and "git add docs/literacy.md" in missing["fix"]
    )
    literacy = [o for o in doc["systems"][0]["obligations"] if o["id"] == "ai_literacy"]
    assert literacy[0]["status"] == "missing"
    # Staged, it counts (a new file need not be committed yet, only be in the index).
    git(repo, "add", "docs/literacy.md")
    code, doc = check(repo, "--staged")
    assert code == 0 and at(doc, "AIA801") == []


def test_evidence_deleted_from_the_index_is_missing_in_hook_mode(repo: Path) -> None:
    git(repo, "add", "docs/literacy.md")
    git(repo, "commit", "-qm", "literacy")
    git(repo, "rm", "-q", "--cached", "web/chat.tsx")  # still on disk
    assert (repo / "web" / "chat.tsx").is_file()
    code, doc = check(repo)
    assert code == 0 and at(doc, "AIA803") == [("aiact.yaml", NOTICE_LINE)]
    code, doc = check(repo, "--staged")
    assert code == 1 and at(doc, "AIA801") == [("aiact.yaml", NOTICE_LINE)]
    # Deleted from the index and from disk: missing in both modes.
    git(repo, "rm", "-q", "--cached", "docs/literacy.md")
    (repo / "docs" / "literacy.md").unlink()
    _, doc = check(repo)
    assert ("aiact.yaml", LITERACY_LINE) in at(doc, "AIA801")


def test_hook_mode_is_not_guessed_from_the_environment(repo: Path) -> None:
    run = run_process("check", "--as-of", AS_OF, cwd=repo, env={"PRE_COMMIT": "1"})
    assert run.code == 0 and "AIA803" in run.out and "AIA801" not in run.out


def test_hook_mode_outside_git_changes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "plain"
    (folder / "docs").mkdir(parents=True)
    (folder / "web").mkdir()
    (folder / "aiact.yaml").write_text(MANIFEST, encoding="utf-8")
    (folder / "docs" / "literacy.md").write_text(LITERACY, encoding="utf-8")
    (folder / "web" / "chat.tsx").write_text(NOTICE, encoding="utf-8")
    plain = run_cli("check", "--as-of", AS_OF, "--ignore", "AIA930", cwd=folder)
    staged = run_cli("check", "--as-of", AS_OF, "--ignore", "AIA930", "--staged", cwd=folder)
    assert plain.code == staged.code == 0 and plain.out == staged.out


def test_a_lock_the_index_does_not_hold_records_no_review_in_hook_mode(repo: Path) -> None:
    """`aiact-lint lock` writes the lock; until it is staged the commit does not contain it, so
    a hook run reports it missing (and accepts no change of verdict with it), as a fresh clone
    of the commit would."""
    git(repo, "add", "docs/literacy.md")
    git(repo, "commit", "-qm", "literacy")
    high = MANIFEST.replace("annex_iii: []", 'annex_iii: ["4(a)"]').replace(
        "classification: limited", "classification: high"
    )
    (repo / "aiact.yaml").write_text(high, encoding="utf-8")
    git(repo, "add", "aiact.yaml")
    locked = run_cli("lock", "--reviewer", "legal@example.com", "--as-of", AS_OF, cwd=repo)
    assert locked.code == 0, locked.err
    assert (repo / "aiact.lock").is_file()

    def lock_state(*args: str) -> tuple[int, str, list[dict[str, Any]]]:
        run = run_cli("check", "--format", "json", "--as-of", AS_OF, *args, cwd=repo)
        assert run.code in (0, 1), run.err
        doc = run.json()
        found = [f for f in doc["findings"] if f["rule"] in ("AIA922", "AIA930")]
        return run.code, doc["systems"][0]["lock"]["status"], found

    # Outside hook mode the lock on disk is read (and accepts the raise it records).
    code, status, found = lock_state("--diff-base", "HEAD")
    assert status == "matches" and code == 0
    assert [(f["rule"], f["waived"]) for f in found] == [("AIA922", True)]
    # In hook mode it is not in the commit: missing, with the command that stages it.
    code, status, found = lock_state("--staged", "--diff-base", "HEAD")
    assert status == "missing" and code == 1
    missing = [f for f in found if f["rule"] == "AIA930"]
    assert len(missing) == 1 and missing[0]["severity"] == "warning"
    assert "aiact.lock is not in the git index" in missing[0]["message"]
    assert "git add aiact.lock" in missing[0]["message"]
    raised = [f for f in found if f["rule"] == "AIA922"]
    assert len(raised) == 1 and not raised[0]["waived"] and raised[0]["severity"] == "error"
    # Staged, it is the recorded review of the change.
    git(repo, "add", "aiact.lock")
    code, status, found = lock_state("--staged", "--diff-base", "HEAD")
    assert status == "matches" and code == 0
    # Removed from the index while still on disk: missing again.
    git(repo, "commit", "-qm", "reviewed")
    git(repo, "rm", "-q", "--cached", "aiact.lock")
    assert (repo / "aiact.lock").is_file()
    _, status, found = lock_state("--staged")
    assert status == "missing" and [f["rule"] for f in found] == ["AIA930"]
    _, status, _ = lock_state()
    assert status == "matches"
