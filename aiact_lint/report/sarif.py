"""SARIF 2.1.0 for GitHub code scanning (and any SARIF viewer).

One run; the driver lists EVERY catalogue rule so that code scanning can show rule help even for
rules without results; results point at repository-relative paths under ``%SRCROOT%``. Output
is deterministic (no timestamps, no absolute paths of the machine it ran on).
"""

from __future__ import annotations

import os
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any, Mapping
from urllib.parse import quote

from aiact_lint.report import RenderContext
from aiact_lint.report._common import (
    INFORMATION_URI,
    TOOL_NAME,
    fingerprints,
    help_uri,
)
from aiact_lint.safetext import escape, json_dumps

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
PROBLEM_SEVERITY = {"error": "error", "warning": "warning", "info": "recommendation"}
FINGERPRINT_KEY = "aiactLintFingerprint/v1"
# GitHub code scanning limits: descriptions 1024 characters, rule names 255, tags 20.
MAX_DESCRIPTION = 1024
MAX_NAME = 255
MAX_TAGS = 20


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _fence(text: str) -> str:
    longest = run = 0
    for char in text:
        run = run + 1 if char == "`" else 0
        longest = max(longest, run)
    return "`" * max(3, longest + 1)


def _help_markdown(rule: Any) -> str:
    parts = [f"**{rule.code} `{rule.name}`**: {rule.title}", "", rule.what, "", "### Why", rule.why]
    if rule.example:
        fence = _fence(rule.example)
        parts += ["", "### Example", f"{fence}yaml", rule.example, fence]
    parts += ["", "### Fix", rule.fix]
    references = [f"- {article}" for article in rule.articles]
    references += [f"- {reference}" for reference in rule.references]
    if references:
        parts += ["", "### References", *references]
    if not rule.verified:
        parts += [
            "",
            "_Unverified: part of this rule rests on a provision whose amended text has not been "
            "checked against EUR-Lex._",
        ]
    parts += ["", f"[Rule documentation]({help_uri(rule.code)})"]
    return "\n".join(parts)


def _help_text(rule: Any) -> str:
    parts = [f"{rule.code} ({rule.name}): {rule.title}", "", rule.what, "", "Why: " + rule.why]
    parts += ["", "Fix: " + rule.fix]
    if rule.articles:
        parts += ["", "Articles: " + ", ".join(rule.articles)]
    return "\n".join(parts)


def _tags(rule: Any) -> list[str]:
    tags = ["eu-ai-act", "compliance"]
    if rule.input_error:
        tags.append("manifest")
    if not rule.verified:
        tags.append("unverified")
    for article in rule.articles:
        if article not in tags:
            tags.append(article)
    return tags[:MAX_TAGS]


def rule_descriptor(rule: Any) -> dict[str, Any]:
    return {
        "id": rule.code,
        "name": _clip(rule.name, MAX_NAME),
        "shortDescription": {"text": _clip(rule.title, MAX_DESCRIPTION)},
        "fullDescription": {"text": _clip(rule.what or rule.title, MAX_DESCRIPTION)},
        "help": {"text": _help_text(rule), "markdown": _help_markdown(rule)},
        "helpUri": help_uri(rule.code),
        "defaultConfiguration": {"level": LEVELS.get(rule.severity, "warning")},
        "properties": {
            "tags": _tags(rule),
            "problem.severity": PROBLEM_SEVERITY.get(rule.severity, "warning"),
        },
    }


def _unknown_descriptor(finding: dict[str, Any]) -> dict[str, Any]:
    """A rule the document names but this catalogue lacks (a document from another version)."""
    code = escape(finding["rule"])
    title = escape(finding.get("title") or code)
    return {
        "id": code,
        "shortDescription": {"text": _clip(title, MAX_DESCRIPTION)},
        "fullDescription": {"text": _clip(title, MAX_DESCRIPTION)},
        "help": {"text": title},
        "helpUri": help_uri(code),
        "defaultConfiguration": {"level": LEVELS.get(finding["severity"], "warning")},
        "properties": {"tags": ["eu-ai-act", "compliance"]},
    }


def artifact_location(path: str) -> dict[str, Any]:
    """A repository file: a URI reference relative to %SRCROOT%, whatever its name holds.

    Findings name repository files relative to the run's base folder; only a path the run could
    not make relative (a manifest given outside the repository) is absolute, and on POSIX that
    always starts with "/". A tracked file may well be called ``\\\\host\\share\\x.py`` or
    ``C:x``: its name is percent-encoded, never read as a UNC path or a drive.
    """
    if path.startswith("/"):
        return {"uri": PurePosixPath(path).as_uri()}
    if os.name == "nt" and PureWindowsPath(path).is_absolute():
        return {"uri": PureWindowsPath(path).as_uri()}
    return {"uri": quote(path, safe="/-._~"), "uriBaseId": "%SRCROOT%"}


def _region(finding: dict[str, Any]) -> dict[str, int]:
    line = max(1, int(finding["line"]))
    column = max(1, int(finding["column"]))
    end_line = max(line, int(finding.get("end_line") or line))
    end_column = max(1, int(finding.get("end_column") or column))
    if end_line == line:
        end_column = max(column, end_column)
    return {"startLine": line, "startColumn": column, "endLine": end_line, "endColumn": end_column}


def _message(finding: dict[str, Any]) -> str:
    text = str(finding["message"])
    if finding.get("article"):
        text += f" [{finding['article']}]"
    if finding.get("fix"):
        text += f"\n\nFix: {finding['fix']}"
    return escape(text, newlines=True)


def to_sarif(document: dict[str, Any], catalogue: Mapping[str, Any]) -> dict[str, Any]:
    descriptors = [rule_descriptor(rule) for rule in catalogue.values()]
    index = {descriptor["id"]: i for i, descriptor in enumerate(descriptors)}
    findings = document["findings"]
    for finding in findings:
        if finding["rule"] not in index:
            index[finding["rule"]] = len(descriptors)
            descriptors.append(_unknown_descriptor(finding))
    results = []
    for finding, fingerprint in zip(findings, fingerprints(findings)):
        result: dict[str, Any] = {
            "ruleId": finding["rule"],
            "ruleIndex": index[finding["rule"]],
            "level": LEVELS.get(finding["severity"], "warning"),
            "message": {"text": _message(finding)},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": artifact_location(str(finding["path"])),
                        "region": _region(finding),
                    }
                }
            ],
            "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
        }
        if finding.get("waived"):
            result["suppressions"] = [
                {
                    "kind": "external",
                    "status": "accepted",
                    "justification": escape(
                        finding.get("waiver_reason") or "waived in aiact.yaml", newlines=True
                    ),
                }
            ]
        properties = {
            key: escape(finding[key], newlines=True)
            for key in ("article", "fix")
            if finding.get(key)
        }
        if properties:
            result["properties"] = properties
        results.append(result)
    version = str(document.get("tool", {}).get("version", ""))
    driver: dict[str, Any] = {"name": TOOL_NAME}
    if version:
        driver["version"] = version
        driver["semanticVersion"] = version
    driver["informationUri"] = INFORMATION_URI
    driver["rules"] = descriptors
    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    facts = {
        "asOf": document.get("as_of"),
        "law": document.get("law"),
        "modificationPolicy": (document.get("policy") or {}).get("modification"),
    }
    facts = {key: value for key, value in facts.items() if value}
    if facts:
        run["properties"] = facts
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(document: dict[str, Any], context: RenderContext) -> str:
    return json_dumps(to_sarif(document, context.rules())) + "\n"
