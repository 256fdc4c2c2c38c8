"""GitHub workflow commands (``::error file=...``): annotations on the pull request diff."""

from __future__ import annotations

from pubdoctor.engine import Report
from pubdoctor.findings import Severity
from pubdoctor.report.terminal import printable

_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _escape(text: str) -> str:
    # the Actions log renders ANSI sequences: control characters are shown escaped first
    return printable(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape(text).replace(":", "%3A").replace(",", "%2C")


def render(report: Report, color: bool) -> str:
    lines = [f"::{'warning' if n.level == 'warning' else 'notice'}::{_escape(n.message)}" for n in report.notes]
    for finding in report.findings:
        loc = finding.location
        props = [f"title={_escape_property(f'{finding.code} {finding.name}')}"]
        if loc.path:
            props.insert(0, f"file={_escape_property(report.shown(loc.path))}")
            if loc.line:
                props.insert(1, f"line={loc.line}")
                props.insert(2, f"col={loc.col or 1}")
        body = finding.message + (f"\nfix: {finding.fix}" if finding.fix else "")
        lines.append(f"::{_LEVELS[finding.severity]} {','.join(props)}::{_escape(body)}")
    return "\n".join(lines)
