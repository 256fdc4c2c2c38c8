"""Text output in ruff's shape: ``path:line:col: CODE [name] message``, the fix below it."""

from __future__ import annotations

from dataclasses import replace

import click

from pubdoctor.engine import Report
from pubdoctor.findings import Severity

_COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def render(report: Report, color: bool) -> str:
    def style(text: str, **kwargs: object) -> str:
        return click.style(text, **kwargs) if color else text  # type: ignore[arg-type]

    lines: list[str] = []
    for note in [] if report.quiet else report.notes:
        lines.append(f"{style(note.level, fg='yellow' if note.level == 'warning' else 'blue', bold=True)}: {note.message}")
    for finding in report.findings:
        loc = finding.location
        where = style(str(replace(loc, path=report.shown(loc.path))), bold=True)
        code = style(finding.code, fg=_COLOURS[finding.severity], bold=True)
        lines.append(f"{where}: {code} [{finding.name}] {finding.message}")
        if finding.fix:
            lines.append(f"  {style('fix', fg='green')}: {finding.fix}")
    counts = {s: sum(1 for f in report.findings if f.severity == s) for s in Severity}
    if report.findings:
        parts = [f"{counts[s]} {s.value}{'s' if counts[s] != 1 else ''}" for s in reversed(Severity) if counts[s]]
        total = len(report.findings)
        lines.append(f"Found {total} problem{'s' if total != 1 else ''} ({', '.join(parts)}).")
    elif report.dropped:  # a rule asked for by name did not run: not a pass
        why = " (see the notes above)" if report.notes else ""
        lines.append(style(f"No problems found, but {', '.join(report.dropped)}, selected with "
                           f"--select, did not run{why}.", fg="yellow"))
    elif report.hidden:
        lines.append(f"No problems at or above --severity; {report.hidden} below it not shown.")
    else:
        lines.append(style("All checks passed!", fg="green"))
    if report.quiet:
        lines = lines[:-1]
    return "\n".join(lines)
