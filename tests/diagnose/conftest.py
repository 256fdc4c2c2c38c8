"""Helpers of the diagnose tests: hand-written logs, and running ``pubdoctor diagnose``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import run_cli

LOGS = Path(__file__).resolve().parent / "logs"


def expected_cause(path: Path) -> str:
    """Hand-written logs are named ``<cause>__<variant>.log``."""
    return path.name.split("__", 1)[0]


def diagnose_json(log: Path | str, *args: str) -> dict[str, Any]:
    result = run_cli("diagnose", str(log), "--format", "json", "--no-repo", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def diagnose_text(log: Path | str, *args: str) -> str:
    result = run_cli("diagnose", str(log), "--no-color", *args)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def write_log(tmp_path: Path):
    """``write_log("text", name="job.log")`` -> the path (bytes are written as they are)."""

    def write(content: str | bytes, name: str = "job.log") -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return write


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocks of 4 KB: many blocks in a test's log, so that what happens at a block's boundary
    (carried lines, a rebuilt search, the lines found for a whole block) happens in it."""
    from pubdoctor.diagnose import reader

    monkeypatch.setattr(reader, "CHUNK_SIZE", 4096)
