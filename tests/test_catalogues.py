"""Art. 50 notices kept in i18n catalogues (JSON, YAML, PO, XLIFF), in several languages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from aiact_lint.repo import catalogues
from tests.conftest import make_repo, run_cli

AS_OF = "2026-11-25"
ENGLISH = "You are chatting with an AI assistant."
FRENCH = "Vous échangez avec un assistant d’IA."
GERMAN = "Sie chatten mit einem KI-Assistenten."

MANIFEST = """\
schema_version: 1
system:
  name: Shop assistant
roles: [provider]
market:
  regions: [EU]
use_case:
  purpose: Answers customer questions about orders.
  capabilities:
    interacts_with_natural_persons: true
risk:
  classification: limited
transparency:
  ai_interaction_notice:
    text: "You are chatting with an AI assistant."
    evidence: [web/src/Chat.tsx, {catalogue}]
    translations:
      - {{language: fr, text: "Vous échangez avec un assistant d’IA."}}
"""

COMPONENT = "export const Chat = () => <p>{t('chat.notice')}</p>;\n"

CATALOGUES = {
    "web/locales/fr.json": (
        '{"chat": {"notice": "Vous \\u00e9changez avec un assistant d\\u2019IA."}}\n'
    ),
    "locale/fr/LC_MESSAGES/messages.po": (
        'msgid ""\nmsgstr ""\n"Language: fr\\n"\n\nmsgid "chat.notice"\n'
        'msgstr "Vous échangez avec "\n"un assistant d’IA."\n'
    ),
    "i18n/messages.xlf": (
        '<?xml version="1.0"?>\n<xliff version="1.2"><file source-language="en" '
        'target-language="fr-FR"><body><trans-unit id="notice"><source>You chat</source>'
        "<target>Vous &#233;changez avec un <g id='1'>assistant</g> d&#8217;IA.</target>"
        "</trans-unit></body></file></xliff>\n"
    ),
    "config/locales/fr.yml": (
        "fr:\n  chat:\n    notice: >-\n      Vous échangez avec\n      un assistant d’IA.\n"
    ),
}


def _check(tmp_path: Path, manifest: str, files: dict[str, str]) -> dict[str, Any]:
    repo = make_repo(tmp_path / "repo", {"aiact.yaml": manifest, **files})
    run = run_cli("check", "--format", "json", "--as-of", AS_OF, cwd=repo)
    assert run.code in (0, 1), run.err
    system: dict[str, Any] = run.json()["systems"][0]
    return system


def _status(system: dict[str, Any]) -> str:
    return next(o["status"] for o in system["obligations"] if o["id"] == "ai_interaction_notice")


@pytest.mark.parametrize("catalogue", sorted(CATALOGUES))
def test_a_notice_found_only_in_a_french_catalogue(tmp_path: Path, catalogue: str) -> None:
    manifest = MANIFEST.format(catalogue=catalogue)
    system = _check(
        tmp_path, manifest, {"web/src/Chat.tsx": COMPONENT, catalogue: CATALOGUES[catalogue]}
    )
    rules = [f["rule"] for f in system["findings"]]
    assert "AIA836" not in rules  # the French notice is in the French catalogue
    assert _status(system) == "met"  # the notice is shown, in French
    english = [f for f in system["findings"] if f["rule"] == "AIA806"]
    assert len(english) == 1 and ENGLISH in english[0]["message"]


def test_a_translation_in_the_wrong_catalogue_is_reported_at_its_line(tmp_path: Path) -> None:
    manifest = MANIFEST.format(
        catalogue="web/locales/fr.json, web/locales/de.json, web/locales/en.json"
    )
    manifest += '      - {language: de, text: "Sie chatten mit einem KI-Assistenten."}\n'
    files = {
        "web/src/Chat.tsx": COMPONENT,
        "web/locales/en.json": f'{{"notice": "{ENGLISH}"}}\n',
        "web/locales/fr.json": f'{{"notice": "{FRENCH}", "oops": "{GERMAN}"}}\n',
        "web/locales/de.json": '{"notice": "Hallo"}\n',
    }
    system = _check(tmp_path, manifest, files)
    found = [f for f in system["findings"] if f["rule"] in ("AIA806", "AIA836")]
    assert [(f["rule"], f["line"]) for f in found] == [("AIA836", 19)]
    assert "web/locales/de.json" in found[0]["message"]
    assert _status(system) == "met"


def test_no_language_found_leaves_the_notice_missing(tmp_path: Path) -> None:
    manifest = MANIFEST.format(catalogue="web/locales/fr.json")
    files = {"web/src/Chat.tsx": COMPONENT, "web/locales/fr.json": '{"notice": "Bonjour"}\n'}
    system = _check(tmp_path, manifest, files)
    rules = sorted(f["rule"] for f in system["findings"] if f["rule"] in ("AIA806", "AIA836"))
    assert rules == ["AIA806", "AIA836"]
    assert _status(system) == "missing"


@pytest.mark.parametrize(
    ("rel", "expected"),
    [
        ("web/locales/fr.json", "fr"),
        ("web/locales/fr-CA.json", "fr"),
        ("src/i18n/messages.de.json", "de"),
        ("locale/pt_BR/LC_MESSAGES/django.po", "pt"),
        ("public/locales/es/translation.json", "es"),
        ("web/src/Chat.tsx", None),
        ("config/settings.json", None),
    ],
)
def test_the_language_of_a_catalogue_comes_from_its_path(rel: str, expected: str | None) -> None:
    assert catalogues.language(rel, "{}") == expected


def test_hostile_catalogues_do_not_break_the_check(tmp_path: Path) -> None:
    deep = "[" * 50_000 + "]" * 50_000
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for i in range(8):
        name, previous = chr(98 + i), chr(97 + i)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 4) + "]")
    bomb = "\n".join(lines) + "\n"
    for name, text in (("web/locales/fr.json", deep), ("web/locales/fr.yml", bomb)):
        assert catalogues.strings(name, text) is None or isinstance(
            catalogues.strings(name, text), list
        )
        manifest = MANIFEST.format(catalogue=name)
        system = _check(tmp_path / name.replace("/", "_"), manifest, {name: text})
        assert any(f["rule"] == "AIA836" for f in system["findings"])
