"""Models and capabilities in code (AIA85x): patterns, locations, ownership, suppressions, safety.

Every check runs on a temporary git repository built by the test, through the CLI, and asserts
rule codes and positions (path, line, column), not wording.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Any

import pytest

from aiact_lint.repo.code_scan import (
    CodeIndex,
    Entry,
    Reference,
    _compiled,
    _Reader,
    patterns,
    scan_repository,
    scan_text,
)
from tests.conftest import AS_OF, ROOT, git, make_repo, run_cli

BASE = """\
schema_version: 1
system:
  name: Shop support assistant
roles: [deployer]
market:
  regions: [EU]
risk:
  classification: minimal
"""
# Every Art. 5 fact declared (an unstated one is an error of its own, AIA404).
FACTS = (
    "subliminal_or_manipulative: false, exploits_vulnerabilities: false, social_scoring: false, "
    "predictive_policing_profiling_only: false, untargeted_facial_scraping: false, "
    "workplace_or_education_emotion_inference: false, biometric_categorisation: false, "
    "remote_biometric_identification: null"
)
MANIFEST = BASE + f"use_case:\n  annex_iii: []\n  annex_i: []\n  capabilities: {{{FACTS}}}\n"


def manifest(
    models: list[str] | None = None,
    *,
    aliases: dict[str, list[str]] | None = None,
    generates: list[str] | None = None,
    interacts: bool | None = None,
    name: str = "Shop support assistant",
) -> str:
    text = BASE.replace("Shop support assistant", name)
    if models is not None:
        text += "models:\n" if models else "models: []\n"
        for model in models:
            text += f"  - id: {model}\n    access: api\n"
            for alias in (aliases or {}).get(model, []):
                text += f"    aliases: ['{alias}']\n"
    text += f"use_case:\n  annex_iii: []\n  annex_i: []\n  capabilities: {{{FACTS}}}\n"
    if generates is not None or interacts is not None:
        text = text.replace(f"  capabilities: {{{FACTS}}}\n", "")
        text += "  purpose: Answer questions.\n  capabilities:\n"
        text += "".join(f"    {fact}\n" for fact in FACTS.replace(", ", ",").split(","))
        if generates is not None:
            text += f"    generates_synthetic_content: [{', '.join(generates)}]\n"
        if interacts is not None:
            text += f"    interacts_with_natural_persons: {str(interacts).lower()}\n"
    return text


def check(repo: Path, *args: str) -> tuple[int, dict[str, Any]]:
    run = run_cli("check", "--format", "json", "--as-of", AS_OF, *args, cwd=repo)
    assert run.code in (0, 1), run.err + run.out
    return run.code, run.json()


def found(document: dict[str, Any], code: str) -> list[tuple[str, int, int, int]]:
    """(path, line, column, end_column) of every finding of rule ``code``."""
    return [
        (f["path"], f["line"], f["column"], f["end_column"])
        for f in document["findings"]
        if f["rule"] == code
    ]


def codes(document: dict[str, Any]) -> set[str]:
    return {f["rule"] for f in document["findings"]}


def position(text: str, needle: str) -> tuple[int, int, int]:
    """1-based line, column and end column of the first ``needle`` in ``text``."""
    offset = text.index(needle)
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column, column + len(needle)


def models_in(index: CodeIndex) -> set[tuple[str, str | None]]:
    return {(r.path, r.model) for r in index.references}


# --- the pattern data ----------------------------------------------------------------------------


def _examples() -> list[tuple[Entry, int, dict[str, Any]]]:
    return [(e, i, ex) for e in patterns().entries for i, ex in enumerate(e.examples)]


def _example_file(entry: Entry, example: dict[str, Any]) -> str:
    return str(example.get("file") or patterns().example_files[entry.languages[0]])


def test_pattern_data_is_well_formed() -> None:
    pats = patterns()
    names = [e.name for e in pats.entries]
    assert len(names) == len(set(names))
    for entry in pats.entries:
        assert entry.kind in {"hub", "api", "local", "wrapper", "config"}, entry.name
        assert entry.fixed and entry.patterns and entry.examples, entry.name
        assert set(entry.languages) <= set(pats.languages), entry.name
        for regex in entry.patterns:
            groups = _compiled(regex).groupindex
            assert "model" in groups or "ref" in groups, (entry.name, regex)
        for capability, regex in entry.hints:
            assert capability in {"image", "audio", "video", "interaction"}, entry.name
            _compiled(regex)
    kinds = {e.kind for e in pats.entries}
    assert kinds == {"hub", "api", "local", "wrapper", "config"}
    # every provider and SDK the issue names has an entry
    for wanted in (
        "huggingface-transformers",
        "sentence-transformers",
        "huggingface-hub",
        "openai",
        "azure-openai",
        "anthropic",
        "mistral",
        "google-gemini",
        "cohere",
        "aws-bedrock",
        "ollama",
        "llama-cpp",
        "vllm",
        "langchain",
        "llamaindex",
    ):
        assert wanted in names


def test_the_git_prefilter_covers_every_fixed_string() -> None:
    """A file holding any entry's fixed string (or a suppression) holds a pre-filter string."""
    pats = patterns()
    grouped = [language for languages, _ in pats.prefilter for language in languages]
    assert sorted(grouped) == sorted(pats.languages), "each language in exactly one group"
    for languages, prefilter in pats.prefilter:
        for language in languages:
            for token in pats.tokens(language):
                assert any(p in token for p in prefilter), (language, token)


@pytest.mark.parametrize(
    ("entry", "number", "example"),
    _examples(),
    ids=[f"{e.name}-{i}" for e, i, _ in _examples()],
)
def test_pattern_example(entry: Entry, number: int, example: dict[str, Any]) -> None:
    pats = patterns()
    rel = _example_file(entry, example)
    language = pats.language_of(rel)
    assert language in entry.languages, f"{rel} is not a {entry.languages} file"
    alone, alone_hints, _ = scan_text(rel, example["code"], [entry])
    everything, all_hints, _ = scan_text(rel, example["code"], pats.entries_for(language))
    if example.get("nothing"):
        assert not everything and not all_hints, (everything, all_hints)
        return
    assert "model" in example or "capability" in example
    if "model" in example:
        assert example["model"] in {r.model for r in alone}, alone
        assert example["model"] in {r.model for r in everything}, everything
        if example["model"] is not None:
            # the reference points at the id itself
            ref = next(r for r in alone if r.model == example["model"])
            line, column, end = position(example["code"], example["model"])
            assert (ref.line, ref.column, ref.end_column) == (line, column, end)
    if "capability" in example:
        assert example["capability"] in {h.capability for h in alone_hints}, alone_hints


def test_pattern_examples_through_the_git_prefilter_and_the_walk(tmp_path: Path) -> None:
    """Every example, committed as a file, is found through git grep -F and through the walk."""
    files = {}
    expected = set()
    for entry, number, example in _examples():
        if example.get("nothing") or "model" not in example:
            continue
        rel = f"ex/{entry.name}/{number}/{_example_file(entry, example)}"
        files[rel] = example["code"]
        expected.add((rel, example["model"]))
    repo = make_repo(tmp_path / "repo", {"aiact.yaml": MANIFEST, **files})
    with_git = scan_repository(repo, use_git=True)
    walked = scan_repository(repo, use_git=False)
    assert expected <= models_in(with_git), expected - models_in(with_git)
    assert expected <= models_in(walked), expected - models_in(walked)
    assert with_git.use_git and not walked.use_git


# --- the checks, end to end ----------------------------------------------------------------------

APP = """\
import os
from transformers import AutoModel

model = AutoModel.from_pretrained("acme/support-bert")
"""


def test_undeclared_model_at_the_exact_location(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"aiact.yaml": manifest([]), "src/app.py": APP})
    code, document = check(repo)
    line, column, end = position(APP, "acme/support-bert")
    assert found(document, "AIA850") == [("src/app.py", line, column, end)]
    assert (line, column, end) == (4, 36, 53)
    assert code == 1
    finding = next(f for f in document["findings"] if f["rule"] == "AIA850")
    # A minimal-risk system: the one provision at issue is what the model is (Art. 3(63)).
    assert finding["severity"] == "error" and finding["article"] == "Art. 3(63)"


def test_undeclared_model_of_a_high_risk_system_cites_annex_iv(tmp_path: Path) -> None:
    text = manifest([]).replace("  annex_iii: []", '  annex_iii: ["4(a)"]')
    repo = make_repo(tmp_path / "r", {"aiact.yaml": text, "src/app.py": APP})
    _, document = check(repo)
    finding = next(f for f in document["findings"] if f["rule"] == "AIA850")
    assert finding["article"] == "Art. 11(1), Annex IV point 2(a)"


def test_declared_model_is_clean(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "r", {"aiact.yaml": manifest(["acme/support-bert"]), "src/app.py": APP}
    )
    code, document = check(repo)
    assert not codes(document) & {"AIA850", "AIA851", "AIA852", "AIA855"}
    assert code == 0


def test_aliases_globs_tags_and_provider_prefixes_match(tmp_path: Path) -> None:
    source = (
        "from openai import OpenAI\n"
        'a = client.chat.completions.create(model="gpt-4o-2024-08-06", messages=m)\n'
        "import ollama\n"
        'b = ollama.generate(model="llama3.2:3b", prompt=p)\n'
        "import litellm\n"
        'c = litellm.completion(model="mistral/mistral-small-latest", messages=m)\n'
    )
    text = manifest(
        ["gpt-4o", "llama3.2", "mistral-small-latest"], aliases={"gpt-4o": ["gpt-4o-*"]}
    )
    repo = make_repo(tmp_path / "r", {"aiact.yaml": text, "app.py": source})
    _, document = check(repo)
    assert not found(document, "AIA850")
    assert not found(document, "AIA851")


def test_declared_model_found_nowhere_is_info_at_the_manifest(tmp_path: Path) -> None:
    text = manifest(["acme/support-bert", "gpt-4o"])
    repo = make_repo(tmp_path / "r", {"aiact.yaml": text, "src/app.py": APP})
    code, document = check(repo)
    line, column, end = position(text, "gpt-4o")
    assert found(document, "AIA851") == [("aiact.yaml", line, column, end)]
    assert next(f for f in document["findings"] if f["rule"] == "AIA851")["severity"] == "info"
    assert code == 0


def test_weights_in_the_repository(tmp_path: Path) -> None:
    files = {
        "aiact.yaml": manifest(["meta-llama/Llama-3.2-3B-Instruct"]),
        "models/adapter.safetensors": "binary-ish",
        "models/meta-llama/Llama-3.2-3B-Instruct/model.safetensors": "weights",
        "node_modules/pkg/model.onnx": "vendored",
    }
    repo = make_repo(tmp_path / "r", files)
    code, document = check(repo)
    # the hub id spelled by the folders matches the declared model; the adapter is undeclared
    assert found(document, "AIA852") == [("models/adapter.safetensors", 1, 1, 1)]
    assert not found(document, "AIA851")
    assert code == 1
    (repo / "aiact.yaml").write_text(
        manifest(
            ["meta-llama/Llama-3.2-3B-Instruct", "support-adapter"],
            aliases={"support-adapter": ["models/*.safetensors"]},
        )
    )
    code, document = check(repo)
    assert not found(document, "AIA852") and code == 0


IMAGES = """\
from openai import OpenAI

client = OpenAI()
img = client.images.generate(model="dall-e-3", prompt=prompt)
"""


def test_image_generation_while_image_is_not_declared(tmp_path: Path) -> None:
    text = manifest(["dall-e-3"], generates=["text"], interacts=True)
    repo = make_repo(tmp_path / "r", {"aiact.yaml": text, "app/avatar.py": IMAGES})
    _, document = check(repo)
    line, column, end = position(IMAGES, "generate")
    assert found(document, "AIA853") == [("app/avatar.py", line, column, end)]
    finding = next(f for f in document["findings"] if f["rule"] == "AIA853")
    assert finding["severity"] == "warning" and finding["article"] == "Art. 50(2)"
    (repo / "aiact.yaml").write_text(
        manifest(["dall-e-3"], generates=["text", "image"], interacts=True)
    )
    _, document = check(repo)
    assert not found(document, "AIA853")


CHAT = """\
import anthropic

client = anthropic.Anthropic()
reply = client.messages.create(model="claude-3-5-haiku-latest", max_tokens=100, messages=m)
again = client.messages.create(model="claude-3-5-haiku-latest", max_tokens=100, messages=m)
"""


def test_chat_endpoint_while_not_interacting(tmp_path: Path) -> None:
    text = manifest(["claude-3-5-haiku-latest"], interacts=False)
    repo = make_repo(tmp_path / "r", {"aiact.yaml": text, "api/support.py": CHAT})
    _, document = check(repo)
    line, column, end = position(CHAT, "messages.create")
    # reported once, at the first place
    assert found(document, "AIA854") == [("api/support.py", line, column, end)]
    finding = next(f for f in document["findings"] if f["rule"] == "AIA854")
    assert finding["article"] == "Art. 50(1)" and "1 other place" in finding["message"]
    (repo / "aiact.yaml").write_text(manifest(["claude-3-5-haiku-latest"], interacts=True))
    _, document = check(repo)
    assert not found(document, "AIA854")


def test_javascript_reference_and_hint(tmp_path: Path) -> None:
    source = (
        'import OpenAI from "openai";\n'
        "const openai = new OpenAI();\n"
        'const r = await openai.chat.completions.create({ model: "gpt-4.1", messages });\n'
    )
    text = manifest([], interacts=False)
    repo = make_repo(tmp_path / "r", {"aiact.yaml": text, "web/src/chat.ts": source})
    _, document = check(repo)
    line, column, end = position(source, "gpt-4.1")
    assert found(document, "AIA850") == [("web/src/chat.ts", line, column, end)]
    assert [f[:2] for f in found(document, "AIA854")] == [("web/src/chat.ts", 3)]


def test_monorepo_nearest_manifest_wins(tmp_path: Path) -> None:
    hub = 'from transformers import AutoModel\nm = AutoModel.from_pretrained("{}")\n'
    files = {
        "aiact.yaml": manifest(["org/root-model"], name="Root system"),
        "train.py": hub.format("org/root-model"),
        "services/search/aiact.yaml": manifest(["org/search-model"], name="Search"),
        "services/search/index.py": hub.format("org/search-model"),
        "services/search/deep/rank.py": hub.format("org/root-model"),
        "services/other.py": hub.format("org/search-model"),
    }
    repo = make_repo(tmp_path / "r", files)
    _, document = check(repo)
    systems = {s["manifest"]: s for s in document["systems"]}
    root_850 = [(f["path"], f["line"]) for f in systems["aiact.yaml"]["findings"]]
    search_850 = [(f["path"], f["line"]) for f in systems["services/search/aiact.yaml"]["findings"]]
    # the root system governs services/other.py, not the files under services/search/
    assert ("services/other.py", 2) in root_850
    assert ("services/search/deep/rank.py", 2) in search_850
    assert sorted(found(document, "AIA850")) == [
        ("services/other.py", *position(files["services/other.py"], "org/search-model")),
        ("services/search/deep/rank.py", *position(hub.format("org/root-model"), "org/root-model")),
    ]
    assert not found(document, "AIA851") and not found(document, "AIA855")


def test_ai_use_outside_any_manifest_is_reported_once_per_folder(tmp_path: Path) -> None:
    hub = 'from transformers import AutoModel\nm = AutoModel.from_pretrained("{}")\n'
    files = {
        "services/search/aiact.yaml": manifest(["org/search-model"]),
        "services/search/index.py": hub.format("org/search-model"),
        "services/pricing/a.py": hub.format("org/price-a"),
        "services/pricing/b.py": hub.format("org/price-b"),
        "services/pricing/c.py": "x = 1\n",
        "tools/bench.py": "import ollama\nollama.chat(model='llama3', messages=m)\n",
    }
    repo = make_repo(tmp_path / "r", files)
    code, document = check(repo)
    assert found(document, "AIA855") == [
        ("services/pricing/a.py", *position(files["services/pricing/a.py"], "org/price-a")),
        ("tools/bench.py", *position(files["tools/bench.py"], "llama3")),
    ]
    pricing = next(f for f in document["findings"] if f["path"] == "services/pricing/a.py")
    assert "2 references in 2 files" in pricing["message"]
    assert "services/pricing/" in pricing["message"] and pricing["severity"] == "warning"
    assert code == 0  # warnings only
    # a run asked about one system does not report the rest of the repository
    _, document = check(repo, "services/search")
    assert not found(document, "AIA855")


def test_suppressions(tmp_path: Path) -> None:
    source = (
        "from transformers import AutoModel\n"
        'a = AutoModel.from_pretrained("org/a")  # aiact-lint: ignore[AIA850] demo notebook only\n'
        "# aiact-lint: ignore[undeclared-model] -- CI smoke test model\n"
        'b = AutoModel.from_pretrained("org/b")\n'
        'c = AutoModel.from_pretrained("org/c")  # aiact-lint: ignore[AIA850]\n'
        'd = AutoModel.from_pretrained("org/d")  # aiact-lint: ignore[AIA999] typo\n'
        "E_ID = 'org/e'\n"
        "# aiact-lint: ignore[AIA850] resolved constant, suppressed where it is used\n"
        "e = AutoModel.from_pretrained(E_ID)\n"
    )
    js = (
        'import OpenAI from "openai";\n'
        "// aiact-lint: ignore[AIA850] evaluation harness only\n"
        'const r = await client.chat.completions.create({ model: "gpt-4o" });\n'
    )
    repo = make_repo(
        tmp_path / "r",
        {"aiact.yaml": manifest([], interacts=True), "app.py": source, "web/eval.ts": js},
    )
    _, document = check(repo)
    # with a reason, on the line or the line above (also where a constant is used): dropped
    assert [f[:2] for f in found(document, "AIA850")] == [("app.py", 5), ("app.py", 6)]
    # without a reason: not honoured, and reported
    line, column, _ = position(source, "# aiact-lint: ignore[AIA850]\n")
    assert [f[:3] for f in found(document, "AIA856")] == [("app.py", line, column)]
    # an unknown code: reported, suppresses nothing
    assert [f[:2] for f in found(document, "AIA857")] == [("app.py", 6)]


def test_manifest_only_skips_the_code(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"aiact.yaml": manifest([]), "src/app.py": APP})
    code, document = check(repo, "--manifest-only")
    assert not {c for c in codes(document) if c.startswith("AIA85")}
    assert code == 0


# --- what is read, and what is not ---------------------------------------------------------------

HUB = 'from transformers import AutoModel\nm = AutoModel.from_pretrained("org/{}")\n'


@pytest.mark.parametrize("use_git", [True, False])
def test_symlinks_out_of_the_root_are_not_followed(tmp_path: Path, use_git: bool) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.py").write_text(HUB.format("outside-file"))
    (outside / "pkg").mkdir()
    (outside / "pkg" / "mod.py").write_text(HUB.format("outside-dir"))
    repo = make_repo(tmp_path / "r", {"aiact.yaml": MANIFEST, "in.py": HUB.format("inside")})
    os.symlink(outside / "secret.py", repo / "link.py")
    os.symlink(outside / "pkg", repo / "linked_pkg")
    os.symlink("in.py", repo / "inner_link.py")
    if use_git:
        git(repo, "add", "link.py", "inner_link.py", "linked_pkg")
        git(repo, "commit", "-q", "-m", "links")
    index = scan_repository(repo, use_git=use_git)
    assert {m for _, m in models_in(index)} == {"org/inside"}
    assert all(not r.path.startswith(("link", "linked_pkg")) for r in index.references)


def test_the_reader_refuses_paths_out_of_the_root(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    (outside / "pkg").mkdir(parents=True)
    (outside / "pkg" / "mod.py").write_text(HUB.format("outside"))
    (outside / "top.py").write_text(HUB.format("outside"))
    repo = make_repo(tmp_path / "r", {"aiact.yaml": MANIFEST, "in.py": HUB.format("inside")})
    os.symlink(outside / "pkg", repo / "linked_pkg")
    os.symlink(outside / "top.py", repo / "top.py")
    index = CodeIndex(root=repo, use_git=False)
    reader = _Reader(repo, 1 << 20, index)
    for rel in (
        "../outside/top.py",
        "/etc/hostname",
        "a/../../x.py",
        "linked_pkg/mod.py",
        "top.py",
    ):
        assert reader.read(rel) is None, rel
    assert reader.read("in.py") is not None
    assert index.files_read == 1 and len(index.skipped) == 5


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
@pytest.mark.parametrize("use_git", [True, False])
def test_fifo_and_binary_files_are_skipped(tmp_path: Path, use_git: bool) -> None:
    repo = make_repo(tmp_path / "r", {"aiact.yaml": MANIFEST, "ok.py": HUB.format("text")})
    (repo / "blob.py").write_bytes(b"\x00\x01" + HUB.format("binary").encode() + b"\x00")
    if use_git:
        git(repo, "add", "blob.py")
        git(repo, "commit", "-q", "-m", "blob")
    os.mkfifo(repo / "pipe.py")  # reading it would block forever
    index = scan_repository(repo, use_git=use_git)
    assert {m for _, m in models_in(index)} == {"org/text"}


def test_non_utf8_file_is_tolerated(tmp_path: Path) -> None:
    raw = b"# Modell f\xfcr Kundenanfragen (latin-1)\n" + HUB.format("latin").encode()
    repo = make_repo(tmp_path / "r", {"aiact.yaml": manifest([])})
    (repo / "legacy.py").write_bytes(raw)
    git(repo, "add", "legacy.py")
    git(repo, "commit", "-q", "-m", "legacy")
    code, document = check(repo)
    line, column, end = position(HUB.format("latin"), "org/latin")
    assert found(document, "AIA850") == [("legacy.py", line + 1, column, end)]
    assert code == 1


@pytest.mark.parametrize("use_git", [True, False])
def test_vendored_generated_and_oversized_files_are_skipped(tmp_path: Path, use_git: bool) -> None:
    files = {
        "aiact.yaml": MANIFEST,
        "app.py": HUB.format("app"),
        "node_modules/openai/index.js": HUB.format("vendored"),
        "web/node_modules/x/index.py": HUB.format("vendored-2"),
        "apps/web/node_modules/x/index.py": HUB.format("vendored-3"),
        ".venv/lib/site.py": HUB.format("venv"),
        "dist/bundle.py": HUB.format("dist"),
        "build/lib/gen.py": HUB.format("build"),
        "web/app.min.js": HUB.format("minified"),
        "big.py": HUB.format("big") + "#" * (1024 * 1024 + 10) + "\n",
    }
    repo = make_repo(tmp_path / "r", files, commit=False)
    if use_git:
        git(repo, "add", "-f", "-A")
        git(repo, "commit", "-q", "-m", "all")
    index = scan_repository(repo, use_git=use_git)
    assert {m for _, m in models_in(index)} == {"org/app"}
    assert any(path == "big.py" for path, _ in index.skipped)


def test_untracked_files_are_scanned_unless_ignored(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"aiact.yaml": manifest([]), ".gitignore": "scratch/\n"})
    (repo / "new.py").write_text(HUB.format("untracked"))
    (repo / "scratch").mkdir()
    (repo / "scratch" / "tmp.py").write_text(HUB.format("ignored"))
    (repo / "local.gguf").write_text("weights, untracked")
    (repo / "scratch" / "big.gguf").write_text("weights, ignored")
    index = scan_repository(repo, use_git=True)
    assert models_in(index) == {("new.py", "org/untracked"), ("local.gguf", "local.gguf")}
    _, document = check(repo)
    assert [f[0] for f in found(document, "AIA850")] == ["new.py"]
    assert [f[0] for f in found(document, "AIA852")] == ["local.gguf"]


def test_outside_git_the_walk_is_used(tmp_path: Path) -> None:
    folder = tmp_path / "plain"
    (folder / "src").mkdir(parents=True)
    (folder / "aiact.yaml").write_text(manifest([]))
    (folder / "src" / "app.py").write_text(APP)
    (folder / "node_modules" / "x").mkdir(parents=True)
    (folder / "node_modules" / "x" / "i.py").write_text(HUB.format("vendored"))
    code, document = check(folder)
    assert found(document, "AIA850") == [("src/app.py", 4, 36, 53)]
    assert code == 1


def test_scan_results_are_sorted_and_deduplicated() -> None:
    text = (
        'MODEL = "org/x"\nfrom transformers import A\n'
        "A.from_pretrained(MODEL)\nA.from_pretrained(MODEL)\n"
    )
    refs, _, _ = scan_text("a.py", text, patterns().entries_for("python"))
    assert refs == [
        Reference("a.py", 1, 10, 1, 15, "org/x", "huggingface-transformers", "hub", use_line=3)
    ]


# --- the examples of this repository and the hook ------------------------------------------------


@pytest.mark.parametrize(
    ("example", "expected"), [("customer-chatbot", 0), ("hr-screening", 1), ("gpai-provider", 0)]
)
def test_examples_keep_their_exit_codes(example: str, expected: int) -> None:
    run = run_cli("check", f"examples/{example}", "--format", "json", "--as-of", AS_OF, cwd=ROOT)
    assert run.code == expected, run.out
    document = run.json()
    assert not found(document, "AIA850") and not found(document, "AIA855")


def test_examples_models_are_found_in_their_code() -> None:
    index = scan_repository(ROOT, use_git=True)
    refs = models_in(index)
    assert (
        "examples/customer-chatbot/api/responses.py",
        "meta-llama/Llama-3.2-3B-Instruct",
    ) in refs
    assert ("examples/hr-screening/src/rank.py", "mistralai/Mistral-7B-v0.1") in refs


def test_manifest_hook_runs_manifest_only() -> None:
    text = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    block = text.split("- id: aiact-lint-manifest", 1)[1]
    assert re.search(r"^\s+args: \[--manifest-only, --\]$", block, re.MULTILINE)


def test_importing_the_cli_does_not_import_the_scanner() -> None:
    import subprocess

    code = "import sys, aiact_lint.cli; print('aiact_lint.repo.code_scan' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False"
