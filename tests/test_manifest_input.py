"""Bad input never produces a traceback: each case is a clear finding with file:line:col, exit 2."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import AS_OF, MINIMAL, make_repo, run_cli, run_process


def check(folder: Path, *args: str) -> tuple[int, list[dict[str, object]]]:
    run = run_cli("check", "--format", "json", "--as-of", AS_OF, *args, cwd=folder)
    assert "Traceback" not in run.err
    return run.code, run.json()["findings"]


def codes_at(findings: list[dict[str, object]]) -> list[tuple[object, object, object]]:
    """The input findings (AIA0xx, AIA1xx); legal findings of the rest of the manifest follow."""
    return [(f["rule"], f["line"], f["column"]) for f in findings if str(f["rule"]) < "AIA2"]


def write(folder: Path, text: str | bytes, name: str = "aiact.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    if isinstance(text, bytes):
        target.write_bytes(text)
    else:
        target.write_text(text, encoding="utf-8")
    return target


def test_valid_minimal_manifest_exits_zero(tmp_path: Path) -> None:
    write(tmp_path, MINIMAL)
    code, findings = check(tmp_path)
    assert [f for f in findings if f["severity"] == "error"] == []
    assert code == 0


def test_malformed_yaml_points_at_the_problem(tmp_path: Path) -> None:
    write(tmp_path, "schema_version: 1\nsystem: {name: x\nroles: [deployer\n")
    code, findings = check(tmp_path)
    assert code == 2
    assert [f["rule"] for f in findings] == ["AIA001"]
    assert findings[0]["line"] >= 2


def test_duplicate_keys_report_both_locations(tmp_path: Path) -> None:
    write(tmp_path, "schema_version: 1\nroles: [deployer]\nsystem: {name: x}\nroles: [provider]\n")
    code, findings = check(tmp_path)
    assert code == 2
    assert codes_at(findings) == [("AIA002", 2, 1), ("AIA002", 4, 1)]
    assert "line 2" in str(findings[1]["message"])
    assert "line 4" in str(findings[0]["message"])


def test_alias_bomb_is_refused_without_expansion(tmp_path: Path) -> None:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    previous = "a"
    for name in "bcdefghijkl":
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
        previous = name
    write(tmp_path, "\n".join(lines) + "\nschema_version: 1\n")
    run = run_process("check", "aiact.yaml", cwd=tmp_path, timeout=20)
    assert run.code == 2
    assert "AIA004" in run.out and "Traceback" not in run.err


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    write(tmp_path, "a: " + "[" * 5000 + "]" * 5000 + "\n")
    code, findings = check(tmp_path)
    assert code == 2
    assert findings[0]["rule"] == "AIA004"
    assert (findings[0]["line"], findings[0]["column"]) == (1, 67)


def test_non_utf8_bytes_are_located(tmp_path: Path) -> None:
    write(tmp_path, b'schema_version: 1\nsystem:\n  name: "\xff\xfe bad"\n')
    code, findings = check(tmp_path)
    assert code == 2
    assert codes_at(findings) == [("AIA003", 3, 10)]
    assert "UTF-8" in str(findings[0]["message"])


def test_huge_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    target = tmp_path / "aiact.yaml"
    with target.open("wb") as handle:
        handle.truncate(50 * 1000 * 1000)
    code, findings = check(tmp_path)
    assert code == 2
    assert findings[0]["rule"] == "AIA003" and "50.0 MB" in str(findings[0]["message"])


@pytest.mark.parametrize("content", ["", "   \n\n", "# only a comment\n"])
def test_empty_manifest(tmp_path: Path, content: str) -> None:
    write(tmp_path, content)
    code, findings = check(tmp_path)
    assert code == 2
    assert findings[0]["rule"] == "AIA003"


def test_directory_named_like_a_manifest(tmp_path: Path) -> None:
    (tmp_path / "aiact.yaml").mkdir()
    code, findings = check(tmp_path, "aiact.yaml")
    assert code == 2
    assert findings[0]["rule"] == "AIA003" and "directory" in str(findings[0]["message"])
    code, findings = check(tmp_path)  # found by the walk too
    assert code == 2 and findings[0]["rule"] == "AIA003"


@pytest.mark.parametrize(
    ("content", "where"),
    [
        ("- schema_version: 1\n- roles: [x]\n", (1, 1)),
        ("just a string\n", (1, 1)),
        ("42\n", (1, 1)),
    ],
)
def test_manifest_that_is_not_a_mapping(
    tmp_path: Path, content: str, where: tuple[int, int]
) -> None:
    write(tmp_path, content)
    code, findings = check(tmp_path)
    assert code == 2
    assert codes_at(findings) == [("AIA005", *where)]


def test_several_documents_are_refused(tmp_path: Path) -> None:
    write(tmp_path, MINIMAL + "---\n" + MINIMAL)
    code, findings = check(tmp_path)
    assert code == 2 and findings[0]["rule"] == "AIA005"


def test_missing_path_on_the_command_line(tmp_path: Path) -> None:
    run = run_process("check", "nope/aiact.yaml", cwd=tmp_path)
    assert run.code == 2
    assert "nope/aiact.yaml:1:1: AIA003" in run.out
    assert "no such file" in run.out


def test_folder_without_manifest_or_ai_use_is_nothing_to_check(tmp_path: Path) -> None:
    code, findings = check(tmp_path)  # as ruff with no files: not an input error
    assert code == 0 and findings == []


def _path_without_git(tmp_path: Path) -> str:
    bindir = tmp_path / "bin"
    bindir.mkdir()
    python = Path(os.path.realpath(shutil.which("python3") or "python3"))
    (bindir / "python3").symlink_to(python)
    return str(bindir)


def test_no_git_installed_inside_a_repository(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", {"aiact.yaml": MINIMAL})
    env = {"PATH": _path_without_git(tmp_path)}
    run = run_process("check", cwd=repo, env=env)
    assert run.code == 2
    assert "git is not installed" in run.out and "Traceback" not in run.err
    # Naming the manifest needs no git.
    named = run_process("check", "aiact.yaml", "--as-of", AS_OF, cwd=repo, env=env)
    assert named.code == 0, named.out


def test_no_git_installed_outside_a_repository_walks(tmp_path: Path) -> None:
    write(tmp_path / "plain", MINIMAL)
    env = {"PATH": _path_without_git(tmp_path)}
    run = run_process("check", "--as-of", AS_OF, cwd=tmp_path / "plain", env=env)
    assert run.code == 0, run.out


def test_wrong_types_are_located(tmp_path: Path) -> None:
    write(tmp_path, 'schema_version: "one"\nsystem: 7\nroles: deployer\nmodels: {}\n')
    code, findings = check(tmp_path)
    assert code == 2
    assert codes_at(findings) == [
        ("AIA106", 1, 17),
        ("AIA103", 2, 9),
        ("AIA103", 3, 8),
        ("AIA103", 4, 9),
    ]
    roles = next(f for f in findings if (f["rule"], f["line"]) == ("AIA103", 3))
    assert 'expected a list, got a string ("deployer")' in str(roles["message"])
    # One bad field does not hide the rest: the facts that can be read are still classified.
    assert any(str(f["rule"]) >= "AIA2" for f in findings)


def test_path_escaping_the_repository(tmp_path: Path) -> None:
    write(
        tmp_path,
        MINIMAL + "evidence:\n  technical_documentation: ../../../../etc/passwd\n"
        "  risk_management: /etc/shadow\n  ai_literacy: C:\\\\x.md\n",
    )
    code, findings = check(tmp_path)
    # An unusable value is an error at its field, not an input error: exit 1, and the rest of
    # the manifest is still classified and checked (issue 11).
    assert code == 1
    assert codes_at(findings) == [("AIA107", 14, 28), ("AIA107", 15, 20), ("AIA107", 16, 16)]


@pytest.mark.parametrize("value", ["2026-02-30", "2026-13-01", "26-01-01", "tomorrow"])
def test_impossible_dates(tmp_path: Path, value: str) -> None:
    text = MINIMAL.replace("  regions: [EU]\n", f"  regions: [EU]\n  placed_on_market: {value}\n")
    write(tmp_path, text)
    code, findings = check(tmp_path)
    assert code == 2
    assert codes_at(findings) == [("AIA105", 7, 21)]


@pytest.mark.parametrize("value", [".inf", "1e999", ".nan", "-5"])
def test_non_finite_or_negative_numbers(tmp_path: Path, value: str) -> None:
    write(tmp_path, MINIMAL + f"models:\n  - id: m\n    training_compute_flop: {value}\n")
    code, findings = check(tmp_path)
    assert code == 2
    assert codes_at(findings)[0][1:] == (15, 28)


def test_a_schema_error_does_not_load_the_iri_checker(tmp_path: Path) -> None:
    """The error path explains with jsonschema, whose IRI format checker builds a lark grammar
    at import when rfc3987-syntax is installed (seconds); the schema's only format is "date",
    which is still checked."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    (tmp_path / "aiact.yaml").write_text(
        "schema_version: 1\nsystem: {name: x}\nroles: [deployer]\n"
        'market: {placed_on_market: "2026-13-45"}\nmodels: [{id: a, parameters: -5}]\n',
        encoding="utf-8",
    )
    code = (
        "import contextlib, io, sys\n"
        "from aiact_lint.cli import main\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        "    main(['check', '--manifest-only'])\n"
        "names = ('jsonschema', 'lark', 'rfc3987_syntax')\n"
        "print(*(name in sys.modules for name in names))\n"
        "print(out.getvalue())\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    env["PYTHONPATH"] = str(ROOT)
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, env=env
    )
    assert proc.returncode == 0, proc.stderr
    loaded, report = proc.stdout.split("\n", 1)
    assert loaded == "True False False"  # explained by jsonschema, without lark
    assert "is not a date of the form YYYY-MM-DD" in report and "below the minimum 0" in report
