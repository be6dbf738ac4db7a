"""Inputs at and past their limits: YAML directives, huge numbers, long lists, exotic line
breaks, deep TOML, and saved JSON (baselines, ``render --from``) that aiact-lint did not write.

Each must give a located input error or the right answer (exit 0/1/2), never a traceback, an
internal error, a silently false fact, or invalid JSON.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ._support import (
    AS_OF,
    FORMATS,
    MINIMAL,
    check_run,
    run_inproc,
    run_proc,
    write_files,
)

SCORING = """\
schema_version: 1
system:
  name: Citizen score
roles: [provider]
market:
  regions: [EU]
use_case:
  purpose: Scores citizens
  capabilities:
    social_scoring: {value}
risk:
  classification: minimal
"""


def _check(root: Path, *extra: str, fmt: str = "json") -> tuple[int, Any]:
    run = run_inproc("check", "--as-of", AS_OF, "--format", fmt, *extra, cwd=root)
    return run.code, check_run(run, fmt)


@pytest.mark.parametrize("directive", ["%YAML 1.1", "%YAML 1.0", "%YAML 1.3"])
@pytest.mark.parametrize("value", ["Yes", "on", "y", "TRUE"])
def test_a_yaml_11_directive_never_makes_a_fact_false(
    tmp_path: Path, directive: str, value: str
) -> None:
    """Under %YAML 1.1, ``Yes``/``on``/``y`` are booleans and were read as false: a
    prohibited practice passed as minimal with exit 0. The directive is refused (exit 2)."""
    write_files(tmp_path, {"aiact.yaml": f"{directive}\n---\n" + SCORING.format(value=value)})
    code, document = _check(tmp_path)
    assert code == 2, document["findings"]
    first = document["findings"][0]
    assert first["rule"] == "AIA001" and first["line"] == 1, first
    assert "%YAML" in first["message"]


@pytest.mark.parametrize("value", ["Yes", "on", "y", "No", "off", "n"])
def test_yaml_12_words_that_are_not_booleans_are_not_false(tmp_path: Path, value: str) -> None:
    """Without a directive, ``Yes`` is a string: a type error at its place, never false."""
    write_files(tmp_path, {"aiact.yaml": SCORING.format(value=value)})
    code, document = _check(tmp_path)
    assert code == 2
    assert any(f["rule"] == "AIA103" and f["line"] == 10 for f in document["findings"])


def test_tag_directives_and_explicit_tags(tmp_path: Path) -> None:
    text = "%TAG !x! tag:yaml.org,2002:\n---\n" + SCORING.format(value="!x!bool yes")
    write_files(tmp_path, {"aiact.yaml": text})
    code, document = _check(tmp_path)
    assert code == 2, "a tagged 'yes' is not a YAML 1.2 boolean: a located error, not false"
    assert any(f["line"] == 12 for f in document["findings"])
    write_files(tmp_path, {"aiact.yaml": "%YAML 1.2\n---\n" + SCORING.format(value="true")})
    code, document = _check(tmp_path)
    assert code == 1 and any(f["rule"] == "AIA401" for f in document["findings"])


HUGE = [
    "9" * 400,
    "-" + "9" * 400,
    "1e300",
    "1.7976931348623157e308",
    "1e999",
    ".inf",
    ".nan",
    "0x" + "f" * 300,
    "1" + "_0" * 200,
]


@pytest.mark.parametrize("value", HUGE)
@pytest.mark.parametrize("field", ["training_compute_flop", "parameters", "compute_flop"])
def test_huge_numbers_are_located_input_errors(tmp_path: Path, field: str, value: str) -> None:
    """A 400-digit training_compute_flop raised OverflowError; 1e300 x 1e300 wrote Infinity
    into the JSON (invalid JSON, exit 0). Now: exit 2 with the number's place, strict JSON."""
    model = f"  - id: a/b\n    {field}: {value}\n    training_tokens: 1e300\n"
    if field == "compute_flop":
        model = "  - id: a/b\n    training_compute_flop: 1e24\n    modifications:\n"
        model += f"      - kind: fine_tune\n        compute_flop: {value}\n"
    write_files(tmp_path, {"aiact.yaml": MINIMAL.replace("roles:", "models:\n" + model + "roles:")})
    for fmt in FORMATS:
        code, _ = _check(tmp_path, fmt=fmt)
        assert code == 2
    _, document = _check(tmp_path)
    located = [f for f in document["findings"] if f["rule"] == "AIA103"]
    assert located and all(f["line"] >= 5 for f in located), document["findings"]
    assert "out of range" in located[0]["message"]


def test_the_largest_numbers_a_manifest_may_hold_give_finite_results(tmp_path: Path) -> None:
    model = "  - id: a/b\n    parameters: 1e100\n    training_tokens: 1e100\n"
    write_files(tmp_path, {"aiact.yaml": MINIMAL.replace("roles:", "models:\n" + model + "roles:")})
    for fmt in ("json", "sarif", "gitlab"):
        run = run_inproc("check", "--as-of", AS_OF, "--format", fmt, cwd=tmp_path)
        check_run(run, fmt)  # strict JSON: no Infinity, no NaN
        assert "Infinity" not in run.out and "NaN" not in run.out


def test_every_json_writer_refuses_non_finite_numbers() -> None:
    """Belt and braces behind the input layer: NaN or Infinity never reaches a JSON output."""
    from aiact_lint.report import RenderContext, render
    from aiact_lint.safetext import json_dumps

    with pytest.raises(ValueError):
        json_dumps({"x": float("inf")})
    saved = {
        "version": 1,
        "as_of": AS_OF,
        "systems": [],
        "findings": [],
        "summary": {"systems": 0, "error": 0, "warning": 0, "info": 0, "waived": 0},
        "policy": {"modification": float("nan")},
    }
    for fmt in ("json", "sarif"):
        with pytest.raises(ValueError):
            render(fmt, saved, RenderContext())


def test_compute_never_prints_infinity(tmp_path: Path) -> None:
    for args in (
        ("--params", "1e300", "--tokens", "1e300"),
        ("--base-flop", "0", "--modification-flop", "1e20"),
        ("--params", "0", "--tokens", "1e9", "--modification-flop", "1e20"),
        ("--base-flop", "1e-300", "--modification-flop", "1e100"),
    ):
        run = run_inproc("compute", *args, cwd=tmp_path)
        check_run(run)
        assert "inf" not in run.out.lower() and "nan" not in run.out.lower(), (args, run.out)
    ok = run_inproc("compute", "--base-flop", "1e24", "--modification-flop", "4e23", cwd=tmp_path)
    assert ok.code == 0 and "%" in ok.out


def test_a_long_list_without_aliases_is_not_an_alias_bomb(tmp_path: Path) -> None:
    """2,000 entries (12,000 nodes) and no alias: read, not refused as AIA004."""
    entries = "".join(
        f"  - rule: AIA70{i % 10}\n    reason: r{i}\n    owner: o\n    expires: 2027-01-01\n"
        for i in range(2000)
    )
    write_files(tmp_path, {"aiact.yaml": MINIMAL + "waivers:\n" + entries})
    _, document = _check(tmp_path)
    assert not [f for f in document["findings"] if f["rule"] == "AIA004"]
    bomb = MINIMAL + "x-a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n"
    for level in "bcdefg":
        previous = chr(ord(level) - 1)
        bomb += f"x-{level}: &{level} [" + ", ".join([f"*{previous}"] * 10) + "]\n"
    write_files(tmp_path, {"aiact.yaml": bomb})
    code, document = _check(tmp_path)
    assert code == 2 and document["findings"][0]["rule"] == "AIA004"


@pytest.mark.parametrize("char", ["\x85", "\u2028", "\u2029"], ids=["NEL", "LS", "PS"])
def test_unicode_line_separators_are_characters_in_yaml_12(tmp_path: Path, char: str) -> None:
    """In a comment they were read as line breaks (a parse error); in a plain scalar they
    folded. In YAML 1.2 they are ordinary characters."""
    text = MINIMAL.replace("risk:", f"# a comment{char}with: a break\nrisk:")
    text = text.replace("name: Shop support assistant", f"name: Shop{char}assistant")
    write_files(tmp_path, {"aiact.yaml": text})
    code, document = _check(tmp_path)
    assert code in (0, 1), document["findings"]
    assert document["systems"][0]["name"] == f"Shop{char}assistant"
    quoted = MINIMAL.replace("name: Shop support assistant", f'name: "a{char}b"  # c{char}d')
    write_files(tmp_path, {"aiact.yaml": quoted})
    code, document = _check(tmp_path)
    assert code in (0, 1) and document["systems"][0]["name"] == f"a{char}b"


@pytest.mark.parametrize(
    "body",
    ["a = " + "[" * 5000 + "]" * 5000, "a = " + "{b = " * 5000 + "1" + "}" * 5000],
    ids=["arrays", "tables"],
)
def test_a_deeply_nested_configuration(tmp_path: Path, body: str) -> None:
    write_files(tmp_path, {"aiact.yaml": MINIMAL, ".aiact-lint.toml": body + "\n"})
    run = run_inproc("check", "--as-of", AS_OF, cwd=tmp_path)
    check_run(run)
    assert run.code == 2 and ".aiact-lint.toml" in run.err and "TOML" in run.err, run.err


JUNK: dict[str, bytes] = {
    "empty-list": b"[]",
    "null": b"null",
    "number": b"1",
    "string": b'"x"',
    "empty": b"",
    "nested": b"[" * 100_000 + b"]" * 100_000,
    "nested-object": b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
    "not-utf8": b'{"version": 1, "x": "\xff\xfe"}',
    "partial": b'{"version": 1}',
    "truncated": b'{"version": 1, "findings": [',
    "nan": b'{"version": 1, "findings": [], "x": NaN}',
    "wrong-types": b'{"version": 1, "as_of": 1, "systems": {}, "findings": "x", "summary": []}',
    "bad-finding": (
        b'{"version": 1, "as_of": "2026-11-25", "systems": [], "summary": {"systems": 0,'
        b' "error": 0, "warning": 0, "info": 0, "waived": 0}, "findings": [{"rule": "AIA1"}]}'
    ),
    "bad-line": (
        b'{"version": 1, "as_of": "2026-11-25", "systems": [], "summary": {"systems": 0,'
        b' "error": 0, "warning": 0, "info": 0, "waived": 0}, "findings": [{"rule": "AIA104",'
        b' "severity": "error", "message": "m", "article": "", "path": "p", "line": -1,'
        b' "column": 1, "end_line": 1, "end_column": 1, "fix": "", "waived": false}]}'
    ),
    "baseline-rows": b'{"version": 1, "fingerprints": [1, null, {"fingerprint": []}]}',
}


@pytest.mark.parametrize("name", sorted(JUNK))
def test_saved_json_that_aiact_lint_did_not_write(tmp_path: Path, name: str) -> None:
    """344 of 1,719 fuzzed ``render --from`` inputs crashed; ``--baseline`` too: now one clear
    input error (exit 2) each, naming the file."""
    write_files(tmp_path, {"aiact.yaml": MINIMAL, "saved.json": JUNK[name]})
    for fmt in FORMATS:
        run = run_inproc("render", "--from", "saved.json", "--format", fmt, cwd=tmp_path)
        check_run(run)
        assert run.code == 2 and "saved.json" in run.err and run.out == "", (fmt, run.err)
    run = run_inproc("check", "--as-of", AS_OF, "--baseline", "saved.json", cwd=tmp_path)
    check_run(run)
    assert run.code == 2 and "--baseline saved.json" in run.err, run.err
    piped = run_proc("render", "--from", "-", "--format", "text", cwd=tmp_path, stdin=JUNK[name])
    check_run(piped)
    assert piped.code == 2


def test_render_from_accepts_what_check_writes(tmp_path: Path) -> None:
    write_files(tmp_path, {"aiact.yaml": MINIMAL})
    saved = run_inproc("check", "--as-of", AS_OF, "--format", "json", cwd=tmp_path)
    (tmp_path / "r.json").write_text(saved.out, encoding="utf-8")
    for fmt in FORMATS:
        direct = run_inproc("check", "--as-of", AS_OF, "--format", fmt, cwd=tmp_path)
        rendered = run_inproc("render", "--from", "r.json", "--format", fmt, cwd=tmp_path)
        assert rendered.code == 0 and rendered.out == direct.out, fmt
