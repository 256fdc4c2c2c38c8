"""PD304 version-not-bumped: the static version is not above the last release tag."""

from __future__ import annotations

from pathlib import Path

from conftest import at, findings
from history_repo import PSR, repo
from package_layouts import HATCH


def project(version: str) -> str:
    return f'[project]\nname = "demo"\nversion = "{version}"\n'


PUBLISH_ON_PUSH = """
    on:
      push:
        branches: [main]
    jobs:
      publish:
        runs-on: ubuntu-latest
        permissions:
          id-token: write
        steps:
          - uses: pypa/gh-action-pypi-publish@release/v1
"""
PUBLISH_ON_TAG = PUBLISH_ON_PUSH.replace("branches: [main]", "tags: ['v*']")


def test_version_below_the_last_tag(tmp_path: Path) -> None:
    root = repo(tmp_path / "r", {"pyproject.toml": project("1.1.0")},
                [("feat: one", "v1.2.0"), "fix: two"])
    found = findings(root, "--select", "PD304")
    assert at(found, "PD304") == [("pyproject.toml", 3, 1)]
    assert "lower than the last release tag v1.2.0" in found[0]["message"]
    assert found[0]["severity"] == "error"


def test_same_version_published_from_branch_pushes(tmp_path: Path) -> None:
    files = {"pyproject.toml": project("1.2.0"), ".github/workflows/release.yml": PUBLISH_ON_PUSH}
    root = repo(tmp_path / "r", files, [("feat: one", "v1.2.0"), "fix: two"])
    found = findings(root, "--select", "PD304")
    assert at(found, "PD304") == [("pyproject.toml", 3, 1)]
    assert found[0]["severity"] == "warning" and "File already exists" in found[0]["message"]


def test_same_version_published_on_tags_only_is_the_normal_cycle(tmp_path: Path) -> None:
    files = {"pyproject.toml": project("1.2.0"), ".github/workflows/release.yml": PUBLISH_ON_TAG}
    root = repo(tmp_path / "r", files, [("feat: one", "v1.2.0"), "fix: two"])
    assert at(findings(root, "--select", "PD304"), "PD304") == []


def test_bumped_version_and_release_tools_pass(tmp_path: Path) -> None:
    root = repo(tmp_path / "a", {"pyproject.toml": project("1.3.0")}, [("feat: one", "v1.2.0"), "fix: x"])
    assert at(findings(root, "--select", "PD304"), "PD304") == []
    root = repo(tmp_path / "b", {"pyproject.toml": PSR}, [("feat: one", "v1.2.0"), "fix: x"])
    assert at(findings(root, "--select", "PD304"), "PD304") == []  # PSR writes the version


def test_poetry_version_location(tmp_path: Path) -> None:
    pyproject = '[tool.poetry]\nname = "demo"\nversion = "0.9.0"\n'
    root = repo(tmp_path / "r", {"pyproject.toml": pyproject}, [("feat: one", "1.0.0")])
    assert at(findings(root, "--select", "PD304"), "PD304") == [("pyproject.toml", 3, 1)]


def test_package_in_a_subfolder_is_not_judged(tmp_path: Path) -> None:
    root = repo(tmp_path / "r", {"pkg/pyproject.toml": project("0.1.0")}, [("feat: one", "v2.0.0")])
    assert at(findings(root / "pkg", "--select", "PD304"), "PD304") == []
    assert at(findings(root, "--select", "PD304"), "PD304") == []  # no pyproject at the top


def test_poetry_dynamic_versioning_placeholder_is_not_judged(tmp_path: Path) -> None:
    """poetry-dynamic-versioning replaces `[tool.poetry].version` (by convention 0.0.0) when it
    builds, from the tag: the placeholder is below every tag and that is how it should be."""
    pyproject = ('[tool.poetry]\nname = "demo"\nversion = "0.0.0"\n\n'
                 '[tool.poetry-dynamic-versioning]\nenable = true\n')
    root = repo(tmp_path / "r", {"pyproject.toml": pyproject}, [("Initial", "v1.4.1"), "Fix #201"])
    assert at(findings(root, "--select", "PD304"), "PD304") == []
    disabled = pyproject.replace("enable = true", "enable = false")
    root = repo(tmp_path / "d", {"pyproject.toml": disabled}, [("Initial", "v1.4.1"), "Fix #201"])
    assert at(findings(root, "--select", "PD304"), "PD304") == [("pyproject.toml", 3, 1)]


MANUAL_RELEASE = """
    on:
      workflow_dispatch:
    jobs:
      bump:
        runs-on: ubuntu-latest
        steps:
          - run: {setter}
      publish:
        needs: bump
        runs-on: ubuntu-latest
        permissions:
          id-token: write
        steps:
          - run: uv build && uv publish
"""


def test_manual_release_of_the_tagged_version_is_reported(tmp_path: Path) -> None:
    # a dispatched run builds the commit as it is: the version of the last tag again
    workflow = MANUAL_RELEASE.format(setter="uv version --short")  # only prints the version
    files = {"pyproject.toml": project("1.2.0"), ".github/workflows/release.yml": workflow}
    root = repo(tmp_path / "r", files, [("feat: one", "v1.2.0"), "fix: two"])
    found = findings(root, "--select", "PD304")
    assert at(found, "PD304") == [("pyproject.toml", 3, 1)]
    assert "branch pushes or manual runs" in found[0]["message"]


def test_workflow_that_writes_the_version_is_not_judged(tmp_path: Path) -> None:
    for number, setter in enumerate(["uv version --bump patch", 'uv version "${NEW_VERSION}"',
                                     "poetry version minor", "hatch version 1.2.1"]):
        workflow = MANUAL_RELEASE.format(setter=setter)
        for version in ("1.2.0", "1.1.0"):  # the tag's, and one below it: the workflow sets it
            files = {"pyproject.toml": project(version), ".github/workflows/release.yml": workflow}
            root = repo(tmp_path / f"r{number}-{version}", files, [("feat: one", "v1.2.0"), "fix: two"])
            assert at(findings(root, "--select", "PD304"), "PD304") == [], setter


WORKSPACE_ROOT = '[project]\nname = "mono"\nversion = "0"\n\n[tool.uv.workspace]\nmembers = ["packages/*"]\n'
MEMBER = HATCH.format(name="mono-a", version="1.0.0")
PUBLISH_BUILT = """
    on:
      push:
        tags: ['v*']
    jobs:
      publish:
        runs-on: ubuntu-latest
        permissions:
          id-token: write
        steps:
          - uses: actions/checkout@v4
          - run: uv build BUILD
          - uses: pypa/gh-action-pypi-publish@release/v1
"""


def test_a_workspace_root_that_no_upload_sends_is_not_judged(tmp_path: Path) -> None:
    """`uv build --all-packages` uploads the members: the root's placeholder version is never
    published, and which member a repository-wide tag belongs to is not known."""
    files = {"pyproject.toml": WORKSPACE_ROOT, "packages/a/pyproject.toml": MEMBER,
             ".github/workflows/release.yml": PUBLISH_BUILT.replace("BUILD", "--all-packages")}
    root = repo(tmp_path / "r", files, [("feat: one", "v1.0.0"), "fix: two"])
    assert at(findings(root, "--select", "PD304"), "PD304") == []


def test_the_root_an_upload_sends_is_still_judged(tmp_path: Path) -> None:
    files = {"pyproject.toml": WORKSPACE_ROOT, "packages/a/pyproject.toml": MEMBER,
             ".github/workflows/release.yml": PUBLISH_BUILT.replace(" BUILD", "")}
    root = repo(tmp_path / "r", files, [("feat: one", "v1.0.0"), "fix: two"])
    assert at(findings(root, "--select", "PD304"), "PD304") == [("pyproject.toml", 3, 1)]
