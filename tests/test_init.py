"""`aiact-lint init`, driven as a user drives it: the real command, answers on stdin or as flags.

Every manifest the command writes is then checked by the real `aiact-lint check`: it must be a
valid manifest (never exit 2) whose determination is the one `init` printed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import AS_OF, ROOT, Run

HR_PURPOSE = "Shortlists job applicants by scoring their CVs against the job description"


def aiact(*args: str, cwd: Path, stdin: str | None = "") -> Run:
    """The installed command as a process; ``stdin`` is a pipe (never a terminal)."""
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "CI_DEBUG")}
    env["PYTHONPATH"] = str(ROOT)
    proc = subprocess.run(
        [sys.executable, "-m", "aiact_lint", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


def check(folder: Path) -> tuple[int, dict[str, Any]]:
    run = aiact("check", "--format", "json", "--as-of", AS_OF, cwd=folder)
    assert run.code in (0, 1), f"check refused the written manifest:\n{run.out}\n{run.err}"
    return run.code, json.loads(run.out)


def printed_risk(out: str) -> str:
    match = re.search(r"^  risk: (\w+)", out, re.MULTILINE)
    assert match, out
    return match.group(1)


def load(path: Path) -> dict[str, Any]:
    from aiact_lint.yamlsafe import load as load_yaml

    data = load_yaml(path.read_text(encoding="utf-8")).data
    assert isinstance(data, dict)
    return data


def answers(*lines: str) -> str:
    return "\n".join(lines) + "\n"


# One interactive session: every question in the order the command asks it (no code here).
HR_SESSION = [
    "CV screener",  # name
    "provider",  # roles
    "",  # regions [EU]
    "NL",  # established in
    "",  # placed on the market: not yet
    "",  # free and open-source: no
    HR_PURPOSE,  # intended purpose
    "human resources",  # sector
    "job applicants",  # affected persons
    "n",  # chat
    "",  # synthetic content: none
    "",  # emotion recognition: no
    "",  # biometric categorisation: no
    "",  # remote biometric identification: none
    "y",  # profiling
    "{accept}",  # the suggested Annex III 4(a)
    "",  # other Annex III points: none
    "",  # Annex I legislation: none
    "mistralai/Mistral-7B-v0.1",  # other models
    "weights",  # how it is used
    "yes",  # a general-purpose AI model (not in the known-models table: asked)
    "third_party",  # who developed it (a provider's own GPAI model has its own duties)
    "",  # none of the remaining questions the law asks holds [Y]
    "",  # write aiact.yaml [Y]
]


def session(accept: str) -> str:
    return answers(*(line.replace("{accept}", accept) for line in HR_SESSION))


def test_interactive_session_on_stdin_writes_a_manifest_check_agrees_with(tmp_path: Path) -> None:
    run = aiact("init", "--interactive", "--as-of", AS_OF, cwd=tmp_path, stdin=session(""))
    assert run.code == 0, run.out + run.err
    # The suggestion came from the legal engine's detector, with its Annex III point and title.
    assert "Declare Annex III 4(a) — Recruitment or selection of natural persons" in run.out
    assert 'Suggested by "Shortlists", ' in run.out  # the matched words, as written
    assert " in the purpose." in run.out
    assert "Does it chat or otherwise interact directly with people [y/N]" in run.out  # choices
    assert printed_risk(run.out) == "high"
    assert "routes: annex_iii:4(a)" in run.out
    manifest = tmp_path / "aiact.yaml"
    text = manifest.read_text(encoding="utf-8")
    # The modeline names a schema copy the editor can load, by a path relative to the manifest.
    assert text.startswith("# yaml-language-server: $schema=aiact.schema.json\n")
    data = load(manifest)
    assert data["use_case"]["annex_iii"] == ["4(a)"]
    assert data["use_case"]["profiling"] is True
    assert data["models"] == [
        {
            "id": "mistralai/Mistral-7B-v0.1",
            "access": "weights",
            "general_purpose": True,
            "developer": "third_party",
        }
    ]
    assert data["risk"] == {"classification": "high"}
    # Evidence is a TODO (null, with a comment), never claimed, and no document is invented.
    assert "transparency" not in data
    assert data["evidence"] and set(data["evidence"].values()) == {None}
    assert re.search(r"^  risk_management: null +# TODO docs/ai/risk-management\.md \(Art\. 9\)$",
                     text, re.M)  # fmt: skip
    assert "[ ] evidence.risk_management: Art. 9" in run.out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["aiact.schema.json", "aiact.yaml"]
    _code, document = check(tmp_path)
    (system,) = document["systems"]
    assert system["risk"] == "high" and system["routes"] == ["annex_iii:4(a)"]
    rules = {f["rule"] for f in document["findings"]}
    assert not rules & {"AIA301", "AIA302", "AIA308"}, rules  # declared, and claimed right


def test_rejected_suggestion_is_left_out_and_check_reports_it(tmp_path: Path) -> None:
    run = aiact("init", "--interactive", "--as-of", AS_OF, cwd=tmp_path, stdin=session("n"))
    assert run.code == 0, run.out + run.err
    assert printed_risk(run.out) == "minimal"
    assert load(tmp_path / "aiact.yaml")["use_case"]["annex_iii"] == []
    code, document = check(tmp_path)
    assert code == 1
    assert "AIA301" in {f["rule"] for f in document["findings"]}


def test_flags_alone_write_only_the_keys_that_matter(tmp_path: Path) -> None:
    run = aiact(
        "init",
        "--role",
        "deployer",
        "--region",
        "EU",
        "--purpose",
        "Answers customer questions about orders and returns",
        "--model",
        "gpt-4o",
        "--as-of",
        AS_OF,
        cwd=tmp_path,
        stdin="",
    )
    assert run.code == 0, run.out + run.err
    assert "?" not in run.out.split("Determination")[0], "nothing may be asked"
    data = load(tmp_path / "aiact.yaml")
    assert set(data) == {
        "schema_version",
        "system",
        "roles",
        "market",
        "models",
        "use_case",
        "risk",
        "evidence",
    }
    assert data["system"] == {"name": tmp_path.name}
    assert data["roles"] == ["deployer"] and data["market"] == {"regions": ["EU"]}
    # A well-known hosted model: its GPAI status comes from the known-models table.
    assert data["models"] == [{"id": "gpt-4o", "provider": "OpenAI", "general_purpose": True}]
    assert data["evidence"] == {"ai_literacy": None}
    assert data["use_case"] == {
        "purpose": "Answers customer questions about orders and returns",
        "annex_iii": [],
    }
    _code, document = check(tmp_path)
    assert document["systems"][0]["risk"] == printed_risk(run.out) == "minimal"


def test_suggestions_need_yes_when_nothing_is_asked(tmp_path: Path) -> None:
    base = ["init", "--role", "deployer", "--purpose", HR_PURPOSE, "--as-of", AS_OF]
    without = aiact(*base, "--dry-run", cwd=tmp_path)
    assert without.code == 0, without.err
    assert "Suggestions not accepted" in without.out and "Annex III 4(a)" in without.out
    assert not (tmp_path / "aiact.yaml").exists(), "--dry-run writes nothing"
    run = aiact(*base, "--yes", cwd=tmp_path)
    assert run.code == 0, run.err
    assert load(tmp_path / "aiact.yaml")["use_case"]["annex_iii"] == ["4(a)"]
    _code, document = check(tmp_path)
    assert document["systems"][0]["risk"] == printed_risk(run.out) == "high"


def test_models_and_chat_found_in_the_code_are_suggested(tmp_path: Path) -> None:
    pytest.importorskip("aiact_lint.repo.code_scan")
    app = tmp_path / "src" / "app.py"
    app.parent.mkdir()
    app.write_text(
        "from openai import OpenAI\n"
        "client = OpenAI()\n"
        "def answer(question):\n"
        '    return client.chat.completions.create(model="gpt-4o-mini", messages=[question])\n',
        encoding="utf-8",
    )
    purpose = "Answers customer questions about orders"
    run = aiact("init", "--purpose", purpose, "--yes", "--as-of", AS_OF, cwd=tmp_path)
    assert run.code == 0, run.out + run.err
    data = load(tmp_path / "aiact.yaml")
    assert data["models"] == [
        {"id": "gpt-4o-mini", "provider": "OpenAI", "access": "api", "general_purpose": True}
    ]
    assert data["use_case"]["capabilities"]["interacts_with_natural_persons"] is True
    _code, document = check(tmp_path)
    rules = {f["rule"] for f in document["findings"]}
    assert not rules & {"AIA850", "AIA854"}, rules  # declared as the code shows it
    assert document["systems"][0]["risk"] == printed_risk(run.out) == "limited"
    # Interactively, the same model is offered and can be rejected.
    (tmp_path / "aiact.yaml").unlink()
    lines = ["", "", "", "", "", "", "", "", purpose, *[""] * 10, "n", "", "", "", "n"]
    asked = aiact("init", "-i", "--as-of", AS_OF, cwd=tmp_path, stdin=answers(*lines))
    assert asked.code == 0, asked.out + asked.err
    assert "Declare the model gpt-4o-mini [Y/n]" in asked.out
    assert "Found in the code at src/app.py:4" in asked.out
    assert "models" not in load(tmp_path / "aiact.yaml")
    # Declining is not silent: check will report AIA850 there, and a suppression is offered.
    assert "`aiact-lint check` reports AIA850 there" in asked.out
    assert "Write `aiact-lint: ignore[AIA850] ...` there [Y/n]" in asked.out


def test_refuses_to_wait_on_a_pipe_without_answers(tmp_path: Path) -> None:
    run = aiact("init", cwd=tmp_path, stdin="")
    assert run.code == 2
    assert "not a terminal" in run.err and "--interactive" in run.err
    assert "Traceback" not in run.err + run.out
    assert not (tmp_path / "aiact.yaml").exists()


def test_end_of_input_stops_cleanly_without_writing(tmp_path: Path) -> None:
    run = aiact("init", "--interactive", cwd=tmp_path, stdin=answers("Half done", "provider"))
    assert run.code == 2
    assert "standard input ended" in run.err
    assert "Traceback" not in run.err + run.out
    assert list(tmp_path.iterdir()) == []


def test_invalid_answers_are_asked_again_and_invalid_flags_refused(tmp_path: Path) -> None:
    stdin = session("").replace("\nprovider\n", "\nking\nprovider\n", 1)
    run = aiact("init", "-i", "--as-of", AS_OF, cwd=tmp_path, stdin=stdin)
    assert run.code == 0, run.out + run.err
    assert "'king' is not one of" in run.out
    for flags in (["--role", "king"], ["--annex-iii", "9(z)"], ["--region", "Europe"]):
        bad = aiact("init", "--purpose", "x", *flags, cwd=tmp_path)
        assert bad.code == 2 and "aiact-lint: error:" in bad.err, (flags, bad.err)
        assert "Traceback" not in bad.err


def test_never_overwrites_without_force_and_keeps_backups(tmp_path: Path) -> None:
    manifest = tmp_path / "aiact.yaml"
    manifest.write_text("# hand-written\nschema_version: 1\n", encoding="utf-8")
    flags = ["init", "--purpose", "Translates product descriptions", "--as-of", AS_OF]
    refused = aiact(*flags, cwd=tmp_path)
    assert refused.code == 2 and "--force" in refused.err
    assert manifest.read_text(encoding="utf-8") == "# hand-written\nschema_version: 1\n"
    first = aiact(*flags, "--force", cwd=tmp_path)
    assert first.code == 0, first.err
    backup = tmp_path / "aiact.yaml.bak"
    assert backup.read_text(encoding="utf-8") == "# hand-written\nschema_version: 1\n"
    assert "kept as" in first.out and "aiact.yaml.bak" in first.out
    second = aiact(*flags, "--force", cwd=tmp_path)
    assert second.code == 0, second.err
    assert (tmp_path / "aiact.yaml.bak.1").read_text(encoding="utf-8") == manifest.read_text(
        encoding="utf-8"
    )
    names = sorted(p.name for p in tmp_path.iterdir())
    expected = ["aiact.schema.json", "aiact.yaml", "aiact.yaml.bak", "aiact.yaml.bak.1"]
    assert names == expected, names  # no temp file left


def test_existing_aiact_yml_is_replaced_not_doubled(tmp_path: Path) -> None:
    (tmp_path / "aiact.yml").write_text("schema_version: 1\n", encoding="utf-8")
    flags = ["init", "--purpose", "Summarises news", "--as-of", AS_OF]
    assert aiact(*flags, cwd=tmp_path).code == 2
    run = aiact(*flags, "--force", cwd=tmp_path)
    assert run.code == 0, run.err
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["aiact.schema.json", "aiact.yml", "aiact.yml.bak"]


def test_untrusted_answers_cannot_inject_yaml(tmp_path: Path) -> None:
    purpose = 'Scores "x"\nrisk:\n  classification: minimal # : [] {} &a *a'
    run = aiact(
        "init", "--name", "a: b\n- c", "--purpose", purpose, "--yes", cwd=tmp_path, stdin=""
    )
    assert run.code == 0, run.err
    data = load(tmp_path / "aiact.yaml")
    assert data["system"]["name"] == "a: b\n- c" and data["use_case"]["purpose"] == purpose
    check(tmp_path)


EXAMPLE_ANSWERS = {
    "customer-chatbot": (
        [
            "--name",
            "Shop support assistant",
            "--role",
            "provider,deployer",
            "--region",
            "EU,US",
            "--purpose",
            "Answer customer questions about orders, shipping and returns.",
            "--chat",
            "--generates",
            "text",
            "--model",
            "meta-llama/Llama-3.2-3B-Instruct",
        ],
        "limited",
    ),
    "hr-screening": (
        [
            "--role",
            "deployer",
            "--developer",
            "us",
            "--brand",
            "own",
            "--purpose",
            "Shortlists applicants by scoring their CVs against the job description.",
            "--profiling",
            "--workplace-emotion",
            "--model",
            "mistralai/Mistral-7B-v0.1",
        ],
        "prohibited",
    ),
    "gpai-provider": (
        [
            "--role",
            "provider",
            "--region",
            "EU",
            "--open-source",
            "--no-chat",
            "--purpose",
            "A general-purpose text model for downstream developers to build assistants.",
            "--model",
            "example-org/fennec-13b",
        ],
        "out_of_scope",
    ),
}


@pytest.mark.parametrize("name", sorted(EXAMPLE_ANSWERS))
def test_every_example_is_reproduced_from_its_answers(tmp_path: Path, name: str) -> None:
    folder = tmp_path / name
    shutil.copytree(ROOT / "examples" / name, folder)
    original = (folder / "aiact.yaml").read_text(encoding="utf-8")
    flags, risk = EXAMPLE_ANSWERS[name]
    run = aiact("init", *flags, "--yes", "--force", "--as-of", AS_OF, cwd=folder)
    assert run.code == 0, run.out + run.err
    assert printed_risk(run.out) == risk
    assert (folder / "aiact.yaml.bak").read_text(encoding="utf-8") == original
    # The example's lock records the review of the manifest just replaced: init says so.
    assert "re-run `aiact-lint lock --reviewer" in run.out
    assert "(it records the review of the previous manifest)" in run.out
    _code, document = check(folder)
    assert [s["risk"] for s in document["systems"]] == [risk]


def test_check_does_not_import_init_or_report_modules(tmp_path: Path) -> None:
    (tmp_path / "aiact.yaml").write_text(
        "schema_version: 1\nsystem:\n  name: X\nroles: [deployer]\n", encoding="utf-8"
    )
    code = (
        "import contextlib, io, sys\n"
        "from aiact_lint.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['check', '--manifest-only'])\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    env["PYTHONPATH"] = str(ROOT)
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, env=env
    )
    assert proc.returncode == 0, proc.stderr
    loaded = set(proc.stdout.split())
    mine = {m for m in loaded if m.startswith(("aiact_lint.init", "aiact_lint.report_doc"))}
    assert not mine, mine
