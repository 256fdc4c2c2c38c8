"""``pubdoctor diagnose LOG``: name the cause of a failed publish job, show the lines, give the fix."""

from __future__ import annotations

from pathlib import Path

import click

from pubdoctor.commands.options import use_color
from pubdoctor.errors import InputError


@click.command()
@click.argument("log", type=str)
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format.")
@click.option("--repo", type=click.Path(file_okay=False, dir_okay=True), default=None,
              help="Cross-check with this repository [default: the current directory, when it "
                   "looks like one].")
@click.option("--no-repo", is_flag=True, help="Do not cross-check with a repository.")
@click.option("--no-color", is_flag=True, help="No colours (NO_COLOR is honoured too).")
def diagnose(log: str, output_format: str, repo: str | None, no_repo: bool, no_color: bool) -> None:
    """Explain the failed publish job whose log is LOG.

    LOG is the job's log as text (with or without GitHub's timestamps and colours, or copied
    from the web page), the .zip from "Download log archive", or - for stdin. pubdoctor names
    the cause, shows the lines of the log that show it (secrets masked) and the fix, and checks
    whether the repository as it is now still has the problem.

    Exit status: 0 the log was read and diagnosed (the cause may be `unknown`), 2 the log or
    the repository could not be read.
    """
    from pubdoctor.diagnose import diagnose as run
    from pubdoctor.diagnose.crosscheck import crosscheck, looks_like_repository
    from pubdoctor.diagnose.render import render_json, render_text

    root: Path | None = None
    shown = "."
    if repo is not None and not no_repo:
        root = Path(repo)
        if not root.is_dir():
            raise InputError("no such directory (given with --repo)", repo)
        shown = repo
    elif not no_repo and looks_like_repository(Path(".")):
        root = Path(".")
    diagnosis = run(log)
    check = crosscheck(diagnosis, root, shown) if root is not None else None
    source = "<stdin>" if log == "-" else log
    if output_format == "json":
        click.echo(render_json(diagnosis, check, source))
    else:
        click.echo(render_text(diagnosis, check, use_color(no_color), source))
