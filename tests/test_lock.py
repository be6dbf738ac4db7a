"""The determination lock (aiact.lock): written by `aiact-lint lock`, held against by `check`.

Every test runs the CLI in a temporary git repository: the lock records scope, tier, routes,
roles and GPAI statuses with the reviewer; `check` fails while the live determination differs,
warns (with the command) when there is none, stops on one it cannot read, and never writes it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import NO_PRACTICES, git, make_repo, run_cli, run_process
from tests.test_diff import AS_OF, commit, line_of

CHAT_FACTS = NO_PRACTICES.replace(
    "interacts_with_natural_persons: false", "interacts_with_natural_persons: true"
)
LIMITED = """\
schema_version: 1
system:
  name: Support assistant
roles: [provider]
market:
  regions: [EU]
models:
  - id: acme/base-7b
    general_purpose: true
    training_compute_flop: 9.0e24
use_case:
  purpose: Answers customer questions about orders, deliveries and returns.
  affected_persons: [customers]
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
LIMITED = LIMITED.replace("{CHAT_FACTS}", CHAT_FACTS)
HIGH = LIMITED.replace("annex_iii: []", 'annex_iii: ["4(a)"]').replace(
    "classification: limited", "classification: high"
)
FILES = {
    "docs/literacy.md": "# AI literacy\n\nEvery member of staff who operates the assistant "
    "completes the internal course on its limits, its failure modes and escalation.\n",
    "web/chat.tsx": 'export const notice = "You are chatting with an AI assistant.";\n',
}
REVIEWER = "Jane Doe <legal@example.com>"


def lock(repo: Path, *args: str, reviewer: str = REVIEWER) -> Any:
    run = run_cli(
        "lock", "--reviewer", reviewer, "--reviewed-on", "2026-11-02", "--as-of", AS_OF, *args,
        cwd=repo,
    )  # fmt: skip
    assert run.code == 0, run.err
    return run


def check(repo: Path, *args: str) -> tuple[int, dict[str, Any]]:
    run = run_cli("check", "--format", "json", "--as-of", AS_OF, *args, cwd=repo)
    assert run.code in (0, 1, 2), run.err
    return run.code, run.json()


def rules(doc: dict[str, Any], *codes: str) -> list[dict[str, Any]]:
    return [f for f in doc["findings"] if f["rule"] in codes]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "repo", {"aiact.yaml": LIMITED, **FILES})


def test_lock_records_the_determination_and_the_review(repo: Path) -> None:
    run = lock(repo, "--note", "Reviewed with the DPO.")
    assert "wrote aiact.lock (new)" in run.out
    text = (repo / "aiact.lock").read_text(encoding="utf-8")
    lines = text.splitlines()
    for expected in (
        '  risk: "limited"',
        "  in_scope: true",
        '    - "provider"',
        '    - "50(1)"',
        '    "acme/base-7b": "gpai"',
        "  annex_iii: []",
        "  prohibited_practices: []",
        '  reviewed_by: "Jane Doe <legal@example.com>"',
        "  reviewed_on: 2026-11-02",
        '  note: "Reviewed with the DPO."',
        'manifest: "aiact.yaml"',
        "lock_version: 1",
    ):
        assert expected in lines, expected
    # Sorted keys at every level (comments aside), one fact per line.
    top = [line.split(":")[0] for line in lines if line and line[0] not in "# "]
    assert top == sorted(top)
    nested = [
        line.split(":")[0].strip()
        for line in lines
        if line.startswith("  ") and not line.startswith("   ")
    ]
    determination = nested[: nested.index("note")]
    assert determination == sorted(determination)
    code, doc = check(repo)
    assert code == 0, rules(doc, "AIA929", "AIA930", "AIA931")
    (system,) = doc["systems"]
    assert system["lock"]["status"] == "matches"
    assert (
        system["lock"]["reviewed_by"] == REVIEWER and system["lock"]["reviewed_on"] == "2026-11-02"
    )


def test_tier_raised_fails_until_the_lock_records_the_review(repo: Path) -> None:
    lock(repo)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "reviewed lock")
    (repo / "aiact.yaml").write_text(HIGH, encoding="utf-8")
    code, doc = check(repo)
    assert code == 1
    (difference,) = rules(doc, "AIA929")
    assert difference["severity"] == "error"
    assert difference["line"] == line_of(HIGH, "classification:")
    message = difference["message"]
    assert "risk changed from limited to high (Annex III 4(a)" in message
    assert "since the review of 2026-11-02 by Jane Doe <legal@example.com>" in message
    assert 'aiact-lint lock --reviewer "NAME"' in message
    assert difference["before"]["risk"] == "limited" and difference["after"]["risk"] == "high"
    assert "annex_iii:4(a)" in difference["after"]["routes"]
    # With --diff-base the raise itself is an error too.
    code, doc = check(repo, "--diff-base", "HEAD")
    assert code == 1
    (raised,) = rules(doc, "AIA922")
    assert raised["severity"] == "error" and not raised["waived"]
    assert raised["before"]["risk"] == "limited" and raised["after"]["risk"] == "high"

    before = (repo / "aiact.lock").read_bytes()
    assert b'risk: "limited"' in before  # check never rewrote it
    run = lock(repo, reviewer="Sam Roe <dpo@example.com>")
    assert "the determination changed" in run.out
    assert b'risk: "high"' in (repo / "aiact.lock").read_bytes()
    code, doc = check(repo)
    assert code == 0, [f for f in doc["findings"] if f["severity"] == "error"]
    code, doc = check(repo, "--diff-base", "HEAD")
    assert code == 0, [f for f in doc["findings"] if f["severity"] == "error" and not f["waived"]]
    (raised,) = rules(doc, "AIA922")
    assert raised["waived"]
    assert "reviewed in aiact.lock by Sam Roe <dpo@example.com>" in raised["waiver_reason"]
    assert doc["systems"][0]["lock"]["reviewed_in_this_change"] is True


def test_missing_lock_is_a_warning_with_the_command(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "mono", {"services/chat/aiact.yaml": LIMITED, **FILES})
    _, doc = check(repo)
    (missing,) = rules(doc, "AIA930")
    assert missing["severity"] == "warning" and (missing["path"], missing["line"]) == (
        "services/chat/aiact.yaml",
        1,
    )
    assert 'aiact-lint lock --reviewer "NAME" services/chat' in missing["message"]
    assert 'aiact-lint lock --reviewer "NAME" services/chat' in missing["fix"]
    assert doc["systems"][0]["lock"] == {"path": "services/chat/aiact.lock", "status": "missing"}
    assert not (repo / "services/chat/aiact.lock").exists(), "check never writes the lock"


def test_check_never_writes_the_lock(repo: Path) -> None:
    for args in ([], ["--format", "sarif"], ["--diff-base", "HEAD"], ["--manifest-only"]):
        run_cli("check", "--as-of", AS_OF, *args, cwd=repo)
        assert not (repo / "aiact.lock").exists()
    lock(repo)
    stale = (repo / "aiact.lock").read_bytes()
    (repo / "aiact.yaml").write_text(HIGH, encoding="utf-8")
    stat = os.stat(repo / "aiact.lock")
    run_cli("check", "--as-of", AS_OF, cwd=repo)
    run_cli("report", "--as-of", AS_OF, "-o", str(repo.parent / "r.html"), cwd=repo)
    assert (repo / "aiact.lock").read_bytes() == stale
    assert os.stat(repo / "aiact.lock").st_mtime_ns == stat.st_mtime_ns


def test_lock_is_byte_identical_across_runs_and_hash_seeds(tmp_path: Path) -> None:
    manifest = HIGH.replace(
        "  - id: acme/base-7b\n",
        "  - id: zeta/ranker\n    general_purpose: false\n  - id: acme/base-7b\n",
    ).replace("roles: [provider]", "roles: [provider, deployer]")
    texts = set()
    for seed in ("0", "1", "4242", "random"):
        repo = make_repo(tmp_path / f"seed-{seed}", {"aiact.yaml": manifest, **FILES})
        for _ in range(2):
            run = run_process(
                "lock", "--reviewer", REVIEWER, "--reviewed-on", "2026-11-02", "--as-of", AS_OF,
                "aiact.yaml", cwd=repo, env={"PYTHONHASHSEED": seed},
            )  # fmt: skip
            assert run.code == 0, run.err
            texts.add((repo / "aiact.lock").read_bytes())
    assert len(texts) == 1
    (text,) = texts
    assert text.endswith(b"\n") and b"\r" not in text
    models = [line for line in text.decode().splitlines() if line.startswith('    "')]
    assert models == sorted(models) and len(models) == 2
    assert b'    - "deployer"\n    - "provider"\n' in text


def test_a_lock_difference_is_configurable_like_any_rule(repo: Path) -> None:
    lock(repo)
    (repo / "aiact.yaml").write_text(HIGH, encoding="utf-8")
    (repo / ".aiact-lint.toml").write_text('[severity]\nAIA929 = "warning"\n', encoding="utf-8")
    code, doc = check(repo)
    assert code == 0 and rules(doc, "AIA929")[0]["severity"] == "warning"
    code, doc = check(repo, "--ignore", "AIA929")
    assert code == 0 and rules(doc, "AIA929") == []


def test_each_changed_fact_is_its_own_difference(repo: Path) -> None:
    lock(repo)
    changed = (
        LIMITED.replace("roles: [provider]", "roles: [provider, deployer]")
        .replace("    general_purpose: true\n    training_compute_flop: 9.0e24\n", "")
        .replace("  regions: [EU]", "  regions: [US]\n  output_used_in_eu: false")
    )
    (repo / "aiact.yaml").write_text(changed, encoding="utf-8")
    _, doc = check(repo)
    by_subject = {f["subject"]: f for f in rules(doc, "AIA929")}
    assert set(by_subject) == {"lock:scope", "lock:risk", "lock:roles", "lock:model:acme/base-7b"}
    assert by_subject["lock:scope"]["before"] is True and by_subject["lock:scope"]["after"] is False
    assert by_subject["lock:roles"]["after"] == ["deployer", "provider"]
    assert by_subject["lock:model:acme/base-7b"]["before"] == "gpai"
    assert by_subject["lock:risk"]["after"]["risk"] == "out_of_scope"


def test_unreadable_lock_is_an_input_error_at_its_line(repo: Path) -> None:
    lock(repo)
    text = (repo / "aiact.lock").read_text(encoding="utf-8")
    conflicted = text.replace(
        '  risk: "limited"\n',
        '<<<<<<< HEAD\n  risk: "limited"\n=======\n  risk: "high"\n>>>>>>> feature\n',
    )
    (repo / "aiact.lock").write_text(conflicted, encoding="utf-8")
    run = run_process("check", "--as-of", AS_OF, cwd=repo)
    assert run.code == 2 and "Traceback" not in run.err
    line = line_of(conflicted, "<<<<<<<")
    assert f"aiact.lock:{line}:1: AIA931" in run.out and "merge-conflict" in run.out
    for bad, where in (
        ("lock_version: 7\n", "lock_version"),
        ("risk: high\n", "lock_version: missing"),
        ("lock_version: 1\ndetermination: [1, 2]\n", "determination"),
        ("lock_version: 1\ndetermination:\n  risk: high\n  in_scope: maybe\n", "in_scope"),
    ):
        (repo / "aiact.lock").write_text(bad, encoding="utf-8")
        code, doc = check(repo)
        (problem,) = rules(doc, "AIA931")
        assert code == 2 and where in problem["message"], problem
    # Re-running lock repairs it.
    lock(repo)
    assert check(repo)[0] == 0


def test_lock_refuses_invalid_manifests_and_writes_nothing(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "r",
        {"a/aiact.yaml": LIMITED, "b/aiact.yaml": LIMITED.replace("[provider]", "[developer]")},
    )
    run = run_process("lock", "--reviewer", REVIEWER, cwd=repo)
    assert run.code == 2 and "b/aiact.yaml:4:" in run.err and "AIA104" in run.err
    assert not (repo / "a" / "aiact.lock").exists() and not (repo / "b" / "aiact.lock").exists()
    for args in (["--reviewer", " "], ["--reviewer", "a\nb"], []):
        bad = run_process("lock", *args, "a", cwd=repo)
        assert bad.code == 2 and "Traceback" not in bad.err


def test_lock_never_writes_through_a_link(repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me\n", encoding="utf-8")
    (repo / "aiact.lock").symlink_to(outside)
    run = run_process("lock", "--reviewer", REVIEWER, "--as-of", AS_OF, ".", cwd=repo)
    assert run.code == 2 and "not a regular file" in run.err
    assert outside.read_text(encoding="utf-8") == "keep me\n"
    code, doc = check(repo)
    assert code == 2 and "outside the repository" in rules(doc, "AIA931")[0]["message"]


def test_without_paths_only_missing_or_stale_locks_are_written(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "mono",
        {"a/aiact.yaml": LIMITED, "b/aiact.yaml": LIMITED, "a/" + "docs/literacy.md": "x\n"},
    )
    lock(repo)
    (repo / "b" / "aiact.yaml").write_text(HIGH, encoding="utf-8")
    a_before = (repo / "a" / "aiact.lock").read_bytes()
    run = lock(repo, reviewer="Sam Roe")
    assert "unchanged a/aiact.lock" in run.out and "wrote b/aiact.lock" in run.out
    assert (repo / "a" / "aiact.lock").read_bytes() == a_before  # Sam did not review a
    run = lock(repo, "a", reviewer="Sam Roe")  # naming it records a fresh review
    assert "wrote a/aiact.lock (review recorded again)" in run.out
    assert b"Sam Roe" in (repo / "a" / "aiact.lock").read_bytes()
    dry = run_cli("lock", "--reviewer", "X", "--dry-run", "--as-of", AS_OF, "b", cwd=repo)
    assert dry.code == 0 and "# --- b/aiact.lock" in dry.out and 'risk: "high"' in dry.out
    assert b'"X"' not in (repo / "b" / "aiact.lock").read_bytes()


def test_a_new_system_is_accepted_by_its_new_lock(tmp_path: Path) -> None:
    chat = {f"chat/{name}": text for name, text in FILES.items()}
    repo = make_repo(tmp_path / "mono", {"chat/aiact.yaml": LIMITED, **chat})
    lock(repo)
    commit(repo, "lock", {})
    for name, text in {
        "aiact.yaml": HIGH.replace("Support assistant", "CV ranker"),
        **FILES,
    }.items():
        (repo / "hr" / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / "hr" / name).write_text(text, encoding="utf-8")
    code, doc = check(repo, "--diff-base", "HEAD")
    (added,) = rules(doc, "AIA934")
    assert code == 1 and added["path"] == "hr/aiact.yaml" and not added["waived"]
    lock(repo, "hr")
    code, doc = check(repo, "--diff-base", "HEAD")
    assert code == 0, [f for f in doc["findings"] if f["severity"] == "error" and not f["waived"]]
    assert rules(doc, "AIA934")[0]["waived"]


@settings(max_examples=150, deadline=None)
@given(
    names=st.lists(st.text(max_size=30), min_size=0, max_size=4),
    reviewer=st.text(min_size=1, max_size=40).filter(str.strip),  # `lock` refuses a blank one
    note=st.text(max_size=60),
    system=st.text(max_size=40),
)
def test_the_fast_reader_reads_what_yaml_reads(
    names: list[str], reviewer: str, note: str, system: str
) -> None:
    """The hook reads a lock on every run without the YAML parser; it must agree with it."""
    import datetime

    from aiact_lint.lock import Review, _fast_load, facts_of, parse, render
    from aiact_lint.yamlsafe import load

    models = [{"id": name, "gpai_status": "gpai"} for name in names]
    facts = facts_of(True, "high", ["annex_iii:4(a)", "art50:1"], ["provider"], models)
    text = render("aiact.yaml", system, facts, Review(reviewer, datetime.date(2026, 11, 2), note))
    fast = _fast_load(text)
    assert fast is not None and fast == load(text).data
    assert parse(text).facts == facts


@pytest.mark.parametrize(
    "content",
    [
        b"a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        b"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c]\n"
        b"e: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n",
        b"\xff\xfe\x00r\x00i\x00s\x00k\x00",
        b"lock_version: 1\n" + b"x" * (300 * 1024),
        b"[unclosed\n",
        b"",
    ],
    # short ids: pytest puts the id in PYTEST_CURRENT_TEST, and a 300 KiB environment
    # variable makes every git call of the fixture fail with E2BIG
    ids=["alias-bomb", "utf16", "huge", "unclosed", "empty"],
)
def test_hostile_locks_are_input_errors_not_tracebacks(repo: Path, content: bytes) -> None:
    (repo / "aiact.lock").write_bytes(content)
    run = run_process("check", "--as-of", AS_OF, cwd=repo)
    assert run.code == 2, run.out + run.err
    assert "AIA931" in run.out and "Traceback" not in run.err and "internal error" not in run.err


def test_a_folder_named_like_the_lock(repo: Path) -> None:
    (repo / "aiact.lock").mkdir()
    run = run_process("check", "--as-of", AS_OF, cwd=repo)
    assert run.code == 2 and "AIA931" in run.out and "directory" in run.out
    locked = run_process("lock", "--reviewer", REVIEWER, ".", cwd=repo)
    assert locked.code == 2 and "not a regular file" in locked.err


def test_a_field_error_that_leaves_the_facts_readable_still_has_its_lock_checked(
    repo: Path,
) -> None:
    lock(repo)
    escaping = HIGH.replace("ai_literacy: docs/literacy.md", "ai_literacy: ../../etc/passwd")
    (repo / "aiact.yaml").write_text(escaping, encoding="utf-8")
    code, doc = check(repo)
    assert "AIA107" in {f["rule"] for f in doc["findings"]} and code == 1
    assert rules(doc, "AIA929"), "the verdict changed: the path error does not hide it"
