"""How many git processes a check starts, counted by a `git` on PATH that notes each command
and then runs the real git: the history is read only when a rule needs it, and the remotes
and the filter drivers come from one ``git config``."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import git
from history_repo import commit, init

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
GIT = shutil.which("git")

pytestmark = pytest.mark.skipif(GIT is None, reason="git is not installed")

DYNAMIC = """\
[build-system]
requires = ["hatchling", "hatch-vcs"]
build-backend = "hatchling.build"

[project]
name = "demo-clean"
dynamic = ["version"]

[tool.hatch.version]
source = "vcs"

[tool.pubdoctor.publisher]
owner = "octo-org"
repository = "demo"
workflow = "release.yml"
environment = "pypi"
"""

SEMANTIC_RELEASE = """
[tool.semantic_release]
version_toml = ["pyproject.toml:project.version"]
"""


def _git_commands(tmp_path: Path, root: Path) -> list[str]:
    """The git subcommands `pubdoctor check --offline ROOT` starts, in order."""
    tools = tmp_path / "bin"
    tools.mkdir(exist_ok=True)
    calls = tmp_path / "calls"
    calls.write_text("", encoding="utf-8")
    wrapper = tools / "git"
    wrapper.write_text(f'#!/bin/sh\nprintf "%s\\n" "$*" >> "{calls}"\nexec "{GIT}" "$@"\n',
                       encoding="utf-8")
    wrapper.chmod(0o755)
    env = {**os.environ, "PATH": f"{tools}{os.pathsep}{os.environ.get('PATH', '')}"}
    subprocess.run([sys.executable, "-m", "pubdoctor", "check", "--offline", str(root)],
                   env=env, capture_output=True, text=True, timeout=120, check=False)
    commands = []
    for line in calls.read_text(encoding="utf-8").splitlines():
        words = line.split()
        # skip `--no-pager -C ROOT` and the `-c key=value` overrides: the subcommand follows
        index = 0
        while index < len(words) and words[index].startswith("-"):
            index += 2 if words[index] in ("-C", "-c") else 1
        commands.append(words[index] if index < len(words) else "")
    return commands


def _tagged(tmp_path: Path, pyproject: str | None = None) -> Path:
    """The clean example as a tagged repository with a commit since the tag and a remote."""
    root = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "clean", root)
    if pyproject is not None:
        (root / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    init(root)
    commit(root, "feat: first", tag="v1.0.0")
    commit(root, "fix: second")
    git(root, "remote", "add", "origin", "https://github.com/octo-org/demo.git")
    return root


def test_a_static_version_reads_the_history_in_two_processes(tmp_path: Path) -> None:
    """PD304 compares the static version with the last release tag: the probe, the remote's
    ``config``, then ``for-each-ref`` and ``log`` for the history, and nothing else."""
    root = _tagged(tmp_path)
    assert _git_commands(tmp_path, root) == ["rev-parse", "config", "for-each-ref", "log"]


def test_no_rule_needs_the_history_of_a_version_from_git_tags(tmp_path: Path) -> None:
    """A version from git tags and no release tool: no rule reads the commits since the
    tag, so neither ``for-each-ref`` nor ``log`` runs; the remote and the filter drivers that
    ``status`` must empty come from one ``config``."""
    root = _tagged(tmp_path, DYNAMIC)
    commands = _git_commands(tmp_path, root)
    assert "for-each-ref" not in commands and "log" not in commands
    assert commands.count("config") == 1
    assert sorted(commands) == ["config", "describe", "rev-parse", "status"]


def test_a_release_tool_reads_the_history(tmp_path: Path) -> None:
    """python-semantic-release decides the version from the commits: the history is read."""
    root = _tagged(tmp_path)
    with (root / "pyproject.toml").open("a", encoding="utf-8") as handle:
        handle.write(SEMANTIC_RELEASE)
    commit(root, "chore: configure the release tool")
    commands = _git_commands(tmp_path, root)
    assert "for-each-ref" in commands and "log" in commands
    assert commands.count("config") == 1
