"""The first ten minutes: a manifest `init` writes passes its own `check`, except for evidence.

Rule under test: whatever way `init` is driven (flags, `--yes`, interactively), the manifest it
writes gets from `check` no finding but the documents still to write (and the determination
itself: out of scope, a prohibited practice). Tested for every bundled example and for a
generated monorepo, end to end: `check` lists the AI use → `init --yes` per service →
`check --fix` → `check` clean except evidence. Also: yamllint's default configuration passes on
what `init` writes, its modeline names a schema the editor can load, monorepo services are never
merged, and what the user declines stays declined.
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

from tests.conftest import AS_OF, ROOT, Run, git, make_repo

# Findings about documents not yet written: what `init` cannot and must not write.
EVIDENCE = {"AIA305", "AIA501", "AIA502", "AIA503", "AIA504", "AIA505", "AIA506"}
EVIDENCE |= {"AIA701", "AIA702", "AIA703"}
# The determination itself, not a defect of the manifest: out of scope, an Art. 5 practice.
DETERMINATION = {"AIA201", "AIA401", "AIA402", "AIA403", "AIA704"}
# A model the user named that no code here refers to (a released model, one chosen at run time):
# init says so, and check notes it (info).
NAMED_NOT_IN_CODE = {"AIA851"}
# The legal review of the verdict, recorded by a person with `aiact-lint lock` (issue 14): init
# must not record it, says how to, and `check` warns until it is (AIA930).
REVIEW = {"AIA930"}
ALLOWED = EVIDENCE | DETERMINATION | NAMED_NOT_IN_CODE | REVIEW


def aiact(*args: str, cwd: Path, stdin: str = "") -> Run:
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    env["PYTHONPATH"] = str(ROOT)
    proc = subprocess.run(
        [sys.executable, "-m", "aiact_lint", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


def findings(folder: Path, *paths: str) -> list[dict[str, Any]]:
    run = aiact("check", "--format", "json", "--as-of", AS_OF, *paths, cwd=folder)
    assert run.code in (0, 1), run.out + run.err
    result: list[dict[str, Any]] = json.loads(run.out)["findings"]
    return result


def not_evidence(folder: Path, *paths: str) -> list[tuple[str, str, int, str]]:
    """What `check` reports beyond documents still to write."""
    return [
        (f["rule"], f["path"], f["line"], f["message"])
        for f in findings(folder, *paths)
        if f["rule"] not in ALLOWED
    ]


def yamllint(*files: Path) -> None:
    """yamllint with its default configuration (``-d default``), as a user runs it."""
    proc = subprocess.run(
        [sys.executable, "-m", "yamllint", "-f", "parsable", "-d", "default", *map(str, files)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0 and not proc.stdout, proc.stdout + proc.stderr


# --- every example ------------------------------------------------------------------------------

EXAMPLE_FLAGS = {
    "customer-chatbot": [
        "--name", "Shop support assistant", "--role", "provider,deployer", "--region", "EU,US",
        "--purpose", "Answer customer questions about orders, shipping and returns.",
        "--chat", "--generates", "text", "--model", "meta-llama/Llama-3.2-3B-Instruct",
    ],
    "hr-screening": [
        "--role", "deployer", "--developer", "us", "--brand", "own", "--region", "EU",
        "--established-in", "NL",
        "--purpose", "Shortlists applicants by scoring their CVs against the job description.",
        "--annex-iii", "4(a)",
        "--profiling", "--workplace-emotion", "--model", "mistralai/Mistral-7B-v0.1",
        "--gpai", "mistralai/Mistral-7B-v0.1", "--third-party-model", "mistralai/Mistral-7B-v0.1",
    ],
    "gpai-provider": [
        "--role", "provider", "--region", "EU", "--open-source", "--no-chat",
        "--established-in", "FR",
        "--purpose", "A general-purpose text model for downstream developers to build assistants.",
        "--model", "example-org/fennec-13b", "--gpai", "example-org/fennec-13b",
        "--own-model", "example-org/fennec-13b",
    ],
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(EXAMPLE_FLAGS))
@pytest.mark.parametrize("mode", ["flags", "yes"])
def test_every_example_written_by_init_passes_its_own_check(
    tmp_path: Path, name: str, mode: str
) -> None:
    folder = tmp_path / name
    shutil.copytree(ROOT / "examples" / name, folder)
    (folder / "aiact.yaml").unlink()
    (folder / "aiact.lock").unlink()  # the review of the manifest just removed
    make_repo(folder, {})
    flags = [*EXAMPLE_FLAGS[name], "--as-of", AS_OF]
    if mode == "yes":
        run = aiact("init", *flags, "--yes", cwd=folder)
    else:
        # By flags alone, init names every question it could not answer, with its flag...
        dry = aiact("init", *flags, "--dry-run", cwd=folder)
        named = re.findall(r"--fact (\S+)=VALUE", dry.out)
        # ...and answering them by flags leaves check nothing but evidence to ask.
        facts = [f"--fact={n}={_default(n)}" for n in named]
        run = aiact("init", *flags, *facts, cwd=folder)
    assert run.code == 0, run.out + run.err
    then = 'Then, after legal review of the determination, run `aiact-lint lock --reviewer "NAME"`'
    assert then in run.out
    assert not_evidence(folder) == []
    yamllint(folder / "aiact.yaml")
    # ...and it is the example's determination: the same tier, and the same models we provide
    # (a GPAI provider's model duties are not lost by leaving its developer unsaid).
    original = ROOT / "examples" / name
    assert _verdict(folder) == _verdict(original)


def _verdict(folder: Path) -> tuple[str, list[tuple[str, bool]]]:
    run = aiact("check", "--format", "json", "--as-of", AS_OF, cwd=folder)
    (system,) = json.loads(run.out)["systems"]
    models = [(m["id"], m["we_are_model_provider"]) for m in system["models"]]
    return system["risk"], models


def _default(name: str) -> str:
    from aiact_lint.init.questions import UNANSWERED, default

    value = default(name)
    assert value is not UNANSWERED, name
    return json.dumps(value)


def test_interactive_init_passes_its_own_check(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "shop",
        {
            "api/chat.py": (
                "from openai import OpenAI\nclient = OpenAI()\n"
                "def reply(messages):\n"
                '    return client.chat.completions.create(model="gpt-4o-mini", '
                "messages=messages)\n"
            ),
        },
    )
    answers = [
        "Shop assistant",  # name
        "provider, deployer",  # roles
        "",  # regions [EU]
        "DE",  # established in
        "",  # placed on the market: not yet
        "",  # free and open-source: no
        "Answers customer questions about orders and returns",  # purpose
        "",  # sector
        "customers",  # affected
        "",  # chat [Y]: the code shows a chat endpoint
        "",  # synthetic content [text]
        "",  # emotion recognition
        "",  # biometric categorisation
        "",  # remote biometric identification
        "",  # profiling
        "",  # other Annex III points (shown with their titles)
        "",  # Annex I (shown by name)
        "",  # declare gpt-4o-mini [Y]
        "",  # other models
        "",  # how is it used [api]
        "",  # none of the remaining questions the law asks holds [Y]
        "",  # write [Y]
    ]
    run = aiact("init", "-i", "--as-of", AS_OF, cwd=repo, stdin="\n".join(answers) + "\n")
    assert run.code == 0, run.out + run.err
    # The Annex III and Annex I choices are shown with their titles, not as bare codes.
    assert "4(a)  Recruitment or selection of natural persons" in run.out
    assert (
        "MDR" in run.out
        and "Medical devices, Regulation (EU) 2017/745 (Annex I, Section A, point 11)" in run.out
    )
    # The well-known model is answered from the table, not left "GPAI status unknown".
    assert "gpt-4o-mini is a general-purpose AI model" in run.out
    assert not_evidence(repo) == []
    yamllint(repo / "aiact.yaml")


# A high-risk system whose provider also developed the general-purpose model it runs on.
EXAM_PURPOSE = "Scores students exams to decide admission to the university"
EXAM_FLAGS = ["--role", "provider", "--purpose", EXAM_PURPOSE, "--model", "acme/grader-7b",
              "--gpai", "acme/grader-7b"]  # fmt: skip
EXAM_SESSION = [
    "Exam grader", "provider", "", "DE", "", "",  # name, roles, regions, established, placed, FOSS
    EXAM_PURPOSE, "", "",  # sector, affected
    *[""] * 6,  # chat, synthetic content, emotions, biometric categorisation, RBI, profiling
    "", "", "", "",  # the suggested Annex III points 3(a), 3(b); no other; no derogation
    "",  # Annex I: none
    "acme/grader-7b", "weights", "yes", "us",  # other models, access, GPAI, who developed it
    *[""] * 6,  # none of the remaining questions holds; write
]  # fmt: skip


def _exam_repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "exam", {"grader/score.py": "print('grading')\n"})


def test_high_risk_gpai_provider_written_interactively_passes_its_own_check(
    tmp_path: Path,
) -> None:
    repo = _exam_repo(tmp_path)
    stdin = "\n".join(EXAM_SESSION) + "\n"
    run = aiact("init", "-i", "--as-of", AS_OF, cwd=repo, stdin=stdin)
    assert run.code == 0, run.out + run.err
    assert "Who developed acme/grader-7b (us | third_party | unknown)" in run.out
    assert "risk: high" in run.out
    assert _verdict(repo) == ("high", [("acme/grader-7b", True)])
    rules = {f["rule"] for f in findings(repo)}
    assert {"AIA701", "AIA702"} <= rules  # the provider's and the model's documents to write
    assert not_evidence(repo) == []
    yamllint(repo / "aiact.yaml")


def test_high_risk_gpai_provider_by_yes_names_what_check_will_ask(tmp_path: Path) -> None:
    """--yes answers nothing it has no safe default for (whose model, the country): it names
    each such question with its flag, `check` asks exactly those, and with them answered the
    manifest passes its own check."""
    repo = _exam_repo(tmp_path)
    run = aiact("init", *EXAM_FLAGS, "--yes", "--as-of", AS_OF, cwd=repo)
    assert run.code == 0, run.out + run.err
    unanswered = run.out.split("Not answered yet", 1)[1].split("\nNext:", 1)[0]
    assert "--own-model acme/grader-7b or --third-party-model acme/grader-7b" in unanswered
    asked = {
        rule for rule, _p, _l, message in not_evidence(repo) if "models[0].developer" in message
    }
    assert asked == {"AIA705"}  # check asks it too: no silent "someone else's"
    # Never assumed someone else's: while unknown, its duties are not dropped silently by init.
    assert "developer" not in (repo / "aiact.yaml").read_text(encoding="utf-8")
    for rule, _path, _line, message in not_evidence(repo):
        key = re.sub(r"^models\[\d+\]", "models[]", message.split(" is not declared", 1)[0])
        assert rule in {"AIA705", "AIA309", "AIA404"} and key in unanswered, (rule, message)
    flags = [*EXAM_FLAGS, "--own-model", "acme/grader-7b", "--established-in", "DE"]
    run = aiact("init", *flags, "--yes", "--force", "--as-of", AS_OF, cwd=repo)
    assert run.code == 0 and "Not answered yet" not in run.out, run.out + run.err
    assert _verdict(repo) == ("high", [("acme/grader-7b", True)])
    assert not_evidence(repo) == []
    yamllint(repo / "aiact.yaml")


def test_roles_written_are_the_roles_printed(tmp_path: Path) -> None:
    folder = make_repo(tmp_path / "r", {"README.md": "# r\n"})
    run = aiact(
        "init", "--role", "deployer", "--developer", "us", "--brand", "own", "--purpose",
        "Shortlists job applicants by scoring their CVs", "--yes", "--as-of", AS_OF, cwd=folder,
    )  # fmt: skip
    assert run.code == 0, run.err
    assert "roles: provider, deployer" in run.out
    text = (folder / "aiact.yaml").read_text(encoding="utf-8")
    assert "roles: [provider, deployer]" in text
    assert "AIA211" not in {f["rule"] for f in findings(folder)}


# --- the modeline and the schema copy ----------------------------------------------------------


def test_modeline_names_a_local_schema_by_a_relative_path(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "mono", {"services/a/app.py": "print('no AI')\n"})
    run = aiact("init", "services/a", "--purpose", "Routes support tickets", "--yes", cwd=repo)
    assert run.code == 0, run.err
    first = (repo / "services/a/aiact.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../aiact.schema.json"
    copy = repo / "services/a" / first.split("=", 1)[1]
    packaged = ROOT / "aiact_lint" / "schema" / "aiact.schema.json"
    assert copy.resolve() == (repo / "aiact.schema.json").resolve()
    assert json.loads(copy.read_text(encoding="utf-8")) == json.loads(packaged.read_text())
    # A second manifest reuses the copy; the copy itself is no AI use and no manifest.
    (repo / "services/b").mkdir()
    run = aiact("init", "services/b", "--purpose", "Sorts mail", "--yes", cwd=repo)
    assert "Wrote aiact.schema.json" not in run.out
    assert not_evidence(repo) == []


def test_schema_output_writes_a_copy_for_editors(tmp_path: Path) -> None:
    run = aiact("schema", "--output", str(tmp_path), cwd=tmp_path)
    assert run.code == 0, run.err
    written = tmp_path / "aiact.schema.json"
    packaged = ROOT / "aiact_lint" / "schema" / "aiact.schema.json"
    assert written.read_bytes() == packaged.read_bytes()
    assert aiact("schema", "-o", str(tmp_path / "named.json"), cwd=tmp_path).code == 0
    assert (tmp_path / "named.json").read_bytes() == packaged.read_bytes()
    refused = aiact("schema", "-o", str(tmp_path / "aiact.yaml"), cwd=tmp_path)
    assert refused.code == 2 and not (tmp_path / "aiact.yaml").exists()


# --- monorepos ----------------------------------------------------------------------------------

CHATBOT = """\
from fastapi import FastAPI
from openai import OpenAI

app = FastAPI()
client = OpenAI()


@app.post("/chat")
def chat(question: str) -> str:
    reply = client.chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": question}]
    )
    return reply.choices[0].message.content
"""

EMBEDDINGS = """\
from transformers import pipeline

sentiment = pipeline("sentiment-analysis", model="distilbert-base-uncased-finetuned-sst-2-english")
"""

RANKER = """\
import json

from openai import OpenAI

client = OpenAI()


def submit(cvs):
    lines = [
        {"custom_id": str(i), "method": "POST", "url": "/v1/chat/completions",
         "body": {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": cv}]}}
        for i, cv in enumerate(cvs)
    ]
    batch_file = client.files.create(file="\\n".join(map(json.dumps, lines)), purpose="batch")
    return client.batches.create(
        input_file_id=batch_file.id, endpoint="/v1/chat/completions", completion_window="24h"
    )
"""

SUMMARISER = """\
import anthropic

client = anthropic.Anthropic()


def summarise(text):
    return client.messages.create(model="claude-3-5-haiku-latest", max_tokens=300, messages=text)
"""


def monorepo(tmp_path: Path) -> Path:
    """A FastAPI chatbot (OpenAI and a Hugging Face model), a React front-end, a CV-ranking
    batch service, and an internal summariser."""
    return make_repo(
        tmp_path / "mono",
        {
            "README.md": "# Our platform\n",
            "services/chatbot/pyproject.toml": "[project]\nname = 'chatbot'\n",
            "services/chatbot/app/main.py": CHATBOT,
            "services/chatbot/app/sentiment.py": EMBEDDINGS,
            "services/cv-ranker/pyproject.toml": "[project]\nname = 'cv-ranker'\n",
            "services/cv-ranker/ranker/batch.py": RANKER,
            "tools/summarise/package.json": '{"name": "summarise"}\n',
            "tools/summarise/run.py": SUMMARISER,
            "web/package.json": '{"name": "web"}\n',
            "web/src/App.tsx": "export function App() { return <main>Shop</main>; }\n",
        },
    )


def test_init_at_the_root_never_merges_services(tmp_path: Path) -> None:
    repo = monorepo(tmp_path)
    run = aiact("init", "--yes", "--purpose", "Everything", "--as-of", AS_OF, cwd=repo)
    assert run.code == 2
    for service in ("services/chatbot/", "services/cv-ranker/", "tools/summarise/"):
        assert service in run.err
    assert "aiact-lint init services/chatbot --yes" in run.err
    assert not (repo / "aiact.yaml").exists()
    # Interactively it offers one manifest per service, each with its own questions; no.
    asked = aiact("init", "-i", "--as-of", AS_OF, cwd=repo, stdin="n\n")
    assert "Write one aiact.yaml per service folder" in asked.out and asked.code == 0
    assert not list(repo.rglob("aiact.yaml"))


def test_init_in_a_folder_sees_that_folder_only_and_names_manifests_below(tmp_path: Path) -> None:
    repo = monorepo(tmp_path)
    flags = ["--yes", "--as-of", AS_OF]
    run = aiact("init", "services/cv-ranker", "--purpose", "Ranks CVs", *flags, cwd=repo)
    assert run.code == 0, run.err
    ranker = (repo / "services/cv-ranker/aiact.yaml").read_text(encoding="utf-8")
    assert "gpt-4o-mini" in ranker and "claude" not in ranker and "distilbert" not in ranker
    # A batch job is not a chat: no interaction claimed from the Batch API's endpoint name
    # (the question is still asked; --yes answers it with its default, and says so).
    assert "interacts_with_natural_persons: true" not in ranker
    assert "from the chat endpoint" not in run.out
    # One convention for paths in what init prints: from where the user stands, as `check`
    # prints findings (the manifest itself keeps paths relative to its folder).
    assert "services/cv-ranker/docs/ai/ai-literacy.md" in run.out
    assert re.search(r"ai_literacy: null +# TODO docs/ai/ai-literacy\.md", ranker)
    assert "Next: aiact-lint check services/cv-ranker" in run.out
    # One level up, the manifest below is named and its models are not swept in.
    run = aiact("init", "services", "--purpose", "x", "--dry-run", *flags, cwd=repo)
    assert "services/cv-ranker/ already has its own manifest" in run.out + run.err


def test_a_declined_capability_stays_declined(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"jobs/score.py": SUMMARISER})
    run = aiact(
        "init", "--purpose", "Summarises support tickets overnight", "--no-chat", "--yes",
        "--as-of", AS_OF, cwd=repo,
    )  # fmt: skip
    assert run.code == 0, run.err
    assert "reports AIA854 there" in run.out and "suppressed AIA854 in jobs/score.py" in run.out
    assert "aiact-lint: ignore[AIA854]" in (repo / "jobs/score.py").read_text(encoding="utf-8")
    assert not_evidence(repo) == []


# --- end to end ---------------------------------------------------------------------------------


def test_adopting_aiact_lint_in_a_monorepo_end_to_end(tmp_path: Path) -> None:
    repo = monorepo(tmp_path)
    # 1. No manifest yet: check lists the AI use, file:line and model, and where to run init.
    first = aiact("check", "--as-of", AS_OF, cwd=repo)
    assert first.code == 1, first.out + first.err
    listed = [line for line in first.out.splitlines() if " AIA808 " in line]
    assert any(
        line.startswith("services/chatbot/app/main.py:11:") and '"gpt-4o-mini"' in line
        for line in listed
    ), listed
    assert any("run `aiact-lint init services/cv-ranker`" in line for line in listed)
    assert any("run `aiact-lint init tools/summarise`" in line for line in listed)
    assert not any(line.startswith("web/") for line in listed)
    # 2. One manifest per service, by flags and --yes.
    services = {
        "services/chatbot": ["--purpose", "Answers shop customers' questions about orders"],
        "services/cv-ranker": [
            "--purpose", "Shortlists job applicants by ranking their CVs for recruiters",
            "--developer", "us", "--brand", "own", "--established-in", "DE",
        ],
        "tools/summarise": ["--purpose", "Summarises internal engineering reports", "--no-chat"],
    }  # fmt: skip
    for folder, flags in services.items():
        run = aiact("init", folder, *flags, "--yes", "--as-of", AS_OF, cwd=repo)
        assert run.code == 0, run.out + run.err
        yamllint(repo / folder / "aiact.yaml")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "aiact.yaml per service")
    # 3. New code lands before the manifests catch up: --fix declares what the code shows.
    chat = repo / "services/chatbot/app/main.py"
    chat.write_text(
        CHATBOT + "\n\ndef title(text):\n"
        '    return client.chat.completions.create(model="gpt-4.1-mini", messages=text)\n',
        encoding="utf-8",
    )
    git(repo, "commit", "-q", "-am", "titles")
    before = [(r, p) for r, p, _, _ in not_evidence(repo)]
    assert ("AIA850", "services/chatbot/app/main.py") in before
    fixed = aiact("check", "--fix", "--as-of", AS_OF, cwd=repo)
    assert fixed.code in (0, 1), fixed.err
    assert "fixed" in fixed.err
    # The comments init wrote under each model stay with that model; the new one follows them.
    text = (repo / "services/chatbot/aiact.yaml").read_text(encoding="utf-8")
    assert text.index("# Encoder-only language models") < text.index("- id: gpt-4.1-mini")
    # 4. Clean, except the documents still to write.
    assert not_evidence(repo) == []
    for folder in services:
        yamllint(repo / folder / "aiact.yaml")
