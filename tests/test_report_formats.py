"""Output formats: SARIF, GitHub annotations, Markdown, JUnit XML and GitLab Code Quality.

Golden files in ``tests/golden/`` pin each format byte for byte; regenerate them with
``AIACT_UPDATE_GOLDEN=1 python -m pytest tests/test_report_formats.py`` and review the diff.
The goldens render with a PINNED catalogue (``PINNED`` below), so adding or rewording a rule
elsewhere does not change them; separate tests render with the real catalogue and check that
SARIF lists every rule and still validates.
"""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from aiact_lint.catalogue import Rule, rules
from aiact_lint.cli import FORMATS
from aiact_lint.report import RENDERERS, RenderContext, render
from tests.conftest import AS_OF, MINIMAL, ROOT, make_repo, run_cli

GOLDEN = Path(__file__).parent / "golden"
SARIF_SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
SHARED_SARIF_SCHEMA = Path(__file__).resolve().parents[2] / "shared" / "schemas"
NEW_FORMATS = ("sarif", "github", "markdown", "junit", "gitlab")
SUFFIX = {
    "sarif": "sarif.json",
    "github": "github.txt",
    "markdown": "md",
    "junit": "junit.xml",
    "gitlab": "gitlab.json",
}


def _rule(code: str, name: str, title: str, severity: str, *articles: str) -> Rule:
    return Rule(
        code=code,
        name=name,
        title=title,
        severity=severity,
        input_error=code < "AIA200",
        articles=tuple(articles),
        what=f"Reports {title.lower()}.",
        why=f"Why {code} matters.",
        example="roles: [developer]",
        fix=f"How to fix {code}.",
        references=("https://example.org/reference",),
        verified=code != "AIA601",
    )


PINNED: dict[str, Rule] = {
    rule.code: rule
    for rule in (
        _rule("AIA003", "unreadable-manifest", "Manifest cannot be read", "error"),
        _rule("AIA104", "invalid-value", "Value is not one of the allowed values", "error"),
        _rule(
            "AIA301",
            "undeclared-annex-iii-use",
            "Undeclared high-risk Annex III use",
            "error",
            "Art. 6(2)",
            "Annex III 4(a)",
        ),
        _rule(
            "AIA503",
            "missing-ai-disclosure",
            "AI interaction not disclosed",
            "warning",
            "Art. 50(1)",
        ),
        _rule(
            "AIA601", "ai-literacy-note", "AI literacy measures not documented", "info", "Art. 4"
        ),
    )
}
CONTEXT = RenderContext(catalogue=PINNED)


def finding(rule: str, path: str, line: int, message: str, **extra: Any) -> dict[str, Any]:
    severity = PINNED[rule].severity
    data: dict[str, Any] = {
        "rule": rule,
        "severity": severity,
        "title": PINNED[rule].title,
        "message": message,
        "article": PINNED[rule].article,
        "path": path,
        "line": line,
        "column": 3,
        "end_line": line,
        "end_column": 14,
        "fix": PINNED[rule].fix,
        "waived": False,
    }
    data.update(extra)
    return data


HR = "services/hr/aiact.yaml"
BOT = "support/aiact.yaml"
HR_FINDINGS = [
    finding("AIA601", HR, 5, "No AI literacy document for 12 staff members."),
    finding(
        "AIA301",
        HR,
        31,
        "The intended purpose describes candidate screening (Annex III 4(a)) but "
        "use_case.annex_iii is empty.",
        fix='Declare annex_iii: ["4(a)"] and set risk.classification: high.',
    ),
    finding("AIA503", HR, 40, "Disclosure text not found in 2 evidence files."),
    finding(
        "AIA503",
        HR,
        44,
        "Disclosure text not found in web/widget.tsx.",
        waived=True,
        waiver_reason="Shown by the embedding partner's page; contract ref 2025-17.",
    ),
]
BOT_FINDINGS = [
    finding(
        "AIA104",
        BOT,
        3,
        'roles[0]: "dev%eloper" is not one of a, b: c\r\nnext | <b>bold</b> `code` @admin',
        column=9,
        end_column=18,
    ),
    finding(
        "AIA503",
        BOT,
        12,
        "Notice spans several lines: 100% sure, really.",
        end_line=15,
        end_column=2,
    ),
]
OUTSIDE = [finding("AIA003", "missing/aiact.yaml", 1, "no such file or folder", column=1)]

DOCUMENT: dict[str, Any] = {
    "version": 1,
    "tool": {"name": "aiact-lint", "version": "0.0.0"},
    "law": "Regulation (EU) 2024/1689 as amended by Regulation (EU) 2026/1744",
    "as_of": AS_OF,
    "policy": {"modification": "commission_one_third"},
    "systems": [
        {
            "manifest": HR,
            "name": "CV ranking service",
            "in_scope": True,
            "roles": ["provider", "deployer"],
            "risk": "high",
            "routes": ["annex_iii:4(a)"],
            "models": [],
            "obligations": [
                {
                    "id": "risk_management",
                    "article": "Art. 9",
                    "role": "provider",
                    "applies_from": "2027-12-02",
                    "status": "upcoming",
                    "evidence": None,
                },
                {
                    "id": "ai_literacy",
                    "article": "Art. 4",
                    "role": "deployer",
                    "applies_from": "2025-02-02",
                    "status": "met",
                    "evidence": "docs/ai/literacy.md",
                },
                {
                    "id": "gpai_technical_documentation",
                    "article": "Art. 53(1)(a), Annex XI",
                    "role": "provider",
                    "applies_from": "2025-08-02",
                    "status": "exempt",
                    "evidence": ["docs/model.md", "docs/card.md"],
                    "model": "org/model-7b",
                    "reason": "Art. 53(2): open model",
                },
            ],
            "reasons": [],
            "findings": HR_FINDINGS,
        },
        {
            "manifest": BOT,
            "name": "Support bot | <script>alert(1)</script>",
            "in_scope": True,
            "roles": ["deployer"],
            "risk": "limited",
            "routes": ["art50:1"],
            "models": [],
            "obligations": [],
            "reasons": [],
            "findings": BOT_FINDINGS,
        },
    ],
    "findings": OUTSIDE + HR_FINDINGS + BOT_FINDINGS,
    "summary": {"systems": 2, "error": 3, "warning": 2, "info": 1, "waived": 1},
}


def document(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(DOCUMENT)
    data.update(changes)
    return data


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("AIACT_UPDATE_GOLDEN") == "1":
        GOLDEN.mkdir(exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        return
    assert path.exists(), f"{path} is missing; run the tests with AIACT_UPDATE_GOLDEN=1"
    with open(path, encoding="utf-8", newline="") as handle:
        expected = handle.read()
    assert text == expected, (
        f"{name} differs from its golden file; AIACT_UPDATE_GOLDEN=1 updates it"
    )


def sarif_validator() -> jsonschema.Draft4Validator:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema)


def assert_github_code_scanning_rules(sarif: dict[str, Any]) -> None:
    """The github/docs "SARIF support for code scanning" requirements, beyond the schema."""
    assert sarif["version"] == "2.1.0" and sarif["$schema"]
    assert len(sarif["runs"]) == 1
    run = sarif["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "aiact-lint" and driver["informationUri"].startswith("https://")
    assert driver["version"] == driver["semanticVersion"]
    ids = [rule["id"] for rule in driver["rules"]]
    assert len(ids) == len(set(ids))
    for rule in driver["rules"]:
        assert rule["shortDescription"]["text"] and len(rule["shortDescription"]["text"]) <= 1024
        assert rule["fullDescription"]["text"] and len(rule["fullDescription"]["text"]) <= 1024
        assert rule["help"]["text"] and rule["help"]["markdown"]
        assert len(rule.get("name", "")) <= 255
        assert rule["helpUri"] == (
            "https://github.com/aiact-lint/aiact-lint/blob/main/docs/rules.md#" + rule["id"].lower()
        )
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
        assert 0 < len(rule["properties"]["tags"]) <= 20
    for result in run["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note")
        assert result["message"]["text"]
        assert 1 <= len(result["locations"]) <= 10
        physical = result["locations"][0]["physicalLocation"]
        uri = physical["artifactLocation"]["uri"]
        assert physical["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert not uri.startswith("/") and " " not in uri and "\\" not in uri
        region = physical["region"]
        assert set(region) == {"startLine", "startColumn", "endLine", "endColumn"}
        assert region["endLine"] >= region["startLine"] >= 1
        assert result["partialFingerprints"]
        assert "primaryLocationLineHash" not in result["partialFingerprints"]


# --- golden files -------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", NEW_FORMATS)
def test_golden_from_document(fmt: str) -> None:
    """Every format of a document with errors, warnings, info, a waiver and an outside finding."""
    check_golden(f"document.{SUFFIX[fmt]}", render(fmt, document(), CONTEXT))


@pytest.fixture(scope="module")
def engine_document(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A real run: a fixture repository whose manifest holds a schema error, plus a bad path."""
    repo = make_repo(
        tmp_path_factory.mktemp("engine") / "repo",
        {"bad/aiact.yaml": MINIMAL.replace("[deployer]", "[developer]")},
    )
    run = run_cli("check", "--format", "json", "--as-of", AS_OF, "bad", "missing-dir", cwd=repo)
    assert run.code == 2, run.err
    data: dict[str, Any] = run.json()
    data["tool"]["version"] = "0.0.0"  # goldens must not change with every release
    return data


@pytest.mark.parametrize("fmt", NEW_FORMATS)
def test_golden_from_the_engine(fmt: str, engine_document: dict[str, Any]) -> None:
    assert {f["rule"] for f in engine_document["findings"]} == {"AIA104", "AIA003"}
    check_golden(f"engine.{SUFFIX[fmt]}", render(fmt, engine_document, CONTEXT))


PROHIBITED = MINIMAL.replace("social_scoring: false", "social_scoring: true")


def test_every_format_from_a_real_run_with_the_real_catalogue(tmp_path: Path) -> None:
    """Errors, warnings and input errors from the real engine, rendered with the real catalogue.

    Not golden (the legal rules' wording is still moving): each format must carry every
    finding, and SARIF must validate and follow code scanning's rules.
    """
    repo = make_repo(
        tmp_path / "repo",
        {
            "bad/aiact.yaml": MINIMAL.replace("[deployer]", "[developer]"),
            "ok/aiact.yaml": MINIMAL,
            "scoring/aiact.yaml": PROHIBITED,
        },
    )
    run = run_cli("check", "--format", "json", "--as-of", AS_OF, ".", "missing-dir", cwd=repo)
    data = run.json()
    severities = {f["severity"] for f in data["findings"]}
    assert {"error", "warning"} <= severities, data["findings"]
    context = RenderContext()
    sarif = json.loads(render("sarif", data, context))
    sarif_validator().validate(sarif)
    assert_github_code_scanning_rules(sarif)
    assert [r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]] == list(rules())
    assert len(sarif["runs"][0]["results"]) == len(data["findings"])
    github = render("github", data, context)
    junit = ET.fromstring(render("junit", data, context))
    assert [s.get("name") for s in junit.findall("testsuite")] == [
        "bad/aiact.yaml",
        "ok/aiact.yaml",
        "scoring/aiact.yaml",
        "(outside any manifest)",
    ]
    for suite in junit.findall("testsuite")[:3]:
        assert len(suite.findall("testcase")) == len(rules())
    failures = " ".join(f.text or "" for f in junit.iter("failure"))
    markdown = render("markdown", data, context)
    gitlab = json.loads(render("gitlab", data, context))
    assert len(gitlab) == len(data["findings"])
    for finding in data["findings"]:
        where = f"{finding['path']}:{finding['line']}:{finding['column']}: {finding['rule']}"
        annotated = f"file={finding['path']},line={finding['line']},"
        assert annotated in github and f"title=aiact-lint {finding['rule']}" in github
        assert f"{finding['path']}:{finding['line']}:{finding['column']}" in markdown
        if finding["severity"] != "info":
            assert where in failures


# --- registry and command line ------------------------------------------------------------


def test_every_cli_format_has_a_renderer() -> None:
    assert set(RENDERERS) == set(FORMATS) - {"auto"}
    for fmt in RENDERERS:
        assert render(fmt, document(), CONTEXT).endswith("\n")


def test_render_subcommand_matches_check(tmp_path: Path) -> None:
    """`render --from` a saved JSON result gives exactly what `check --format X` prints."""
    repo = make_repo(
        tmp_path / "repo",
        {"bad/aiact.yaml": MINIMAL.replace("[deployer]", "[developer]"), "ok/aiact.yaml": MINIMAL},
    )
    saved = tmp_path / "result.json"
    first = run_cli("check", "--format", "json", "--as-of", AS_OF, "-o", str(saved), cwd=repo)
    assert first.code == 2 and first.out == ""
    for fmt in RENDERERS:
        direct = run_cli("check", "--format", fmt, "--as-of", AS_OF, "--no-color", cwd=repo)
        rendered = run_cli("render", "--from", str(saved), "--format", fmt, cwd=repo)
        assert rendered.code == 0, rendered.err
        assert rendered.out == direct.out, fmt
    written = run_cli(
        "render", "--from", str(saved), "--format", "sarif", "-o", "x.sarif", cwd=repo
    )
    assert written.code == 0 and written.out == ""
    assert json.loads((repo / "x.sarif").read_text(encoding="utf-8"))["version"] == "2.1.0"


def test_render_subcommand_rejects_bad_input(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    (tmp_path / "other.json").write_text('{"version": 7}', encoding="utf-8")
    for name in ("bad.json", "other.json", "absent.json"):
        run = run_cli("render", "--from", str(tmp_path / name), "--format", "sarif")
        assert run.code == 2 and run.out == "" and "aiact-lint: error:" in run.err


def test_renderers_are_imported_only_when_asked_for(repo: Path) -> None:
    code = (
        "import contextlib, io, sys\n"
        "from aiact_lint.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['check', '--format', 'text'])\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    env["PYTHONPATH"] = str(ROOT)
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=repo, capture_output=True, text=True, env=env, check=True
    )
    loaded = set(proc.stdout.split())
    for module in (
        "aiact_lint.report.sarif",
        "aiact_lint.report.github",
        "aiact_lint.report.markdown",
        "aiact_lint.report.junit",
        "aiact_lint.report.gitlab",
        "aiact_lint.report._common",
        "xml.etree.ElementTree",
    ):
        assert module not in loaded


# --- SARIF --------------------------------------------------------------------------------


def test_vendored_sarif_schema_is_the_shared_one() -> None:
    shared = SHARED_SARIF_SCHEMA / "sarif-schema-2.1.0.json"
    if not shared.exists():
        pytest.skip("shared/ is not next to the repository here")
    assert SARIF_SCHEMA.read_bytes() == shared.read_bytes()


def test_sarif_passes_the_schema_and_code_scanning_rules() -> None:
    sarif = json.loads(render("sarif", document(), CONTEXT))
    sarif_validator().validate(sarif)
    assert_github_code_scanning_rules(sarif)
    run = sarif["runs"][0]
    assert [rule["id"] for rule in run["tool"]["driver"]["rules"]] == list(PINNED)
    assert len(run["results"]) == len(DOCUMENT["findings"])
    assert "Art. 6(2)" in run["tool"]["driver"]["rules"][2]["properties"]["tags"]
    levels = {r["ruleId"]: r["level"] for r in run["results"]}
    assert levels == {
        "AIA003": "error",
        "AIA104": "error",
        "AIA301": "error",
        "AIA503": "warning",
        "AIA601": "note",
    }
    waived = [r for r in run["results"] if "suppressions" in r]
    assert len(waived) == 1
    assert waived[0]["suppressions"] == [
        {
            "kind": "external",
            "status": "accepted",
            "justification": "Shown by the embedding partner's page; contract ref 2025-17.",
        }
    ]
    assert "timestamp" not in json.dumps(sarif).lower()


def test_sarif_with_the_real_catalogue_lists_every_rule(engine_document: dict[str, Any]) -> None:
    for data in (engine_document, document()):
        sarif = json.loads(render("sarif", data, RenderContext()))
        sarif_validator().validate(sarif)
        assert_github_code_scanning_rules(sarif)
        listed = [rule["id"] for rule in sarif["runs"][0]["tool"]["driver"]["rules"]]
        assert listed[: len(rules())] == list(rules())


def test_sarif_paths_are_uri_references() -> None:
    data = document(findings=[finding("AIA104", "dir with space/ä#1/aiact.yaml", 2, "x")])
    result = json.loads(render("sarif", data, CONTEXT))["runs"][0]["results"][0]
    location = result["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "dir%20with%20space/%C3%A4%231/aiact.yaml", "uriBaseId": "%SRCROOT%"}


def _fingerprint(fmt: str, data: dict[str, Any]) -> list[str]:
    out = json.loads(render(fmt, data, CONTEXT))
    if fmt == "gitlab":
        return [issue["fingerprint"] for issue in out]
    return [r["partialFingerprints"]["aiactLintFingerprint/v1"] for r in out["runs"][0]["results"]]


@pytest.mark.parametrize("fmt", ["sarif", "gitlab"])
def test_fingerprints_survive_line_shifts_and_tell_findings_apart(fmt: str) -> None:
    base = finding("AIA503", HR, 40, "Disclosure text not found in 2 evidence files.")
    shifted = dict(
        base, line=52, end_line=52, message="Disclosure text not found in 3 evidence files."
    )
    other_path = dict(base, path=BOT)
    other_rule = finding("AIA301", HR, 40, base["message"])
    [a] = _fingerprint(fmt, document(findings=[base]))
    [b] = _fingerprint(fmt, document(findings=[shifted]))
    [c] = _fingerprint(fmt, document(findings=[other_path]))
    [d] = _fingerprint(fmt, document(findings=[other_rule]))
    assert a == b
    assert len({a, c, d}) == 3
    twins = _fingerprint(fmt, document(findings=[base, shifted]))
    assert len(set(twins)) == 2 and twins[0] == a
    if fmt == "gitlab":
        assert re.fullmatch(r"[0-9a-f]{32}", a)


# --- GitHub annotations -------------------------------------------------------------------


def parse_command(line: str) -> tuple[str, dict[str, str], str]:
    """Parse one workflow command the way the runner does, undoing the toolkit's escaping."""

    def unescape(text: str, prop: bool) -> str:
        text = text.replace("%0D", "\r").replace("%0A", "\n")
        if prop:
            text = text.replace("%3A", ":").replace("%2C", ",")
        return text.replace("%25", "%")

    assert line.startswith("::")
    head, message = line[2:].split("::", 1)
    name, _, props = head.partition(" ")
    properties = {}
    for part in props.split(",") if props else []:
        key, value = part.split("=", 1)
        properties[key] = unescape(value, prop=True)
    return name, properties, unescape(message, prop=False)


def test_github_escapes_data_and_properties() -> None:
    nasty = finding(
        "AIA104",
        "dir,with:odd%/aiact.yaml",
        3,
        "50% done: a,b\r\nnext",
        column=5,
        end_column=9,
        title="T: x, y",
        article="Art. 50(1)",
        fix="Do it\nnow",
    )
    out = render("github", document(findings=[nasty]), CONTEXT)
    first = out.splitlines()[0]
    assert first == (
        "::error file=dir%2Cwith%3Aodd%25/aiact.yaml,line=3,col=5,endLine=3,endColumn=9,"
        "title=aiact-lint AIA104%3A T%3A x%2C y::"
        "50%25 done: a,b%0D%0Anext [Art. 50(1)]%0Afix: Do it%0Anow"
    )
    name, properties, message = parse_command(first)
    assert name == "error"
    assert properties["file"] == "dir,with:odd%/aiact.yaml"
    assert properties["title"] == "aiact-lint AIA104: T: x, y"
    # The annotation's own file, line and title say where and which rule: the text is the
    # finding, never "path:line:col: CODE" again.
    expected = "50% done: a,b\r\nnext [Art. 50(1)]"
    assert message == expected + "\nfix: Do it\nnow"


def test_github_document_annotations() -> None:
    lines = render("github", document(), CONTEXT).splitlines()
    commands = [parse_command(line) for line in lines if line.startswith("::")]
    # Waived findings are not annotated; errors come first, info becomes notice.
    assert [name for name, _, _ in commands] == ["error"] * 3 + ["warning"] * 2 + ["notice"]
    assert all("44" not in props["line"] for _, props, _ in commands)
    multi = next(props for _, props, _ in commands if props["line"] == "12")
    assert multi == {
        "file": BOT,
        "line": "12",
        "endLine": "15",
        "title": "aiact-lint AIA503: AI interaction not disclosed",
    }
    assert lines[-1].startswith("Found 6 problems (3 errors, 2 warnings, 1 info, 1 waived)")
    assert not lines[-1].startswith("::")


def _many(errors: int, warnings: int, infos: int) -> dict[str, Any]:
    findings = [finding("AIA104", "a.yaml", i + 1, f"e{i}") for i in range(errors)]
    findings += [finding("AIA503", "b.yaml", i + 1, f"w{i}") for i in range(warnings)]
    findings += [finding("AIA601", "c.yaml", i + 1, f"i{i}") for i in range(infos)]
    findings.append(finding("AIA104", "d.yaml", 1, "waived", waived=True, waiver_reason="ok"))
    findings.sort(key=lambda f: (f["line"], f["path"]))  # severities interleaved
    return document(findings=findings)


def _levels(out: str) -> list[str]:
    return [parse_command(line)[0] for line in out.splitlines() if line.startswith("::")]


@pytest.mark.parametrize(
    ("counts", "expected", "note"),
    [
        ((3, 2, 1), ["error"] * 3 + ["warning"] * 2 + ["notice"], None),
        ((10, 10, 10), ["error"] * 10 + ["warning"] * 10 + ["notice"] * 10, None),
        ((25, 3, 15), ["error"] * 10 + ["warning"] * 3 + ["notice"] * 10, ("warning", 20)),
        ((25, 12, 0), ["error"] * 10 + ["warning"] * 9, ("warning", 18)),
        ((0, 0, 12), ["notice"] * 9, ("notice", 3)),
    ],
)
def test_github_keeps_ten_per_level_most_severe_first(
    counts: tuple[int, int, int], expected: list[str], note: tuple[str, int] | None
) -> None:
    out = render("github", _many(*counts), CONTEXT)
    levels = _levels(out)
    annotations = [line for line in out.splitlines() if line.startswith("::") and "file=" in line]
    assert [parse_command(line)[0] for line in annotations] == expected
    for level in ("error", "warning", "notice"):
        assert levels.count(level) <= 10, "GitHub drops the 11th annotation of a level"
    assert "d.yaml" not in out
    notes = [line for line in out.splitlines() if "not annotated" in line]
    if note is None:
        assert notes == []
    else:
        level, hidden = note
        assert notes == [
            f"::{level}::{hidden} more findings not annotated; see the job summary or SARIF"
        ]
        assert len(annotations) + hidden == sum(counts)
    assert out.splitlines()[-1].startswith("Found ")


# --- Markdown -----------------------------------------------------------------------------

UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def test_markdown_data_cannot_break_tables_or_inject_html() -> None:
    evil = "a | b <script>alert(1)</script> `x` @admin C:\\dir|x\r\nline2 ![i](http://e.x/i.png)"
    data = document()
    data["findings"].append(finding("AIA104", "z|<img src=x>.yaml", 9, evil, fix=evil))
    out = render("markdown", data, CONTEXT)
    assert "<script>" not in out and "<img" not in out and "<b>" not in out
    assert "@admin" not in out and "`x`" not in out
    for line in out.splitlines():
        if line.startswith("|"):
            cells = len(UNESCAPED_PIPE.findall(line)) - 1
            assert cells in (4, 6), line
    assert "line2" in out and "\r" not in out


def test_markdown_sections() -> None:
    out = render("markdown", document(), CONTEXT)
    assert out.startswith("## :x: aiact-lint report\n")
    assert "### CV ranking service (services/hr/aiact.yaml)" in out
    assert "Risk: **high** · routes: annex\\_iii:4(a)" in out
    assert "| upcoming | risk\\_management | Art. 9 | provider | 2027-12-02 | — |" in out
    assert (
        "| exempt: Art. 53(2): open model | gpai\\_technical\\_documentation (org/model-7b) | "
        "Art. 53(1)(a), Annex XI | provider | 2025-08-02 | docs/model.md, docs/card.md |"
    ) in out
    order = [out.index(h) for h in ("Errors (3)", "Warnings (2)", "Info (1)", "Waived (1)")]
    assert order == sorted(order)
    waived_section = out[out.index("### Waived") :]
    assert "contract ref 2025-17" in waived_section


def test_markdown_stays_under_the_step_summary_limit() -> None:
    from aiact_lint.report.markdown import MAX_BYTES

    findings = [finding("AIA104", f"big/{i:05d}/aiact.yaml", i + 1, "é" * 300) for i in range(4000)]
    out = render("markdown", document(findings=findings), CONTEXT)
    assert len(out.encode("utf-8")) <= MAX_BYTES
    lines = out.rstrip("\n").splitlines()
    assert lines[-1].startswith("> **Report truncated:**")
    last_row = [line for line in lines if line.startswith("|")][-1]
    assert last_row.endswith(" |"), "a row is never cut in half"
    small = render("markdown", document(), CONTEXT)
    assert "truncated" not in small


# --- JUnit --------------------------------------------------------------------------------


def test_junit_structure() -> None:
    root = ET.fromstring(render("junit", document(), CONTEXT))
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [HR, BOT, "(outside any manifest)"]
    for suite in suites[:2]:
        cases = suite.findall("testcase")
        assert [c.get("name") for c in cases] == [f"{r.code} {r.name}" for r in PINNED.values()]
        assert {c.get("classname") for c in cases} == {suite.get("name")}
    hr = {c.get("name", "").split()[0]: c for c in suites[0].findall("testcase")}
    assert hr["AIA301"].find("failure") is not None
    assert hr["AIA301"].find("failure").get("type") == "error"  # type: ignore[union-attr]
    assert hr["AIA601"].find("failure") is None, "info findings do not fail"
    assert "12 staff" in (hr["AIA601"].findtext("system-out") or "")
    warning = hr["AIA503"].find("failure")
    assert warning is not None and warning.get("type") == "warning"
    assert "widget.tsx" in (hr["AIA503"].findtext("system-out") or ""), "its waived twin"
    assert suites[0].get("failures") == "2" and suites[0].get("tests") == "5"
    outside = suites[2].findall("testcase")
    assert [c.get("name") for c in outside] == ["AIA003 unreadable-manifest"]
    assert root.get("failures") == "5" and root.get("skipped") == "0"


def test_junit_waived_rule_is_skipped_and_failure_lists_every_finding() -> None:
    findings = [
        finding("AIA301", HR, 1, "first"),
        finding("AIA301", HR, 2, "second"),
        finding("AIA503", HR, 3, "accepted", waived=True, waiver_reason="because"),
    ]
    data = document(findings=findings)
    data["systems"] = [dict(data["systems"][0], findings=findings)]
    root = ET.fromstring(render("junit", data, CONTEXT))
    cases = {c.get("name", "").split()[0]: c for c in root.iter("testcase")}
    failure = cases["AIA301"].find("failure")
    assert failure is not None
    assert failure.get("message") == "2 findings; first: first"
    assert "first" in (failure.text or "") and "second" in (failure.text or "")
    skipped = cases["AIA503"].find("skipped")
    assert skipped is not None and skipped.get("message") == "waived: because"
    assert root.get("skipped") == "1"


def test_junit_shows_control_characters_xml_forbids() -> None:
    bad = "nul\x00 esc\x1b[31m vt\x0b lone\ud800 ok\tfine\r\nnext"
    data = document(findings=[finding("AIA104", "x\x01.yaml", 1, bad)])
    data["systems"] = []
    out = render("junit", data, CONTEXT)
    root = ET.fromstring(out.encode("utf-8"))
    failure = root.find("testsuite/testcase/failure")
    assert failure is not None
    # A lone surrogate becomes U+FFFD in every format (report.encodable), before XML cleaning;
    # controls are shown as escapes (safetext.escape), never written raw.
    assert failure.get("message") == "nul\\x00 esc\\x1b[31m vt\\x0b lone\ufffd ok\tfine next"
    assert "lone\ufffd ok\tfine\nnext" in (failure.text or "")
    assert root.find("testsuite").get("name") == "(outside any manifest)"  # type: ignore[union-attr]


# --- GitLab -------------------------------------------------------------------------------


def test_gitlab_code_quality() -> None:
    issues = json.loads(render("gitlab", document(), CONTEXT))
    assert len(issues) == len(DOCUMENT["findings"]) - 1, "the waived finding is left out"
    assert {i["severity"] for i in issues} == {"critical", "major", "info"}
    assert {(i["check_name"], i["severity"]) for i in issues} >= {
        ("AIA301", "critical"),
        ("AIA503", "major"),
        ("AIA601", "info"),
    }
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    multi = next(i for i in issues if i["location"]["lines"]["begin"] == 12)
    assert multi["location"] == {"path": BOT, "lines": {"begin": 12, "end": 15}}
    for issue in issues:
        assert set(issue) == {"description", "check_name", "fingerprint", "severity", "location"}
