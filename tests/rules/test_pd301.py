"""PD301 non-conventional-commit: commits since the last release the release tool cannot read."""

from __future__ import annotations

from pathlib import Path

from conftest import check, findings, git
from history_repo import PSR, commit, repo


def pd301(root: Path) -> list[dict]:
    return [f for f in findings(root, "--select", "PD301")]


def test_each_unreadable_commit_is_named_by_sha_and_subject(tmp_path: Path) -> None:
    root = repo(tmp_path / "r", {"pyproject.toml": PSR}, [("feat: first", "v1.0.0"), "fix: fine"])
    bad = commit(root, "Update the docs")
    wrong_case = commit(root, "Fix: crash on start")
    found = pd301(root)
    # history order (newest first, as `git log` shows them), not the order of the hashes
    assert [f["location"]["commit"] for f in found] == [wrong_case[:7], bad[:7]]
    by_commit = {f["location"]["commit"]: f for f in found}
    assert f'"Update the docs" ({bad[:7]}, since v1.0.0)' in by_commit[bad[:7]]["message"]
    assert "rule 1" in by_commit[bad[:7]]["message"]
    assert "case-sensitively" in by_commit[wrong_case[:7]]["message"]
    assert all(f["location"]["path"] is None and f["severity"] == "warning" for f in found)


def test_text_output_points_at_the_commit(tmp_path: Path) -> None:
    root = repo(tmp_path / "r", {"pyproject.toml": PSR}, [("feat: first", "v1.0.0")])
    sha = commit(root, "wip")
    result = check(root, "--select", "PD301")
    assert f"commit {sha[:7]}: PD301 [non-conventional-commit]" in result.output


def test_commits_before_the_release_and_merges_are_not_reported(tmp_path: Path) -> None:
    root = repo(tmp_path / "r", {"pyproject.toml": PSR}, ["Initial import", ("feat: first", "v1.0.0")])
    git(root, "switch", "-q", "-c", "topic")
    commit(root, "fix: on a branch")
    git(root, "switch", "-q", "main")
    commit(root, "docs: on main")
    git(root, "merge", "-q", "--no-ff", "--no-edit", "topic")
    assert pd301(root) == []


def test_no_release_tool_no_finding(tmp_path: Path) -> None:
    root = repo(tmp_path / "r", {"pyproject.toml": "[project]\nname = 'x'\n"},
                [("feat: first", "v1.0.0"), "Update stuff"])
    assert pd301(root) == []


def test_many_commits_are_summed_up(tmp_path: Path) -> None:
    root = repo(tmp_path / "r", {"pyproject.toml": PSR}, [("feat: first", "v1.0.0")])
    for number in range(25):
        commit(root, f"change {number}")
    found = pd301(root)
    assert len(found) == 21
    assert sum("and 5 more commits since v1.0.0" in f["message"] for f in found) == 1


def test_commitizen_reads_other_types_than_psr(tmp_path: Path) -> None:
    pyproject = '[project]\nname = "demo"\nversion = "1.0.0"\n[tool.commitizen]\ntag_format = "v$version"\n'
    root = repo(tmp_path / "r", {"pyproject.toml": pyproject},
                [("feat: first", "v1.0.0"), "revert: undo", 'Revert "feat: first"'])
    assert pd301(root) == []  # cz knows `revert`, and lets git's revert messages through
    bad = commit(root, "wip: halfway")
    assert [f["location"]["commit"] for f in pd301(root)] == [bad[:7]]


def test_not_a_repository_is_a_note_not_a_traceback(write_repo) -> None:
    root = write_repo({"pyproject.toml": PSR})
    result = check(root, "--select", "PD3")
    assert result.exit_code == 0
    assert "not in a git repository" in result.output


def test_not_a_repository_without_release_tool_says_nothing(write_repo) -> None:
    root = write_repo({"pyproject.toml": '[project]\nname = "x"\nversion = "1.0"\n'}, name="plain")
    result = check(root, "--select", "PD3")
    assert result.exit_code == 0 and "git repository" not in result.output


def test_git_revert_messages_are_named_as_such(tmp_path: Path) -> None:
    """`git revert` writes `Revert "fix(x): y"`: the reason says so, not that a scope is wrong."""
    root = repo(tmp_path / "r", {"pyproject.toml": PSR},
                [("feat: first", "v1.0.0"), 'Revert "fix(toml): change the prefix"\n\nThis reverts commit 1234567.'])
    message = findings(root, "--select", "PD301")[0]["message"]
    assert "git's default revert message" in message and "scope" not in message
