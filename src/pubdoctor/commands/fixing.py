"""``pubdoctor check --fix`` and ``--diff``: the command side of `pubdoctor.fix.engine`."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from pubdoctor.context import Context
    from pubdoctor.fix.engine import FixResult


def run_fixes(new_context: Callable[[], Context], root_shown: str, *, write: bool) -> FixResult:
    """Fix the workflows; with ``write`` save them, else print the unified diff (stdout).

    What was fixed and what was not (with the reason) goes to stderr, so the findings, the
    JSON or SARIF, or the diff on stdout stay what they are.
    """
    from pubdoctor.fix.engine import fix

    result = fix(new_context)
    context = new_context()
    if write:
        result.write(context.root)
    else:
        text = result.diff()
        if text:
            click.echo(text, nl=False)
    shown = (lambda p: p if root_shown in (".", "") else f"{root_shown.rstrip('/')}/{p}")
    for refusal in result.refused:
        finding = refusal.finding
        click.echo(f"{shown(str(finding.location))}: {finding.code} not fixed: {refusal.reason}",
                   err=True)
    count = len(result.applied)
    if count:
        verb = "Fixed" if write else "Would fix"
        files = len(result.changed)
        click.echo(f"{verb} {count} problem{'s' if count != 1 else ''} in {files} "
                   f"file{'s' if files != 1 else ''}.", err=True)
    return result
