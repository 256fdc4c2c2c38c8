"""PD303 shallow-checkout: a release tool or a git-tag version on a checkout without history."""

from __future__ import annotations

import pytest
from conftest import at, findings

HATCH_VCS = """
    [build-system]
    requires = ["hatchling", "hatch-vcs"]
    build-backend = "hatchling.build"

    [project]
    name = "demo"
    dynamic = ["version"]

    [tool.hatch.version]
    source = "vcs"
"""
STATIC = '[project]\nname = "demo"\nversion = "1.0.0"\n'
WF = ".github/workflows/release.yml"


def test_release_tool_without_fetch_depth(write_repo) -> None:
    root = write_repo({"pyproject.toml": STATIC, WF: """
        on:
          push:
            branches: [main]
        jobs:
          release:
            runs-on: ubuntu-latest
            permissions:
              contents: write
            steps:
              - uses: actions/checkout@v4
              - uses: python-semantic-release/python-semantic-release@v9
    """})
    found = findings(root, "--select", "PD303")
    assert at(found, "PD303") == [(WF, 10, 9)]
    assert "python-semantic-release" in found[0]["message"]
    assert "defaults to 1" in found[0]["message"]
    assert found[0]["severity"] == "error"


def test_vcs_version_build_on_branch_push_with_fetch_tags_only(write_repo) -> None:
    root = write_repo({"pyproject.toml": HATCH_VCS, WF: """
        on: [push, workflow_dispatch]
        jobs:
          build:
            runs-on: ubuntu-latest
            steps:
              - name: Checkout
                uses: actions/checkout@v4
                with:
                  fetch-tags: true
              - run: python -m build
              - uses: pypa/gh-action-pypi-publish@release/v1
    """})
    found = findings(root, "--select", "PD303")
    assert at(found, "PD303") == [(WF, 7, 9)]
    assert "hatch-vcs" in found[0]["message"] and "0.1.dev1+g<sha>" in found[0]["message"]
    assert "`fetch-tags: true` brings the tags but not the commits" in found[0]["message"]


def test_fetch_depth_zero_passes(write_repo) -> None:
    root = write_repo({"pyproject.toml": HATCH_VCS, WF: """
        on: push
        jobs:
          release:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
                with:
                  fetch-depth: 0
              - run: uv build
              - run: cz bump --yes
    """})
    assert at(findings(root, "--select", "PD303"), "PD303") == []


def test_unshallow_step_passes(write_repo) -> None:
    root = write_repo({"pyproject.toml": HATCH_VCS, WF: """
        on: push
        jobs:
          build:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
              - run: git fetch --prune --unshallow --tags
              - run: python -m build
    """})
    assert at(findings(root, "--select", "PD303"), "PD303") == []


def test_tag_triggered_build_checks_out_the_tag(write_repo) -> None:
    root = write_repo({"pyproject.toml": HATCH_VCS, WF: """
        on:
          push:
            tags: ["v*"]
          release:
            types: [published]
        jobs:
          build:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
              - run: python -m build
    """})
    assert at(findings(root, "--select", "PD303"), "PD303") == []


def test_static_version_and_release_please_need_no_history(write_repo) -> None:
    root = write_repo({"pyproject.toml": STATIC, WF: """
        on: push
        jobs:
          release:
            runs-on: ubuntu-latest
            steps:
              - uses: googleapis/release-please-action@v4
              - uses: actions/checkout@v4
              - run: python -m build
    """})
    assert at(findings(root, "--select", "PD303"), "PD303") == []


def test_fetch_depth_expression_is_not_guessed(write_repo) -> None:
    root = write_repo({"pyproject.toml": HATCH_VCS, WF: """
        on: push
        jobs:
          build:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
                with:
                  fetch-depth: ${{ inputs.depth }}
              - run: python -m build
    """})
    assert at(findings(root, "--select", "PD303"), "PD303") == []


def test_builds_that_are_never_uploaded_from_a_branch_pass(write_repo) -> None:
    """Like psf/black: built on every push and pull request, uploaded only on releases."""
    root = write_repo({"pyproject.toml": HATCH_VCS, WF: """
        on:
          release:
            types: published
          pull_request:
          push:
            branches: main
        jobs:
          build:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
              - run: cibuildwheel --print-build-identifiers
              - run: python -m hatch build
              - uses: actions/upload-artifact@v4
          publish:
            if: github.event_name == 'release'
            needs: build
            runs-on: ubuntu-latest
            permissions:
              id-token: write
            steps:
              - uses: actions/download-artifact@v4
              - uses: pypa/gh-action-pypi-publish@release/v1
    """})
    assert at(findings(root, "--select", "PD303"), "PD303") == []


def test_build_in_a_workflow_that_publishes_from_main(write_repo) -> None:
    root = write_repo({"pyproject.toml": HATCH_VCS, WF: """
        on:
          push:
            branches: [main]
        jobs:
          build:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
              - run: uv build
              - uses: actions/upload-artifact@v4
          publish:
            needs: build
            runs-on: ubuntu-latest
            steps:
              - uses: actions/download-artifact@v4
              - run: uv publish
    """})
    assert at(findings(root, "--select", "PD303"), "PD303") == [(WF, 8, 9)]


def test_pretend_version_needs_no_tags(write_repo) -> None:
    root = write_repo({"pyproject.toml": HATCH_VCS, WF: """
        on: push
        jobs:
          build:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
              - run: python -m build
                env:
                  SETUPTOOLS_SCM_PRETEND_VERSION: ${{ inputs.version }}
              - uses: pypa/gh-action-pypi-publish@release/v1
    """})
    assert at(findings(root, "--select", "PD303"), "PD303") == []


def test_installing_wheel_or_build_is_not_a_build(write_repo) -> None:
    # `pip install -U pip wheel build` installs tools; this job builds nothing from git tags
    root = write_repo({"pyproject.toml": HATCH_VCS, WF: """
        on: [push]
        jobs:
          lint:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
              - run: python -m pip install --upgrade pip wheel build twine
              - run: twine upload --skip-existing --repository-url https://pypi.example/ legacy/*
    """})
    assert at(findings(root, "--select", "PD303"), "PD303") == []


def test_rye_build_on_a_shallow_checkout(write_repo) -> None:
    # `rye build` runs the build backend like `python -m build`: hatch-vcs needs the tags
    checkout = """
        on: [push, workflow_dispatch]
        jobs:
          build:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
              - run: rye build --clean
              - uses: pypa/gh-action-pypi-publish@release/v1
    """
    root = write_repo({"pyproject.toml": HATCH_VCS, WF: checkout})
    assert at(findings(root, "--select", "PD303"), "PD303") == [(WF, 6, 9)]
    deep = checkout.replace("actions/checkout@v4", "actions/checkout@v4\n                with:\n"
                                                   "                  fetch-depth: 0")
    root = write_repo({"pyproject.toml": HATCH_VCS, WF: deep}, name="deep")
    assert at(findings(root, "--select", "PD303"), "PD303") == []


# -- actions and commands that wrap a version computation (documented to need the history) ------

WRAPPED = """
on:
  push:
    branches: [main]
jobs:
  tag:
    runs-on: ubuntu-latest
    permissions:
      contents: write
    steps:
      - uses: actions/checkout@v4{with_}
{step}
"""


@pytest.mark.parametrize("step, name", [
    ("      - uses: anothrNick/github-tag-action@1.67.0\n        env:\n          GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}",
     "github-tag-action"),
    ("      - uses: paulhatch/semantic-version@v5.4.0\n        id: version", "semantic-version"),
    ("      - uses: gittools/actions/gitversion/execute@v3", "GitVersion"),
    ("      - uses: orhun/git-cliff-action@v4\n        with:\n          args: --bumped-version", "git-cliff"),
    ("      - run: |\n          gh extension install koozz/gh-semver\n          gh semver -action", "gh-semver"),
])
def test_wrapper_on_a_shallow_checkout(write_repo, step: str, name: str) -> None:
    root = write_repo({".github/workflows/tag.yml": WRAPPED.format(with_="", step=step)})
    found = [f for f in findings(root, "--select", "PD303")]
    assert len(found) == 1 and name in found[0]["message"], found
    assert "computes the first version again" in found[0]["message"]
    deep = WRAPPED.format(with_="\n        with:\n          fetch-depth: 0", step=step)
    root = write_repo({".github/workflows/tag.yml": deep}, name="deep")
    assert findings(root, "--select", "PD303") == []


def test_api_based_version_actions_need_no_history(write_repo) -> None:
    """ietf-tools/semver-action and release-please ask the GitHub API, not the checkout."""
    step = "      - uses: ietf-tools/semver-action@v1\n        with:\n          token: ${{ github.token }}"
    root = write_repo({".github/workflows/tag.yml": WRAPPED.format(with_="", step=step)})
    assert findings(root, "--select", "PD303") == []
