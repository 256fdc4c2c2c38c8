"""JSON output: the findings and notes as plain objects (stable keys for scripts).

A location's ``path`` is relative to the checked project (``root``, written as the text output
writes it, so ``root + "/" + path`` is the text's path), and its ``uri`` is relative to the
repository's top, as in the SARIF output.
"""

from __future__ import annotations

import json

from pubdoctor.engine import Report
from pubdoctor.findings import Location


def _location(report: Report, loc: Location) -> dict[str, object]:
    return {"path": loc.path or None, "uri": report.uri(loc.path) or None,
            "line": loc.line or None, "column": loc.col or None, "commit": loc.commit}


def render(report: Report, color: bool) -> str:
    findings = []
    for finding in report.findings:
        findings.append({
            "code": finding.code,
            "name": finding.name,
            "severity": finding.severity.value,
            "message": finding.message,
            "fix": finding.fix,
            "location": _location(report, finding.location),
            "related": [_location(report, loc) for loc in finding.related],
        })
    notes = [{"level": n.level, "message": n.message} for n in report.notes]
    return json.dumps({"root": report.root, "findings": findings, "notes": notes}, indent=2)
