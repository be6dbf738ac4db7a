"""Property-based: hostile configuration files and hostile file names (issue 13's classes).

Configuration: whatever keys and values ``.aiact-lint.toml`` or ``[tool.aiact-lint]`` holds, the
run ends with findings or one escaped error line (exit 2), and nothing on stdout or stderr is a
workflow command or a raw control/bidi character. File names: a manifest and its evidence in a
folder with a hostile name (leading ``-``, ``:(``, quotes, backslashes, non-ASCII, line breaks,
``::``), changed since a base commit: plain ``check`` and ``--diff-base --new-only`` both answer,
and the changed line is reported.
"""

from __future__ import annotations

import re
import shutil

import pytest
from hypothesis import given

from ._strategies import config_texts, file_names
from ._support import (
    AS_OF,
    MINIMAL,
    budget,
    check_run,
    example,
    forges_a_command,
    git,
    run_inproc,
    write_files,
)

_RAW = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]"
)


def _inert(text: str, commands_allowed: bool = False) -> None:
    for line in text.splitlines():
        assert commands_allowed or not forges_a_command(line), line
    assert not _RAW.search(text), repr(text)


@budget(ci=40, long=800)
@given(config=config_texts())
def test_hostile_configuration(
    tmp_path_factory: pytest.TempPathFactory, config: tuple[str, str]
) -> None:
    example()
    root = tmp_path_factory.mktemp("config")
    name, text = config
    write_files(root, {"aiact.yaml": MINIMAL, name: text})
    run = run_inproc("check", "--as-of", AS_OF, "--format", "github", cwd=root)
    check_run(run)
    _inert(run.err)
    _inert(run.out, commands_allowed=True)
    if run.code != 2:
        check_run(run, "github")
    shown = run_inproc("check", "--show-settings", cwd=root)
    check_run(shown)
    _inert(shown.out + shown.err)
    shutil.rmtree(root)


@budget(ci=10, long=200)
# In a manifest, "\\" separates folders (Windows style); the evidence name keeps none.
@given(folder=file_names, evidence=file_names.filter(lambda name: "\\" not in name))
def test_hostile_file_names(
    tmp_path_factory: pytest.TempPathFactory, folder: str, evidence: str
) -> None:
    example()
    root = tmp_path_factory.mktemp("names")
    manifest = MINIMAL + f"evidence:\n  ai_literacy: {_quoted(evidence)}\n"
    write_files(
        root,
        {f"{folder}/aiact.yaml": manifest, f"{folder}/{evidence}": "# Literacy\n" + "x " * 80},
    )
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    changed = manifest + "  technical_documentation: missing.md\n"
    (root / folder / "aiact.yaml").write_text(changed, encoding="utf-8")
    for extra in ((), ("--diff-base", "HEAD", "--new-only")):
        run = run_inproc("check", "--as-of", AS_OF, "--format", "json", *extra, cwd=root)
        document = check_run(run, "json")
        found = {(f["path"], f["rule"]) for f in document["findings"]}
        assert (f"{folder}/aiact.yaml", "AIA801") in found, (folder, sorted(found))
        text = run_inproc("check", "--as-of", AS_OF, *extra, cwd=root)
        check_run(text, "text")
        _inert(text.out + text.err)
    shutil.rmtree(root)


def _quoted(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = escaped.replace("\n", "\\n").replace("\t", "\\t").replace("\x1b", "\\e")
    return f'"{escaped}"'
