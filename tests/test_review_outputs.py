"""What a reviewer reads: the Action's step summary and `aiact-lint report --diff-base`.

The step summary opens with "Legal effect of this change" (per system before -> after, the
duties that newly apply with their dates, the lock status); the HTML and Markdown reports show
the same section and, per system, what a compliance officer files (intended purpose, affected
persons, markets, roles, manifest and commit, the lock's reviewer and date, the change). The
HTML report is rendered in headless Chromium, as tests/test_report_html.py does, and long
paths must wrap inside their table cells.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from tests.conftest import AS_OF, NO_PRACTICES, git, make_repo, run_cli, run_process
from tests.test_action import action as action  # the fixture
from tests.test_action import run_action
from tests.test_report_html import (
    assert_accessible,
    assert_self_contained,
    browse,
    chromium,
    console,
)

CHAT_FACTS = NO_PRACTICES.replace(
    "interacts_with_natural_persons: false", "interacts_with_natural_persons: true"
)
CHAT = """\
schema_version: 1
system:
  name: Support assistant
roles: [provider]
market:
  regions: [EU, NO]
  placed_on_market: 2025-03-01
use_case:
  purpose: Answers customer questions about orders, deliveries and returns.
  affected_persons: [customers, support agents]
  annex_iii: []
  annex_i: []
  capabilities: {CHAT_FACTS}
risk:
  classification: limited
transparency:
  ai_interaction_notice:
    text: "You are chatting with an AI assistant."
    evidence: [web/chat.tsx]
evidence:
  ai_literacy: docs/literacy.md
"""
CHAT = CHAT.replace("{CHAT_FACTS}", CHAT_FACTS)
RANKING = CHAT.replace(
    "Answers customer questions about orders, deliveries and returns.",
    "Answers customer questions and ranks the candidates who apply for support roles.",
).replace("annex_iii: []", 'annex_iii: ["4(a)"]')
FILES = {
    "docs/literacy.md": "# AI literacy\n\nEvery member of staff who operates the assistant "
    "completes the internal course on its limits, its failure modes and escalation.\n",
    "web/chat.tsx": 'export const notice = "You are chatting with an AI assistant.";\n',
}
DEEP = "services/" + "/".join(f"team-{n}-very-long-folder-name-for-wrapping" for n in range(6))


def repository(tmp_path: Path) -> Path:
    """Two systems at the base: the chat assistant (locked) and one deep in the tree; then a
    change that turns the assistant into a candidate-ranking tool."""
    files = {"chat/aiact.yaml": CHAT, **{f"chat/{k}": v for k, v in FILES.items()}}
    files[f"{DEEP}/aiact.yaml"] = CHAT.replace("Support assistant", "Deep system")
    files.update({f"{DEEP}/{k}": v for k, v in FILES.items()})
    repo = make_repo(tmp_path / "repo", files)
    locked = run_cli(
        "lock", "--reviewer", "legal@example.com", "--reviewed-on", "2026-11-02",
        "--as-of", AS_OF, cwd=repo,
    )  # fmt: skip
    assert locked.code == 0, locked.err
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "reviewed locks")
    (repo / "chat" / "aiact.yaml").write_text(RANKING, encoding="utf-8")
    git(repo, "commit", "-qam", "rank candidates")
    return repo


def test_step_summary_opens_with_the_legal_effect(action: dict[str, Any], tmp_path: Path) -> None:
    repo = repository(tmp_path)
    run = run_action(action, repo, tmp_path, as_of=AS_OF, diff_base="HEAD~1")
    assert run.code == 1, run.stdout + run.stderr
    summary = run.summary
    assert summary.startswith("## Legal effect of this change\n"), summary[:300]
    section = summary.split("## :x: aiact-lint report", 1)[0]
    assert "Compared with HEAD\\~1 (" in section and "1 system changed, 1 unchanged" in section
    (row,) = [line for line in section.splitlines() if line.startswith("| Support assistant")]
    cells = [c.strip() for c in row.strip("|").split(" | ")]
    assert cells[0].startswith("Support assistant<br>chat/aiact.yaml")
    assert cells[1].startswith("limited risk (Art. 50(1))")
    assert cells[2].startswith("**high-risk (Annex III 4(a), Art. 50(1))**")
    assert cells[2].endswith("<br>intended purpose changed"), cells[2]
    # On the market since 2025 (before Chapter III applies): a legacy system (Art. 111(2)).
    assert cells[3].startswith("from 2027-12-02 (legacy system: only after a significant change")
    assert "risk\\_management (Art. 9), data\\_governance (Art. 10)" in cells[3]
    assert "differs from the review by legal&#64;example.com on 2026-11-02" in cells[4]
    assert "aiact-lint lock --reviewer" in cells[4] and " chat" in cells[4]
    # After the review the same summary shows the lock as reviewed in this change.
    locked = run_cli(
        "lock", "--reviewer", "dpo@example.com", "--as-of", AS_OF, "--reviewed-on", "2026-11-30",
        "chat", cwd=repo,
    )  # fmt: skip
    assert locked.code == 0, locked.err
    git(repo, "commit", "-qam", "review")
    again = run_action(action, repo, tmp_path, as_of=AS_OF, diff_base="HEAD~2")
    assert "reviewed in this change by dpo&#64;example.com on 2026-11-30" in again.summary


def test_no_diff_base_means_no_legal_effect_section(action: dict[str, Any], tmp_path: Path) -> None:
    repo = repository(tmp_path)
    run = run_action(action, repo, tmp_path, as_of=AS_OF)
    assert "Legal effect of this change" not in run.summary
    assert run.summary.startswith("## ")


def report(repo: Path, *args: str) -> str:
    out = repo.parent / "report.html"
    run = run_process(
        "report", "--as-of", AS_OF, "--diff-base", "HEAD~1", "-o", str(out), *args, cwd=repo
    )
    assert run.code == 0, run.err
    return out.read_text(encoding="utf-8")


def test_report_diff_base_html_and_markdown(tmp_path: Path) -> None:
    repo = repository(tmp_path)
    head = git(repo, "rev-parse", "HEAD").strip()
    page = report(repo)
    assert_self_contained(page)
    assert_accessible(page)
    effect = page.split('id="legal-effect"', 1)[1].split("</section>", 1)[0]
    assert "Legal effect of this change" in effect
    assert "limited risk (Art. 50(1))" in effect and "high-risk (Annex III 4(a)" in effect
    assert "from 2027-12-02 (legacy system" in effect
    assert "risk_management (Art. 9), data_governance (Art. 10)" in effect
    assert 'class="lock-differs"' in effect
    assert page.index('id="legal-effect"') < page.index('id="system-1"')
    chat = page.split('id="system-1"', 1)[1].split("</section>", 1)[0]
    about = chat.split("<caption>About this system</caption>", 1)[1].split("</table>", 1)[0]
    for fact in (
        "Answers customer questions and ranks the candidates who apply for support roles.",
        "customers, support agents",
        "EU, NO; placed on the market 2025-03-01",
        "provider",
        "<code>chat/aiact.yaml</code>",
        f"<code>{head[:12]}</code>",
        "legal@example.com on 2026-11-02",
    ):
        assert fact in about, fact
    assert "<h3>Change since HEAD~1 (" in chat
    # The change table shows the whole purpose before and after, the edit marked as words.
    change = chat.split("<h3>Change since", 1)[1].split("</table>", 1)[0]
    assert (
        '<tr><th scope="row">Intended purpose</th><td>Answers customer questions <del>about '
        "orders, deliveries and returns.</del></td><td>Answers customer questions <ins>and ranks "
        "the candidates who apply for support roles.</ins></td></tr>"
    ) in change
    assert "substantial modification" in chat  # the AIA938 finding is among the open findings
    markdown = run_process(
        "report", "--format", "markdown", "--as-of", AS_OF, "--diff-base", "HEAD~1", cwd=repo
    )
    assert markdown.code == 0, markdown.err
    text = markdown.out
    assert text.index("## Legal effect of this change") < text.index("## Support assistant")
    assert "| Intended purpose | Answers customer questions and ranks the candidates" in text
    assert f"| Commit | {head[:12]} |" in text
    assert "### Change since HEAD\\~1 (" in text and "Duties that newly apply:" in text
    assert (
        "| Intended purpose | Answers customer questions ~~about orders, deliveries and "
        "returns.~~ | Answers customer questions **and ranks the candidates who apply for support "
        "roles.** |"
    ) in text
    assert "| Lock review | differs from the review by legal&#64;example.com on 2026-11-02" in text


def test_report_in_a_browser_wraps_long_paths(tmp_path: Path) -> None:
    browser = chromium()
    repo = repository(tmp_path)
    page = report(repo)
    assert DEEP in page
    dom = browse(browser, tmp_path / "profile-dom", (repo.parent / "report.html").as_uri(),
                 "--dump-dom", "--window-size=900,1200")  # fmt: skip
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert console(dom.stderr) == []
    assert "Legal effect of this change" in dom.stdout
    # Measure the layout: the same page with a script that records how wide the page and each
    # cell holding a path are (the report itself forbids scripts; the copy allows one).
    probe = page.replace("default-src 'none';", "default-src 'none'; script-src 'unsafe-inline';")
    probe = probe.replace(
        "</body>",
        "<script>const cells=[...document.querySelectorAll('td, th')].filter(c=>c.textContent"
        ".includes('very-long-folder-name'));document.body.setAttribute('data-layout',JSON."
        "stringify({page:document.documentElement.scrollWidth,view:document.documentElement."
        "clientWidth,cells:cells.length,overflow:cells.filter(c=>c.scrollWidth>c.clientWidth+1)"
        ".length}))</script></body>",
    )
    measured = tmp_path / "probe.html"
    measured.write_text(probe, encoding="utf-8")
    run = browse(browser, tmp_path / "profile-probe", measured.as_uri(), "--dump-dom",
                 "--window-size=900,1200")  # fmt: skip
    found = re.search(r"data-layout=\"([^\"]+)\"", run.stdout)
    assert found, run.stdout[-2000:]
    layout = json.loads(found.group(1).replace("&quot;", '"'))
    assert layout["cells"] >= 1, layout  # at least the deep system's manifest row
    assert layout["overflow"] == 0, layout
    assert layout["page"] <= layout["view"], layout
