"""The tutorial's setup, end to end: uv build, TestPyPI, trusted publishing, python-semantic-release.

A real repository set up as the tutorial says (``../shared/seed/``), its first release made by
the real python-semantic-release (0.1.0, tag ``v0.1.0``), that release's files on a real
pypiserver, a stale git-ignored ``dist/`` from a local build, and a ``fix:`` commit since.
``pubdoctor check`` against that index must pass; each of the tutorial's four "Common issues"
must give its finding.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import GIT_ENV, git, run_cli
from servers import PypiServer, make_sdist, make_wheel, pypiserver_fixture  # noqa: F401 - a fixture

NAME = "my-package-with-semver"
PYPROJECT = """
[project]
name = "my-package-with-semver"
version = "0.1.0"
description = "The tutorial's package"
readme = "README.md"
requires-python = ">=3.10"

[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[tool.semantic_release]
version_toml = ["pyproject.toml:project.version"]
allow_zero_version = true
"""
WORKFLOW = """
name: release

on:
  push:
    branches: [main]

jobs:
  release:
    runs-on: ubuntu-latest
    concurrency: release
    permissions:
      contents: write
    outputs:
      released: ${{ steps.release.outputs.released }}
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
      - name: Python Semantic Release
        id: release
        uses: python-semantic-release/python-semantic-release@v10
        with:
          github_token: ${{ secrets.GITHUB_TOKEN }}
      - uses: astral-sh/setup-uv@v6
        if: steps.release.outputs.released == 'true'
      - name: Build distributions
        if: steps.release.outputs.released == 'true'
        run: uv build
      - name: Upload dist artifacts
        if: steps.release.outputs.released == 'true'
        uses: actions/upload-artifact@v4
        with:
          name: dist
          path: dist/
          if-no-files-found: error

  publish:
    needs: release
    if: needs.release.outputs.released == 'true'
    runs-on: ubuntu-latest
    permissions:
      id-token: write
    steps:
      - uses: actions/download-artifact@v4
        with:
          name: dist
          path: dist/
      - name: Publish to TestPyPI
        uses: pypa/gh-action-pypi-publish@release/v1
        with:
          repository-url: https://test.pypi.org/legacy/
"""
PUBLISHER = f"testpypi:alice/{NAME}/release.yml"


def _psr(root: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV}
    for name in ("GH_TOKEN", "GITHUB_TOKEN", "GITHUB_ACTIONS", "CI"):
        env.pop(name, None)
    result = subprocess.run([str(Path(sys.executable).parent / "semantic-release"), *args],
                            cwd=root, capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, (result.stdout, result.stderr)
    return result.stdout


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


def tutorial(tmp_path: Path, server: PypiServer, pyproject: str = PYPROJECT,
             workflow: str = WORKFLOW, since: tuple[str, ...] = ("fix: correct the greeting",)) -> Path:
    """The tutorial's repository after its first release, with ``since`` committed after it."""
    root = tmp_path / NAME
    root.mkdir()
    _write(root, {"pyproject.toml": pyproject, ".github/workflows/release.yml": workflow,
                  "README.md": "# my-package-with-semver\n", ".gitignore": "dist/\n.venv/\n",
                  "src/my_package_with_semver/__init__.py": 'def hello() -> str:\n    return "Hello"\n'})
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "commit.gpgsign", "false")
    git(root, "config", "tag.gpgsign", "false")
    git(root, "remote", "add", "origin", f"https://github.com/alice/{NAME}.git")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "feat: initial package")
    # the first release, by the real tool, as CI makes it (no push, no GitHub release here)
    _psr(root, "version", "--no-push", "--no-vcs-release", "--no-changelog")
    assert "v0.1.0" in git(root, "tag").split()
    # what CI uploaded, on the index; and the same files left over from a local `uv build`
    for folder in (server.packages, root / "dist"):
        make_wheel(folder, NAME, "0.1.0")
        make_sdist(folder, NAME, "0.1.0")
    for message in since:
        (root / "CHANGES.txt").write_text(message, encoding="utf-8")
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", message)
    return root


def check(root: Path, server: PypiServer, *args: str) -> tuple[int, list[dict]]:
    result = run_cli("check", str(root), "--index-url", server.url, "--format", "json",
                     "--no-color", "--publisher", PUBLISHER, *args)
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.output)["findings"]


def serious(found: list[dict]) -> list[dict]:
    return [f for f in found if f["severity"] in ("warning", "error")]


def test_the_correct_setup_passes(tmp_path: Path, pypiserver: PypiServer) -> None:
    root = tutorial(tmp_path, pypiserver)
    assert _psr(root, "--noop", "version", "--print").strip().splitlines()[-1] == "0.1.1"
    code, found = check(root, pypiserver)
    assert serious(found) == [] and code == 0, found
    # the stale, git-ignored dist/ is one note, not an error per file
    notes = [f for f in found if f["code"] == "PD401"]
    assert [(f["severity"], f["location"]["path"]) for f in notes] == [("info", "dist")]


def test_common_issue_invalid_trusted_publisher(tmp_path: Path, pypiserver: PypiServer) -> None:
    """Issue: Invalid trusted publisher (the workflow name does not match TestPyPI's)."""
    root = tutorial(tmp_path, pypiserver)
    result = run_cli("check", str(root), "--index-url", pypiserver.url, "--format", "json",
                     "--publisher", f"testpypi:alice/{NAME}/publish.yml")
    found = json.loads(result.output)["findings"]
    assert result.exit_code == 1
    errors = [f for f in found if f["severity"] == "error"]
    assert [f["code"] for f in errors] == ["PD202"], found
    assert any("publish.yml" in f["message"] for f in errors), errors


def test_common_issue_no_oidc_token(tmp_path: Path, pypiserver: PypiServer) -> None:
    """Issue: No OIDC token available (the publishing job lacks `id-token: write`)."""
    workflow = WORKFLOW.replace("    permissions:\n      id-token: write\n", "")
    root = tutorial(tmp_path, pypiserver, workflow=workflow)
    code, found = check(root, pypiserver)
    assert code == 1
    errors = [f for f in found if f["severity"] == "error"]
    assert [f["code"] for f in errors] == ["PD101"], found
    assert "id-token" in errors[0]["message"]


def test_common_issue_no_release_happens(tmp_path: Path, pypiserver: PypiServer) -> None:
    """Issue: no release happens (the commits do not follow Conventional Commits)."""
    root = tutorial(tmp_path, pypiserver, since=("Fixed the greeting", "update readme"))
    code, found = check(root, pypiserver)
    assert sorted(f["code"] for f in serious(found)) == ["PD301", "PD301", "PD302"], found
    assert _psr(root, "--noop", "version", "--print").strip().splitlines()[-1] == "0.1.0"
    pd302 = next(f for f in found if f["code"] == "PD302")
    assert "no release" in pd302["message"] and "0.1.1" in pd302["message"]


def test_common_issue_file_already_exists(tmp_path: Path, pypiserver: PypiServer) -> None:
    """Issue: File already exists (the version python-semantic-release will make was published)."""
    root = tutorial(tmp_path, pypiserver)
    make_wheel(pypiserver.packages, NAME, "0.1.1")  # published by hand, never tagged
    code, found = check(root, pypiserver)
    assert code == 1
    errors = [f for f in found if f["severity"] == "error"]
    assert [f["code"] for f in errors] == ["PD401"], found
    assert "will release 0.1.1" in errors[0]["message"]
    assert "0.1.2" in errors[0]["fix"]


def test_static_version_without_version_toml_is_already_published(tmp_path: Path,
                                                                   pypiserver: PypiServer) -> None:
    """Without `version_toml`, PSR 8+ tags but leaves pyproject.toml at 0.1.0: the upload fails."""
    pyproject = PYPROJECT.replace('version_toml = ["pyproject.toml:project.version"]\n', "")
    root = tutorial(tmp_path, pypiserver, pyproject=pyproject)
    make_wheel(pypiserver.packages, NAME, "0.1.3")
    code, found = check(root, pypiserver)
    errors = [f for f in found if f["severity"] == "error"]
    assert code == 1 and [f["code"] for f in errors] == ["PD401"], found
    assert errors[0]["location"]["path"] == "pyproject.toml"
    assert "to 0.1.4 (above 0.1.3, the highest version on the index)" in errors[0]["fix"]
