"""``pubdoctor check [PATH]``: run the rules and report the findings."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import click

from pubdoctor.commands.options import COLOR, SEVERITY, split_codes
from pubdoctor.runcontext import build_context, unknown_selector

if TYPE_CHECKING:
    from pubdoctor.settings import Publisher


def parse_publishers(values: tuple[str, ...]) -> list[Publisher]:
    """``--publisher`` values -> publishers; a malformed one is a usage error (exit 2)."""
    from pubdoctor.identity import parse_publisher_option

    publishers = []
    for value in values:
        try:
            publishers.append(parse_publisher_option(value))
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--publisher") from None
    return publishers


def _seconds(value: float | None) -> float | None:
    """``--timeout``: more than 0 and at most `MAX_TIMEOUT` seconds (``nan`` is neither)."""
    from pubdoctor.settings import MAX_TIMEOUT

    if value is not None and not 0 < value <= MAX_TIMEOUT:
        raise click.BadParameter(f"{value} is not a number of seconds in (0, {MAX_TIMEOUT:g}]",
                                 param_hint="--timeout")
    return value


def _check_selectors(selectors: list[str], option: str) -> None:
    """A selector that matches no rule is a typo: say so (exit 2) rather than check nothing."""
    unknown = unknown_selector(selectors)
    if unknown is not None:
        raise click.BadParameter(f"{unknown!r} matches no rule (`pubdoctor rule` lists them)",
                                 param_hint=option)


@click.command()
@click.argument("path", default=".", type=click.Path(file_okay=True, dir_okay=True))
@click.option("--select", multiple=True, metavar="CODES",
              help="Only these rules (codes, names or prefixes such as PD1; comma-separated).")
@click.option("--ignore", multiple=True, metavar="CODES", help="Skip these rules.")
@click.option("--severity", type=SEVERITY, help="Report findings at or above this severity [default: info].")
@click.option("--fail-on", "fail_on", type=SEVERITY,
              help="Exit 1 when a finding is at or above this severity [default: error].")
@click.option("--offline/--online", default=None,
              help="Never contact the package index (--online undoes `offline = true`).")
@click.option("--timeout", type=float, callback=lambda _ctx, _param, value: _seconds(value),
              help="Seconds to wait for the package index [default: 5].")
@click.option("--index-url", "index_url", help="The index's Simple API (default: PyPI's).")
@click.option("--remote", help="The git remote that names the GitHub repository [default: origin].")
@click.option("--publisher", "publishers", multiple=True,
              metavar="[pypi:|testpypi:]OWNER/REPO/WORKFLOW.yml[@ENV]",
              help="The trusted publisher registered on the index (repeatable); replaces "
                   "[tool.pubdoctor.publisher].")
@click.option("--format", "output_format", type=click.Choice(["text", "json", "sarif", "github"]),
              default="text", show_default=True, help="Output format.")
@click.option("--no-color", is_flag=True, help="No colours (NO_COLOR is honoured too).")
# -- output options, as ruff's (issue 15); they arrive in ``output`` (commands/emit.py) --
@click.option("--color", type=COLOR, help="Colour the text output: auto (on a terminal, or with "
              "FORCE_COLOR; never with NO_COLOR), always or never [default: auto].")
@click.option("-o", "--output-file", type=click.Path(dir_okay=False),
              help="Write the output to this file instead of stdout.")
@click.option("--exit-zero", is_flag=True,
              help="Exit 0 even when findings are at or above --fail-on (2 still means an error).")
@click.option("--statistics", is_flag=True,
              help="Print the number of findings of each rule instead of the findings.")
@click.option("-q", "--quiet", is_flag=True, help="Print the findings only: no notes, no summary.")
@click.option("--show-settings", is_flag=True,
              help="Print the folders and settings the run would use, and exit.")
@click.option("--fix", "fix", is_flag=True, help="Apply the safe fixes to the workflows, then report what remains.")
@click.option("--diff", "diff", is_flag=True,
              help="Print the fixes as a unified diff and write nothing (exit 1 when there is one).")
def check(path: str, select: tuple[str, ...], ignore: tuple[str, ...], severity: str | None,
          fail_on: str | None, offline: bool | None, timeout: float | None, index_url: str | None,
          remote: str | None, publishers: tuple[str, ...], output_format: str,
          no_color: bool, fix: bool = False, diff: bool = False, **output: Any) -> None:
    """Lint the repository at PATH for the ways publishing to PyPI fails.

    Exit status: 0 clean, 1 findings at or above --fail-on, 2 usage or input error.
    """
    from pubdoctor.engine import run_rules

    options = dict(
        select=split_codes(select), ignore=split_codes(ignore),
        severity=severity.lower() if severity else None,
        fail_on=fail_on.lower() if fail_on else None, offline=offline, timeout=timeout,
        index_url=index_url, remote=remote, publishers=parse_publishers(publishers),
        publisher_source="cli",
    )
    context = build_context(path, **options)
    if fix or diff:  # --fix / --diff: pubdoctor.commands.fixing
        from pubdoctor.commands.fixing import run_fixes

        if fix and diff:
            raise click.UsageError("--fix and --diff cannot be used together")
        _check_selectors(context.settings.explicit, "--select")
        _check_selectors(context.settings.ignore_cli, "--ignore")
        result = run_fixes(lambda: build_context(path, **options), path, write=fix)
        if diff:
            sys.exit(1 if result.changed else 0)
        context = build_context(path, **options)
    settings = context.settings
    _check_selectors(settings.explicit, "--select")
    _check_selectors(settings.ignore_cli, "--ignore")
    if output.get("show_settings"):
        from pubdoctor.commands.showsettings import show

        show(context, path, {"select": select, "ignore": ignore, "severity": severity,
                             "fail-on": fail_on, "offline": offline, "timeout": timeout,
                             "index-url": index_url, "remote": remote})
    report = run_rules(context)
    report.root = str(settings.root)
    if context.roots is not None:
        top = context.roots.top
        report.top = str(top)
        prefix = context.roots.project.relative_to(top).as_posix()
        report.prefix = "" if prefix == "." else prefix
    workflows = context.loaded("workflows")
    if workflows is not None and not workflows.files and not workflows.errors:
        report.add_note("note", "no workflows in .github/workflows: nothing here publishes from "
                                "GitHub Actions, so the workflow rules had nothing to check")
    from pubdoctor.commands.emit import emit

    emit(context, report, output_format, no_color, output)
