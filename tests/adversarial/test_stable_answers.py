"""The same repository gives the same answer: whatever the hash seed, the clock or the time
zone, wherever the command starts and whatever the configuration tries to hide; and a
monorepo's full check stays within a few times its manifest-only check.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

from ._support import (
    AS_OF,
    FORMATS,
    MINIMAL,
    check_run,
    git,
    process_env,
    run_inproc,
    run_proc,
    write_files,
)
from .test_growth import cpu_seconds

SOCIAL_SCORING = """\
schema_version: 1
system:
  name: Citizen score
roles: [provider]
market:
  regions: [EU]
use_case:
  purpose: Scores citizens
  capabilities:
    social_scoring: true
risk:
  classification: prohibited
"""


def test_ties_on_the_sort_key_do_not_depend_on_the_hash_seed(tmp_path: Path) -> None:
    """aiact.yaml and aiact.yml in one folder both govern its code: the same suppression
    finding twice, one waived. They tied on (path, line, column, rule, message), so the hash
    seed chose their order; the whole finding breaks the tie now."""
    waiver = (
        "waivers:\n  - rule: AIA857\n    reason: tracked elsewhere\n    owner: o\n"
        "    expires: 2027-06-01\n"
    )
    write_files(
        tmp_path,
        {
            "svc/aiact.yaml": MINIMAL,
            "svc/aiact.yml": MINIMAL + waiver,
            "svc/app.py": "import openai  # aiact-lint: ignore\n" * 3,
        },
    )
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "two manifests")
    for fmt in ("json", "text", "sarif", "junit"):
        outputs = set()
        for seed in ("0", "1", "2", "3", "4242", "random"):
            env = process_env(PYTHONHASHSEED=seed)
            run = run_proc("check", "--as-of", AS_OF, "--format", fmt, cwd=tmp_path, env=env)
            check_run(run, fmt)
            outputs.add(run.out)
        assert len(outputs) == 1, f"{fmt}: {len(outputs)} different outputs"
        if fmt == "json":
            findings = json.loads(next(iter(outputs)))["findings"]
            waived = [f["waived"] for f in findings if f["rule"] == "AIA857"]
            assert sorted(waived) == [False, False, False, True, True, True], waived


def test_the_report_says_as_of_whatever_the_clock(tmp_path: Path) -> None:
    """It said "Today:" or "As of:" depending on whether --as-of happened to be today."""
    write_files(tmp_path, {"aiact.yaml": MINIMAL})
    today = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
    pages = {}
    for as_of in (today, "2026-11-25"):
        for fmt in ("html", "markdown"):
            run = run_inproc("report", "--format", fmt, "--as-of", as_of, cwd=tmp_path)
            check_run(run)
            assert "Today" not in run.out, (fmt, as_of)
            pages[(fmt, as_of)] = run.out
    assert "As of" in pages[("html", today)]


def test_the_default_date_is_today_in_utc(tmp_path: Path) -> None:
    """The default --as-of was the local date, so around a deadline the verdict depended on
    TZ. UTC+14 and UTC-12 are always on different dates: the answer must not differ."""
    write_files(tmp_path, {"aiact.yaml": MINIMAL})
    before = datetime.datetime.now(datetime.timezone.utc).date()
    dates = set()
    for zone in ("AAA-14", "BBB+12", "UTC0"):
        run = run_proc("check", "--format", "json", cwd=tmp_path, env=process_env(TZ=zone))
        dates.add(check_run(run, "json")["as_of"])
    after = datetime.datetime.now(datetime.timezone.utc).date()
    assert len(dates) == 1 and dates <= {before.isoformat(), after.isoformat()}, dates
    helped = run_proc("check", "--help", cwd=tmp_path)
    assert "UTC" in helped.out


def test_sarif_keeps_repository_files_under_srcroot(tmp_path: Path) -> None:
    """A tracked file named ``\\\\host\\share\\x.py`` became ``file://host/share/x.py``."""
    names = ["\\\\host\\share\\x.py", "C:x.py", "c:\\win\\y.py"]
    write_files(tmp_path, {"aiact.yaml": MINIMAL})
    for name in names:
        (tmp_path / name).write_text("from openai import OpenAI\nOpenAI(model='gpt-4o')\n", "utf-8")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "odd names")
    run = run_inproc("check", "--as-of", AS_OF, "--format", "sarif", cwd=tmp_path)
    sarif = check_run(run, "sarif")
    locations = [
        r["locations"][0]["physicalLocation"]["artifactLocation"]
        for r in sarif["runs"][0]["results"]
    ]
    assert locations and all(loc.get("uriBaseId") == "%SRCROOT%" for loc in locations), locations
    assert not any(loc["uri"].startswith(("file:", "//")) for loc in locations), locations
    assert "%5C%5Chost%5Cshare%5Cx.py" in {loc["uri"] for loc in locations}


def test_exclude_cannot_hide_prohibited_practices_or_input_errors(tmp_path: Path) -> None:
    """``exclude = ["*.yaml"]`` hid a prohibited-practice manifest and input errors, which
    ``ignore`` and ``severity`` correctly refuse to hide."""
    write_files(
        tmp_path,
        {
            "scoring/aiact.yaml": SOCIAL_SCORING,
            "broken/aiact.yaml": MINIMAL.replace("[deployer]", "[developer]"),
            "fine/aiact.yaml": MINIMAL,
            ".aiact-lint.toml": 'exclude = ["*.yaml"]\n',
        },
    )
    run = run_inproc("check", "--as-of", AS_OF, "--format", "json", cwd=tmp_path)
    document = check_run(run, "json")
    rules = {(f["path"], f["rule"]) for f in document["findings"]}
    assert ("scoring/aiact.yaml", "AIA401") in rules, rules
    assert ("broken/aiact.yaml", "AIA104") in rules, rules
    assert run.code == 2
    assert not any(path == "fine/aiact.yaml" for path, _ in rules), "exclude still excludes"
    assert not any(r in ("AIA703",) for _, r in rules), "what may be hidden is hidden"
    for fmt in FORMATS:
        other = run_inproc("check", "--as-of", AS_OF, "--format", fmt, cwd=tmp_path)
        check_run(other, fmt)
        assert other.code == 2


def test_configuration_comes_from_the_checked_repository(tmp_path: Path) -> None:
    """Discovery started at the working directory: ``check ../other`` used the settings of
    wherever the command ran, not those of the repository it checked."""
    here, other = tmp_path / "here", tmp_path / "other"
    write_files(here, {"notes.txt": "x\n", ".aiact-lint.toml": 'ignore = ["AIA9"]\n'})
    write_files(other, {"aiact.yaml": MINIMAL, ".aiact-lint.toml": 'ignore = ["AIA703"]\n'})
    for folder in (here, other):
        git(folder, "init", "-q", "-b", "main")
    for target in ("../other", "../other/aiact.yaml"):
        run = run_inproc("check", "--as-of", AS_OF, "--format", "json", target, cwd=here)
        document = check_run(run, "json")
        assert not [f for f in document["findings"] if f["rule"] == "AIA703"], target
        shown = run_inproc("check", "--show-settings", target, cwd=here)
        assert "other" in shown.out.split("\n")[0], shown.out


def _monorepo(root: Path, count: int) -> None:
    files = {}
    for i in range(count):
        folder = f"services/s{i:04d}"
        files[f"{folder}/aiact.yaml"] = MINIMAL + "models:\n  - id: gpt-4o\n"
        files[f"{folder}/src/app.py"] = (
            "from openai import OpenAI\nclient = OpenAI()\n"
            "client.chat.completions.create(model='gpt-4o', messages=[])\n"
            "MODEL = 'gpt-4o-mini'\nclient.chat.completions.create(model=MODEL)\n"
        )
    write_files(root, files)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "monorepo")


@pytest.mark.slow
def test_a_monorepo_full_check_within_three_times_the_manifest_only_check(
    tmp_path: Path,
) -> None:
    """Ownership was computed per reference per manifest (500 manifests 11 s, 1,000 85 s): the
    full check of 1,000 manifests with their code now costs at most 3 times the manifest-only
    check of the same repository (CPU time of the whole process, git included)."""
    _monorepo(tmp_path, 1000)
    base = ("check", "--as-of", AS_OF, "--format", "json")
    manifest_only = cpu_seconds((*base, "--manifest-only"), tmp_path)
    full = cpu_seconds(base, tmp_path)
    if full > 3 * manifest_only:  # measured once more before failing
        manifest_only = min(manifest_only, cpu_seconds((*base, "--manifest-only"), tmp_path))
        full = min(full, cpu_seconds(base, tmp_path))
    assert full <= 3 * manifest_only, f"full {full:.1f} s, manifest-only {manifest_only:.1f} s"
