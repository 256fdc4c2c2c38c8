"""SARIF 2.1.0, for GitHub code scanning: one ``run``, rules from the registry, levels from severity."""

from __future__ import annotations

import json

from pubdoctor import __version__
from pubdoctor.engine import Report
from pubdoctor.report.terminal import json_printable
from pubdoctor.findings import Severity
from pubdoctor.rules import all_rules

_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def render(report: Report, color: bool) -> str:
    rules = all_rules()
    index = {rule.code: i for i, rule in enumerate(rules)}
    results = []
    for finding in report.findings:
        loc = finding.location
        result: dict[str, object] = {
            "ruleId": finding.code,
            "ruleIndex": index.get(finding.code, -1),
            "level": _LEVELS[finding.severity],
            "message": {"text": finding.message + (f" Fix: {finding.fix}" if finding.fix else "")},
        }
        if loc.path:
            physical: dict[str, object] = {"artifactLocation": {"uri": loc.path}}
            if loc.line:
                physical["region"] = {"startLine": loc.line, "startColumn": loc.col or 1}
            result["locations"] = [{"physicalLocation": physical}]
        elif loc.commit:
            result["properties"] = {"commit": loc.commit}
        results.append(result)
    document = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "pubdoctor",
                "version": __version__,
                "informationUri": "https://github.com/pubdoctor/pubdoctor",
                "rules": [{
                    "id": rule.code,
                    "name": rule.name,
                    "shortDescription": {"text": rule.summary()},
                    "helpUri": rule.url(),
                    "defaultConfiguration": {"level": _LEVELS[rule.severity]},
                } for rule in rules],
            }},
            "results": results,
        }],
    }
    return json_printable(json.dumps(document, indent=2))
