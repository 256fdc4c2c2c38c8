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


SEVERITY = click.Choice(["info", "warning", "error"], case_sensitive=False)
