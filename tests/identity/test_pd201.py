"""PD201 publisher-repository-mismatch: the declared owner/repository against the git remote."""

from __future__ import annotations

from pathlib import Path

from conftest import at, findings, git
from identity_helpers import PUBLISH_JOB, declared, make_repo

WORKFLOW = {".github/workflows/release.yml": PUBLISH_JOB}


def test_renamed_owner(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {**WORKFLOW, "pyproject.toml": declared(owner="old-org")},
                     remote="git@github.com:new-org/demo.git")
    found = findings(root)
    assert at(found, "PD201") == [("pyproject.toml", 6, 1)]
    pd201 = next(f for f in found if f["code"] == "PD201")
    assert pd201["severity"] == "error"
    assert "`repository: new-org/demo`" in pd201["message"]
    assert "owner `new-org`" in pd201["fix"]


def test_renamed_repository(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {**WORKFLOW, "pyproject.toml": declared(repository="old-name")},
                     remote="ssh://git@github.com/octo-org/new-name.git")
    assert at(findings(root), "PD201") == [("pyproject.toml", 7, 1)]


def test_case_does_not_matter(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {**WORKFLOW, "pyproject.toml": declared()},
                     remote="https://github.com/Octo-Org/Demo.git/")
    assert at(findings(root), "PD201") == []


def test_fork_with_upstream_is_only_info(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {**WORKFLOW, "pyproject.toml": declared()},
                     remote="git@github.com:contributor/demo.git")
    git(root, "remote", "add", "upstream", "https://github.com/octo-org/demo.git")
    found = [f for f in findings(root) if f["code"] == "PD201"]
    assert [(f["severity"], f["location"]["line"]) for f in found] == [("info", 6)]
    assert "`--remote upstream`" in found[0]["fix"]
    assert at(findings(root, "--remote", "upstream"), "PD201") == []


def test_command_line_declaration_points_at_the_job(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", WORKFLOW, remote="git@github.com:octo-org/demo.git")
    found = findings(root, "--publisher", "someone/demo/release.yml@pypi")
    assert at(found, "PD201") == [(".github/workflows/release.yml", 5, 3)]
    assert "--publisher" in found[0]["message"]


def test_no_remote_skips_with_a_note(tmp_path: Path) -> None:
    import json

    from conftest import check

    root = make_repo(tmp_path / "r", {**WORKFLOW, "pyproject.toml": declared(owner="old-org")}, remote=None)
    result = check(root, "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["findings"] == []
    assert any("no remote `origin`" in n["message"] for n in document["notes"])


def test_without_declaration_nothing(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", WORKFLOW, remote="git@github.com:new-org/demo.git")
    assert [f for f in findings(root) if f["code"].startswith("PD2")] == []
