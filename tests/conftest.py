"""Shared fixtures: repositories written into temporary folders, and the CLI runner."""

from __future__ import annotations

import os
import subprocess
import textwrap
from pathlib import Path
from typing import Callable

import pytest
from click.testing import CliRunner, Result
from hypothesis import settings

SHARED = Path(__file__).resolve().parents[2] / "shared"

# No property test has a deadline: Hypothesis' default (200 ms per example) is a timed
# assertion, and on a loaded or CPU-throttled machine (CI next to another run, a container's
# CPU quota) a single example stalled for a second fails the test as "Unreliable test
# timings" although nothing is wrong. Speed is measured by benchmarks/, never by a test.
# The profile builds on the active one (Hypothesis' own `ci` profile on CI), and a
# `--hypothesis-profile` given to pytest still wins.
settings.register_profile("pubdoctor", deadline=None)
settings.load_profile("pubdoctor")

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.invalid",
    "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1", "GIT_TERMINAL_PROMPT": "0",
}


@pytest.fixture(autouse=True)
def _isolated_git(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests never read the developer's git configuration or $HOME."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("NO_COLOR", "1")
    # pydantic checks every record a run builds against its annotations (pubdoctor/validation.py)
    monkeypatch.setenv("PUBDOCTOR_VALIDATE", "1")


def git(cwd: Path, *args: str) -> str:
    """Run git in ``cwd`` and return its stdout (raises on failure)."""
    env = {**os.environ, **GIT_ENV}
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True,
                          text=True).stdout


WriteRepo = Callable[..., Path]


@pytest.fixture
def write_repo(tmp_path: Path) -> WriteRepo:
    """``write_repo({"path": "text", ...}, git=False)`` -> the folder, files dedented."""

    def write(files: dict[str, str | bytes], name: str = "repo", init_git: bool = False) -> Path:
        root = tmp_path / name
        root.mkdir(parents=True, exist_ok=True)
        for rel, content in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
        if init_git:
            git(root, "init", "-q", "-b", "main")
            git(root, "add", "-A")
            git(root, "commit", "-q", "-m", "feat: initial commit", "--no-gpg-sign")
        return root

    return write


def run_cli(*args: str) -> Result:
    """Run ``pubdoctor ARGS`` in-process, as the console script would (exit codes included)."""
    from pubdoctor.cli import cli

    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def check(root: Path, *args: str) -> Result:
    return run_cli("check", str(root), "--offline", "--no-color", *args)


def findings(root: Path, *args: str) -> list[dict]:
    """The JSON findings of ``pubdoctor check ROOT --offline ARGS``."""
    import json

    result = check(root, "--format", "json", *args)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.output)["findings"]


def codes(root: Path, *args: str) -> list[str]:
    return [f["code"] for f in findings(root, *args)]


def at(found: list[dict], code: str) -> list[tuple[str, int, int]]:
    """``(path, line, column)`` of every finding with ``code``."""
    return [(f["location"]["path"], f["location"]["line"], f["location"]["column"])
            for f in found if f["code"] == code]
