"""Configuration files: discovery, validation with did-you-mean, precedence, --show-settings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from aiact_lint.config import SettingsError, configure, find_config, select_rules
from aiact_lint.options import Options
from tests.conftest import SOCIAL_SCORING, UNDECLARED, make_repo, run_cli

AS_OF = "2026-11-25"


def check(repo: Path, *args: str, cwd: Path | None = None) -> tuple[int, dict[str, Any], str]:
    run = run_cli("check", "--format", "json", "--as-of", AS_OF, *args, cwd=cwd or repo)
    return run.code, (run.json() if run.out else {}), run.err


def rules_of(doc: dict[str, Any]) -> set[str]:
    return {f["rule"] for f in doc["findings"]}


def pyproject(body: str) -> str:
    return '[project]\nname = "x"\n\n[tool.aiact-lint]\n' + body


def test_unknown_key_is_exit_2_with_did_you_mean(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "r",
        {"aiact.yaml": UNDECLARED, "pyproject.toml": pyproject('selct = ["AIA3"]\n')},
    )
    code, _, err = check(repo)
    assert code == 2
    assert "unknown key 'selct'" in err
    assert 'did you mean "select"?' in err
    assert "pyproject.toml [tool.aiact-lint]" in err


def test_snake_case_key_suggests_the_kebab_case_one(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "r", {"aiact.yaml": UNDECLARED, ".aiact-lint.toml": 'fail_on = "warning"\n'}
    )
    code, _, err = check(repo)
    assert code == 2
    assert 'did you mean "fail-on"?' in err


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ('ignore = ["AIA31"]\n', "unknown rule code 'AIA31'"),
        ('select = ["AIA0701"]\n', 'did you mean "AIA701"?'),
        ('severity = {AIA301 = "fatal"}\n', "'fatal' is not one of error, warning, info"),
        ('fail-on = "errors"\n', 'did you mean "error"?'),
        ('modification-policy = "cumulativ"\n', 'did you mean "cumulative"?'),
        ('select = "AIA3"\n', "expected a list of rule codes"),
        ('ignore = ["AIA401"]\n', "cannot be ignored"),
        ('severity = {AIA401 = "warning"}\n', "cannot be given another severity"),
        ("select = [\n", "not valid TOML"),
    ],
)
def test_invalid_values_are_exit_2(tmp_path: Path, body: str, needle: str) -> None:
    repo = make_repo(tmp_path / "r", {"aiact.yaml": UNDECLARED, ".aiact-lint.toml": body})
    code, _, err = check(repo)
    assert code == 2, err
    assert needle in err
    assert "Traceback" not in err


def test_unknown_code_on_the_command_line_is_exit_2(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"aiact.yaml": UNDECLARED})
    code, _, err = check(repo, "--ignore", "AIA3011")
    assert code == 2
    assert "--ignore: unknown rule code 'AIA3011'" in err
    assert 'did you mean "AIA301"?' in err


def test_config_found_from_a_subfolder_up_to_the_repository_root(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "r",
        {
            "services/hr/aiact.yaml": UNDECLARED,
            "pyproject.toml": pyproject('ignore = ["AIA301"]\n'),
        },
    )
    code, doc, _ = check(repo, cwd=repo / "services" / "hr")
    assert "AIA301" not in rules_of(doc)
    assert code == 0
    assert find_config(repo / "services" / "hr") == (repo / "pyproject.toml").resolve()


def test_dot_file_wins_over_pyproject_in_the_same_folder(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "r",
        {
            "aiact.yaml": UNDECLARED,
            "pyproject.toml": pyproject('ignore = ["AIA301"]\n'),
            ".aiact-lint.toml": 'fail-on = "warning"\n',
        },
    )
    code, doc, _ = check(repo)
    assert "AIA301" in rules_of(doc)  # pyproject.toml was not read
    assert code == 1


def test_pyproject_without_the_table_is_skipped(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "r",
        {
            "sub/aiact.yaml": UNDECLARED,
            "sub/pyproject.toml": '[project]\nname = "x"\n',
            "pyproject.toml": pyproject('ignore = ["AIA301"]\n'),
        },
    )
    code, doc, _ = check(repo, cwd=repo / "sub")
    assert "AIA301" not in rules_of(doc)
    assert code == 0


def test_search_stops_at_the_repository_root(tmp_path: Path) -> None:
    (tmp_path / ".aiact-lint.toml").write_text('ignore = ["AIA301"]\n', encoding="utf-8")
    repo = make_repo(tmp_path / "r", {"aiact.yaml": UNDECLARED})
    code, doc, _ = check(repo)
    assert "AIA301" in rules_of(doc)
    assert code == 1
    assert find_config(repo) is None


def test_command_line_beats_the_configuration(tmp_path: Path) -> None:
    config = 'ignore = ["AIA301"]\nfail-on = "never"\nmodification-policy = "cumulative"\n'
    repo = make_repo(tmp_path / "r", {"aiact.yaml": UNDECLARED, ".aiact-lint.toml": config})
    code, doc, _ = check(repo)
    assert "AIA301" not in rules_of(doc)
    assert doc["policy"]["modification"] == "cumulative"
    assert code == 0
    code, doc, _ = check(
        repo, "--select", "AIA301", "--fail-on", "error", "--modification-policy",
        "commission_one_third",
    )  # fmt: skip
    assert rules_of(doc) == {"AIA301"}
    assert doc["policy"]["modification"] == "commission_one_third"
    assert code == 1


def test_prefix_selectors_and_specificity(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "r",
        {"aiact.yaml": UNDECLARED, ".aiact-lint.toml": 'select = ["AIA3", "AIA7"]\n'},
    )
    _, doc, _ = check(repo)
    assert rules_of(doc) == {"AIA301", "AIA703"}
    _, doc, _ = check(repo, "--ignore", "AIA7")
    assert rules_of(doc) == {"AIA301"}
    # A more specific select beats a broader ignore within one layer (ruff's rule).
    codes = ["AIA301", "AIA302", "AIA701"]
    assert select_rules([(["AIA301"], [], ["AIA3"])], codes) == {"AIA301"}
    assert select_rules([(None, [], ["AIA3"]), (None, ["AIA302"], [])], codes) == {
        "AIA302",
        "AIA701",
    }
    assert select_rules([(["ALL"], [], ["AIA30"])], codes) == {"AIA701"}


def test_rule_names_work_as_selectors(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"aiact.yaml": UNDECLARED})
    _, doc, _ = check(repo, "--ignore", "obligation-missing-light-duty")
    assert "AIA703" not in rules_of(doc)


def test_severity_override(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "r",
        {"aiact.yaml": UNDECLARED, ".aiact-lint.toml": '[severity]\nAIA3 = "warning"\n'},
    )
    code, doc, _ = check(repo)
    finding = next(f for f in doc["findings"] if f["rule"] == "AIA301")
    assert finding["severity"] == "warning"
    assert code == 0
    code, _, _ = check(repo, "--fail-on", "warning")
    assert code == 1


def test_prohibited_practices_stay_on_and_severe(tmp_path: Path) -> None:
    config = 'select = ["AIA7"]\n[severity]\nAIA4 = "info"\n'
    repo = make_repo(tmp_path / "r", {"aiact.yaml": SOCIAL_SCORING, ".aiact-lint.toml": config})
    code, doc, _ = check(repo)
    prohibited = [f for f in doc["findings"] if f["rule"] == "AIA401"]
    assert prohibited and all(f["severity"] == "error" for f in prohibited)
    assert code == 1


def test_exclude_paths(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "r",
        {
            "app/aiact.yaml": UNDECLARED,
            "legacy/old/aiact.yaml": UNDECLARED,
            ".aiact-lint.toml": 'exclude = ["legacy"]\n',
        },
    )
    _, doc, _ = check(repo)
    assert [s["manifest"] for s in doc["systems"]] == ["app/aiact.yaml"]
    assert {f["path"] for f in doc["findings"]} == {"app/aiact.yaml"}
    # A manifest named on the command line is checked even when excluded (ruff's rule).
    _, doc, _ = check(repo, "legacy/old/aiact.yaml")
    assert [s["manifest"] for s in doc["systems"]] == ["legacy/old/aiact.yaml"]


def test_explicit_config_file(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"aiact.yaml": UNDECLARED})
    config = tmp_path / "ci.toml"
    config.write_text('ignore = ["AIA301"]\n', encoding="utf-8")
    code, doc, _ = check(repo, "--config", str(config))
    assert "AIA301" not in rules_of(doc)
    code, _, err = check(repo, "--config", str(tmp_path / "missing.toml"))
    assert code == 2 and "no such file" in err


def test_model_aliases_reach_the_options(tmp_path: Path) -> None:
    (tmp_path / ".aiact-lint.toml").write_text(
        '[model-aliases]\n"gpt-4o" = ["gpt-4o-*", "gpt4o"]\n', encoding="utf-8"
    )
    (tmp_path / ".git").mkdir()
    options = Options()
    configure(options, cwd=tmp_path)
    assert options.model_aliases == {"gpt-4o": ["gpt-4o-*", "gpt4o"]}
    (tmp_path / ".aiact-lint.toml").write_text('model-aliases = ["x"]\n', encoding="utf-8")
    with pytest.raises(SettingsError, match="expected a table"):
        configure(Options(), cwd=tmp_path)


def test_show_settings_names_each_origin(tmp_path: Path) -> None:
    config = 'ignore = ["AIA703"]\nfail-on = "warning"\nseverity = {AIA301 = "warning"}\n'
    files = {"aiact.yaml": UNDECLARED, "pyproject.toml": pyproject(config)}
    repo = make_repo(tmp_path / "r", files)
    run = run_cli("check", "--show-settings", "--fail-on", "info", "--select", "AIA3", cwd=repo)
    assert run.code == 0, run.err
    lines = {line.split("=")[0].strip(): line for line in run.out.splitlines() if "=" in line}
    assert "Configuration file: pyproject.toml [tool.aiact-lint]" in run.out
    assert lines["ignore"].endswith("# pyproject.toml [tool.aiact-lint]")
    assert '"AIA703"' in lines["ignore"]
    assert lines["fail-on"].endswith("# --fail-on") and '"info"' in lines["fail-on"]
    assert lines["select"].endswith("# --select")
    assert lines["severity"].endswith("# pyproject.toml [tool.aiact-lint]")
    assert lines["modification-policy"].endswith("# default")
    assert "Severity changed: AIA301 -> warning" in run.out
    assert "AIA401" in run.out  # always on
    assert "HR screener" not in run.out  # settings only, no check


def test_new_only_needs_a_diff_base(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"aiact.yaml": UNDECLARED})
    code, _, err = check(repo, "--new-only")
    assert code == 2
    assert "--new-only needs --diff-base" in err


def test_exit_zero(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"aiact.yaml": UNDECLARED})
    code, doc, _ = check(repo, "--exit-zero")
    assert "AIA301" in rules_of(doc)
    assert code == 0
