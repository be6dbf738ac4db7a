"""`--diff-base`, complete: every legal event of a change with its full before and after values.

Each test builds a temporary git repository, commits the base version, changes the working tree
or commits a change, and runs the CLI. The values are asserted in the JSON (`before`/`after`),
in SARIF (result properties) and in the text output (no clipped prefixes).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from tests.conftest import git, make_repo, run_cli
from tests.test_diff import AS_OF, BASE, commit, found, line_of, only

LONG_PURPOSE = (
    "Answers customer questions about orders, deliveries, returns and refunds for the web shop "
    "in six languages"
)
RANKING = (
    "Answers customer questions about orders, deliveries, returns and refunds for the web shop "
    "and ranks the candidates who apply for open roles in customer service"
)
SHOP = BASE.replace("Answers customer questions about orders", LONG_PURPOSE)


def run(repo: Path, *args: str) -> tuple[int, dict[str, Any]]:
    result = run_cli("check", "--format", "json", "--as-of", AS_OF, *args, cwd=repo)
    assert result.code in (0, 1), result.err
    return result.code, result.json()


def based(tmp_path: Path, files: dict[str, str]) -> Path:
    """A repository whose first commit is the base; the tests then change the working tree."""
    return make_repo(tmp_path / "repo", {"docs/risk.md": "# Risk management\n", **files})


def write(repo: Path, name: str, text: str) -> None:
    target = repo / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def record(doc: dict[str, Any], manifest: str) -> dict[str, Any]:
    (entry,) = [r for r in doc["diff"]["systems"] if r["manifest"] == manifest]
    return entry


def test_purpose_change_is_a_word_diff_with_full_values(tmp_path: Path) -> None:
    repo = based(tmp_path, {"aiact.yaml": SHOP})
    changed = SHOP.replace(LONG_PURPOSE, RANKING)
    write(repo, "aiact.yaml", changed)
    _, doc = run(repo, "--diff-base", "HEAD")
    purpose = only(doc, "AIA920")
    assert purpose["before"] == LONG_PURPOSE and purpose["after"] == RANKING
    # The kept words are shown once; the edit reads as one ("in" matched by chance between two
    # edits is folded into them, not shown as a kept word).
    assert (
        "for the web shop [-in six languages-] {+and ranks the candidates who apply for open "
        "roles in customer service+}" in purpose["message"]
    )
    assert "…" not in purpose["message"]
    assert purpose["message"].count("Answers customer questions about orders, deliveries") == 1
    text = run_cli("check", "--as-of", AS_OF, "--diff-base", "HEAD", cwd=repo).out
    assert "{+and ranks the candidates who apply for open roles in customer service+}" in text
    sarif = json.loads(
        run_cli("check", "--format", "sarif", "--as-of", AS_OF, "--diff-base", "HEAD", cwd=repo).out
    )
    (result,) = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "AIA920"]
    assert result["properties"]["before"] == LONG_PURPOSE
    assert result["properties"]["after"] == RANKING


def test_a_word_matched_by_chance_does_not_split_the_edit(tmp_path: Path) -> None:
    # The issue's chatbot turned into a candidate-ranking tool: the "and" of "English and
    # German" is no sentence kept; the diff removes one phrase and adds one.
    old = LONG_PURPOSE + ", in English and German, and hands over to a human agent when asked"
    new = LONG_PURPOSE + ", and ranks job applicants for open roles by scoring their CVs"
    repo = based(
        tmp_path, {"aiact.yaml": BASE.replace("Answers customer questions about orders", old)}
    )
    write(repo, "aiact.yaml", BASE.replace("Answers customer questions about orders", new))
    _, doc = run(repo, "--diff-base", "HEAD")
    purpose = only(doc, "AIA920")
    assert (purpose["before"], purpose["after"]) == (old, new)
    assert (
        "in six languages, [-in English and German, and hands over to a human agent when "
        "asked-] {+and ranks job applicants for open roles by scoring their CVs+};"
    ) in purpose["message"]
    assert record(doc, "aiact.yaml")["purpose"] == {"before": old, "after": new}


def test_system_added_removed_and_moved(tmp_path: Path) -> None:
    repo = based(
        tmp_path,
        {
            "chat/aiact.yaml": BASE,
            "old/aiact.yaml": BASE.replace("Support assistant", "Legacy FAQ bot"),
            "svc/aiact.yaml": BASE.replace("Support assistant", "Mover"),
        },
    )
    git(repo, "rm", "-q", "old/aiact.yaml")
    git(repo, "mv", "svc", "services")
    write(repo, "faq/aiact.yaml", BASE.replace("Support assistant", "FAQ search"))
    _, doc = run(repo, "--diff-base", "HEAD")
    added = only(doc, "AIA935")
    assert (added["path"], added["line"]) == ("faq/aiact.yaml", line_of(BASE, "  name:"))
    assert added["before"] is None and added["after"]["risk"] == "minimal"
    assert "FAQ search" in added["message"]
    removed = only(doc, "AIA936")
    assert (removed["path"], removed["line"]) == ("old/aiact.yaml", 1)
    assert removed["before"]["risk"] == "minimal" and removed["after"] is None
    assert "Legacy FAQ bot" in removed["message"]
    # The moved system is compared with its old self: neither added nor removed.
    assert [f["path"] for f in doc["findings"] if f["rule"] in ("AIA934", "AIA935", "AIA936")] == [
        "faq/aiact.yaml",
        "old/aiact.yaml",
    ]
    assert record(doc, "services/aiact.yaml")["moved_from"] == "svc/aiact.yaml"
    assert record(doc, "old/aiact.yaml")["status"] == "removed"
    assert record(doc, "faq/aiact.yaml")["status"] == "added"
    assert record(doc, "chat/aiact.yaml")["status"] == "unchanged"
    # A check of one folder does not report systems removed elsewhere.
    _, chat_only = run(repo, "--diff-base", "HEAD", "chat")
    assert found(chat_only, "AIA936") == []


def test_new_high_risk_system_in_a_monorepo_is_an_error(tmp_path: Path) -> None:
    repo = based(tmp_path, {"services/chat/aiact.yaml": BASE})
    hr = (
        BASE.replace("Support assistant", "CV ranker")
        .replace("annex_iii: []", 'annex_iii: ["4(a)"]')
        .replace("classification: minimal", "classification: high")
    )
    commit(repo, "add the CV ranker", {"services/hr/aiact.yaml": hr})
    code, doc = run(repo, "--diff-base", "HEAD~1")
    added = only(doc, "AIA934")
    assert added["severity"] == "error" and code == 1
    assert added["path"] == "services/hr/aiact.yaml"
    assert added["after"]["risk"] == "high" and "annex_iii:4(a)" in added["after"]["routes"]
    assert "CV ranker" in added["message"] and "high risk (Annex III 4(a))" in added["message"]
    effect = record(doc, "services/hr/aiact.yaml")
    assert effect["status"] == "added" and effect["before"] is None
    assert {"risk_management", "conformity_assessment"} <= {
        d["id"] for d in effect["obligations_added"]
    }
    assert all(
        d["applies_from"] == "2027-12-02"
        for d in effect["obligations_added"]
        if d["id"] == "risk_management"
    )


def test_tier_raised_and_lowered(tmp_path: Path) -> None:
    repo = based(tmp_path, {"aiact.yaml": BASE})
    high = BASE.replace("annex_iii: []", 'annex_iii: ["5(b)"]')
    write(repo, "aiact.yaml", high)
    code, doc = run(repo, "--diff-base", "HEAD")
    raised = only(doc, "AIA922")
    assert raised["severity"] == "error" and code == 1
    assert raised["before"] == {"risk": "minimal", "routes": []}
    assert raised["after"] == {"risk": "high", "routes": ["annex_iii:5(b)"]}
    assert "from minimal to high" in raised["message"] and "Annex III 5(b)" in raised["message"]
    annex = only(doc, "AIA921")
    assert annex["before"] == [] and annex["after"] == ["5(b)"]
    effect = record(doc, "aiact.yaml")
    assert effect["before"]["risk"] == "minimal" and effect["after"]["risk"] == "high"
    assert "risk_management" in {d["id"] for d in effect["obligations_added"]}
    git(repo, "commit", "-qam", "credit scoring")
    write(repo, "aiact.yaml", BASE)
    code, doc = run(repo, "--diff-base", "HEAD")
    lowered = only(doc, "AIA933")
    assert lowered["severity"] == "warning"
    assert lowered["before"]["risk"] == "high" and lowered["after"]["risk"] == "minimal"
    assert found(doc, "AIA922") == []
    assert "risk_management" in {d["id"] for d in record(doc, "aiact.yaml")["obligations_ended"]}


def test_gpai_threshold_crossed_and_status_declared(tmp_path: Path) -> None:
    repo = based(tmp_path, {"aiact.yaml": BASE})
    crossing = BASE.replace(
        "    training_compute_flop: 9.0e24\n",
        "    training_compute_flop: 9.0e24\n    modifications:\n"
        "      - kind: continued_pretraining\n        compute_flop: 2.0e24\n",
    )
    write(repo, "aiact.yaml", crossing)
    _, doc = run(repo, "--diff-base", "HEAD")
    crossed = only(doc, "AIA926")
    assert crossed["before"] == 9.0e24 and crossed["after"] == 1.1e25
    assert found(doc, "AIA937") == []  # the crossing already says it
    declared = BASE.replace(
        "    general_purpose: true\n    training_compute_flop: 9.0e24\n",
        "    general_purpose: false\n",
    )
    commit(repo, "not gpai", {"aiact.yaml": declared})
    write(repo, "aiact.yaml", declared.replace("general_purpose: false", "general_purpose: true"))
    _, doc = run(repo, "--diff-base", "HEAD")
    status = only(doc, "AIA937")
    assert (status["before"], status["after"]) == ("not_gpai", "gpai")
    assert status["line"] == line_of(declared, "general_purpose:")


ON_MARKET = BASE.replace("  regions: [EU]\n", "  regions: [EU]\n  placed_on_market: 2025-06-01\n")
LEGACY = ON_MARKET.replace("annex_iii: []", 'annex_iii: ["4(a)"]').replace(
    "Answers customer questions about orders", "Ranks applicants for a recruiter to read"
)


def test_purpose_changed_on_a_system_on_the_market(tmp_path: Path) -> None:
    repo = based(tmp_path, {"aiact.yaml": ON_MARKET})
    write(
        repo,
        "aiact.yaml",
        ON_MARKET.replace("questions about orders", "questions and ranks candidates"),
    )
    _, doc = run(repo, "--diff-base", "HEAD")
    assert found(doc, "AIA920") == []
    modified = only(doc, "AIA938")
    assert "Art. 3(23)" in modified["article"] and "substantial modification" in modified["message"]
    assert "on the market since 2025-06-01" in modified["message"]
    assert modified["before"] == "Answers customer questions about orders"
    assert found(doc, "AIA939") == []  # not high-risk: no legacy status to lose
    # A deployer changing the purpose of a high-risk system that stays high-risk: Art. 25(1)(b).
    deployer = LEGACY.replace("roles: [provider]", "roles: [deployer]")
    commit(repo, "hr", {"aiact.yaml": deployer})
    write(
        repo, "aiact.yaml", deployer.replace("for a recruiter to read", "and rejects the weakest")
    )
    _, doc = run(repo, "--diff-base", "HEAD")
    assert "Art. 25(1)(b)" in only(doc, "AIA938")["article"]


def test_purpose_change_ends_the_legacy_status(tmp_path: Path) -> None:
    repo = based(tmp_path, {"aiact.yaml": LEGACY})
    new = LEGACY.replace("for a recruiter to read", "and rejects the weakest automatically")
    write(repo, "aiact.yaml", new)
    after_cutoff = "2028-01-10"  # Chapter III applies to Annex III systems from 2027-12-02
    result = run_cli(
        "check", "--format", "json", "--as-of", after_cutoff, "--diff-base", "HEAD", cwd=repo
    )
    doc = result.json()
    legacy = only(doc, "AIA939")
    assert legacy["severity"] == "error" and result.code == 1
    assert "Art. 111(2)" in legacy["article"] and "apply to it now" in legacy["message"]
    # At REF the determination could not tell whether an earlier change had ended the status
    # (it asks for market.significant_change); the finding says so instead of assuming.
    assert legacy["before"] == {
        "legacy_status": "unknown",
        "placed_on_market": "2025-06-01",
        "chapter_iii_date": "2027-12-02",
    }
    assert "unless an earlier significant change" in legacy["message"]
    assert legacy["after"] == {"legacy_status": "ended", "chapter_iii_date": "2027-12-02"}
    assert legacy["line"] == line_of(new, "  purpose:")
    assert doc["systems"][0]["legacy"]["status"] == "ended"  # the determination agrees
    # Made before the Chapter III date the change ends nothing yet (Art. 111(2): "as from that
    # date"), and the substantial-modification finding says so.
    _, doc = run(repo, "--diff-base", "HEAD")
    assert found(doc, "AIA939") == []
    modified = only(doc, "AIA938")
    assert "does not end its legacy status" in modified["message"]
    assert "Art. 111(2)" in modified["article"]
    # The determination still gives the legacy status, and names the change it saw instead of
    # claiming there was none.
    legacy_now = doc["systems"][0]["legacy"]
    assert legacy_now["status"] == "legacy", legacy_now
    reason = next(o["reason"] for o in doc["systems"][0]["obligations"] if o["status"] == "legacy")
    assert "no significant change" not in reason, reason
    assert f"significant change in design on {AS_OF} (use_case.purpose changed since" in reason
    assert "came before that date" in reason
    # Placed on the market after the Chapter III date: no legacy status to lose.
    late = LEGACY.replace("2025-06-01", "2027-12-10")
    commit(repo, "late", {"aiact.yaml": late})
    write(repo, "aiact.yaml", late.replace("for a recruiter to read", "and rejects the weakest"))
    result = run_cli(
        "check", "--format", "json", "--as-of", after_cutoff, "--diff-base", "HEAD", cwd=repo
    )
    doc = result.json()
    assert found(doc, "AIA939") == [] and only(doc, "AIA938")
    assert "legacy" not in only(doc, "AIA938")["message"]


def test_undeclared_market_date_is_a_question_not_a_silent_no(tmp_path: Path) -> None:
    high = BASE.replace("annex_iii: []", 'annex_iii: ["4(a)"]')
    repo = based(tmp_path, {"aiact.yaml": high})
    write(repo, "aiact.yaml", high.replace("questions about orders", "questions and ranks CVs"))
    _, doc = run(repo, "--diff-base", "HEAD")
    purpose = only(doc, "AIA920")
    assert "market.placed_on_market is not declared" in purpose["message"]
    assert "Art. 111(2)" in purpose["article"]


def test_prohibited_practice_added_is_an_error_nothing_accepts(tmp_path: Path) -> None:
    repo = based(tmp_path, {"aiact.yaml": BASE})
    scoring = BASE.replace(
        "  annex_iii: []\n", "  annex_iii: []\n  capabilities:\n    social_scoring: true\n"
    )
    write(repo, "aiact.yaml", scoring)
    run_cli("lock", "--reviewer", "cto@example.com", "--as-of", AS_OF, ".", cwd=repo)
    for extra in ([], ["--ignore", "AIA932"], ["--select", "AIA920"]):
        code, doc = run(repo, "--diff-base", "HEAD", *extra)
        added = only(doc, "AIA932")
        assert added["severity"] == "error" and not added["waived"] and code == 1
        assert added["line"] == line_of(scoring, "social_scoring")
        assert added["before"] == [] and added["after"] == ["art5:(c)"]
    raised = only(run(repo, "--diff-base", "HEAD")[1], "AIA922")
    assert raised["waived"], "the lock accepts the tier, never the practice"


def test_step_of_the_json_diff_section(tmp_path: Path) -> None:
    repo = based(tmp_path, {"aiact.yaml": BASE})
    _, doc = run(repo)
    assert "diff" not in doc  # only with --diff-base
    _, doc = run(repo, "--diff-base", "HEAD")
    assert doc["diff"]["base"].startswith("HEAD (")
    (entry,) = doc["diff"]["systems"]
    assert entry["status"] == "unchanged" and entry["lock"]["status"] == "missing"
    assert entry["before"] == entry["after"]
    assert re.fullmatch(r"[0-9a-f]{7}", doc["diff"]["base"][6:13])


def test_every_other_event_carries_its_before_and_after(tmp_path: Path) -> None:
    old = BASE.replace(
        "  annex_iii: []\n",
        '  annex_iii: ["4(a)"]\n  profiling: false\n  derogation:\n'
        "    condition: preparatory_task\n    assessment: docs/risk.md\n",
    )
    repo = based(tmp_path, {"aiact.yaml": old})
    new = (
        old.replace("roles: [provider]", "roles: [provider, deployer]")
        .replace("acme/base-7b", "acme/base-8b")
        .replace("profiling: false", "profiling: true")
    )
    write(repo, "aiact.yaml", new)
    _, doc = run(repo, "--diff-base", "HEAD")
    expected = {
        "AIA923": (["provider"], ["deployer", "provider"]),
        "AIA925": ("acme/base-7b", "acme/base-8b"),
        "AIA927": ("valid", "voided_by_profiling"),
    }
    for rule, (before, after) in expected.items():
        finding = only(doc, rule)
        assert (finding["before"], finding["after"]) == (before, after), rule
    assert "from [provider] to [deployer, provider]" in only(doc, "AIA923")["message"]
    # Entering the Union market: out of scope before, so the tier is raised too.
    outside = BASE.replace("regions: [EU]", "regions: [US]\n  output_used_in_eu: false")
    commit(repo, "outside the Union", {"aiact.yaml": outside})
    write(repo, "aiact.yaml", outside.replace("regions: [US]", "regions: [US, EU]"))
    _, doc = run(repo, "--diff-base", "HEAD")
    market = only(doc, "AIA924")
    assert market["before"] == {"regions": ["US"], "output_used_in_eu": False}
    assert market["after"] == {"regions": ["US", "EU"], "output_used_in_eu": False}
    assert "[US]" in market["message"]
    raised = only(doc, "AIA922")
    assert raised["before"] == {"risk": "out_of_scope", "routes": []}
    assert raised["after"]["risk"] == "minimal"


def test_new_only_keeps_the_legal_effect_wherever_it_points(tmp_path: Path) -> None:
    repo = based(tmp_path, {"aiact.yaml": BASE, "old/aiact.yaml": BASE})
    git(repo, "rm", "-q", "old/aiact.yaml")
    write(repo, "aiact.yaml", BASE.replace("annex_iii: []", 'annex_iii: ["5(b)"]'))
    result = run_cli(
        "check", "--format", "json", "--as-of", AS_OF, "--diff-base", "HEAD",
        "--fail-on-new-only", cwd=repo,
    )  # fmt: skip
    doc = result.json()
    raised = only(doc, "AIA922")  # at risk.classification, a line this change did not touch
    assert raised["line"] == line_of(BASE, "classification:")
    assert only(doc, "AIA936")["path"] == "old/aiact.yaml"
    assert result.code == 1
