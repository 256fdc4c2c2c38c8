"""`Git` answers the first questions of every source from one ``rev-parse``, and starts no git
outside a repository: each answer is checked against what real git says in real repositories."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import git
from history_repo import commit, init
from pubdoctor.sources import gitcli
from pubdoctor.sources.gitcli import Git, outside_any_repository, run_git

PROBED = list(gitcli._PROBED)


def _real(root: Path, args: tuple[str, ...]) -> tuple[int, str]:
    result = run_git(root, *args)
    return result.returncode, result.stdout


def _states(tmp_path: Path) -> dict[str, Path]:
    """Repositories in the states a check meets: on a branch, detached, no commit yet, a
    sub-folder, a shallow clone."""
    branch = init(tmp_path / "branch")
    commit(branch, "feat: one", tag="v1.0.0")
    commit(branch, "fix: two")
    detached = init(tmp_path / "detached")
    commit(detached, "feat: one")
    commit(detached, "fix: two")
    git(detached, "checkout", "-q", "--detach", "HEAD~1")
    unborn = init(tmp_path / "unborn")
    sub = branch / "pkg"
    sub.mkdir()
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{branch}", str(shallow))
    return {"branch": branch, "detached": detached, "unborn": unborn, "sub": sub, "shallow": shallow}


def test_probed_answers_are_gits_own(tmp_path: Path) -> None:
    for state, root in _states(tmp_path).items():
        probed = Git(root)
        for args in PROBED:
            answer = probed(*args)
            assert (answer.returncode, answer.stdout) == _real(root, args), (state, args)


def test_one_process_answers_every_probed_question(tmp_path: Path, monkeypatch) -> None:
    root = init(tmp_path / "repo")
    commit(root, "feat: one", tag="v1.0.0")
    started: list[tuple[str, ...]] = []
    real = gitcli.run_git

    def counting(folder: Path, *args: str, **kwargs):
        started.append(args)
        return real(folder, *args, **kwargs)

    monkeypatch.setattr(gitcli, "run_git", counting)
    cli = Git(root)
    for args in PROBED:
        cli(*args)
    assert started == [gitcli.PROBE]


def test_no_git_outside_any_repository(tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / "plain" / "project"
    folder.mkdir(parents=True)
    if not outside_any_repository(folder):
        pytest.skip("the temporary folder is inside a git repository here")

    def refuse(*args, **kwargs):
        raise AssertionError(f"git was started: {args}")

    monkeypatch.setattr(gitcli, "run_git", refuse)
    cli = Git(folder)
    for args in [*PROBED, ("describe", "--tags"), ("for-each-ref", "refs/tags"), ("status",)]:
        answer = cli(*args)
        assert answer.returncode == 128
        assert "not a git repository" in answer.stderr
    # ... and it is what git itself says there
    assert "not a git repository" in subprocess.run(
        ["git", "-C", str(folder), "rev-parse", "--show-toplevel"], capture_output=True,
        text=True, check=False, env=gitcli.git_environment()).stderr


def test_a_git_entry_anywhere_above_lets_git_decide(tmp_path: Path) -> None:
    root = init(tmp_path / "repo")
    deep = root / "a" / "b"
    deep.mkdir(parents=True)
    assert not outside_any_repository(deep)
    # a worktree or submodule has a `.git` file, not a folder
    linked = tmp_path / "linked"
    linked.mkdir()
    (linked / ".git").write_text("gitdir: /nowhere\n", encoding="utf-8")
    assert not outside_any_repository(linked)
    # a symbolic link into a repository: git works in the real path
    link = tmp_path / "link"
    link.symlink_to(deep, target_is_directory=True)
    assert not outside_any_repository(link)
