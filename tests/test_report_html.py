"""`aiact-lint report`: the HTML (and Markdown) obligations report, rendered in a real browser.

The browser test runs Debian's headless chromium (installed by `.ci/run` where missing). It is
skipped only when chromium is absent and CI is not set; under CI a missing browser fails.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import struct
import subprocess
from pathlib import Path
from urllib.parse import unquote

import pytest

from tests.conftest import AS_OF, ROOT, make_repo, run_cli, run_process

EXAMPLES = {
    "customer-chatbot": ("Shop support assistant", "Limited risk"),
    "hr-screening": ("CV ranking service", "Prohibited"),
    "gpai-provider": ("Fennec-13B open model release", "Out of scope"),
}
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
EXTERNAL = re.compile(r"""(?:src|href|action|srcset)\s*=\s*["']?\s*(?!#|data:)[a-zA-Z][\w+.-]*:""")


def report(folder: Path, *args: str) -> str:
    out = folder / "report.html"
    run = run_process("report", "--as-of", AS_OF, "-o", str(out), *args, cwd=folder)
    assert run.code == 0, run.err
    assert run.out == "", "with --output nothing goes to stdout"
    return out.read_text(encoding="utf-8")


def assert_self_contained(page: str) -> None:
    assert page.startswith("<!DOCTYPE html>")
    assert f'<meta http-equiv="Content-Security-Policy" content="{CSP}">' in page
    assert "<script" not in page.lower()
    assert not EXTERNAL.findall(page), EXTERNAL.findall(page)
    assert "@import" not in page and "url(" not in page  # no fonts or images fetched by CSS


def assert_accessible(page: str) -> None:
    assert '<html lang="en">' in page and "<title>" in page
    assert page.count("<h1") == 1 and "<h2" in page and "<h3" in page
    for table in re.findall(r"<table.*?</table>", page, re.S):
        assert '<th scope="col">' in table and "<caption>" in table
    for picture in re.findall(r"<svg.*?</svg>", page, re.S):
        assert 'role="img"' in picture
        ids = re.search(r'aria-labelledby="([^"]+) ([^"]+)"', picture)
        assert ids, picture[:200]
        assert f'<title id="{ids.group(1)}">' in picture
        assert f'<desc id="{ids.group(2)}">' in picture


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_report_on_every_example(tmp_path: Path, name: str) -> None:
    folder = tmp_path / name
    shutil.copytree(ROOT / "examples" / name, folder)
    system, tier = EXAMPLES[name]
    page = report(folder)
    assert_self_contained(page)
    assert_accessible(page)
    assert html.escape(system) in page and f">{tier}</span>" in page
    assert 'class="timeline"' in page and "2 Feb 2025" in page and "25 Nov 2026" in page
    for heading in ("Determination", "Timeline", "Obligations", "Open findings", "Waivers"):
        assert f"<h3>{heading}</h3>" in page
    markdown = run_process("report", "--format", "markdown", "--as-of", AS_OF, cwd=folder)
    assert markdown.code == 0, markdown.err
    assert f"## {system} — {tier}" in markdown.out.replace("\\", "")
    assert "### Timeline" in markdown.out and "| Date | Milestone |" in markdown.out


def test_report_is_html_on_stdout_by_default(repo: Path) -> None:
    run = run_cli("report", "--as-of", AS_OF, cwd=repo)
    assert run.code == 0 and run.out.startswith("<!DOCTYPE html>")


def test_obligations_table_and_timeline_follow_the_check(tmp_path: Path) -> None:
    manifest = """\
schema_version: 1
system:
  name: Loan scorer
roles: [provider, deployer]
market:
  regions: [EU]
use_case:
  purpose: Scores the creditworthiness of consumers applying for loans.
  annex_iii: ["5(b)"]
  annex_i: [MACHINERY]
  product: {safety_component: true, third_party_conformity_assessment: true}
risk:
  classification: high
evidence:
  ai_literacy: docs/literacy.md
"""
    repo = make_repo(
        tmp_path / "r", {"aiact.yaml": manifest, "docs/literacy.md": "# AI literacy\n"}
    )
    page = report(repo)
    checked = run_process("check", "--format", "json", "--as-of", AS_OF, cwd=repo).json()
    (system,) = checked["systems"]
    obligations = system["obligations"]
    assert obligations
    (picture,) = re.findall(r"<svg.*?</svg>", page, re.S)
    marks = re.findall(r"\): (met|missing|open|upcoming|legacy|exempt)</title>", picture)
    assert sorted(marks) == sorted(o["status"] for o in obligations)  # one mark per obligation
    for label in ("2 Dec 2027", "2 Aug 2028", "High-risk, Annex III", "High-risk, Annex I"):
        assert label in picture
    assert "25 Nov 2026" in picture  # the report date is marked
    table = re.search(r'<table class="obligations">.*?</table>', page, re.S)
    assert table is not None
    rows = re.findall(r"<tr>.*?</tr>", table.group(0), re.S)[1:]
    assert len(rows) == len(obligations)
    for row, item in zip(rows, obligations):
        assert f"status-{item['status']}" in row and html.escape(item["article"]) in row
    # The evidence link points at the file, relative to the report.
    link = re.search(r'<a href="([^"]+)"><code>docs/literacy.md</code></a>', page)
    assert link and (repo / unquote(link.group(1))).is_file()


def test_evidence_links_are_relative_to_the_output_file(tmp_path: Path) -> None:
    folder = tmp_path / "chatbot"
    shutil.copytree(ROOT / "examples" / "customer-chatbot", folder)
    out = tmp_path / "out" / "nested" / "report.html"
    out.parent.mkdir(parents=True)
    run = run_process("report", "--as-of", AS_OF, "-o", str(out), cwd=folder)
    assert run.code == 0, run.err
    links = re.findall(r'<a href="([^"#]+)">', out.read_text(encoding="utf-8"))
    assert links
    for href in links:
        assert (out.parent / unquote(href)).resolve().is_file(), href


def test_waivers_show_owner_expiry_and_state(tmp_path: Path) -> None:
    manifest = """\
schema_version: 1
system:
  name: Waiver demo
roles: [provider]
market:
  regions: [EU]
use_case:
  purpose: Suggests replies to support tickets.
  capabilities:
    interacts_with_natural_persons: true
risk:
  classification: limited
waivers:
  - rule: AIA703
    reason: Literacy programme starts in January.
    owner: people-ops@example.com
    expires: 2027-01-31
  - rule: AIA501
    reason: Old exception.
    owner: legal@example.com
    expires: 2026-01-01
"""
    repo = make_repo(tmp_path / "w", {"aiact.yaml": manifest})
    page = report(repo)
    section = page.split("<h3>Waivers</h3>", 1)[1]
    for text in ("people-ops@example.com", "31 Jan 2027", "active", "legal@example.com", "expired"):
        assert text in section, text
    assert "Literacy programme starts in January." in section
    markdown = run_process("report", "--format", "markdown", "--as-of", AS_OF, cwd=repo).out
    assert "people-ops&#64;example.com" in markdown and "2027-01-31" in markdown


def test_untrusted_manifest_strings_are_escaped(tmp_path: Path) -> None:
    evil = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    odd_file = 'docs/a" onmouseover="alert(3).md'
    manifest = f"""\
schema_version: 1
system:
  name: '{evil}'
roles: [provider]
market:
  regions: [EU]
use_case:
  purpose: '{evil} javascript:alert(4)'
risk:
  classification: minimal
evidence:
  ai_literacy: '{odd_file}'
  risk_management: 'javascript:alert(5)'
waivers:
  - rule: AIA999
    reason: '{evil}'
    owner: '{evil}'
    expires: 2027-01-01
"""
    repo = make_repo(tmp_path / "e", {"aiact.yaml": manifest, odd_file: "# literacy\n"})
    page = report(repo)
    assert_self_contained(page)
    assert "<img" not in page  # the only elements are the report's own
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'onmouseover="' not in page  # a quote in a path cannot end an attribute
    hrefs = re.findall(r'href="([^"]*)"', page)
    assert all(h.startswith(("#", "data:")) or ":" not in h for h in hrefs), hrefs
    markdown = run_process("report", "--format", "markdown", "--as-of", AS_OF, cwd=repo).out
    assert "<script>" not in markdown and "<img" not in markdown


def test_a_broken_manifest_still_gets_a_report(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "b", {"aiact.yaml": "schema_version: 1\nsystem: [oops]\n"})
    page = report(repo)
    assert "AIA10" in page
    unreadable = make_repo(tmp_path / "u", {"aiact.yaml": "schema_version: 1\nsystem: {name: x\n"})
    assert "Not determined" in report(unreadable)  # no document to read facts from


@pytest.mark.parametrize(
    "args",
    [
        ["--format", "pdf"],
        ["--as-of", "2026-13-01"],
        ["--config", "missing.toml"],
    ],
)
def test_usage_errors_exit_2(repo: Path, args: list[str]) -> None:
    run = run_process("report", *args, cwd=repo)
    assert run.code == 2 and run.out == ""
    assert "Traceback" not in run.err


# --- the real browser ---------------------------------------------------------------------------


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail(
            "CI is set but chromium is missing: .ci/run installs it (apt-get install chromium)"
        )
    pytest.skip("chromium is not installed (apt-get install chromium; CI installs it)")


def browse(browser: str, profile: Path, url: str, *args: str) -> subprocess.CompletedProcess[str]:
    command = [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        "--enable-logging=stderr",
        "--v=0",
        *args,
        url,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=180)


def console(stderr: str) -> list[str]:
    """Messages the page wrote to the console (errors, CSP violations, failed loads)."""
    return [line for line in stderr.splitlines() if re.search(r":CONSOLE[:(]", line)]


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_report_renders_in_a_real_browser(tmp_path: Path) -> None:
    browser = chromium()
    folder = tmp_path / "hr-screening"
    shutil.copytree(ROOT / "examples" / "hr-screening", folder)
    report(folder)
    url = (folder / "report.html").as_uri()
    # The console capture works: a page that logs an error and breaks its CSP is caught.
    bad = tmp_path / "bad.html"
    bad.write_text(
        f'<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="{CSP}">'
        "</head><body><script>console.error('boom')</script></body></html>",
        encoding="utf-8",
    )
    control = browse(browser, tmp_path / "profile-control", bad.as_uri(), "--dump-dom")
    assert console(control.stderr), "the console capture saw nothing on a page that logs"
    dom = browse(browser, tmp_path / "profile-dom", url, "--dump-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert console(dom.stderr) == []
    page = dom.stdout
    assert "CV ranking service" in page
    assert '<span class="risk risk-prohibited">Prohibited</span>' in page
    assert '<svg xmlns="http://www.w3.org/2000/svg" role="img"' in page and "2 Feb 2025" in page
    assert "<h3>Timeline</h3>" in page
    shot = tmp_path / "report.png"
    picture = browse(
        browser,
        tmp_path / "profile-shot",
        url,
        f"--screenshot={shot}",
        "--window-size=1200,1600",
        "--hide-scrollbars",
    )
    assert picture.returncode == 0, picture.stderr[-2000:]
    assert console(picture.stderr) == []
    data = shot.read_bytes()
    assert png_size(data) == (1200, 1600) and len(data) > 30_000  # a page, not a blank


def test_documented_screenshot_is_committed() -> None:
    doc = (ROOT / "docs" / "init-and-report.md").read_text(encoding="utf-8")
    assert "![Obligations report](report.png)" in doc  # relative to docs/
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "](docs/report.png)" in readme
    width, height = png_size((ROOT / "docs" / "report.png").read_bytes())
    assert width >= 800 and height >= 600
