"""The runner's log: nothing from the repository becomes a workflow command, a terminal control
sequence or reordered (bidi) text, on stdout or stderr, in any format; odd streams (an ASCII
stdout, a closed stdout, a broken pipe) give a clean answer.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ._support import (
    AS_OF,
    FORMATS,
    MINIMAL,
    check_run,
    forges_a_command,
    process_env,
    run_proc,
    write_files,
)

# Raw, these would colour or clear a terminal (C0, C1 CSI), reorder what a reviewer reads
# (bidi overrides and isolates) or break a line (NEL, LS, PS).
_RAW = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]"
)
HOSTILE_KEYS = [
    "x\n::error file=aiact.yaml,line=1::forged",
    "::add-mask::secret",
    "x\r\n::warning::forged",
    "\x1b]0;title\x07\x1b[2J",
    "\x9b31m\u202etxt.exe",
    "%0A::error::encoded",
]


def _toml_string(text: str) -> str:
    return json.dumps(text)  # a JSON string is a valid TOML basic string


def _assert_inert(text: str, commands_allowed: bool = False) -> None:
    """No raw control/bidi character; no workflow command (the github format's own
    annotations are checked by check_run: one per finding, well formed, nothing forged)."""
    for line in text.splitlines():
        assert commands_allowed or not forges_a_command(line), f"a workflow command: {line!r}"
    assert not _RAW.search(text), f"a raw control/bidi character: {text!r}"


@pytest.mark.parametrize("where", ["top-level", "severity", "model-aliases", "pyproject"])
def test_configuration_keys_never_forge_workflow_commands(tmp_path: Path, where: str) -> None:
    """Error messages quoted TOML keys raw: a key holding ``\\n::error ...`` or
    ``::add-mask::`` became a workflow command in the Actions log (stderr is in the log).
    One key holds every hostile piece at once."""
    key = "".join(HOSTILE_KEYS)
    name = ".aiact-lint.toml"
    if where == "top-level":
        body = f"{_toml_string(key)} = 1\n"
    elif where == "severity":
        body = f'[severity]\n{_toml_string(key)} = "error"\n'
    elif where == "model-aliases":
        body = f"[model-aliases]\n{_toml_string(key)} = 1\n"
    else:
        name = "pyproject.toml"
        body = f"[tool.aiact-lint]\n{_toml_string(key)} = 1\n"
    write_files(tmp_path, {"aiact.yaml": MINIMAL, name: body})
    run = run_proc("check", "--as-of", AS_OF, "--format", "github", cwd=tmp_path)
    check_run(run)
    assert run.code == 2 and "aiact-lint: error:" in run.err, run.err
    _assert_inert(run.out + run.err)
    shown = run_proc("check", "--show-settings", cwd=tmp_path)
    check_run(shown)
    _assert_inert(shown.out + shown.err)


FIX_APP = 'from openai import OpenAI\nOpenAI().responses.create(model="gpt-4o-mini")\n'


def _fixable(text: str) -> str:
    """MINIMAL with a block-scalar line that is a workflow command and bidi overrides in every
    comment, next to the place where `--fix` declares the model the code uses."""
    text = text.replace(
        "use_case:\n",
        "use_case:\n  purpose: |\n    ::error file=aiact.yaml::forged\n"
        "    Answers \u202eevil\u2066.\n",
    )
    return "".join(
        line + ("\n" if line.endswith("|") else "  # \u202ebidi \u2066x\n")
        for line in text.splitlines()
    )


@pytest.mark.parametrize(
    "manifest",
    [
        _fixable(MINIMAL),
        # NEL/LS are characters to the checker (YAML 1.2) but line breaks to the fixer's
        # round-trip parser: its error message quotes the "next line", a workflow command.
        MINIMAL.replace("system:\n", "# a\x85::error::forged-nel b\u2028::warning::ls\nsystem:\n"),
    ],
    ids=["diff", "fixer-parse-error"],
)
def test_fix_diffs_and_messages_are_inert(tmp_path: Path, manifest: str) -> None:
    """`check --fix --diff` prints the manifest's lines and `--fix` the fixer's messages: both
    quote repository content, so both are escaped and never a workflow command."""
    write_files(tmp_path, {"app.py": FIX_APP})
    (tmp_path / "aiact.yaml").write_bytes(manifest.encode("utf-8"))
    from ._support import git

    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "x")
    for extra in (("--fix", "--diff"), ("--fix",)):
        run = run_proc("check", "--as-of", AS_OF, *extra, cwd=tmp_path)
        check_run(run)
        assert run.code in (0, 1), run.err
        _assert_inert(run.out + run.err)
    if "::error file" in manifest:
        assert "gpt-4o-mini" in (tmp_path / "aiact.yaml").read_text(encoding="utf-8")


def test_the_init_dialogue_is_inert() -> None:
    """`init` quotes repository paths and names (where AI use was found, a file it will not
    write): every line it says goes through safetext."""
    import io

    from aiact_lint.init.prompts import Prompter

    out = io.StringIO()
    prompter = Prompter(False, out=out)
    for hostile in HOSTILE_KEYS + ["svc\n::error::forged\u202e/app\x1b[31m.py: not written"]:
        prompter.say(f"  {hostile}")
    _assert_inert(out.getvalue())


def test_file_names_in_argument_errors_are_escaped(tmp_path: Path) -> None:
    """argparse quotes the arguments it refuses, and a hook's arguments are file names."""
    run = run_proc("check", "--as-of", "x\n::error::forged\u202e", cwd=tmp_path)
    assert run.code == 2
    _assert_inert(run.err)
    run = run_proc("check", "--no-such-option=\n::add-mask::x", cwd=tmp_path)
    assert run.code == 2
    _assert_inert(run.err)


INVISIBLE = "\x9b2J\u202e\u2066\x85\u2028"
AS_YAML = "\\x9b2J\\u202e\\u2066\\x85\\u2028"  # the same, as YAML double-quoted escapes


def test_c1_controls_and_bidi_overrides_in_every_format(tmp_path: Path) -> None:
    """C1 CSI (U+009B) and bidi overrides (U+202E) passed raw into json, junit, markdown,
    sarif, gitlab and the github annotations. Now: shown as escapes; the JSON data, read by a
    JSON parser, still holds the exact characters."""
    valid = MINIMAL.replace("Shop support assistant", f'"Shop{AS_YAML}assistant"')
    valid += f'evidence:\n  ai_literacy: "docs/{AS_YAML}.md"\n'
    invalid = valid.replace("[deployer]", f'["deployer{AS_YAML}"]')
    for text in (valid, invalid):
        write_files(tmp_path, {"aiact.yaml": text})
        for fmt in FORMATS:
            run = run_proc("check", "--as-of", AS_OF, "--format", fmt, cwd=tmp_path)
            check_run(run, fmt)
            _assert_inert(run.out, commands_allowed=fmt == "github")
            _assert_inert(run.err)
        data = run_proc("check", "--as-of", AS_OF, "--format", "json", cwd=tmp_path).json()
        held = [f for f in data["findings"] if INVISIBLE in f["message"]]
        assert held, "the data is kept as it is"


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_ascii_stdout(tmp_path: Path, fmt: str) -> None:
    """PYTHONIOENCODING=ascii gave an internal error on the first non-ASCII character."""
    write_files(tmp_path, {"aiact.yaml": MINIMAL.replace("Shop", "Šhop — ☕")})
    env = process_env(PYTHONIOENCODING="ascii")
    run = run_proc("check", "--as-of", AS_OF, "--format", fmt, cwd=tmp_path, env=env)
    check_run(run, fmt)
    run.out.encode("ascii")
    if fmt == "json":
        assert any(s["name"] == "Šhop — ☕ support assistant" for s in run.json()["systems"])
    for command in (("rules",), ("explain", "AIA301"), ("schema",)):
        other = run_proc(*command, cwd=tmp_path, env=env)
        check_run(other)
        assert other.code == 0 and other.out, other.err


def test_a_closed_stdout(tmp_path: Path) -> None:
    write_files(tmp_path, {"aiact.yaml": MINIMAL})
    proc = subprocess.run(
        [sys.executable, "-m", "aiact_lint", "check", "--as-of", AS_OF],
        cwd=tmp_path,
        env=process_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        timeout=60,
        check=False,
        preexec_fn=lambda: os.close(1),  # the point of the test
    )
    err = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 2, err
    assert "standard output is closed" in err and "internal error" not in err, err
    assert "Traceback" not in err
    written = subprocess.run(
        [sys.executable, "-m", "aiact_lint", "check", "--as-of", AS_OF, "--output", "r.txt"],
        cwd=tmp_path,
        env=process_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        timeout=60,
        check=False,
        preexec_fn=lambda: os.close(1),
    )
    assert written.returncode in (0, 1), written.stderr
    assert (tmp_path / "r.txt").read_text(encoding="utf-8").startswith("aiact.yaml")


def test_a_broken_pipe_is_quiet(tmp_path: Path) -> None:
    """The reader goes away after 20 bytes of a 1 MB report: exit quietly."""
    waivers = "".join(
        f"  - rule: AIA70{i % 10}\n    reason: r{i}\n    owner: o\n    expires: 2027-01-01\n"
        for i in range(2000)
    )
    write_files(tmp_path, {"aiact.yaml": MINIMAL + "waivers:\n" + waivers})
    command = (
        f"{sys.executable} -m aiact_lint check --as-of {AS_OF} --format json | head -c 20 "
        "> /dev/null"
    )
    proc = subprocess.run(
        ["sh", "-c", command], cwd=tmp_path, env=process_env(), capture_output=True, timeout=60
    )
    err = proc.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err and "Exception ignored" not in err and "internal" not in err
