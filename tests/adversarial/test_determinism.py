"""Determinism: the same repository gives byte-identical output in every format, across runs,
across ``PYTHONHASHSEED`` values, across the order the file system lists entries in, and
wherever the repository sits on disk."""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

from ._support import (
    AS_OF,
    FORMATS,
    RICH,
    ROOT,
    TECHNICAL,
    git,
    process_env,
    run_inproc,
    run_proc,
)

EXTRA = {
    "services/hr/aiact.yaml": RICH,
    "services/hr/docs/technical.md": TECHNICAL,
    "services/hr/docs/risk.md": "# Risk\n\nTODO\n",
    "services/hr/web/notice.html": "<p>You are chatting with an AI system.</p>\n",
    "services/hr/src/rank.py": "from openai import OpenAI\nOpenAI().chat.completions.create("
    "model='gpt-4o')\n",
    "tools/agent.py": "import anthropic\nclient = anthropic.Anthropic()\n"
    "client.messages.create(model='claude-3-5-sonnet')\n",
    "tools/config.yaml": "model: mistralai/Mistral-7B-v0.1\n",
    "services/ünïcödé/aiact.yml": RICH.replace("CV ranking service", "Ünïcödé système"),
    "services/broken/aiact.yaml": "schema_version: 1\nsystem: {name: x}\nroles: [dev]\n"
    "unknown: 1\nother: 2\nmodels: [{id: a}, {id: a}]\n",
}


def source_files() -> dict[str, bytes]:
    """The examples of this repository plus a few manifests with many findings."""
    files: dict[str, bytes] = {}
    examples = ROOT / "examples"
    for path in sorted(examples.rglob("*")):
        if path.is_file():
            files["examples/" + path.relative_to(examples).as_posix()] = path.read_bytes()
    for name, text in EXTRA.items():
        files[name] = text.encode("utf-8")
    return files


def build(root: Path, order: list[str], files: dict[str, bytes], use_git: bool) -> Path:
    root.mkdir(parents=True)
    for name in order:
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(files[name])
    if use_git:
        git(root, "init", "-q", "-b", "main")
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "fixture")
    return root


@pytest.fixture(scope="module")
def repos(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The same content written in three orders, in and out of git, at different places."""
    files = source_files()
    names = sorted(files)
    shuffled = list(names)
    random.Random(8).shuffle(shuffled)
    base = tmp_path_factory.mktemp("determinism")
    return {
        "git-sorted": build(base / "a" / "repo", names, files, use_git=True),
        "git-reversed": build(base / "b" / "deeper" / "repo", names[::-1], files, use_git=True),
        "git-shuffled": build(base / "c" / "repo", shuffled, files, use_git=True),
        "walk-sorted": build(base / "d" / "repo", names, files, use_git=False),
        "walk-shuffled": build(base / "e" / "repo", shuffled, files, use_git=False),
    }


def outputs(root: Path, run: Callable[..., Any]) -> dict[str, str]:
    found = {}
    for fmt in FORMATS:
        result = run("check", "--format", fmt, "--as-of", AS_OF, "--no-color", cwd=root)
        assert result.code in (1, 2), result.err
        assert result.out
        found[fmt] = result.out
    return found


def test_runs_repeat_byte_for_byte(repos: dict[str, Path]) -> None:
    first = outputs(repos["git-sorted"], run_inproc)
    second = outputs(repos["git-sorted"], run_inproc)
    assert first == second
    assert str(repos["git-sorted"]) not in "".join(first.values()), "no absolute paths"


@pytest.mark.parametrize("seed", ["0", "1", "4242", "random"])
def test_hash_seeds_do_not_change_the_output(repos: dict[str, Path], seed: str) -> None:
    reference = outputs(repos["git-sorted"], run_inproc)

    def run(*args: str, cwd: Path) -> Any:
        return run_proc(*args, cwd=cwd, env=process_env(PYTHONHASHSEED=seed))

    for fmt, text in outputs(repos["git-sorted"], run).items():
        assert text == reference[fmt], f"{fmt} differs with PYTHONHASHSEED={seed}"


@pytest.mark.parametrize("name", ["git-reversed", "git-shuffled", "walk-sorted", "walk-shuffled"])
def test_creation_order_location_and_git_do_not_change_the_output(
    repos: dict[str, Path], name: str
) -> None:
    reference = outputs(repos["git-sorted"], run_inproc)
    for fmt, text in outputs(repos[name], run_inproc).items():
        assert text == reference[fmt], f"{fmt} differs for {name}"


class _Listing:
    """What os.scandir returns: an iterator that is also a context manager."""

    def __init__(self, entries: list[Any]) -> None:
        self.entries = iter(entries)

    def __iter__(self) -> Iterator[Any]:
        return self

    def __next__(self) -> Any:
        return next(self.entries)

    def __enter__(self) -> _Listing:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def close(self) -> None:
        return None


@pytest.mark.parametrize("order", ["reversed", "shuffled"])
def test_directory_listing_order_does_not_change_the_output(
    repos: dict[str, Path], order: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """os.scandir and os.listdir answer in another order (what another file system does)."""
    reference = outputs(repos["walk-sorted"], run_inproc)
    real_scandir, real_listdir = os.scandir, os.listdir
    shuffle = random.Random(order).shuffle

    def arrange(items: list[Any], key: Callable[[Any], str]) -> list[Any]:
        items = sorted(items, key=key, reverse=True)
        if order == "shuffled":
            shuffle(items)
        return items

    calls: list[Any] = []

    def scandir(path: Any = ".") -> _Listing:
        calls.append(path)
        with real_scandir(path) as listing:
            return _Listing(arrange(list(listing), lambda entry: str(entry.name)))

    def listdir(path: Any = ".") -> list[Any]:
        return arrange(real_listdir(path), str)

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(os, "listdir", listdir)
    for fmt, text in outputs(repos["walk-sorted"], run_inproc).items():
        assert text == reference[fmt], f"{fmt} depends on the directory listing order"
    assert calls, "the walks went through the rearranged listing"


def test_render_from_json_matches_a_direct_check(repos: dict[str, Path], tmp_path: Path) -> None:
    """The action renders every report from one JSON result: it must equal a direct check."""
    root = repos["git-sorted"]
    direct = outputs(root, run_inproc)
    saved = tmp_path / "result.json"
    saved.write_text(direct["json"], encoding="utf-8")
    for fmt in FORMATS:
        if fmt == "text":
            continue  # text shows paths from the working directory; render has none
        rendered = run_inproc("render", "--from", str(saved), "--format", fmt, cwd=root)
        assert rendered.code == 0, rendered.err
        assert rendered.out == direct[fmt], f"render --format {fmt} differs from check"


def test_copies_agree(repos: dict[str, Path], tmp_path: Path) -> None:
    """A copy of the walk repository (new inodes, new timestamps) gives the same output."""
    copy = tmp_path / "copy"
    shutil.copytree(repos["walk-shuffled"], copy)
    assert outputs(copy, run_inproc) == outputs(repos["walk-shuffled"], run_inproc)
