"""``pubdoctor init [PATH]``: write a release workflow that passes ``pubdoctor check``.

The workflow comes from `pubdoctor.scaffold`; this command reads the project (build backend,
version source, release tool), refuses to overwrite an existing file, and then prints the
trusted publisher to register on each index (the claims of `pubdoctor.identity`).
"""

from __future__ import annotations

from pathlib import Path

import click

from pubdoctor.errors import InputError


@click.command()
@click.argument("path", default=".", type=click.Path(file_okay=True, dir_okay=True))
@click.option("--index", "index", type=click.Choice(["testpypi", "pypi", "both"]), default="both",
              show_default=True, help="Where the workflow publishes (both: TestPyPI, then PyPI).")
@click.option("--remote", help="The git remote that names the GitHub repository [default: origin].")
@click.option("--no-color", is_flag=True, help="No colours (NO_COLOR is honoured too).")
def init(path: str, index: str, remote: str | None, no_color: bool) -> None:
    """Write .github/workflows/release.yml for the project at PATH, then print the trusted
    publisher to register on each index.

    Exit status: 0 written, 2 when the file exists already or the project cannot be read.
    """
    from pubdoctor.runcontext import build_context
    from pubdoctor.context import SourceUnavailable
    from pubdoctor.scaffold import WORKFLOW_PATH, backend_name, plan, render

    context = build_context(path, remote=remote)
    target = Path(path) / WORKFLOW_PATH
    if target.exists() or target.is_symlink():
        raise InputError("exists already; pubdoctor init never overwrites a workflow "
                         "(`pubdoctor check --fix` repairs one)", str(target))
    project = context.get("project")
    try:
        tools = [t.name for t in context.get("release_tools")]
    except SourceUnavailable:
        tools = []
    indexes = ["testpypi", "pypi"] if index == "both" else [index]
    decided = plan(project.name, backend_name(project.build_backend), project.vcs_version_tool,
                   tools, indexes)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render(decided), encoding="utf-8")
    click.echo(f"wrote {target}")
    for note in decided.notes:
        click.echo(f"note: {note}")
    _print_publishers(path, remote, no_color)


def _print_publishers(path: str, remote: str | None, no_color: bool) -> None:
    """The values of "Add a (pending) trusted publisher", as ``pubdoctor claims`` prints them."""
    from pubdoctor.commands.claims import _as_text, _gather
    from pubdoctor.commands.options import use_color

    repository, found, project, notes = _gather(path, remote)
    click.echo("")
    click.echo("Register the workflow as a trusted publisher (a pending one for a new project):")
    click.echo(_as_text(found, project, notes, use_color(no_color)))
