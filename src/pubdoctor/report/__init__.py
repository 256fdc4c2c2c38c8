"""Reporters: one module per output format, each rendering the same `Report`."""

from __future__ import annotations

import importlib
from typing import Callable

from pubdoctor.engine import Report

def renderer(name: str) -> Callable[[Report, bool], str]:
    """``render(report, color) -> str`` of the format called ``name``."""
    return importlib.import_module(f"pubdoctor.report.{name}_format").render  # type: ignore[no-any-return]
