"""JUnit XML, for CI systems that show test reports (GitLab, Jenkins, Azure DevOps...).

One ``<testsuite>`` per manifest (name = the manifest path) with one ``<testcase>`` per
catalogue rule (classname = the manifest path, name = ``CODE rule-name``). A rule with error or
warning findings fails and its ``<failure>`` lists every one of them; info findings never fail
(they are reported in ``<system-out>``); a rule whose findings are all waived is ``<skipped>``.
Findings outside any manifest (a command-line path that does not exist) get their own suite,
with a testcase for each rule they break. Characters XML 1.0 forbids are removed.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from typing import Any, Mapping

from aiact_lint.report import RenderContext
from aiact_lint.report._common import TOOL_NAME, location
from aiact_lint.safetext import escape

OUTSIDE_SUITE = "(outside any manifest)"
FAILING = ("error", "warning")
_FORBIDDEN = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: Any) -> str:
    """Text XML 1.0 can hold: controls, bidi overrides and separators shown as escapes
    (:func:`aiact_lint.safetext.escape`), other forbidden characters dropped, line ends LF."""
    return _FORBIDDEN.sub("", escape(value, newlines=True))


def _attribute(value: Any) -> str:
    return " ".join(xml_text(value).split("\n"))


def _describe(finding: dict[str, Any]) -> str:
    text = f"{location(finding)}: {finding['rule']} {finding['severity']} {finding['message']}"
    if finding.get("article"):
        text += f" [{finding['article']}]"
    if finding.get("waived"):
        text += f"\n  waived: {finding.get('waiver_reason') or ''}"
    elif finding.get("fix"):
        text += f"\n  fix: {finding['fix']}"
    return text


def _testcase(
    suite: ET.Element, classname: str, code: str, name: str, findings: list[dict[str, Any]]
) -> str:
    """Add one testcase; return its outcome: passed, failed or skipped."""
    attributes = {"classname": _attribute(classname), "name": _attribute(f"{code} {name}")}
    case = ET.SubElement(suite, "testcase", attributes)
    active = [f for f in findings if not f.get("waived")]
    failing = [f for f in active if f["severity"] in FAILING]
    outcome = "passed"
    if failing:
        severity = "error" if any(f["severity"] == "error" for f in failing) else "warning"
        first = failing[0]["message"]
        message = first if len(failing) == 1 else f"{len(failing)} findings; first: {first}"
        failure = ET.SubElement(case, "failure", {"message": _attribute(message), "type": severity})
        failure.text = xml_text("\n".join(_describe(f) for f in failing))
        outcome = "failed"
    elif findings and not active:
        reasons = "; ".join(str(f.get("waiver_reason") or "") for f in findings)
        ET.SubElement(case, "skipped", {"message": _attribute(f"waived: {reasons}")})
        outcome = "skipped"
    others = [f for f in findings if f not in failing]
    if others:
        out = ET.SubElement(case, "system-out")
        out.text = xml_text("\n".join(_describe(f) for f in others))
    return outcome


def _suite(
    parent: ET.Element,
    name: str,
    findings: list[dict[str, Any]],
    catalogue: Mapping[str, Any],
    properties: dict[str, str],
    every_rule: bool,
) -> dict[str, int]:
    suite = ET.SubElement(parent, "testsuite", {"name": _attribute(name)})
    if properties:
        bag = ET.SubElement(suite, "properties")
        for key, value in properties.items():
            ET.SubElement(bag, "property", {"name": key, "value": _attribute(value)})
    by_rule: dict[str, list[dict[str, Any]]] = {}
    for finding in findings:
        by_rule.setdefault(str(finding["rule"]), []).append(finding)
    codes = list(catalogue) if every_rule else []
    codes += sorted(code for code in by_rule if code not in codes)
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for code in codes:
        rule = catalogue.get(code)
        rule_name = rule.name if rule is not None else str(by_rule[code][0].get("title") or "")
        outcome = _testcase(suite, name, code, rule_name, by_rule.get(code, []))
        counts["tests"] += 1
        if outcome == "failed":
            counts["failures"] += 1
        elif outcome == "skipped":
            counts["skipped"] += 1
    for key, count in counts.items():
        suite.set(key, str(count))
    return counts


def _key(finding: dict[str, Any]) -> str:
    return json.dumps(finding, sort_keys=True)


def to_junit(document: dict[str, Any], catalogue: Mapping[str, Any]) -> ET.Element:
    root = ET.Element("testsuites", {"name": TOOL_NAME})
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    inside: dict[str, int] = {}
    for system in document.get("systems") or []:
        system_findings = system.get("findings") or []
        for finding in system_findings:
            inside[_key(finding)] = inside.get(_key(finding), 0) + 1
        properties = {
            "system": str(system.get("name") or ""),
            "risk": str(system.get("risk") or ""),
            "routes": ", ".join(system.get("routes") or []),
            "roles": ", ".join(system.get("roles") or []),
            "as_of": str(document.get("as_of") or ""),
        }
        counts = _suite(
            root,
            str(system["manifest"]),
            system_findings,
            catalogue,
            {k: v for k, v in properties.items() if v},
            every_rule=True,
        )
        for key in totals:
            totals[key] += counts[key]
    outside = []
    for finding in document.get("findings") or []:
        key = _key(finding)
        if inside.get(key):
            inside[key] -= 1
        else:
            outside.append(finding)
    if outside:
        counts = _suite(root, OUTSIDE_SUITE, outside, catalogue, {}, every_rule=False)
        for key in totals:
            totals[key] += counts[key]
    for key, total in totals.items():
        root.set(key, str(total))
    return root


def render(document: dict[str, Any], context: RenderContext) -> str:
    root = to_junit(document, context.rules())
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
