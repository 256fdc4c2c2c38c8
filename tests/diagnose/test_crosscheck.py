"""Cross-check with the repository as it is now: the rules behind the cause run on real
repositories in temporary folders, and what the log says is compared with the files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import run_cli

from .conftest import LOGS

NO_ID_TOKEN = """
    on:
      push:
        tags: ["v*"]
    permissions:
      contents: read
    jobs:
      publish:
        runs-on: ubuntu-latest
        environment: pypi
        steps:
          - uses: actions/download-artifact@v4
          - uses: pypa/gh-action-pypi-publish@release/v1
"""
FIXED = NO_ID_TOKEN.replace("      contents: read\n", "      contents: read\n      id-token: write\n")
PYPROJECT = """
    [project]
    name = "sampleproject"
    version = "{version}"
"""


def run(log: Path, repo: Path, *args: str) -> dict:
    result = run_cli("diagnose", str(log), "--repo", str(repo), "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)["repository"]


def test_missing_id_token_still_present(write_repo) -> None:
    repo = write_repo({".github/workflows/release.yml": NO_ID_TOKEN}, init_git=True)
    found = run(LOGS / "missing-id-token__uv-new.log", repo)
    assert found["status"] == "still-present"
    assert [(f["code"], f["location"]) for f in found["findings"]] == [
        ("PD101", ".github/workflows/release.yml:7:3")]
    text = run_cli("diagnose", str(LOGS / "missing-id-token__uv-new.log"), "--repo", str(repo),
                   "--no-color").output
    assert f"repository ({repo}): still present" in text
    assert "  still present: .github/workflows/release.yml:7:3: PD101 [missing-id-token]" in text


def test_missing_id_token_fixed(write_repo) -> None:
    repo = write_repo({".github/workflows/release.yml": FIXED}, init_git=True)
    found = run(LOGS / "missing-id-token__uv-new.log", repo)
    assert found["status"] == "not-found"
    assert found["rules_run"] == ["PD101", "PD103"] and found["findings"] == []
    text = run_cli("diagnose", str(LOGS / "missing-id-token__uv-new.log"), "--repo", str(repo),
                   "--no-color").output
    assert "not found in the repository as it is now (PD101, PD103 found nothing)" in text


def test_default_repository_is_the_current_directory(write_repo, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = write_repo({".github/workflows/release.yml": NO_ID_TOKEN})
    monkeypatch.chdir(repo)
    result = run_cli("diagnose", str(LOGS / "missing-id-token__twine.log"), "--format", "json")
    assert json.loads(result.output)["repository"]["status"] == "still-present"
    result = run_cli("diagnose", str(LOGS / "missing-id-token__twine.log"), "--format", "json", "--no-repo")
    assert json.loads(result.output)["repository"] is None


def test_not_a_repository_is_not_cross_checked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli("diagnose", str(LOGS / "missing-id-token__twine.log"), "--format", "json")
    assert json.loads(result.output)["repository"] is None


def test_repo_that_does_not_exist_is_an_input_error(tmp_path: Path) -> None:
    result = run_cli("diagnose", str(LOGS / "missing-id-token__twine.log"), "--repo", str(tmp_path / "nope"))
    assert result.exit_code == 2
    assert "no such directory" in result.output


def test_malformed_pyproject_is_a_note_not_a_crash(write_repo) -> None:
    repo = write_repo({"pyproject.toml": "[project\nname = 1\n"})
    found = run(LOGS / "missing-id-token__twine.log", repo)
    assert found["status"] == "not-checked"
    assert "pyproject.toml" in found["notes"][0]


def test_publisher_mismatch_workflow_renamed(write_repo) -> None:
    # the claims name publish.yml; the repository now only has release.yml
    repo = write_repo({".github/workflows/release.yml": FIXED}, init_git=True)
    found = run(LOGS / "publisher-mismatch__action-v1.8.log", repo)
    messages = [c["message"] for c in found["checks"]]
    assert any("no workflow file is named `publish.yml` any more" in m for m in messages)


def test_publisher_mismatch_same_workflow_and_environment_is_still_present(write_repo) -> None:
    repo = write_repo({".github/workflows/release.yml": FIXED})
    found = run(LOGS / "publisher-mismatch__action-v1.12-environment.log", repo)
    assert found["status"] == "still-present"
    [check] = found["checks"]
    assert check["still_present"]
    assert "still uses environment `pypi`" in check["message"]


def test_publisher_mismatch_environment_changed_since(write_repo) -> None:
    repo = write_repo({".github/workflows/release.yml": FIXED.replace("environment: pypi", "environment: release")})
    found = run(LOGS / "publisher-mismatch__action-v1.12-environment.log", repo)
    [check] = found["checks"]
    assert not check["still_present"]
    assert "now uses environment `release`, the token had `pypi`" in check["message"]


def test_publisher_mismatch_against_the_declared_publisher(write_repo) -> None:
    repo = write_repo({
        ".github/workflows/release.yml": FIXED,
        "pyproject.toml": PYPROJECT.format(version="4.0.0") + """
            [tool.pubdoctor.publisher]
            owner = "octo-org"
            repository = "sampleproject"
            workflow = "release.yml"
        """,
    })
    found = run(LOGS / "publisher-mismatch__action-v1.12-environment.log", repo)
    declared = [c["message"] for c in found["checks"] if "[tool.pubdoctor.publisher]" in c["message"]]
    assert declared == ["[tool.pubdoctor.publisher] differs from the token's claims: environment: "
                        "declared `(none)`, token `pypi`"]


def test_file_exists_version_not_bumped(write_repo) -> None:
    repo = write_repo({"pyproject.toml": PYPROJECT.format(version="4.0.0")}, init_git=True)
    found = run(LOGS / "file-exists__twine7.log", repo)
    assert found["status"] == "still-present"
    assert found["checks"] == [{"still_present": True, "message": "pyproject.toml:3:1: the version is "
                                "still 4.0.0, which the index already has (sampleproject-4.0.0-py3-none-any.whl)"}]
    # PD401 is run when this version has it; offline, it may be skipped (no index)
    assert set(found["rules_run"]) | set(found["rules_skipped"]) | set(found["rules_missing"]) == {"PD401", "PD304", "PD113"}


def test_file_exists_version_bumped(write_repo) -> None:
    repo = write_repo({"pyproject.toml": PYPROJECT.format(version="4.0.1")}, init_git=True)
    found = run(LOGS / "file-exists__uv.log", repo)
    assert found["status"] == "not-found"
    assert "the version is now 4.0.1 (the refused file was 4.0.0)" in found["checks"][0]["message"]


def test_rules_not_in_this_version_are_skipped(write_repo) -> None:
    from pubdoctor.rules import all_rules

    repo = write_repo({".github/workflows/release.yml": FIXED})
    found = run(LOGS / "rate-limit__new-projects.log", repo)
    assert found["status"] == "not-checked"  # no rule predicts a rate limit
    found = run(LOGS / "no-release-nonconventional__cz-new.log", repo)
    registry = {r.code for r in all_rules()}
    assert set(found["rules_missing"]) == {"PD301", "PD302"} - registry


def test_reusable_workflow_of_another_repository_checks_the_caller(write_repo) -> None:
    caller = """
        on:
          push:
            tags: ["v*"]
        jobs:
          publish:
            permissions:
              id-token: write
            uses: octo-org/shared-workflows/.github/workflows/publish.yml@main
    """
    repo = write_repo({".github/workflows/release.yml": caller})
    found = run(LOGS / "reusable-workflow__warning-then-refused.log", repo)
    assert found["status"] == "still-present"
    assert any("still calls a reusable workflow of another repository" in c["message"] and c["still_present"]
               for c in found["checks"])


def test_repository_without_workflows_is_not_checked(write_repo) -> None:
    repo = write_repo({"pyproject.toml": PYPROJECT.format(version="1.0.0")})
    found = run(LOGS / "missing-id-token__uv-new.log", repo)
    assert found["status"] == "not-checked"
    assert any("no workflows" in note for note in found["notes"])


def test_no_release_still_present_then_fixed_by_a_fix_commit(tmp_path: Path) -> None:
    from history_repo import PSR, commit, repo

    root = repo(tmp_path / "r", {"pyproject.toml": PSR}, [("feat: first", "v1.2.0"), "docs: readme", "Update stuff"])
    found = run(LOGS / "no-release-nonconventional__psr-v10.log", root)
    assert found["status"] == "still-present"
    assert {f["code"] for f in found["findings"]} >= {"PD302"}
    commit(root, "fix: handle empty input")
    found = run(LOGS / "no-release-nonconventional__psr-v10.log", root)
    assert "PD302" not in {f["code"] for f in found["findings"]}


def test_publisher_mismatch_workflow_renamed_in_the_history(write_repo) -> None:
    # the tufup case: the workflow file was renamed after the publisher was registered
    from conftest import git

    repo = write_repo({".github/workflows/publish.yml": FIXED}, init_git=True)
    git(repo, "mv", ".github/workflows/publish.yml", ".github/workflows/release.yml")
    git(repo, "commit", "-q", "-m", "ci: rename the release workflow", "--no-gpg-sign")
    sha = git(repo, "rev-parse", "--short", "HEAD").strip()
    found = run(LOGS / "publisher-mismatch__action-v1.8.log", repo)
    [check] = [c for c in found["checks"] if "renamed" in c["message"]]
    assert check["message"].startswith(f"`publish.yml` was renamed to `release.yml` in commit {sha}")
    assert not check["still_present"]
