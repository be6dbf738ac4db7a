"""GitLab Code Quality report (``artifacts:reports:codequality``): a JSON list of issues.

Severity mapping (GitLab knows blocker, critical, major, minor, info): ``error`` -> ``critical``
(it fails the pipeline under the default ``--fail-on error``; ``blocker`` is left for nothing,
as nothing in aiact-lint is more than an error), ``warning`` -> ``major``, ``info`` -> ``info``.
Fingerprints are MD5 hex digests of rule, path, a location-independent subject and an
occurrence counter, so an issue keeps its identity when lines move. Waived findings are left
out: they are accepted, not open issues.
"""

from __future__ import annotations

from typing import Any

from aiact_lint.report import RenderContext
from aiact_lint.report._common import fingerprints
from aiact_lint.safetext import escape, json_dumps

SEVERITIES = {"error": "critical", "warning": "major", "info": "info"}


def to_gitlab(document: dict[str, Any]) -> list[dict[str, Any]]:
    findings = document["findings"]
    issues = []
    for finding, fingerprint in zip(findings, fingerprints(findings, algorithm="md5")):
        if finding.get("waived"):
            continue
        description = f"{finding['rule']} {finding['message']}"
        if finding.get("article"):
            description += f" [{finding['article']}]"
        description = escape(description, newlines=True)
        line = max(1, int(finding["line"]))
        issues.append(
            {
                "description": description,
                "check_name": escape(finding["rule"]),
                "fingerprint": fingerprint,
                "severity": SEVERITIES.get(finding["severity"], "minor"),
                "location": {
                    "path": escape(finding["path"]),
                    "lines": {"begin": line, "end": max(line, int(finding.get("end_line") or 1))},
                },
            }
        )
    return issues


def render(document: dict[str, Any], context: RenderContext) -> str:
    return json_dumps(to_gitlab(document)) + "\n"
