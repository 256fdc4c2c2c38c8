"""JSON output: the findings and notes as plain objects (stable keys for scripts)."""

from __future__ import annotations

import json

from pubdoctor.engine import Report
from pubdoctor.report.terminal import json_printable


def render(report: Report, color: bool) -> str:
    findings = []
    for finding in report.findings:
        loc = finding.location
        findings.append({
            "code": finding.code,
            "name": finding.name,
            "severity": finding.severity.value,
            "message": finding.message,
            "fix": finding.fix,
            "location": {"path": loc.path or None, "line": loc.line or None,
                         "column": loc.col or None, "commit": loc.commit},
        })
    notes = [{"level": n.level, "message": n.message} for n in report.notes]
    return json_printable(json.dumps({"findings": findings, "notes": notes}, indent=2))
