"""SARIF 2.1.0, for GitHub code scanning: one ``run``, rules from the registry, levels from severity.

What GitHub documents for an uploaded file ("SARIF support for code scanning") shapes it:

- every result has a physical location, or ``upload-sarif`` refuses the whole file: a finding
  about a commit (PD301, PD302) points at what reads the commits (the release tool's
  configuration, or the workflow step that runs it), and carries the commit in its
  ``properties`` and ``partialFingerprints``;
- paths are relative to the repository's top (what code scanning resolves against the
  checkout), with ``uriBaseId`` ``%SRCROOT%`` whose absolute value is in
  ``originalUriBaseIds``, so that a check of a sub-folder still lands on the right file;
- ``partialFingerprints`` are computed from what does not move when lines are added above a
  finding (rule, file, commit, message), so that an alert survives an unrelated edit;
- every ``ruleId`` is a rule of the driver, with its catalogue page as ``help.markdown``;
- notes (a skipped source, an unreachable index) are ``toolExecutionNotifications`` of the
  one invocation.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from urllib.parse import quote

from pubdoctor import __version__
from pubdoctor.engine import Report
from pubdoctor.findings import Finding, Location, Severity
from pubdoctor.rules import all_rules

_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
BASE = "%SRCROOT%"
#: the location of a finding that has none of its own (nor a related one): the project file
FALLBACK = "pyproject.toml"


def _artifact(report: Report, path: str) -> dict[str, object]:
    uri = report.uri(path)
    if uri.startswith("/"):  # outside the repository: an absolute file URI, no base
        return {"uri": Path(uri).as_uri()}
    return {"uri": quote(uri, safe="/"), "uriBaseId": BASE}


def _where(finding: Finding) -> Location:
    """The file position a finding is shown at: its own, else the first related one with a file."""
    if finding.location.path:
        return finding.location
    related = next((loc for loc in finding.related if loc.path), None)
    return related or Location(path=FALLBACK, line=1, col=1)


def _physical(report: Report, location: Location) -> dict[str, object]:
    physical: dict[str, object] = {"artifactLocation": _artifact(report, location.path)}
    if location.line:
        physical["region"] = {"startLine": location.line, "startColumn": location.col or 1}
    return {"physicalLocation": physical}


def _fingerprint(finding: Finding, uri: str, seen: dict[str, int]) -> str:
    """A hash of what stays put across runs; a repeat of the same finding gets its own."""
    key = "\0".join((finding.code, uri, finding.location.commit or "", finding.message))
    seen[key] = seen.get(key, 0) + 1
    return hashlib.sha256(f"{key}\0{seen[key]}".encode()).hexdigest()[:32]


def _rule_entry(rule: type) -> dict[str, object]:
    from pubdoctor.catalogue import page_text

    return {
        "id": rule.code,  # type: ignore[attr-defined]
        "name": rule.name,  # type: ignore[attr-defined]
        "shortDescription": {"text": rule.summary()},  # type: ignore[attr-defined]
        "fullDescription": {"text": rule.summary()},  # type: ignore[attr-defined]
        "helpUri": rule.url(),  # type: ignore[attr-defined]
        "help": {"text": f"{rule.summary()} See {rule.url()}",  # type: ignore[attr-defined]
                 "markdown": page_text(rule)},  # type: ignore[arg-type]
        "defaultConfiguration": {"level": _LEVELS[rule.severity]},  # type: ignore[attr-defined]
    }


def render(report: Report, color: bool) -> str:
    rules = all_rules()
    index = {rule.code: i for i, rule in enumerate(rules)}
    results = []
    seen: dict[str, int] = {}
    for finding in report.findings:
        where = _where(finding)
        located = _physical(report, where)
        text = finding.message + (f" Fix: {finding.fix}" if finding.fix else "")
        commit = finding.location.commit
        if commit:
            text = f"commit {commit}: {text}"
        result: dict[str, object] = {
            "ruleId": finding.code,
            "ruleIndex": index[finding.code],
            "level": _LEVELS[finding.severity],
            "message": {"text": text},
            "locations": [located],
            "partialFingerprints": {
                "pubdoctor/v1": _fingerprint(finding, report.uri(where.path), seen)},
        }
        related = [loc for loc in finding.related if loc.path and loc != where]
        if related:
            result["relatedLocations"] = [{"id": number, **_physical(report, loc)}
                                          for number, loc in enumerate(related, start=1)]
        if commit:
            result["properties"] = {"commit": commit}
            result["partialFingerprints"]["commit/v1"] = commit  # type: ignore[index]
        results.append(result)
    run: dict[str, object] = {
        "tool": {"driver": {
            "name": "pubdoctor",
            "version": __version__,
            "semanticVersion": __version__,
            "informationUri": "https://github.com/pubdoctor/pubdoctor",
            "rules": [_rule_entry(rule) for rule in rules],
        }},
        "invocations": [{
            "executionSuccessful": True,
            "toolExecutionNotifications": [
                {"level": "warning" if note.level == "warning" else "note",
                 "message": {"text": note.message}} for note in report.notes],
        }],
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    if report.top:
        top = Path(report.top).resolve().as_uri().rstrip("/") + "/"
        run["originalUriBaseIds"] = {BASE: {"uri": top}}
    return json.dumps({"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}, indent=2)
