"""Options shared by subcommands, and the colour decision."""

from __future__ import annotations

import os
import sys

import click


def split_codes(values: tuple[str, ...]) -> list[str]:
    """``--select PD1,PD201 --select missing-id-token`` -> a flat list."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def use_color(no_color: bool) -> bool:
    """Colour only on a terminal, and never with ``--no-color`` or ``NO_COLOR`` set."""
    if no_color or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


def resolve_color(choice: str | None, no_color: bool = False, tty: bool | None = None) -> bool:
    """``--color auto|always|never``, as ruff and the conventions of ``NO_COLOR`` and
    ``FORCE_COLOR`` have it: ``--no-color`` or ``never`` -> no; ``always`` -> yes; else
    ``NO_COLOR`` (not empty) -> no, ``FORCE_COLOR`` (not empty: CI logs show colours) -> yes,
    else colour only on a terminal (``tty``, default: whether stdout is one).
    """
    if no_color or choice == "never":
        return False
    if choice == "always":
        return True
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty() if tty is None else tty


COLOR = click.Choice(["auto", "always", "never"], case_sensitive=False)
SEVERITY = click.Choice(["info", "warning", "error"], case_sensitive=False)
