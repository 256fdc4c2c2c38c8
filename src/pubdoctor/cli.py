"""The ``pubdoctor`` command: a thin click group whose subcommands load on demand.

Start-up counts (pubdoctor runs as a pre-commit hook), so a subcommand's module is imported
only when that subcommand runs.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any, NoReturn

import click

from pubdoctor import __version__

#: subcommand -> "module:attribute" of its click command
COMMANDS: dict[str, str] = {
    "check": "pubdoctor.commands.check:check",
    "claims": "pubdoctor.commands.claims:claims",
    "diagnose": "pubdoctor.commands.diagnose:diagnose",
    "init": "pubdoctor.commands.init:init",
    "rule": "pubdoctor.commands.rule:rule",
}


class LazyGroup(click.Group):
    """A group that imports a subcommand's module only when it is invoked or listed.

    It also turns an `InputError` raised by any subcommand into one line on stderr and exit
    code 2, so the in-process runner of the tests sees exactly what a user sees.
    """

    def invoke(self, ctx: click.Context) -> Any:
        from pubdoctor.errors import InputError

        try:
            return super().invoke(ctx)
        except InputError as exc:
            from pubdoctor.report.terminal import printable

            click.echo(f"pubdoctor: error: {printable(exc)}", err=True)
            ctx.exit(2)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        command: click.Command = getattr(importlib.import_module(module_name), attr)
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pubdoctor")
def cli() -> None:
    """Find and explain the failures of publishing to PyPI from GitHub Actions."""


def main(argv: list[str] | None = None) -> Any:
    """Entry point: bad input ends with one line on stderr and exit 2, never a traceback."""
    # The index source validates the index's answer with pydantic; it needs no pydantic
    # plugin, and looking for plugins walks the entry points of every installed distribution
    # (about 150 ms in a full environment). An explicit setting from the user still wins.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    try:
        return cli.main(args=argv, prog_name="pubdoctor", standalone_mode=True)
    except KeyboardInterrupt:
        click.echo("pubdoctor: interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - the last line of defence against tracebacks
        if os.environ.get("PUBDOCTOR_DEBUG"):
            raise
        from pubdoctor.report.terminal import printable

        click.echo(f"pubdoctor: internal error: {type(exc).__name__}: {printable(exc)} "
                   "(set PUBDOCTOR_DEBUG=1 for the traceback, and please report it)", err=True)
        sys.exit(2)


def run() -> NoReturn:
    """The ``pubdoctor`` console script: `main`, then an exit that skips the interpreter's
    teardown.

    Why: by the end of a check the interpreter holds some 250 modules and all they made;
    tearing them down (clearing each module, collecting every cycle, freeing every object)
    took about 15 ms, a tenth of a whole check, for nothing: the process ends. By then the
    output is written (flushed here), every file pubdoctor wrote was closed where it was
    written, and the one thread a run may start (an index request's, a daemon) has answered
    or been given up. `main` keeps the ordinary exit for callers in the same process (tests).
    """
    try:
        main()
        status: object = 0
    except SystemExit as exc:
        status = exc.code
    if status is None:
        code = 0
    elif isinstance(status, int):
        code = status
    else:  # as `sys.exit("message")`: the message on stderr, status 1
        print(status, file=sys.stderr)
        code = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a reader that went away: Python's own status for it
        code = code or 120
    os._exit(code & 0xFF)
