"""PD302 nothing-to-release: nothing since the last release bumps the version."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import findings, git
from history_repo import PSR, commit, repo


def pd302(root: Path) -> list[dict]:
    return findings(root, "--select", "PD302")


def test_only_chores_and_docs_since_the_release(tmp_path: Path) -> None:
    root = repo(tmp_path / "r", {"pyproject.toml": PSR},
                [("feat: first", "v1.2.0"), "docs: readme", "chore: deps", "Update stuff"])
    head = git(root, "rev-parse", "HEAD").strip()
    found = pd302(root)
    assert len(found) == 1
    assert found[0]["location"]["commit"] == head[:7]
    message = found[0]["message"]
    assert "none of the 3 commits since v1.2.0" in message
    assert "1 docs" in message and "1 chore" in message and "1 unreadable" in message
    assert "would release 1.2.1" in message and "`feat` commit 1.3.0" in message and "2.0.0" in message
    assert "semantic-release version --patch" in found[0]["fix"]


def test_a_fix_makes_a_release(tmp_path: Path) -> None:
    root = repo(tmp_path / "r", {"pyproject.toml": PSR}, [("feat: first", "v1.2.0"), "docs: x", "fix: y"])
    assert pd302(root) == []


def test_head_is_the_release(tmp_path: Path) -> None:
    root = repo(tmp_path / "r", {"pyproject.toml": PSR}, ["chore: setup", ("feat: first", "v1.2.0")])
    assert pd302(root) == []


def test_first_release_is_said_and_shallow_clones_are_not_judged(tmp_path: Path) -> None:
    """Without a tag, python-semantic-release 10 (allow_zero_version false) makes 1.0.0 from any
    history: PD302 says so as a note; with allow_zero_version, only docs make no release, and an
    ordinary first release is what the user asked for: nothing is said."""
    root = repo(tmp_path / "r", {"pyproject.toml": PSR}, ["docs: only docs"])
    found = pd302(root)
    assert [f["severity"] for f in found] == ["info"]
    assert "first release, 1.0.0" in found[0]["message"] and "allow_zero_version" in found[0]["message"]
    zero = repo(tmp_path / "z", {"pyproject.toml": PSR + "allow_zero_version = true\n"}, ["docs: only docs"])
    found = pd302(zero)
    assert [f["severity"] for f in found] == ["warning"]
    assert "since the start of the history (no release tag yet)" in found[0]["message"]
    assert "would release 0.0.1" in found[0]["message"]
    commit(zero, "feat: first feature")
    assert pd302(zero) == []
    origin = repo(tmp_path / "o", {"pyproject.toml": PSR}, [("feat: first", "v1.0.0"), "docs: x"])
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{origin}", str(clone))
    assert pd302(clone) == []


def test_release_please_visible_sections_release(tmp_path: Path) -> None:
    root = repo(tmp_path / "r", {".release-please-manifest.json": '{".": "1.0.0"}'},
                [("feat: first", "v1.0.0"), "chore: deps"])
    assert len(pd302(root)) == 1
    commit(root, "perf: faster")
    assert pd302(root) == []


def test_major_on_zero_false(tmp_path: Path) -> None:
    pyproject = PSR + "allow_zero_version = true\nmajor_on_zero = false\n"
    root = repo(tmp_path / "r", {"pyproject.toml": pyproject}, [("feat: first", "v0.3.0"), "ci: x"])
    assert "a breaking change 0.4.0" in pd302(root)[0]["message"]


def test_psr_10_releases_1_0_0_from_0_x(tmp_path: Path) -> None:
    """python-semantic-release 10 (allow_zero_version false by default) releases 1.0.0 from a
    0.x tag even when no commit bumps: not "no release"."""
    root = repo(tmp_path / "r", {"pyproject.toml": PSR}, [("feat: first", "v0.3.0"), "ci: x"])
    found = pd302(root)
    assert [f["severity"] for f in found] == ["info"]
    assert "will release 1.0.0 after v0.3.0" in found[0]["message"]
    assert "allow_zero_version = true" in found[0]["fix"]


def test_commitizen_commits_are_counted_by_type(tmp_path: Path) -> None:
    """commitizen reads `docs:` and `style:` (they match its schema) but bumps nothing for them:
    the summary names their types, not "unreadable"."""
    pyproject = ('[project]\nname = "demo"\nversion = "1.2.0"\n\n[tool.commitizen]\n'
                 'name = "cz_conventional_commits"\nversion = "1.2.0"\n')
    root = repo(tmp_path / "r", {"pyproject.toml": pyproject},
                [("feat: init", "1.2.0"), "docs(README): add badge", "style: ruff format", "Update x"])
    message = pd302(root)[0]["message"]
    assert "1 docs" in message and "1 style" in message and "1 unreadable" in message


def test_release_please_patch_types_leave_out_feat(tmp_path: Path) -> None:
    """release-please releases on every visible section; `feat` is its minor type, so it is
    not offered as a patch one."""
    root = repo(tmp_path / "r", {".release-please-manifest.json": '{".": "0.4.0"}'},
                [("feat: first", "v0.4.0"), "chore: deps", "docs: link"])
    message = pd302(root)[0]["message"]
    assert "a `fix` or `perf` or `revert` or `deps` commit would release 0.4.1" in message
    assert "a `feat` commit 0.5.0" in message


def test_release_please_monorepo_packages_are_not_judged(tmp_path: Path) -> None:
    """With packages in folders, release-please reads for each package the commits touching
    its folder since its own tag: a `feat` before another package's newer tag still releases."""
    config = ('{"release-type": "python", "include-component-in-tag": true, "packages": '
              '{"packages/a": {"component": "a"}, "packages/b": {"component": "b"}}}')
    root = repo(tmp_path / "r", {"release-please-config.json": config},
                [("chore: release a 1.1.0", "a-v1.1.0"), "feat(a): folders",
                 ("chore: release b 3.8.0", "b-v3.8.0"), "chore: regenerate"])
    assert pd302(root) == []
    single = '{"packages": {".": {"release-type": "python"}}}'
    root = repo(tmp_path / "s", {"release-please-config.json": single},
                [("feat: first", "v1.0.0"), "chore: regenerate"])
    assert len(pd302(root)) == 1


def test_psr_counts_commits_since_the_last_full_release(tmp_path: Path) -> None:
    """A `feat` released only as 1.1.0-rc.1 still makes PSR release 1.1.0 from the main branch
    (it reads the commits since the latest non-prerelease tag)."""
    root = repo(tmp_path / "r", {"pyproject.toml": PSR},
                [("feat: first", "v1.0.0"), ("feat: second", "v1.1.0-rc.1"), "chore: deps"])
    assert pd302(root) == []
    commit(root, "chore: more", tag="v1.1.0")
    commit(root, "docs: readme")
    assert "since v1.1.0 " in pd302(root)[0]["message"]


def test_commitizen_tag_format_that_misses_the_tags(tmp_path: Path) -> None:
    """commitizen's default tag_format is `$version`: with `v0.1.0` tags it finds no tag for its
    current version and reads the whole history (cz bump --yes takes it for the first tag)."""
    pyproject = ('[project]\nname = "demo"\nversion = "0.1.0"\n\n[tool.commitizen]\n'
                 'version = "0.1.0"\n')
    root = repo(tmp_path / "r", {"pyproject.toml": pyproject}, [("feat: init", "v0.1.0"), "fix: b"])
    found = pd302(root)
    assert [f["severity"] for f in found] == ["warning"]
    assert "finds no tag for its current version 0.1.0" in found[0]["message"]
    assert "`v0.1.0`" in found[0]["message"] and "will release 0.2.0" in found[0]["message"]
    assert "v$version" in found[0]["fix"]


RELEASE_ON = """
on:
  push:
    branches: [{branch}]
jobs:
  release:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
      - {step}
"""


@pytest.mark.parametrize("step, config, branch, fires", [
    ("uses: python-semantic-release/python-semantic-release@v10", "", "develop", True),
    ("uses: python-semantic-release/python-semantic-release@v10", "", "main", False),
    ("uses: python-semantic-release/python-semantic-release@v10",
     '[tool.semantic_release.branches.dev]\nmatch = "develop"\n', "develop", False),
    ("run: npx semantic-release", None, "trunk", True),
    ("run: npx semantic-release", None, "next", False),
    ("uses: python-semantic-release/python-semantic-release@v10", "", "'release/*'", False),
])
def test_workflow_runs_the_tool_on_a_branch_it_does_not_release_from(
        tmp_path: Path, step: str, config: str | None, branch: str, fires: bool) -> None:
    files = {".github/workflows/release.yml": RELEASE_ON.format(branch=branch, step=step)}
    if config is not None:
        files["pyproject.toml"] = PSR + config
    root = repo(tmp_path / "r", files, [("feat: first", "v1.2.0"), "fix: x"])
    found = [f for f in pd302(root) if "match none" in f["message"]]
    assert len(found) == (1 if fires else 0), found
    if fires:
        assert found[0]["location"]["path"] == ".github/workflows/release.yml"
        assert found[0]["severity"] == "warning"
