"""The history source on real repositories: tags, merges, shallow clones, detached HEAD,
empty repositories and folders that are not repositories."""

from __future__ import annotations

from pathlib import Path

import pytest
from packaging.version import Version

from conftest import git
from history_repo import commit, init, repo
from pubdoctor.context import SourceUnavailable
from pubdoctor.sources.history import load_history, tag_version


def test_tag_versions() -> None:
    assert tag_version("v1.2.3") == Version("1.2.3")
    assert tag_version("1.2.3") == Version("1.2.3")
    assert tag_version("v1.2.3-rc.1") == Version("1.2.3rc1")
    assert tag_version("latest") is None
    assert tag_version("release-1.0") is None
    assert tag_version("demo-v2.0.0", ("*-v{version}",)) == Version("2.0.0")
    assert tag_version("v2.0.0", ("release/{version}",)) is None
    assert tag_version("release/2.0.0", ("release/{version}",)) == Version("2.0.0")


def test_commits_since_last_release_tag_only(tmp_path: Path) -> None:
    root = repo(tmp_path / "r", {"a.txt": "a"}, [
        ("feat: one", "v1.0.0"), "fix: two", ("feat: three", "v1.1.0"), "docs: four", "chore: five",
    ])
    git(root, "tag", "nightly")  # not a release tag
    history = load_history(root)
    assert history.last_release is not None and history.last_release.name == "v1.1.0"
    assert [c.subject for c in history.commits] == ["chore: five", "docs: four"]
    assert {t.name for t in history.release_tags} == {"v1.0.0", "v1.1.0"}
    assert "nightly" in {t.name for t in history.tags}
    assert history.branch == "main" and not history.detached and not history.shallow
    assert not history.head_is_release


def test_highest_reachable_version_wins_and_unreachable_tags_are_ignored(tmp_path: Path) -> None:
    root = repo(tmp_path / "r", {"a.txt": "a"}, [("feat: one", "v1.0.0")])
    git(root, "switch", "-q", "-c", "other")
    commit(root, "feat: elsewhere", tag="v9.0.0")
    git(root, "switch", "-q", "main")
    commit(root, "fix: here")
    history = load_history(root)
    assert history.last_release.name == "v1.0.0"
    assert [c.subject for c in history.commits] == ["fix: here"]


def test_annotated_tags_are_peeled(tmp_path: Path) -> None:
    root = init(tmp_path / "r", {"a.txt": "a"})
    sha = commit(root, "feat: one", tag="v0.1.0", annotated=True)
    history = load_history(root)
    assert history.last_release.sha == sha
    assert history.head_is_release and history.commits == []


def test_merge_commits_are_marked(tmp_path: Path) -> None:
    root = repo(tmp_path / "r", {"a.txt": "a"}, [("feat: one", "v1.0.0")])
    git(root, "switch", "-q", "-c", "topic")
    commit(root, "fix: on topic")
    git(root, "switch", "-q", "main")
    commit(root, "docs: on main")
    git(root, "merge", "-q", "--no-ff", "--no-edit", "topic")
    history = load_history(root)
    merges = [c for c in history.commits if c.is_merge]
    assert [c.subject for c in merges] == ["Merge branch 'topic'"]
    assert len(history.commits) == 3


def test_tag_format_of_the_tool_decides_release_tags(tmp_path: Path) -> None:
    root = repo(tmp_path / "r", {"a.txt": "a"}, [("feat: one", "v1.0.0"), ("fix: two", "pkg-2.0.0"),
                                                 "fix: three"])
    history = load_history(root, ("pkg-{version}",))
    assert history.last_release.name == "pkg-2.0.0"
    assert [c.subject for c in history.commits] == ["fix: three"]


def test_no_tags_reads_every_commit(tmp_path: Path) -> None:
    root = repo(tmp_path / "r", {"a.txt": "a"}, ["feat: one", "fix: two"])
    history = load_history(root)
    assert history.last_release is None and history.tags == []
    assert len(history.commits) == 2


def test_empty_repository(tmp_path: Path) -> None:
    root = init(tmp_path / "r")
    history = load_history(root)
    assert history.empty and history.commits == [] and history.last_release is None


def test_not_a_repository(tmp_path: Path) -> None:
    folder = tmp_path / "plain"
    folder.mkdir()
    with pytest.raises(SourceUnavailable) as info:
        load_history(folder)
    assert "not in a git repository" in str(info.value) and info.value.level == "note"


def test_shallow_clone_without_tags_is_skipped_with_a_note(tmp_path: Path) -> None:
    origin = repo(tmp_path / "origin", {"a.txt": "a"}, [("feat: one", "v1.0.0"), "fix: two", "fix: three"])
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", "--no-tags", f"file://{origin}", str(clone))
    with pytest.raises(SourceUnavailable) as info:
        load_history(clone)
    assert "shallow clone" in str(info.value) and info.value.level == "note"


def test_shallow_clone_that_has_the_tag(tmp_path: Path) -> None:
    origin = repo(tmp_path / "origin", {"a.txt": "a"}, [("feat: one", "v1.0.0"), "fix: two", "fix: three"])
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "3", f"file://{origin}", str(clone))
    history = load_history(clone)
    assert history.shallow
    assert history.last_release.name == "v1.0.0"
    assert [c.subject for c in history.commits] == ["fix: three", "fix: two"]


def test_detached_head(tmp_path: Path) -> None:
    root = repo(tmp_path / "r", {"a.txt": "a"}, [("feat: one", "v1.0.0"), "fix: two", "fix: three"])
    git(root, "checkout", "-q", "--detach", "HEAD~1")
    history = load_history(root)
    assert history.detached and history.branch is None
    assert [c.subject for c in history.commits] == ["fix: two"]


def test_subfolder_of_a_repository(tmp_path: Path) -> None:
    root = repo(tmp_path / "r", {"pkg/a.txt": "a"}, [("feat: one", "v1.0.0"), "fix: two"])
    history = load_history(root / "pkg")
    assert history.last_release.name == "v1.0.0" and len(history.commits) == 1


def test_tag_of_a_tree_is_not_a_release(tmp_path: Path) -> None:
    root = repo(tmp_path / "r", {"a.txt": "a"}, [("feat: one", "v1.0.0"), "fix: two"])
    tree = git(root, "rev-parse", "HEAD^{tree}").strip()
    git(root, "tag", "v9.9.9", tree)
    history = load_history(root)
    assert history.last_release.name == "v1.0.0" and len(history.commits) == 1


def test_broken_tag_ref_is_ignored(tmp_path: Path) -> None:
    root = repo(tmp_path / "r", {"a.txt": "a"}, [("feat: one", "v1.0.0"), "fix: two"])
    (root / ".git" / "refs" / "tags" / "v1.0.0").write_text("not a sha\n")
    history = load_history(root)  # git warns "ignoring broken ref"; no traceback
    assert history.last_release is None and len(history.commits) == 2


def test_corrupt_repository_gives_no_traceback(tmp_path: Path) -> None:
    root = repo(tmp_path / "r", {"a.txt": "a"}, [("feat: one", "v1.0.0"), "fix: two"])
    for obj in (root / ".git" / "objects").rglob("*"):
        if obj.is_file():
            obj.chmod(0o644)
            obj.write_bytes(b"garbage")
    try:
        history = load_history(root)  # gitpython sees no valid HEAD: read as no commits
    except SourceUnavailable as exc:
        assert "history rules were skipped" in str(exc)
    else:
        assert history.commits == [] and history.last_release is None


def test_without_messages_the_commits_are_only_counted(tmp_path: Path) -> None:
    root = repo(tmp_path / "r", {"a.txt": "a"}, [("feat: one", "v1.0.0"), "fix: two", "fix: three"])
    history = load_history(root, messages=False)
    assert len(history.commits) == 2 and {c.message for c in history.commits} == {""}
    assert history.last_release.name == "v1.0.0"


def test_final_only_skips_pre_releases(tmp_path: Path) -> None:
    """python-semantic-release reads the commits since the latest full release: a pre-release
    tag in between does not hide the commits before it."""
    root = repo(tmp_path / "r", {"a.txt": "a"}, [
        ("feat: one", "v1.0.0"), ("feat: two", "v1.1.0-rc.1"), "chore: three"])
    assert load_history(root).last_release.name == "v1.1.0-rc.1"
    history = load_history(root, final_only=True)
    assert history.last_release.name == "v1.0.0"
    assert [c.subject for c in history.commits] == ["chore: three", "feat: two"]


def test_messages_holding_control_characters_keep_their_commit(tmp_path: Path) -> None:
    """A message may hold any character but NUL (pasted logs carry \\x1e and \\x1f): the
    commits are still told apart, each with its own sha and message."""
    root = repo(tmp_path / "r", {"a.txt": "a"}, [("feat: one", "v1.0.0")])
    sha = commit(root, "docs: a \x1e record \x1f unit")
    after = commit(root, "fix: two")
    history = load_history(root)
    assert [(c.sha, c.subject) for c in history.commits] == [
        (after, "fix: two"), (sha, "docs: a \x1e record \x1f unit")]
    assert [c.sha for c in load_history(root, messages=False).commits] == [after, sha]
