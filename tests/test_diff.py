"""Pull-request checks (--diff-base): the legal effect of each change, stale evidence,
--new-only, and the git situations CI meets (shallow clones, detached HEAD, no repository)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from aiact_lint.manifest import find_root
from tests.conftest import ROOT, UNDECLARED, git, make_repo, run_cli, run_process

AS_OF = "2026-11-25"

BASE = """\
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
  purpose: Answers customer questions about orders
  annex_iii: []
risk:
  classification: minimal
evidence:
  risk_management: docs/risk.md
"""


def commit(repo: Path, message: str, files: dict[str, str]) -> str:
    for name, content in files.items():
        target = repo / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


def history(tmp_path: Path, *versions: str, extra: dict[str, str] | None = None) -> Path:
    """A repository whose aiact.yaml went through ``versions``, one commit each, plus a
    commit that touches only an unrelated file in between (so REF is not simply HEAD~1)."""
    files = {"aiact.yaml": versions[0], "docs/risk.md": "# Risk management\n", **(extra or {})}
    repo = make_repo(tmp_path / "repo", files)
    commit(repo, "unrelated", {"README.md": "hello\n"})
    for number, text in enumerate(versions[1:], 2):
        commit(repo, f"version {number}", {"aiact.yaml": text})
    return repo


def check(repo: Path, *args: str, cwd: Path | None = None) -> tuple[int, dict[str, Any], str]:
    run = run_cli("check", "--format", "json", "--as-of", AS_OF, *args, cwd=cwd or repo)
    return run.code, (run.json() if run.out else {}), run.err


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def found(doc: dict[str, Any], rule: str) -> list[dict[str, Any]]:
    return [f for f in doc["findings"] if f["rule"] == rule]


def only(doc: dict[str, Any], rule: str) -> dict[str, Any]:
    hits = found(doc, rule)
    assert len(hits) == 1, (rule, [f["rule"] for f in doc["findings"]])
    return hits[0]


def test_purpose_change_that_makes_the_system_high_risk(tmp_path: Path) -> None:
    new = BASE.replace(
        "Answers customer questions about orders", "Shortlists applicants by scoring their CVs"
    ).replace("annex_iii: []", 'annex_iii: ["4(a)"]')
    repo = history(tmp_path, BASE, new)
    base = git(repo, "rev-list", "--max-parents=0", "HEAD").strip()
    code, doc, err = check(repo, "--diff-base", base)
    assert code in (0, 1), err

    purpose = only(doc, "AIA920")
    assert (purpose["path"], purpose["line"]) == ("aiact.yaml", line_of(new, "  purpose:"))
    assert "Art. 43(4)" in purpose["article"]  # the provider needs a new conformity assessment
    assert "Answers customer questions" in purpose["message"]
    assert base[:7] in purpose["message"]

    annex = only(doc, "AIA921")
    assert annex["line"] == line_of(new, "annex_iii:")
    assert annex["column"] == new.splitlines()[annex["line"] - 1].index('"4(a)"') + 1
    assert "4(a)" in annex["message"]
    assert "Art. 6(2)" in annex["article"]

    risk = only(doc, "AIA922")
    assert risk["line"] == line_of(new, "classification:")
    assert "minimal to high" in risk["message"]
    assert "Art. 43(4)" in risk["article"]


def test_purpose_change_by_a_deployer_cites_art_25(tmp_path: Path) -> None:
    old = BASE.replace("roles: [provider]", "roles: [deployer]")
    new = old.replace(
        "Answers customer questions about orders", "Shortlists applicants by scoring their CVs"
    ).replace("annex_iii: []", 'annex_iii: ["4(a)"]')
    repo = history(tmp_path, old, new)
    _, doc, _ = check(repo, "--diff-base", "HEAD~2")
    purpose = only(doc, "AIA920")
    assert "Art. 25(1)(c)" in purpose["article"]
    assert "provider" in purpose["message"]
    assert "Art. 25(1)(c)" in only(doc, "AIA921")["article"]


def test_role_change(tmp_path: Path) -> None:
    old = BASE.replace("roles: [provider]", "roles: [deployer]")
    new = BASE.replace("roles: [provider]", "roles: [deployer, provider]")
    repo = history(tmp_path, old, new)
    _, doc, _ = check(repo, "--diff-base", "HEAD~1")
    role = only(doc, "AIA923")
    assert (role["line"], role["column"]) == (line_of(new, "roles:"), 1)
    assert "now provider" in role["message"]


def test_eu_added_to_the_market(tmp_path: Path) -> None:
    old = BASE.replace("regions: [EU]", "regions: [US]")
    new = BASE.replace("regions: [EU]", "regions: [US, EU]")
    repo = history(tmp_path, old, new)
    _, doc, _ = check(repo, "--diff-base", "HEAD~1")
    eu = only(doc, "AIA924")
    line = line_of(new, "regions:")
    assert (eu["line"], eu["column"]) == (line, new.splitlines()[line - 1].index("EU") + 1)
    assert eu["article"] == "Art. 2(1)"


def test_model_swapped_and_added(tmp_path: Path) -> None:
    new = BASE.replace("  - id: acme/base-7b\n", "  - id: acme/base-8b\n").replace(
        "use_case:\n", "  - id: acme/reranker\n    general_purpose: false\nuse_case:\n"
    )
    repo = history(tmp_path, BASE, new)
    _, doc, _ = check(repo, "--diff-base", "HEAD~1")
    changes = {f["subject"]: f for f in found(doc, "AIA925")}
    swapped = changes["diff:model:acme/base-8b"]
    assert "replaces acme/base-7b" in swapped["message"]
    assert swapped["line"] == line_of(new, "acme/base-8b")
    added = changes["diff:model:acme/reranker"]
    assert "was added" in added["message"]
    assert added["line"] == line_of(new, "acme/reranker")
    assert "Art. 3(23)" in added["article"]


@pytest.mark.parametrize(
    ("base", "added", "threshold", "article"),
    [
        ("9.0e24", "2.0e24", "10^25", "Art. 52(1)"),
        ("8.0e22", "4.0e22", "10^23", "Art. 3(63)"),
    ],
)
def test_compute_crossing_a_threshold(
    tmp_path: Path, base: str, added: str, threshold: str, article: str
) -> None:
    old = BASE.replace("9.0e24", base)
    new = old.replace(
        f"    training_compute_flop: {base}\n",
        f"    training_compute_flop: {base}\n"
        f"    modifications:\n      - kind: continued_pretraining\n        compute_flop: {added}\n",
    )
    repo = history(tmp_path, old, new)
    _, doc, _ = check(repo, "--diff-base", "HEAD~1")
    crossing = only(doc, "AIA926")
    assert crossing["line"] == line_of(new, "modifications:")
    assert threshold in crossing["message"]
    assert article in crossing["article"]
    if threshold == "10^25":
        assert "within two weeks" in crossing["message"]


def test_compute_below_the_threshold_is_quiet(tmp_path: Path) -> None:
    new = BASE.replace(
        "    training_compute_flop: 9.0e24\n",
        "    training_compute_flop: 9.0e24\n    modifications:\n"
        "      - kind: fine_tune\n        compute_flop: 1.0e20\n",
    )
    repo = history(tmp_path, BASE, new)
    _, doc, _ = check(repo, "--diff-base", "HEAD~1")
    assert found(doc, "AIA926") == []


def test_derogation_dropped(tmp_path: Path) -> None:
    old = BASE.replace(
        "  annex_iii: []\n",
        '  annex_iii: ["4(a)"]\n  profiling: false\n  derogation:\n'
        "    condition: preparatory_task\n    assessment: docs/risk.md\n",
    ).replace("Answers customer questions about orders", "Formats CVs before review")
    new = old.replace("profiling: false", "profiling: true")
    repo = history(tmp_path, old, new)
    _, doc, _ = check(repo, "--diff-base", "HEAD~1")
    dropped = only(doc, "AIA927")
    assert dropped["line"] == line_of(new, "profiling:")
    assert "Art. 6(3)" in dropped["article"] and "Art. 6(4)" in dropped["article"]
    assert "minimal to high" in only(doc, "AIA922")["message"]


def test_unchanged_manifest_has_no_diff_findings(tmp_path: Path) -> None:
    repo = history(tmp_path, BASE)
    _, doc, _ = check(repo, "--diff-base", "HEAD~1")
    assert not [f for f in doc["findings"] if f["rule"].startswith("AIA92")]


def test_stale_evidence_names_both_commits(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", {"aiact.yaml": BASE, "docs/risk.md": "# Risk\n"})
    doc_commit = git(repo, "rev-parse", "HEAD").strip()
    commit(repo, "unrelated", {"README.md": "x\n"})
    new = BASE.replace("acme/base-7b", "acme/base-8b")
    change = commit(repo, "swap the model", {"aiact.yaml": new})
    _, doc, _ = check(repo, "--diff-base", "HEAD~1")
    stale = only(doc, "AIA928")
    assert (stale["line"], stale["column"]) == (
        line_of(new, "risk_management:"),
        len("  risk_management: ") + 1,
    )
    assert doc_commit[:7] in stale["message"] and change[:7] in stale["message"]
    assert "models" in stale["message"]
    # Updating the document afterwards makes it fresh again.
    commit(repo, "review risk file", {"docs/risk.md": "# Risk\nReviewed for base-8b.\n"})
    _, doc, _ = check(repo, "--diff-base", "HEAD~2")
    assert found(doc, "AIA928") == []


def test_evidence_changed_with_the_model_is_fresh(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", {"aiact.yaml": BASE, "docs/risk.md": "# Risk\n"})
    new = BASE.replace("acme/base-7b", "acme/base-8b")
    commit(repo, "swap model and risk", {"aiact.yaml": new, "docs/risk.md": "# Risk v2\n"})
    _, doc, _ = check(repo, "--diff-base", "HEAD~1")
    assert found(doc, "AIA928") == []


def test_uncommitted_purpose_change_makes_evidence_stale(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", {"aiact.yaml": BASE, "docs/risk.md": "# Risk\n"})
    doc_commit = git(repo, "rev-parse", "HEAD").strip()
    (repo / "aiact.yaml").write_text(
        BASE.replace("about orders", "about orders and returns"), encoding="utf-8"
    )
    _, doc, _ = check(repo, "--diff-base", "HEAD")
    stale = only(doc, "AIA928")
    assert doc_commit[:7] in stale["message"]
    assert "uncommitted changes" in stale["message"]
    assert "intended purpose" in stale["message"]
    assert only(doc, "AIA920")["line"] == line_of(BASE, "  purpose:")


def test_new_only_reports_changed_lines_but_exits_on_everything(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", {"aiact.yaml": UNDECLARED})
    new = UNDECLARED + "models:\n  - id: acme/ranker\n"
    commit(repo, "add a model", {"aiact.yaml": new})
    model_line = line_of(new, "acme/ranker")

    code, doc, _ = check(repo, "--diff-base", "HEAD~1", "--new-only")
    lines = {f["line"] for f in doc["findings"]}
    assert lines == {model_line}  # AIA301 (line 9) predates the change
    assert {"AIA601", "AIA925"} <= {f["rule"] for f in doc["findings"]}
    assert doc["summary"]["outside_diff"] >= 2
    assert code == 1  # the untouched AIA301 error still fails the build

    code, doc, _ = check(repo, "--diff-base", "HEAD~1", "--fail-on-new-only")
    assert {f["line"] for f in doc["findings"]} == {model_line}
    assert code == 0  # only the new warnings and infos count now

    full = check(repo, "--diff-base", "HEAD~1")[1]
    assert found(full, "AIA301")[0]["line"] == line_of(new, "annex_iii")


def test_new_only_counts_untracked_files_as_new(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", {"README.md": "x\n"})
    commit(repo, "second", {"README.md": "y\n"})
    (repo / "svc").mkdir()
    (repo / "svc" / "aiact.yaml").write_text(UNDECLARED, encoding="utf-8")
    code, doc, _ = check(repo, "--diff-base", "HEAD~1", "--new-only")
    assert [(f["rule"], f["path"]) for f in found(doc, "AIA301")] == [("AIA301", "svc/aiact.yaml")]
    assert code == 1


def test_prohibited_practice_is_shown_even_off_the_diff(tmp_path: Path) -> None:
    text = BASE.replace(
        "  annex_iii: []\n", "  annex_iii: []\n  capabilities:\n    social_scoring: true\n"
    )
    repo = make_repo(tmp_path / "repo", {"aiact.yaml": text, "docs/risk.md": "# r\n"})
    commit(repo, "readme", {"README.md": "x\n"})
    code, doc, _ = check(repo, "--diff-base", "HEAD~1", "--fail-on-new-only")
    assert only(doc, "AIA401")["line"] == line_of(text, "social_scoring")
    assert code == 1


def test_detached_head(tmp_path: Path) -> None:
    old = BASE.replace("regions: [EU]", "regions: [US]")
    repo = history(tmp_path, old, BASE)
    git(repo, "checkout", "-q", "--detach", "HEAD")
    assert git(repo, "rev-parse", "--abbrev-ref", "HEAD").strip() == "HEAD"
    code, doc, err = check(repo, "--diff-base", "main~1")
    assert code in (0, 1), err
    assert only(doc, "AIA924")["line"] == line_of(BASE, "regions:")


def test_changes_on_the_base_branch_since_the_fork_are_not_the_pull_requests(
    tmp_path: Path,
) -> None:
    repo = make_repo(tmp_path / "repo", {"aiact.yaml": BASE, "docs/risk.md": "# r\n"})
    git(repo, "checkout", "-q", "-b", "feature")
    feature = BASE.replace("about orders", "about orders and returns")
    commit(repo, "feature: widen purpose", {"aiact.yaml": feature})
    git(repo, "checkout", "-q", "main")
    commit(repo, "main: new model", {"aiact.yaml": BASE.replace("base-7b", "base-8b")})
    git(repo, "checkout", "-q", "feature")
    _, doc, _ = check(repo, "--diff-base", "main")
    assert only(doc, "AIA920")["line"] == line_of(feature, "  purpose:")
    assert found(doc, "AIA925") == []  # main's model swap is not this branch's change
    _, doc, _ = check(repo, "--diff-base", "main", "--new-only")
    assert {f["line"] for f in doc["findings"]} <= {line_of(feature, "  purpose:")}


def test_shallow_clone_without_the_base_is_exit_2(tmp_path: Path) -> None:
    origin = history(tmp_path, BASE, BASE.replace("regions: [EU]", "regions: [EU, US]"))
    first = git(origin, "rev-list", "--max-parents=0", "HEAD").strip()
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{origin}", str(clone))
    assert git(clone, "rev-parse", "--is-shallow-repository").strip() == "true"
    run = run_process("check", "--as-of", AS_OF, "--diff-base", first, cwd=clone)
    assert run.code == 2
    assert run.out == ""
    assert first in run.err
    assert "shallow clone" in run.err
    assert "fetch-depth: 0" in run.err and "git fetch" in run.err
    assert "Traceback" not in run.err


def test_unknown_ref_is_exit_2(tmp_path: Path) -> None:
    repo = history(tmp_path, BASE)
    code, _, err = check(repo, "--diff-base", "origin/no-such-branch")
    assert code == 2
    assert "origin/no-such-branch: no such commit" in err


def test_outside_git_is_exit_2(tmp_path: Path) -> None:
    folder = tmp_path / "plain"
    folder.mkdir()
    (folder / "aiact.yaml").write_text(BASE, encoding="utf-8")
    if find_root(folder) is not None:
        pytest.skip("the temporary folder is inside a git work tree")
    run = run_process("check", "--as-of", AS_OF, "--diff-base", "main", cwd=folder)
    assert run.code == 2
    assert "--diff-base needs a git repository" in run.err
    assert run.out == ""
    # Without the flag the same folder checks fine.
    assert run_cli("check", "--as-of", AS_OF, cwd=folder).code in (0, 1)


def test_monorepo_only_the_changed_manifest_has_diff_findings(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "repo",
        {
            "a/aiact.yaml": BASE,
            "b/aiact.yaml": BASE,
            "a/docs/risk.md": "x\n",
            "b/docs/risk.md": "y\n",
        },
    )
    commit(
        repo,
        "change b",
        {"b/aiact.yaml": BASE.replace("regions: [EU]", "regions: [EU]\n  brand: own")},
    )
    commit(repo, "swap model in a", {"a/aiact.yaml": BASE.replace("base-7b", "base-8b")})
    _, doc, _ = check(repo, "--diff-base", "HEAD~1")
    lock_rules = ("AIA929", "AIA930", "AIA931")  # the lock is checked on every system
    diff = [
        (f["rule"], f["path"])
        for f in doc["findings"]
        if f["rule"] >= "AIA920" and f["rule"] not in lock_rules
    ]
    assert ("AIA925", "a/aiact.yaml") in diff
    assert ("AIA928", "a/aiact.yaml") in diff
    assert all(path == "a/aiact.yaml" for _, path in diff)


def test_plain_check_does_not_import_gitpython_or_toml(tmp_path: Path) -> None:
    folder = make_repo(
        tmp_path / "repo",
        {"aiact.yaml": UNDECLARED, "pyproject.toml": '[project]\nname = "aiact-lint-demo"\n'},
    )
    code = (
        "import sys, os\n"
        "from aiact_lint.cli import main\n"
        "os.chdir(sys.argv[1])\n"
        "main(['check', '--as-of', '2026-11-25', '-q'])\n"
        "print('git' in sys.modules, 'tomllib' in sys.modules or 'tomli' in sys.modules)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(folder)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert proc.stdout.strip().splitlines()[-1] == "False False", proc.stderr
