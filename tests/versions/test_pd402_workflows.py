"""PD402 on versions the workflow itself decides: a version from git tags uploaded on branch
pushes under a condition that admits branches and tags, and a version with a local label (or
`git describe` output) written by the workflow before it builds."""

from __future__ import annotations

import pytest
from conftest import at, findings, git

SCM = """
[build-system]
requires = ["setuptools>=64", "setuptools-scm>=8"]
build-backend = "setuptools.build_meta"

[project]
name = "demo"
dynamic = ["version"]
"""
PDV = """
[build-system]
requires = ["poetry-core", "poetry-dynamic-versioning"]
build-backend = "poetry_dynamic_versioning.backend"

[tool.poetry]
name = "demo"
version = "0.0.0"

[tool.poetry-dynamic-versioning]
enable = true
"""
STATIC = '[project]\nname = "demo"\nversion = "1.2.0"\n'
BOTH = "  push:\n    branches: [master]\n    tags: ['v*']"
WF = ".github/workflows/release.yml"


def workflow(on: str, steps: str, job_if: str = "") -> str:
    condition = f"\n    if: {job_if}" if job_if else ""
    return f"""on:
{on}
jobs:
  publish:
    runs-on: ubuntu-latest{condition}
    permissions:
      id-token: write
    steps:
      - uses: actions/checkout@v4
{steps}
      - uses: pypa/gh-action-pypi-publish@release/v1
"""


@pytest.mark.parametrize("pyproject", [SCM, PDV])
@pytest.mark.parametrize("job_if", [
    "github.ref == 'refs/heads/master' || startsWith(github.ref, 'refs/tags/')",
    "${{ github.event_name == 'push' }}",
    "",
])
def test_vcs_version_with_a_condition_admitting_branch_pushes(write_repo, pyproject: str,
                                                              job_if: str) -> None:
    root = write_repo({"pyproject.toml": pyproject, WF: workflow(BOTH, "", job_if)}, init_git=True)
    assert at(findings(root), "PD402") == [(WF, 1, 1)]


@pytest.mark.parametrize("job_if", [
    "startsWith(github.ref, 'refs/tags/')",
    "github.ref_type == 'tag'",
    "github.ref == 'refs/heads/release'",  # never the pushed branch (only master is)
    "needs.check.outputs.release == 'true'",  # undecidable: the benefit of the doubt
])
def test_vcs_version_with_a_condition_keeping_branches_out(write_repo, job_if: str) -> None:
    root = write_repo({"pyproject.toml": SCM, WF: workflow(BOTH, "", job_if)}, init_git=True)
    assert at(findings(root), "PD402") == []


def test_poetry_dynamic_versioning_without_metadata_false(write_repo) -> None:
    root = write_repo({"pyproject.toml": PDV + "metadata = false\n", WF: workflow(BOTH, "")},
                      init_git=True)
    assert at(findings(root), "PD402") == []


@pytest.mark.parametrize("steps", [
    '      - run: uv version "1.2.1.dev${{ github.run_number }}+${GITHUB_SHA::7}"',
    "      - run: poetry version $(git describe --tags)",
    '      - run: hatch version "$(git describe --tags | sed s/-/+/)"',
    '      - run: |\n          V="1.2.1+$(git rev-parse --short HEAD)"\n'
    '          sed -i "s/^version = .*/version = \\"$V\\"/" pyproject.toml',
    '      - run: echo "VERSION=$(git describe --tags)" >> "$GITHUB_ENV"\n'
    "      - run: uv version ${{ env.VERSION }}",
])
def test_a_local_version_written_by_the_workflow_on_branch_pushes(write_repo, steps: str) -> None:
    root = write_repo({"pyproject.toml": STATIC, WF: workflow("  push:\n    branches: [main]", steps)})
    found = [f for f in findings(root) if f["code"] == "PD402"]
    assert len(found) == 1 and found[0]["severity"] == "error"
    assert found[0]["location"]["path"] == WF and "writes the version with" in found[0]["message"]


@pytest.mark.parametrize("on, steps", [
    # on tags `git describe` gives the tag itself
    ("  push:\n    tags: ['v*']", "      - run: poetry version $(git describe --tags)"),
    # no `+`: a dev release the index accepts
    ("  push:\n    branches: [main]", '      - run: uv version "1.2.1.dev${{ github.run_number }}"'),
    ("  push:\n    branches: [main]", "      - run: poetry version $(git describe --tags --abbrev=0)"),
    # a `+` in a sed pattern is a regular expression, not the version
    ("  push:\n    branches: [main]", "      - run: sed -E -i 's/version = [0-9]+/version = 2/' setup.cfg"),
    ("  push:\n    branches: [main]", "      - run: uv version --bump patch"),
])
def test_versions_the_index_accepts_pass(write_repo, on: str, steps: str) -> None:
    root = write_repo({"pyproject.toml": STATIC, WF: workflow(on, steps)})
    assert at(findings(root), "PD402") == []


def test_a_write_in_a_job_the_upload_needs(write_repo) -> None:
    root = write_repo({"pyproject.toml": STATIC, WF: """
        on:
          push:
            branches: [main]
        jobs:
          build:
            runs-on: ubuntu-latest
            steps:
              - run: uv version "$(uv version --short)+${{ github.sha }}"
              - run: uv build
          publish:
            needs: build
            runs-on: ubuntu-latest
            permissions:
              id-token: write
            steps:
              - uses: pypa/gh-action-pypi-publish@release/v1
    """})
    assert at(findings(root), "PD402") == [(WF, 8, 9)]


@pytest.mark.parametrize("setup_py, reported", [
    ("from setuptools import setup\nsetup(name='demo', use_scm_version=True)\n", True),
    ("from setuptools import setup\nsetup(use_scm_version={'local_scheme': 'no-local-version'})\n", False),
    ("from setuptools import setup\nsetup(name='demo', version='1.0')\n", False),
])
def test_setup_py_use_scm_version_published_from_branches(write_repo, setup_py: str,
                                                          reported: bool) -> None:
    root = write_repo({"setup.py": setup_py, WF: workflow("  push:\n    branches: [main]", "")})
    assert at(findings(root), "PD402") == ([(WF, 1, 1)] if reported else [])
