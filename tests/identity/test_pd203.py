"""PD203 publisher-environment-mismatch: both environment forms, expressions, and no environment."""

from __future__ import annotations

from pathlib import Path

from conftest import findings
from identity_helpers import PUBLISH_JOB, declared, make_repo


def job(environment: str) -> str:
    """The publish job with ``environment: pypi`` replaced by ``environment`` (may be empty)."""
    return PUBLISH_JOB.replace("    environment: pypi\n", environment)


def pd203(tmp_path: Path, workflow: str, **declaration: str | None) -> list[dict]:
    root = make_repo(tmp_path / "r", {".github/workflows/release.yml": workflow,
                                      "pyproject.toml": declared(**declaration)})
    return [f for f in findings(root) if f["code"] == "PD203"]


def where(found: list[dict]) -> list[tuple[str, int, int, str]]:
    return [(f["location"]["path"], f["location"]["line"], f["location"]["column"], f["severity"])
            for f in found]


def test_declared_environment_but_job_has_none(tmp_path: Path) -> None:
    found = pd203(tmp_path, job(""))
    assert where(found) == [("pyproject.toml", 9, 1, "error")]
    assert "has no `environment:`" in found[0]["message"] and "MISSING" in found[0]["message"]
    assert "add `environment: pypi` to job `publish`" in found[0]["fix"]


def test_other_environment_mapping_form(tmp_path: Path) -> None:
    found = pd203(tmp_path, job("    environment:\n      name: release\n      url: https://pypi.org/p/demo\n"))
    assert where(found) == [("pyproject.toml", 9, 1, "error")]
    assert "runs in `release`" in found[0]["message"]


def test_same_environment_mapping_form_ignoring_case(tmp_path: Path) -> None:
    assert pd203(tmp_path, job("    environment:\n      name: PyPI\n")) == []


def test_same_environment_string_form(tmp_path: Path) -> None:
    assert pd203(tmp_path, PUBLISH_JOB) == []


def test_job_environment_without_declared_one_is_info(tmp_path: Path) -> None:
    found = pd203(tmp_path, PUBLISH_JOB, environment=None)
    assert where(found) == [("pyproject.toml", 8, 1, "info")]
    assert "a publisher without an environment accepts any" in found[0]["message"]


def test_expression_is_not_guessed(tmp_path: Path) -> None:
    found = pd203(tmp_path, job("    environment: ${{ inputs.target }}\n"))
    assert where(found) == [(".github/workflows/release.yml", 7, 18, "info")]
    assert "`${{ inputs.target }}`" in found[0]["message"]


def test_no_environment_anywhere_passes(tmp_path: Path) -> None:
    assert pd203(tmp_path, job(""), environment=None) == []


def test_command_line_declaration_points_at_the_job_environment(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {".github/workflows/release.yml": job("    environment:\n      name: release\n")})
    found = [f for f in findings(root, "--publisher", "octo-org/demo/release.yml@pypi") if f["code"] == "PD203"]
    assert where(found) == [(".github/workflows/release.yml", 8, 13, "error")]


def test_reusable_workflow_environment(tmp_path: Path) -> None:
    """The environment of a called job is the one its token carries."""
    root = make_repo(tmp_path / "r", {
        ".github/workflows/release.yml": "on: push\njobs:\n  go:\n    uses: ./.github/workflows/up.yml\n"
                                         "    permissions:\n      id-token: write\n",
        ".github/workflows/up.yml": job("    environment: staging\n").replace(
            'on:\n  push:\n    tags: ["v*"]', "on: workflow_call"),
        "pyproject.toml": declared(workflow="up.yml"),
    })
    found = [f for f in findings(root) if f["code"] == "PD203"]
    assert where(found) == [("pyproject.toml", 9, 1, "error")]
    assert "`.github/workflows/up.yml` runs in `staging`" in found[0]["message"]
