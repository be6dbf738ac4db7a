"""Fast where users stand: a check of one folder reads that folder's files only, and a regex runs
only on a file that holds one of the literals it cannot match without.

Behaviour, not timings (the speed itself is measured in benchmarks/bench_where_users_stand.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from aiact_lint.lawdata import table
from aiact_lint.repo.code_scan import CodeScans, expand, patterns, scan_repository
from aiact_lint.repo.literals import required_literals
from aiact_lint.repo.scan.text import _may_match
from aiact_lint.runner import _scope
from tests.conftest import AS_OF, MINIMAL, make_repo, run_process

CHAT = 'from openai import OpenAI\nOpenAI().chat.completions.create(model="gpt-4o", messages=[])\n'


@pytest.fixture
def two_systems(tmp_path: Path) -> Path:
    return make_repo(
        tmp_path / "mono",
        {
            "a/aiact.yaml": MINIMAL,
            "a/src/app.py": CHAT,
            "b/aiact.yaml": MINIMAL,
            "b/src/app.py": CHAT.replace("gpt-4o", "gpt-4.1"),
            "b/models/x.gguf": "weights",
            "top.py": CHAT.replace("gpt-4o", "o3-mini"),
        },
    )


@pytest.mark.parametrize("use_git", [True, False])
def test_a_scoped_scan_reads_only_the_folders_in_scope(two_systems: Path, use_git: bool) -> None:
    index = scan_repository(two_systems, use_git=use_git, scope=["a"])
    assert {r.path for r in index.references} == {"a/src/app.py"}
    assert index.files_read == 1
    # Ownership still knows every manifest of the repository.
    assert index.manifest_dirs == ["a", "b"]
    whole = scan_repository(two_systems, use_git=use_git)
    assert {r.path for r in whole.references} == {
        "a/src/app.py", "b/src/app.py", "b/models/x.gguf", "top.py",
    }  # fmt: skip


def test_check_of_a_folder_scans_that_folder(two_systems: Path) -> None:
    assert _scope(two_systems, two_systems, ["a"], [two_systems / "a/aiact.yaml"]) == ["a"]
    assert _scope(two_systems, two_systems / "a", [], [two_systems / "a/aiact.yaml"]) == ["a"]
    assert _scope(two_systems, two_systems, [], []) == [""]
    # A folder below a manifest: the manifest's whole folder is read (it owns it).
    below = _scope(two_systems, two_systems, ["a/src"], [two_systems / "a/aiact.yaml"])
    assert below == ["a"]
    scans = CodeScans(start=two_systems, scope=["a"])
    from aiact_lint.manifest import read_manifest

    index = scans.index_for(read_manifest(two_systems / "a/aiact.yaml", two_systems))
    scans.close()
    assert {r.path for r in index.references} == {"a/src/app.py"}
    run = run_process("check", "a", "--format", "json", "--as-of", AS_OF, cwd=two_systems)
    assert "gpt-4o" in run.out and "gpt-4.1" not in run.out and "o3-mini" not in run.out
    everything = run_process("check", "--format", "json", "--as-of", AS_OF, cwd=two_systems)
    assert "gpt-4.1" in everything.out and "o3-mini" in everything.out


def test_required_literals_are_conservative() -> None:
    assert required_literals(r"\.from_pretrained\(") == [".from_pretrained("]
    assert required_literals(r"(?:openai|anthropic)\.") == ["anthropic", "openai"]
    assert required_literals(r"(?i)openai") == []  # case-insensitive: no constraint
    assert required_literals(r"(?i:openai)x") == []
    assert required_literals(r"ab|cde") == []  # a branch too short to be selective
    assert required_literals(r"(?:foo)?barbaz") == ["barbaz"]  # optional parts do not count
    assert required_literals(r"x(?:abc)+y") == ["abc"]


def test_no_pattern_is_skipped_on_text_it_matches() -> None:
    """For every pattern and hint, on every example of the table: when the regex matches the
    example's code, the literal gate lets it run."""
    literals = table("model_pattern_literals")
    data = table("model_patterns")
    macros = dict(data.get("macros") or {})
    checked = 0
    for entry in patterns().entries:
        assert all(regex in literals for regex in entry.patterns)
        for example in entry.examples:
            code = str(example["code"])
            for regex in (*entry.patterns, *(h for _, h in entry.hints)):
                if re.search(regex, code, re.MULTILINE):
                    assert _may_match(regex, code), (entry.name, regex, code)
                    checked += 1
    assert checked > 50
    for provider in data["providers"]:  # the build step covered every regex of the table
        for regex in provider.get("patterns") or ():
            assert expand(regex, macros) in literals
