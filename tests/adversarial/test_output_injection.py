"""Output injection: data from manifests and file names stays data in every output format.

Hostile strings (``::error::``, ``%0A``, CR/LF, ANSI escapes, ``<script>``, ``|``, backticks,
``@`` mentions, lone surrogates, U+2028...) are put where they reach the reports: the system
name, unknown keys, wrong enum values, model ids, evidence paths, disclosure texts, and the
names of the folders holding the manifests. Then every format must hold exactly the findings
of the JSON document, each one intact as data: no forged or lost GitHub annotation, no broken
Markdown table, no HTML, valid SARIF, parseable JUnit, and no script in the HTML report.
"""

from __future__ import annotations

import html.parser
import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ._strategies import HOSTILE_STRINGS, quoted, texts
from ._support import (
    AS_OF,
    FORMATS,
    ROOT,
    budget,
    check_github,
    check_markdown,
    check_run,
    check_text,
    example,
    git,
    run_inproc,
    run_proc,
    write_files,
)

SARIF_SCHEMA = jsonschema.Draft4Validator(
    json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
)
_URI = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*")


def invalid_manifest(h: str) -> str:
    """Schema errors whose messages echo the hostile string (value and key)."""
    q = quoted(h)
    return (
        "schema_version: 1\n"
        f"system:\n  name: {q}\n  description: {q}\n"
        f"roles: [deployer, {q}]\n"
        "market:\n  regions: [EU]\n"
        f"{quoted('x' + h)}: 1\n"
        f"models:\n  - id: {q}\n    access: {q}\n"
        "risk:\n  classification: minimal\n"
    )


def valid_manifest(h: str) -> str:
    """A valid manifest whose repository findings echo the hostile string (paths, texts)."""
    q = quoted(h)
    path = quoted("docs/" + h.replace("/", "_") + ".md")
    return (
        "schema_version: 1\n"
        f"system:\n  name: {q}\n"
        "roles: [provider, deployer]\n"
        "market:\n  regions: [EU]\n"
        f"models:\n  - id: {quoted('m' + h)}\n    general_purpose: true\n"
        "use_case:\n  purpose: Answers customer questions.\n"
        "  capabilities:\n    interacts_with_natural_persons: true\n"
        "risk:\n  classification: limited\n"
        "transparency:\n  ai_interaction_notice:\n"
        f"    text: {quoted('Notice ' + h)}\n    evidence: [web/notice.html]\n"
        f"evidence:\n  ai_literacy: {path}\n  technical_documentation: {quoted('../' + h)}\n"
    )


def folder_name(h: str) -> str:
    """A file-system-safe folder name carrying as much of ``h`` as the kernel allows."""
    name = "".join(c for c in h if c not in "/\x00" and not 0xD800 <= ord(c) <= 0xDFFF)
    name = name.encode("utf-8")[:180].decode("utf-8", "ignore")
    return "d" + name if name not in ("", ".", "..") else "plain"


def build(root: Path, h: str) -> None:
    folder = folder_name(h)
    write_files(
        root,
        {
            f"{folder}/aiact.yaml": invalid_manifest(h),
            f"{folder}/ok/aiact.yaml": valid_manifest(h),
            f"{folder}/ok/web/notice.html": "<p>Nothing to see.</p>\n",
        },
    )


# --- decoding what a consumer would read ----------------------------------------------------------


def unescape(value: str) -> str:
    """actions/toolkit's escaping, undone the way the runner undoes it."""
    for code, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        value = value.replace(code, char)
    return value


def expected_message(finding: dict[str, Any]) -> str:
    message = str(finding["message"])  # file, line and rule are the annotation's properties
    if finding.get("article"):
        message += f" [{finding['article']}]"
    if finding.get("fix"):
        message += f"\nfix: {finding['fix']}"
    return message


# What no report may write raw: C0 and C1 controls, bidi marks/overrides/isolates, separators.
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff"
_VISIBLE = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_BIDI}\t]")
_VISIBLE_MULTI = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}]")


def _shown(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """Control, bidi and separator characters are shown as \\xNN / \\uNNNN, not obeyed."""
    return _VISIBLE.sub(_shown, text)


def visible_lines(text: str) -> str:
    """The same for multi-line fields (SARIF messages): LF and TAB kept, CR LF -> LF."""
    return _VISIBLE_MULTI.sub(_shown, text.replace("\r\n", "\n").replace("\r", "\n"))


def check_github_against(text: str, document: dict[str, Any]) -> None:
    matches = check_github(text)
    active = [f for f in document["findings"] if not f["waived"]]
    wanted = {(visible(f["path"]), visible(expected_message(f))) for f in active}
    annotations = [m for m in matches if m.group(2) is not None]
    for match in annotations:
        properties = dict(part.split("=", 1) for part in match.group(2).split(","))
        got = (unescape(properties["file"]), unescape(match.group(3)))
        assert got in wanted, f"an annotation no finding produced: {got!r}"
    per_level: dict[str, int] = {}
    for finding in active:
        per_level[finding["severity"]] = per_level.get(finding["severity"], 0) + 1
    if all(count <= 10 for count in per_level.values()):
        assert len(annotations) == len(active), "one annotation per finding"


def check_markdown_against(text: str, document: dict[str, Any]) -> None:
    check_markdown(text)
    rows = 0
    counting = False
    for line in text.split("\n"):
        if line == "| Location | Rule | Message | Article |":
            counting = True
        elif counting and line.startswith("|") and not line.startswith("|---"):
            rows += 1
        elif not line.startswith("|"):
            counting = False
    assert rows == sum(1 for f in document["findings"] if not f["waived"]), "one row per finding"


def check_sarif_against(text: str, document: dict[str, Any]) -> None:
    sarif = json.loads(text)
    SARIF_SCHEMA.validate(sarif)
    results = sarif["runs"][0]["results"]
    assert len(results) == len(document["findings"])
    for result, finding in zip(results, document["findings"]):
        assert result["message"]["text"].startswith(visible_lines(finding["message"]))
        location = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert _URI.fullmatch(location), f"not a URI reference: {location!r}"


def check_junit_against(text: str, document: dict[str, Any]) -> None:
    root = ET.fromstring(text.encode("utf-8"))
    failures = "\n".join(node.text or "" for node in root.iter("failure"))
    for finding in document["findings"]:
        if finding["severity"] in ("error", "warning") and not finding["waived"]:
            assert f"{finding['line']}:{finding['column']}: {finding['rule']}" in failures


def check_gitlab_against(text: str, document: dict[str, Any]) -> None:
    issues = json.loads(text)
    assert len(issues) == sum(1 for f in document["findings"] if not f["waived"])
    assert len({issue["fingerprint"] for issue in issues}) == len(issues)


def check_everything(root: Path, *paths: str) -> dict[str, Any]:
    base = ("check", "--as-of", AS_OF, "--no-color", *paths)
    run = run_inproc(*base, "--format", "json", cwd=root)
    document: dict[str, Any] = check_run(run, "json")
    assert document["findings"], "the hostile manifests produce findings"
    for fmt in FORMATS:
        if fmt == "json":
            continue
        other = run_inproc(*base, "--format", fmt, cwd=root)
        check_run(other, fmt)
        assert other.code == run.code
        if fmt == "github":
            check_github_against(other.out, document)
        elif fmt == "markdown":
            check_markdown_against(other.out, document)
        elif fmt == "sarif":
            check_sarif_against(other.out, document)
        elif fmt == "junit":
            check_junit_against(other.out, document)
        elif fmt == "gitlab":
            check_gitlab_against(other.out, document)
        else:
            check_text(other.out)
    return document


hostile = st.one_of(
    st.sampled_from(HOSTILE_STRINGS),
    st.builds(lambda a, b, c: a + b + c, st.sampled_from(HOSTILE_STRINGS), texts, texts),
    st.lists(st.sampled_from(HOSTILE_STRINGS), min_size=2, max_size=4).map("".join),
)


@budget(ci=60, long=1000)
@given(h=hostile)
def test_hostile_strings_stay_data(tmp_path_factory: pytest.TempPathFactory, h: str) -> None:
    example()
    root = tmp_path_factory.mktemp("inject")
    build(root, h)
    document = check_everything(root)
    from aiact_lint.report import encodable

    names = {system["name"] for system in document["systems"]}
    assert encodable(h) in names, "the system name reaches the report unchanged"


UTF8_NAMES = [
    b"nl\n::error file=forged.py,line=1::forged",
    b"cr\r::warning::cr",
    b"\x1b[31mansi\x1b[0m",
    b"::error::colon",
    b"##[error]legacy",
    b"pipe | <script>alert(1)</script> `x` @everyone",
    b"pct%0A%25%3A",
    b"space and #hash?query",
]
BYTE_NAMES = [b"latin1-\xe9t\xe9", b"bytes\xff\xfe"]


def nasty(root: Path, names: list[bytes]) -> Path:
    """A git repository whose manifests sit in folders with hostile names (bytes level)."""
    root.mkdir(parents=True)
    for index, name in enumerate(names):
        folder = os.path.join(os.fsencode(root), name)
        os.makedirs(os.path.join(folder, b"ok", b"web"))
        h = HOSTILE_STRINGS[index % len(HOSTILE_STRINGS)]
        with open(os.path.join(folder, b"aiact.yaml"), "w", encoding="utf-8") as handle:
            handle.write(invalid_manifest(h))
        with open(os.path.join(folder, b"ok", b"aiact.yaml"), "w", encoding="utf-8") as handle:
            handle.write(valid_manifest(h))
        with open(os.path.join(folder, b"ok", b"web", b"notice.html"), "w") as handle:
            handle.write("<p>x</p>\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "hostile names")
    return root


@pytest.fixture(scope="module")
def nasty_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return nasty(tmp_path_factory.mktemp("nasty") / "repo", UTF8_NAMES + BYTE_NAMES)


def test_hostile_folder_names_in_git(nasty_repo: Path) -> None:
    document = check_everything(nasty_repo)
    manifests = {system["manifest"] for system in document["systems"]}
    assert len(manifests) == 20, sorted(manifests)
    assert "nl\n::error file=forged.py,line=1::forged/aiact.yaml" in manifests
    assert "bytes\ufffd\ufffd/aiact.yaml" in manifests, "undecodable bytes shown as U+FFFD"


def test_hostile_folder_names_without_git(nasty_repo: Path, tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(nasty_repo, copy, ignore=shutil.ignore_patterns(".git"))
    document = check_everything(copy)
    assert len(document["systems"]) == 20


@pytest.mark.parametrize("fmt", FORMATS)
def test_hostile_folder_names_as_a_process(nasty_repo: Path, fmt: str) -> None:
    """What the process writes is valid UTF-8 (strictly decoded) and well formed."""
    run = run_proc("check", "--format", fmt, "--as-of", AS_OF, cwd=nasty_repo)
    check_run(run, fmt)
    assert run.code == 2


def test_render_from_a_hostile_document(nasty_repo: Path, tmp_path: Path) -> None:
    """`render --from` takes JSON it did not write: the renderers hold up on it too."""
    run = run_inproc("check", "--format", "json", "--as-of", AS_OF, cwd=nasty_repo)
    document = json.loads(run.out)
    # Free-text fields may hold anything: the renderers escape them.
    for finding in document["findings"][:3]:
        finding["title"] = "x](javascript:alert(1))<script>\u202e\x9b31m"
        finding["message"] += "\n::error::forged \u202eevil\x9b2J"
        finding["severity"] = "error"
    source = tmp_path / "result.json"
    source.write_text(json.dumps(document), encoding="utf-8")
    for fmt in FORMATS:
        rendered = run_inproc("render", "--from", str(source), "--format", fmt, cwd=tmp_path)
        check_run(rendered, fmt)
        assert "\u202e" not in rendered.out and "\x9b" not in rendered.out
        if fmt == "markdown":
            link = re.search(r"(?<!\\)\]\(\s*(?:javascript|data|vbscript):", rendered.out)
            assert link is None, "a live link from the data"
    # Fields the renderers print as they are (rule codes, severities, risk tiers, roles) must
    # have their form: anything else is refused, with where it is wrong (exit code 2).
    hostile = (
        ("findings", "rule", "AIA001](javascript:alert(1))<script>"),
        ("findings", "severity", "\x1b[2J"),
        ("systems", "risk", "high\n::error::forged"),
        ("systems", "roles", ["provider\x1b[31m"]),
    )
    for part, key, value in hostile:
        bad = json.loads(json.dumps(document))
        if not bad[part]:
            continue
        bad[part][0][key] = value
        source.write_text(json.dumps(bad), encoding="utf-8")
        for fmt in FORMATS:
            rendered = run_inproc("render", "--from", str(source), "--format", fmt, cwd=tmp_path)
            check_run(rendered)
            assert rendered.code == 2 and rendered.out == ""
            assert f"{part}[0].{key}" in rendered.err


# --- the HTML report ------------------------------------------------------------------------------


class _Scripts(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts = 0
        self.handlers: list[tuple[str, str]] = []
        self.urls: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "script":
            self.scripts += 1
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append((tag, name))
            if name in ("href", "src", "action", "formaction") and value:
                self.urls.append(value)


def _html_report(root: Path, *paths: str) -> str | None:
    run = run_inproc("report", "--format", "html", "--as-of", AS_OF, *paths, cwd=root)
    if run.code == 2 and "invalid choice" in run.err:
        return None
    check_run(run)
    assert run.out, run.err
    return run.out


def test_html_report_executes_nothing_from_data(tmp_path: Path) -> None:
    benign = tmp_path / "benign"
    build(benign, "harmless name")
    reference = _html_report(benign)
    if reference is None:
        pytest.skip("this version has no HTML report")
    page = _html_report(nasty(tmp_path / "repo", UTF8_NAMES))
    assert page is not None
    parsed, baseline = _Scripts(), _Scripts()
    parsed.feed(page)
    baseline.feed(reference)
    assert parsed.scripts == baseline.scripts, "a <script> element came from the data"
    assert parsed.handlers == baseline.handlers or set(parsed.handlers) <= set(baseline.handlers)
    assert set(parsed.tags) <= set(baseline.tags), set(parsed.tags) - set(baseline.tags)
    for url in parsed.urls:
        assert not url.strip().lower().startswith(("javascript:", "data:text/html", "vbscript:"))
    assert "<script>alert(1)</script>" not in page


def test_html_report_with_non_utf8_folder_names(tmp_path: Path) -> None:
    if _html_report(build_and_return(tmp_path / "benign")) is None:
        pytest.skip("this version has no HTML report")
    page = _html_report(nasty(tmp_path / "repo", BYTE_NAMES))
    assert page is not None and "\ufffd" in page


def build_and_return(root: Path) -> Path:
    build(root, "harmless name")
    return root
