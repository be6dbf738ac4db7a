"""The rule catalogue and the law tables hold together; every legal rule has its two fixtures.

* Catalogue: unique codes, the five documentation parts, an article for every legal rule.
* Law tables: every entry has an article; every article cited in the obligations and the
  prohibitions is one the project's legal reference covers (the set below is copied from
  shared/reference/eu-ai-act.md, so that CI needs no access to that file); evidence keys exist
  in the manifest schema; the UNVERIFIED provisions are flagged ``verified: false``.
* Fixtures: ``tests/rule_fixtures/<CODE>/trigger.yaml`` raises CODE at every line marked
  ``# <- CODE``; ``clean.yaml`` does not raise CODE. Found by folder name; every rule
  AIA2xx-AIA7xx has its folder. Header lines ``# as_of: ...`` / ``# policy: ...`` set options.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from aiact_lint.catalogue import rules
from aiact_lint.lawdata import table
from tests.conftest import AS_OF, ROOT
from tests.legal_harness import check, header_option, marked_lines

FIXTURES = Path(__file__).resolve().parent / "rule_fixtures"
LEGAL = re.compile(r"^AIA[2-7]\d\d$")
PER_OBLIGATION = {"AIA701", "AIA702", "AIA703"}  # their article is the obligation's

# Article numbers of Regulation (EU) 2024/1689 (as amended) that the project's legal reference,
# shared/reference/eu-ai-act.md (compiled 2026-11-25), states facts about. Copied as data.
REFERENCE_ARTICLES = frozenset(
    {
        "2", "3", "4", "4a", "5", "6", "8", "9", "10", "11", "12", "13", "14", "15", "16",
        "17", "18", "19", "20", "22", "23", "24", "25", "26", "27", "31", "33", "34", "43",
        "47", "48", "49", "50", "51", "52", "53", "54", "55", "57", "58", "59", "60a", "71",
        "72", "73", "75a", "75b", "75c", "75d", "78", "86", "99", "100", "101", "102", "103",
        "104", "105", "106", "107", "108", "109", "110", "111", "112", "113",
    }
)  # fmt: skip
ARTICLE = re.compile(r"\bArts?\.\s*(\d+[a-z]?)")
LAW_TABLES = ("timeline", "prohibited", "obligations", "annex_iii")


def legal_rules() -> dict[str, Any]:
    return {code: rule for code, rule in rules().items() if LEGAL.match(code)}


def cited(text: str) -> set[str]:
    return set(ARTICLE.findall(text))


# --- catalogue ---------------------------------------------------------------------------------


def test_codes_are_unique_across_catalogue_files() -> None:
    codes = [
        entry["code"] for name in ("rules_core", "rules_legal") for entry in table(name)["rules"]
    ]
    extra = [n for n in ("rules_repo",) if n in _table_names()]
    codes += [entry["code"] for name in extra for entry in table(name)["rules"]]
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"AIA\d{3}", code) for code in codes)


def _table_names() -> list[str]:
    from aiact_lint.lawdata import table_names

    return table_names()


@pytest.mark.parametrize("code", sorted(rules()))
def test_every_rule_is_documented(code: str) -> None:
    rule = rules()[code]
    for part in ("name", "title", "severity", "what", "why", "example", "fix"):
        value = getattr(rule, part)
        assert isinstance(value, str) and value.strip(), f"{code} lacks {part}"
    assert rule.severity in ("error", "warning", "info")
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name), rule.name


def test_rule_names_are_unique() -> None:
    names = [rule.name for rule in rules().values()]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("code", sorted(legal_rules()))
def test_legal_rules_cite_an_article(code: str) -> None:
    rule = rules()[code]
    if code in PER_OBLIGATION:
        return
    assert rule.articles, f"{code} cites no article"
    numbers = set().union(*(cited(a) for a in rule.articles))
    assert numbers <= REFERENCE_ARTICLES, numbers - REFERENCE_ARTICLES


# --- law tables ---------------------------------------------------------------------------------


def _entries(name: str) -> list[dict[str, Any]]:
    data = table(name)
    if name == "timeline":
        return list(data["dates"].values())
    if name == "prohibited":
        return list(data["practices"])
    if name == "obligations":
        return list(data["obligations"])
    return list(data["points"])


@pytest.mark.parametrize("name", LAW_TABLES)
def test_every_law_entry_has_an_article(name: str) -> None:
    entries = _entries(name)
    assert entries
    for entry in entries:
        assert isinstance(entry.get("article"), str) and entry["article"].strip(), entry


def _articles_in(name: str) -> set[str]:
    found: set[str] = set()
    for entry in _entries(name):
        found |= cited(entry["article"])
        for nested in entry.get("exceptions", []) + entry.get("exempt_when", []):
            found |= cited(nested["article"])
    return found


@pytest.mark.parametrize("name", ["obligations", "prohibited", "timeline"])
def test_cited_articles_are_covered_by_the_reference(name: str) -> None:
    articles = _articles_in(name)
    assert articles
    assert articles <= REFERENCE_ARTICLES, sorted(articles - REFERENCE_ARTICLES)


def test_prohibited_points_are_the_amended_art_5_list() -> None:
    points = [p["point"] for p in table("prohibited")["practices"]]
    assert points == ["(a)", "(b)", "(ba)", "(bb)", "(c)", "(d)", "(e)", "(f)", "(g)", "(h)"]
    new = {p["point"]: p["applies_from"] for p in table("prohibited")["practices"]}
    assert new["(ba)"] == new["(bb)"] == "prohibitions_2026"
    assert table("timeline")["dates"]["prohibitions_2026"]["date"] == "2026-12-02"


def test_annex_iii_points_are_complete() -> None:
    points = {p["point"] for p in table("annex_iii")["points"]}
    expected = {"1(a)", "1(b)", "1(c)", "2", "3(a)", "3(b)", "3(c)", "3(d)", "4(a)", "4(b)"}
    expected |= {"5(a)", "5(b)", "5(c)", "5(d)", "6(a)", "6(b)", "6(c)", "6(d)", "6(e)"}
    expected |= {"7(a)", "7(b)", "7(c)", "7(d)", "8(a)", "8(b)"}
    assert points == expected


def test_application_dates_follow_the_amended_art_113() -> None:
    dates = {key: entry["date"] for key, entry in table("timeline")["dates"].items()}
    assert dates["prohibitions"] == "2025-02-02"
    assert dates["gpai"] == "2025-08-02"
    assert dates["transparency"] == "2026-08-02"
    assert dates["gpai_legacy"] == "2027-08-02"
    assert dates["high_risk_annex_iii"] == "2027-12-02"
    assert dates["high_risk_annex_i"] == "2028-08-02"


def _schema_has(schema: dict[str, Any], dotted: str) -> bool:
    node: Any = schema
    for part in dotted.split("."):
        properties = node.get("properties", {}) if isinstance(node, dict) else {}
        if part not in properties:
            return False
        node = properties[part]
    return True


def test_obligation_evidence_keys_exist_in_the_schema() -> None:
    schema = json.loads((ROOT / "aiact_lint" / "schema" / "aiact.schema.json").read_text())
    for entry in table("obligations")["obligations"]:
        key = entry.get("evidence")
        if key is not None:
            assert _schema_has(schema, key), f"{entry['id']}: {key} is not a manifest key"


def test_obligations_are_well_formed() -> None:
    dates = set(table("timeline")["dates"]) | {"high_risk"}
    ids = [entry["id"] for entry in table("obligations")["obligations"]]
    assert len(ids) == len(set(ids))
    for entry in table("obligations")["obligations"]:
        assert entry["applies_from"] in dates, entry["id"]
        assert set(entry["roles"]) <= {
            "provider",
            "deployer",
            "importer",
            "distributor",
            "authorised_representative",
            "product_manufacturer",
        }
        # An unquoted comma in a flow mapping splits a title into a stray key with no value.
        assert not [key for key in entry if " " in key], entry
        if "rule" in entry:
            assert entry["rule"] in rules()


def test_provisions_read_in_the_amended_text_are_no_longer_unverified() -> None:
    """consolidated-2026.md resolves Arts. 4, 6(4)/49(2), 17, 50, 111: encoded as read."""
    obligations = {e["id"]: e for e in table("obligations")["obligations"]}
    assert obligations["ai_literacy"]["article"] == "Art. 4(1)"
    assert "support the development of AI literacy" in obligations["ai_literacy"]["title"]
    for ident in ("ai_literacy", "quality_management", "derogation_registration"):
        assert obligations[ident].get("verified", True) is True, ident
    dates = table("timeline")["dates"]
    assert dates["ai_literacy"]["verified"] is True
    grace = dates["transparency_marking_legacy"]
    assert (grace["date"], grace["article"], grace["verified"]) == (
        "2026-12-02",
        "Art. 111(4)",
        True,
    )
    assert "high_risk_legacy_cutoff" not in dates  # Art. 111(2): the route's Chapter III date
    assert dates["high_risk_public_authorities"]["date"] == "2030-08-02"
    for key in ("prohibitions", "gpai", "transparency", "high_risk_annex_iii"):
        assert dates[key]["verified"] is True, key
    annex_i = table("annex_i")["acts"]
    assert (annex_i["MACHINERY"]["section"], annex_i["MACHINERY"]["point"]) == ("B", 21)
    assert all(act["point"] != 1 for act in annex_i.values())  # Section A point 1 is deleted


# --- fixtures -----------------------------------------------------------------------------------


def test_every_legal_rule_has_its_fixture_folder() -> None:
    folders = {p.name for p in FIXTURES.iterdir() if p.is_dir()}
    assert folders == set(legal_rules())
    for code in folders:
        assert (FIXTURES / code / "trigger.yaml").is_file(), code
        assert (FIXTURES / code / "clean.yaml").is_file(), code


def _folders() -> list[str]:
    return sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())


def _run(path: Path, where: Path) -> tuple[str, Any]:
    text = path.read_text(encoding="utf-8")
    outcome = check(
        text,
        where,
        as_of=header_option(text, "as_of") or AS_OF,
        policy=header_option(text, "policy"),
        process=False,
    )
    assert outcome.code in (0, 1), outcome.stderr
    assert not [f for f in outcome.system["findings"] if f["rule"].startswith("AIA0")], (
        f"{path}: the fixture is not a valid manifest: {outcome.system['findings']}"
    )
    return text, outcome


@pytest.mark.parametrize("code", _folders())
def test_fixture_triggers_the_rule_at_the_marked_line(code: str, tmp_path: Path) -> None:
    text, outcome = _run(FIXTURES / code / "trigger.yaml", tmp_path / "repo")
    marks = marked_lines(text).get(code)
    assert marks, f"{code}/trigger.yaml marks no line with '# <- {code}'"
    found = outcome.lines(code)
    for line in marks:
        assert line in found, f"{code} expected at line {line}, found at {found}"


@pytest.mark.parametrize("code", _folders())
def test_clean_fixture_does_not_trigger_the_rule(code: str, tmp_path: Path) -> None:
    _, outcome = _run(FIXTURES / code / "clean.yaml", tmp_path / "repo")
    assert code not in outcome.codes, [f for f in outcome.findings if f["rule"] == code]
