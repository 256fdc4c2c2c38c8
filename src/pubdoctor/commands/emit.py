"""How ``pubdoctor check`` hands its report over: format, colour, file, statistics, exit code.

Kept apart from the command so that the options users know from ruff (``--output-file``,
``--exit-zero``, ``--statistics``, ``--color``, ``-q``) live in one place.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import click

from pubdoctor.commands.options import resolve_color
from pubdoctor.errors import InputError

if TYPE_CHECKING:
    from pubdoctor.context import Context
    from pubdoctor.engine import Report


def statistics(report: Report, output_format: str, color: bool) -> str:
    """The number of findings of each rule, most frequent first (ruff's ``--statistics``)."""
    counts = Counter((f.code, f.name, f.severity.value) for f in report.findings)
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0][0]))
    if output_format == "json":
        import json

        return json.dumps([{"code": code, "name": name, "severity": severity, "count": count}
                           for (code, name, severity), count in rows], indent=2)
    if not rows:
        return "" if report.quiet else "No problems found."
    width = len(str(rows[0][1]))
    return "\n".join(f"{count:>{width}}  {code}  [{name}]  {severity}"
                     for (code, name, severity), count in rows)


def emit(context: Context, report: Report, output_format: str, no_color: bool,
         options: dict[str, object]) -> None:
    """Print (or write) the report as asked, and exit with the status the settings give."""
    from pubdoctor.report import renderer
    from pubdoctor.rules import all_rules

    settings = context.settings
    report.quiet = bool(options.get("quiet"))
    report.dropped = [rule.code for rule in all_rules()
                      if settings.explicitly_selected(rule.code, rule.name)
                      and settings.selects(rule.code, rule.name)  # not --ignore'd as well
                      and rule.code not in report.rules_run]
    output_file = options.get("output_file")
    tty = False if output_file else None
    color = resolve_color(options.get("color"), no_color, tty)  # type: ignore[arg-type]
    if options.get("statistics"):
        if output_format not in ("text", "json"):
            raise click.BadParameter("--statistics prints text or json", param_hint="--format")
        text = statistics(report, output_format, color)
    else:
        text = renderer(output_format)(report, color)
    if output_file:
        try:
            Path(str(output_file)).write_text(text + "\n", encoding="utf-8")
        except OSError as exc:
            raise InputError(f"cannot write the output: {exc.strerror or exc}",
                             str(output_file)) from None
    elif text:
        click.echo(text, color=color)
    failing = report.failing(settings.fail_on)
    sys.exit(1 if failing and not options.get("exit_zero") else 0)
