"""PD204 publish-in-reusable-workflow: local calls, same-repository calls by ref, other repositories."""

from __future__ import annotations

from pathlib import Path

from conftest import findings
from identity_helpers import PUBLISH_JOB, declared, make_repo

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


def caller(uses: str) -> str:
    return f"""
on:
  push:
    tags: ["v*"]
jobs:
  release:
    uses: {uses}
    permissions:
      id-token: write
"""


def pd204(root: Path, *args: str) -> list[tuple[int, int, str, str]]:
    return [(f["location"]["line"], f["location"]["column"], f["severity"], f["message"] + " | " + f["fix"])
            for f in findings(root, *args) if f["code"] == "PD204"]


def test_local_reusable_workflow_without_declaration(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {".github/workflows/release.yml": caller("./.github/workflows/publish.yml"),
                                      ".github/workflows/publish.yml": CALLED})
    [(line, col, severity, text)] = pd204(root)
    assert (line, col, severity) == (6, 5, "warning")
    assert "the index matches the file in `job_workflow_ref`, `publish.yml`, not `release.yml`" in text
    assert "register `publish.yml` (not `release.yml`)" in text


def test_declared_called_file_makes_it_info(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {".github/workflows/release.yml": caller("./.github/workflows/publish.yml"),
                                      ".github/workflows/publish.yml": CALLED,
                                      "pyproject.toml": declared(workflow="publish.yml")})
    assert [(line, severity) for line, _, severity, _ in pd204(root)] == [(6, "info")]


def test_same_repository_called_by_pinned_ref(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {
        ".github/workflows/release.yml": caller("Octo-Org/demo/.github/workflows/publish.yml@v1"),
        ".github/workflows/publish.yml": CALLED,
    }, remote="git@github.com:octo-org/demo.git")
    [(line, col, severity, text)] = pd204(root)
    assert (line, col, severity) == (6, 5, "warning")
    assert "pinned to `@v1`" in text and "`uses: ./.github/workflows/publish.yml`" in text


def test_same_repository_recognised_from_the_declaration_without_remote(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {
        ".github/workflows/release.yml": caller("octo-org/demo/.github/workflows/publish.yml@main"),
        ".github/workflows/publish.yml": CALLED,
        "pyproject.toml": declared(workflow="publish.yml"),
    }, remote=None)
    assert [severity for _, _, severity, _ in pd204(root)] == ["warning"]


def test_other_repository_with_id_token(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {
        ".github/workflows/release.yml": caller("shared-org/workflows/.github/workflows/pypi-publish.yml@v2"),
    })
    [(line, col, severity, text)] = pd204(root)
    assert (line, col, severity) == (6, 5, "info")  # its contents are unknown: advice only
    assert "`shared-org/workflows`" in text


def test_other_repository_called_by_a_workflow_that_uploads_itself(tmp_path: Path) -> None:
    """A called workflow named `release` that only builds, in a workflow whose own job uploads
    (the rule's own fix): nothing to say."""
    text = caller("shared-org/workflows/.github/workflows/release-build.yml@v2") + """
  publish:
    needs: release
    runs-on: ubuntu-latest
    permissions:
      id-token: write
    steps:
      - uses: actions/download-artifact@v4
        with: {name: dist, path: dist/}
      - uses: pypa/gh-action-pypi-publish@release/v1
"""
    root = make_repo(tmp_path / "r", {".github/workflows/release.yml": text})
    assert pd204(root) == []


def test_other_repository_without_id_token_or_publishing_name(tmp_path: Path) -> None:
    no_token = caller("shared-org/workflows/.github/workflows/pypi-publish.yml@v2").replace(
        "    permissions:\n      id-token: write\n", "")
    root = make_repo(tmp_path / "r", {".github/workflows/release.yml": no_token})
    assert pd204(root) == []
    lint = caller("shared-org/workflows/.github/workflows/lint.yml@v2")
    root = make_repo(tmp_path / "s", {".github/workflows/release.yml": lint})
    assert pd204(root) == []


def test_direct_publish_job_passes(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {".github/workflows/release.yml": PUBLISH_JOB})
    assert pd204(root) == []
