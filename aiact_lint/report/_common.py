"""Small helpers the machine-facing renderers share (SARIF, GitHub, Markdown, JUnit, GitLab).

Only the standard library: this module is imported lazily, with the renderer that needs it.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any, Iterable

# The wording of the verdict lives with the text format; the other renderers reuse it.
from aiact_lint.report.text import plural as plural
from aiact_lint.report.text import summary_line as summary_line

TOOL_NAME = "aiact-lint"
INFORMATION_URI = "https://github.com/aiact-lint/aiact-lint"
RULES_DOC_URI = "https://github.com/aiact-lint/aiact-lint/blob/main/docs/rules.md"
SEVERITY_ORDER = ("error", "warning", "info")
SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}

_DIGITS = re.compile(r"[0-9]+")


def help_uri(code: str) -> str:
    return f"{RULES_DOC_URI}#{code.lower()}"


def subject(finding: dict[str, Any]) -> str:
    """What a finding is about, independent of where it sits in the file.

    The document may carry an explicit ``subject`` (a manifest key, a model id); otherwise the
    message with its digits removed stands in, so line or count changes do not alter it.
    """
    explicit = finding.get("subject")
    if isinstance(explicit, str) and explicit:
        return explicit
    return _DIGITS.sub("", str(finding.get("message") or ""))


def fingerprints(findings: Iterable[dict[str, Any]], algorithm: str = "sha256") -> list[str]:
    """One stable, unique hex fingerprint per finding: hash of rule, path, subject, occurrence.

    The line number is deliberately left out so an alert survives lines moving; the occurrence
    counter keeps two findings with the same rule, path and subject apart.
    """
    seen: dict[str, int] = {}
    result = []
    for finding in findings:
        key = "\x00".join((str(finding["rule"]), str(finding["path"]), subject(finding)))
        seen[key] = seen.get(key, 0) + 1
        digest = hashlib.new(algorithm, usedforsecurity=False)
        digest.update(f"{key}\x00{seen[key]}".encode())
        result.append(digest.hexdigest())
    return result


def by_severity(findings: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Most severe first; the document's own order (path, line, column, rule) within a level."""
    return sorted(findings, key=lambda f: SEVERITY_RANK.get(f["severity"], len(SEVERITY_RANK)))


def location(finding: dict[str, Any]) -> str:
    return f"{finding['path']}:{finding['line']}:{finding['column']}"
