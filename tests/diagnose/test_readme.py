"""The README's end-to-end example is the real output of the command."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import run_cli

ROOT = Path(__file__).resolve().parents[2]


def test_readme_example_is_the_real_output(monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## `pubdoctor diagnose LOG`", 1)[1]
    command = re.search(r"\$ pubdoctor (diagnose .+)\n", section)
    assert command is not None
    shown = re.search(r"```text\n(cause: .+?)\n```", section, re.DOTALL)
    assert shown is not None
    monkeypatch.chdir(ROOT)
    result = run_cli(*command.group(1).split(), "--no-color")
    assert result.exit_code == 0
    assert result.output.rstrip("\n") == shown.group(1)
