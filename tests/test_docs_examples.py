"""The README and docs stay current, and the bundled examples keep their promised exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_process

EXAMPLES = {
    "customer-chatbot": (0, "limited"),
    "hr-screening": (1, "prohibited"),
    "gpai-provider": (0, "out_of_scope"),
}


def test_generated_docs_are_current() -> None:
    result = subprocess.run(
        [sys.executable, "scripts/gen_docs.py", "--check"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_readme_quick_start_is_exactly_two_commands_and_ci_runs_the_second() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = [b.split("```", 1)[0].strip() for b in section.split("```sh\n")[1:]]
    assert len(blocks) == 2 and all("\n" not in b for b in blocks), blocks
    install_and_run, test_command = blocks
    assert "pip install" in install_and_run and "check examples/" in install_and_run
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test_command in ci.splitlines()


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_example_exit_codes(name: str) -> None:
    code, risk = EXAMPLES[name]
    folder = ROOT / "examples" / name
    run = run_process("check", "--format", "json", "--as-of", "2026-11-25", cwd=folder)
    assert run.code == code, run.out
    document = json.loads(run.out)
    assert [s["risk"] for s in document["systems"]] == [risk]
    text = run_process("check", str(Path("examples") / name), "--as-of", "2026-11-25", cwd=ROOT)
    assert text.code == code


def _section(text: str, heading: str) -> str:
    return text.split(heading, 1)[1].split("\n## ", 1)[0]


def test_readme_adoption_walkthrough_runs_as_written(tmp_path: Path) -> None:
    """The "Adopt it in your repository" commands, verbatim, in a repository like the one the
    README describes: services/chatbot calling OpenAI at app.py line 6."""
    import shlex

    from tests.conftest import git, make_repo

    app = (
        "from openai import OpenAI\n\nclient = OpenAI()\n\n\n"
        'def answer(q):  return client.chat.completions.create(model="gpt-4o-mini", messages=q)\n'
    )
    repo = make_repo(tmp_path / "repo", {"services/chatbot/app.py": app, "README.md": "# r\n"})
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = _section(readme, "## Adopt it in your repository").split("```sh\n", 1)[1]
    commands = [line for line in block.split("```", 1)[0].splitlines() if line.strip()]
    assert [c.split()[0] for c in commands] == ["aiact-lint", "aiact-lint", "git", "aiact-lint",
                                                "aiact-lint"]  # fmt: skip
    runs = []
    for line in commands:
        for part in line.split("&&"):
            words = shlex.split(part, comments=True)
            if words[0] == "git":
                git(repo, *words[1:])
                continue
            runs.append(run_process(*words[1:], "--as-of", "2026-11-25", cwd=repo))
    first, init, fix, last = runs
    assert first.code == 1 and "services/chatbot/app.py:6:" in first.out and "AIA808" in first.out
    assert init.code == 0, init.out + init.err
    assert fix.code in (0, 1) and last.code in (0, 1), fix.err + last.err
    left = {line.split()[1] for line in last.out.splitlines() if ": AIA" in line}
    # The evidence documents to write, and the review only a person records (`aiact-lint lock`).
    assert left <= {"AIA701", "AIA702", "AIA703", "AIA930"}, last.out
    assert "aiact-lint lock" in init.out


DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def test_every_version_pin_in_the_docs_exists() -> None:
    """A snippet may follow main or a commit SHA; a tag it names must exist (no tag is pushed
    before the first release), and `pip install aiact-lint` needs the package on PyPI."""
    import re

    tags = set(
        subprocess.run(
            ["git", "tag", "-l"], cwd=ROOT, capture_output=True, text=True
        ).stdout.split()
    )
    pins = re.compile(r"(?:\brev:\s*|aiact-lint/aiact-lint@)([\w.\-/]+)")
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        for ref in pins.findall(text):
            ok = ref == "main" or re.fullmatch(r"[0-9a-f]{40}", ref) or ref in tags
            assert ok, f"{doc.name}: {ref!r} is not main, a commit SHA or an existing tag"
        for line in text.splitlines():
            if re.search(r"pip install ['\"]?aiact-lint(?![\w/.-])", line):
                assert "==" in line and tags, f"{doc.name}: {line.strip()} (not on PyPI yet)"


def test_readme_pre_commit_snippet_is_a_valid_configuration(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    snippet = _section(readme, "## Integrations").split("```yaml\n", 1)[1].split("```", 1)[0]
    config = tmp_path / ".pre-commit-config.yaml"
    config.write_text(snippet, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-config", str(config)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    hooks = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert "- id: aiact-lint\n" in hooks and "id: aiact-lint" in snippet


def test_readme_review_workflow_runs_as_written(tmp_path: Path) -> None:
    """The "Review workflow" section: its lock command, verbatim, records the review; its
    CODEOWNERS line gives every aiact.lock of a monorepo to the compliance team (CODEOWNERS
    patterns follow .gitignore rules, so git itself matches them); a change of tier then fails
    `check` naming the review, until the lock is re-run."""
    import re
    import shlex

    from tests.conftest import git, make_repo
    from tests.test_lock import FILES, HIGH, LIMITED

    section = _section((ROOT / "README.md").read_text(encoding="utf-8"), "## Review workflow")
    command = re.search(r"`(aiact-lint lock --reviewer [^`]+)`", section.replace("\n   ", " "))
    assert command, section
    words = shlex.split(command.group(1))
    owners = section.split("```\n", 1)[1].split("```", 1)[0]
    rules = [
        line.split() for line in owners.splitlines() if line.strip() and line.split()[0][0] != "#"
    ]
    assert rules == [["aiact.lock", "@your-org/compliance"]], owners
    files = {
        f"services/chat/{name}": text for name, text in {"aiact.yaml": LIMITED, **FILES}.items()
    }
    repo = make_repo(tmp_path / "repo", files)
    (repo / ".gitignore").write_text(rules[0][0] + "\n", encoding="utf-8")
    for path, owned in (("services/chat/aiact.lock", True), ("aiact.lock", True),
                        ("services/chat/aiact.yaml", False)):  # fmt: skip
        matched = (
            subprocess.run(
                ["git", "check-ignore", "-q", "--no-index", path], cwd=repo, check=False
            ).returncode
            == 0
        )
        assert matched is owned, path
    (repo / ".gitignore").unlink()
    locked = run_process(*words[1:], "--as-of", "2026-11-25", "--reviewed-on", "2026-11-02",
                         "services/chat", cwd=repo)  # fmt: skip
    assert locked.code == 0, locked.err
    reviewer = words[words.index("--reviewer") + 1]
    assert f"reviewed_by: {json.dumps(reviewer)}" in (repo / "services/chat/aiact.lock").read_text()
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "reviewed")
    (repo / "services/chat/aiact.yaml").write_text(HIGH, encoding="utf-8")
    changed = run_process("check", "--as-of", "2026-11-25", "--select", "AIA929", cwd=repo)
    assert changed.code == 1, changed.out + changed.err
    assert (
        f"risk changed from limited to high (Annex III 4(a), Art. 50(1)) since the review of "
        f"2026-11-02 by {reviewer}" in changed.out
    ), changed.out
