"""GitHub workflow commands (``::error file=...``): annotations on the pull request diff."""

from __future__ import annotations

from pubdoctor.engine import Report
from pubdoctor.findings import Severity

_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _escape(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape(text).replace(":", "%3A").replace(",", "%2C")


def _file(report: Report, path: str) -> str:
    """The annotation's file: absolute when the repository's top is known, which the runner
    maps onto the workspace however the checkout was placed (a run from ``src/``, a
    ``path:`` given to actions/checkout); else the path as the text output shows it."""
    uri = report.uri(path)
    if report.top and not uri.startswith("/"):
        return f"{report.top.rstrip('/')}/{uri}"
    return report.shown(path)


def render(report: Report, color: bool) -> str:
    lines = [f"::{'warning' if n.level == 'warning' else 'notice'}::{_escape(n.message)}" for n in report.notes]
    for finding in report.findings:
        loc = finding.location
        props = [f"title={_escape_property(f'{finding.code} {finding.name}')}"]
        if loc.path:
            props.insert(0, f"file={_escape_property(_file(report, loc.path))}")
            if loc.line:
                props.insert(1, f"line={loc.line}")
                props.insert(2, f"col={loc.col or 1}")
        body = finding.message + (f"\nfix: {finding.fix}" if finding.fix else "")
        lines.append(f"::{_LEVELS[finding.severity]} {','.join(props)}::{_escape(body)}")
    return "\n".join(lines)
