"""PD202 publisher-workflow-mismatch, and the issue's "done when" end to end."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import check, findings, git, run_cli
from identity_helpers import PUBLISH_JOB, declared, make_repo

CALLER = """
on:
  push:
    tags: ["v*"]
jobs:
  release:
    uses: ./.github/workflows/publish.yml
    permissions:
      id-token: write
"""
CALLED = """
on:
  workflow_call:
jobs:
  upload:
    runs-on: ubuntu-latest
    environment: pypi
    permissions:
      id-token: write
    steps:
      - uses: pypa/gh-action-pypi-publish@release/v1
"""


def pd202(root: Path, *args: str) -> list[dict]:
    return [f for f in findings(root, *args) if f["code"] == "PD202"]


def test_done_when_renamed_workflow_end_to_end(tmp_path: Path) -> None:
    """A declaration naming another workflow file: check exits 1 with PD202 at the declaration,
    and ``claims --format json`` prints what the index will see."""
    root = make_repo(tmp_path / "demo", {
        ".github/workflows/release.yml": PUBLISH_JOB,
        "pyproject.toml": declared(workflow="publish.yml"),
    })
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "feat: rename the release workflow", "--no-gpg-sign")
    git(tmp_path, "clone", "-q", str(root), "fresh")
    fresh = tmp_path / "fresh"
    git(fresh, "remote", "set-url", "origin", "https://github.com/octo-org/demo.git")

    result = check(fresh)
    assert result.exit_code == 1, result.output
    assert "pyproject.toml:8:1: PD202 [publisher-workflow-mismatch]" in result.output
    assert "no `.github/workflows/publish.yml`" in result.output
    assert "run from `release.yml`" in result.output

    claims = run_cli("claims", "--offline", str(fresh), "--format", "json")
    assert claims.exit_code == 0, claims.output
    [claim] = json.loads(claims.output)["claims"]
    assert {k: claim[k] for k in ("repository_owner", "repository_name", "workflow", "environment", "index")} == {
        "repository_owner": "octo-org", "repository_name": "demo", "workflow": "release.yml",
        "environment": "pypi", "index": "https://pypi.org"}


def test_matching_workflow_passes(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {".github/workflows/release.yml": PUBLISH_JOB,
                                      "pyproject.toml": declared()})
    assert [f["code"] for f in findings(root) if f["code"].startswith("PD2")] == []
    assert check(root).exit_code == 0


def test_declared_the_caller_of_a_reusable_workflow(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {".github/workflows/release.yml": CALLER,
                                      ".github/workflows/publish.yml": CALLED,
                                      "pyproject.toml": declared(workflow="release.yml")})
    [finding] = pd202(root)
    assert (finding["location"]["line"], finding["location"]["column"]) == (8, 1)
    assert "the index matches the file in `job_workflow_ref`" in finding["message"]
    assert "register `publish.yml`" in finding["fix"]


def test_declared_the_called_file_passes(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {".github/workflows/release.yml": CALLER,
                                      ".github/workflows/publish.yml": CALLED,
                                      "pyproject.toml": declared(workflow="publish.yml")})
    assert pd202(root) == []


def test_declared_for_pypi_but_the_file_uploads_to_testpypi(tmp_path: Path) -> None:
    testpypi = PUBLISH_JOB + "        with:\n          repository-url: https://test.pypi.org/legacy/\n"
    root = make_repo(tmp_path / "r", {".github/workflows/release.yml": testpypi,
                                      "pyproject.toml": declared()})
    [finding] = pd202(root)
    assert "uploads to TestPyPI" in finding["message"] and "no job uploads to PyPI" in finding["message"]
    assert finding["location"]["line"] == 8


def test_declared_a_file_that_uses_a_token(tmp_path: Path) -> None:
    token = PUBLISH_JOB + "        with:\n          password: ${{ secrets.PYPI_TOKEN }}\n"
    root = make_repo(tmp_path / "r", {".github/workflows/release.yml": token,
                                      "pyproject.toml": declared()})
    [finding] = pd202(root)
    assert "not with trusted publishing" in finding["message"]


def test_declared_a_file_that_does_not_publish(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {
        ".github/workflows/release.yml": PUBLISH_JOB,
        ".github/workflows/ci.yml": "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n"
                                    "    steps:\n      - run: pytest\n",
        "pyproject.toml": declared(workflow="ci.yml"),
    })
    [finding] = pd202(root)
    assert "no job of `.github/workflows/ci.yml` uploads" in finding["message"]
    assert "register `release.yml`" in finding["fix"]


def test_declared_file_only_called_from_another_repository(tmp_path: Path) -> None:
    caller = CALLER.replace("./.github/workflows/publish.yml", "shared-org/workflows/.github/workflows/pypi.yml@v1")
    root = make_repo(tmp_path / "r", {".github/workflows/release.yml": caller,
                                      "pyproject.toml": declared(workflow="pypi.yml")})
    [finding] = pd202(root)
    assert "shared-org/workflows/.github/workflows/pypi.yml@v1" in finding["message"]


def test_nothing_publishes(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {"pyproject.toml": declared()})
    [finding] = pd202(root)
    assert "no workflow in .github/workflows uploads with trusted publishing" in finding["message"]
    assert finding["location"]["path"] == "pyproject.toml"


def test_command_line_declaration_points_at_the_workflow(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {".github/workflows/release.yml": PUBLISH_JOB})
    result = check(root, "--publisher", "octo-org/demo/publish.yml@pypi")
    assert result.exit_code == 1
    assert ".github/workflows/release.yml:5:3: PD202" in result.output
    assert check(root, "--publisher", "octo-org/demo/release.yml@pypi").exit_code == 0


def test_command_line_declaration_replaces_pyproject(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {".github/workflows/release.yml": PUBLISH_JOB,
                                      "pyproject.toml": declared(workflow="old.yml")})
    assert pd202(root) != []
    assert pd202(root, "--publisher", "pypi:octo-org/demo/release.yml@pypi") == []


def test_malformed_publisher_option_is_a_usage_error(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {".github/workflows/release.yml": PUBLISH_JOB})
    result = check(root, "--publisher", "octo-org/release.yml")
    assert result.exit_code == 2
    assert "OWNER/REPOSITORY/WORKFLOW.yml" in result.output


def test_renamed_in_history_names_the_commit(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {".github/workflows/publish.yml": PUBLISH_JOB,
                                      "pyproject.toml": declared(workflow="publish.yml")})
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "feat: publish", "--no-gpg-sign")
    git(root, "mv", ".github/workflows/publish.yml", ".github/workflows/deploy.yml")
    git(root, "commit", "-q", "-m", "ci: rename", "--no-gpg-sign")
    git(root, "mv", ".github/workflows/deploy.yml", ".github/workflows/release.yml")
    git(root, "commit", "-q", "-m", "ci: rename again", "--no-gpg-sign")
    sha = git(root, "log", "-1", "--skip=1", "--format=%h").strip()
    [finding] = pd202(root)
    assert (finding["location"]["path"], finding["location"]["line"]) == ("pyproject.toml", 8)
    assert f"it was renamed in commit {sha} (" in finding["message"]
    assert "and is now `release.yml`" in finding["message"]
    assert "register `release.yml`" in finding["fix"]
