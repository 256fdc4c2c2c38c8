"""PD306 (a release made with GITHUB_TOKEN starts no upload workflow) and PD307 (python-semantic-
release 8+ configured to upload)."""

from __future__ import annotations

import pytest
from conftest import at, findings

UPLOAD_ON_RELEASE = """
on:
  release:
    types: [published]
jobs:
  publish:
    runs-on: ubuntu-latest
    permissions:
      id-token: write
    steps:
      - uses: actions/checkout@v4
      - run: uv build
      - uses: pypa/gh-action-pypi-publish@release/v1
"""
UPLOAD_ON_TAGS = UPLOAD_ON_RELEASE.replace("  release:\n    types: [published]", "  push:\n    tags: ['v*']")


def release_workflow(steps: str, env: str = "") -> str:
    return f"""
on:
  push:
    branches: [main]
permissions:
  contents: write
  pull-requests: write
jobs:
  release:
    runs-on: ubuntu-latest{env}
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
{steps}
"""


RELEASE_PLEASE = "      - uses: googleapis/release-please-action@v4\n        with:\n          release-type: python\n"
GH_RELEASE = ('      - run: gh release create "v$VERSION" --generate-notes\n'
              "        env:\n          GH_TOKEN: ${{ github.token }}\n")
PSR = "      - uses: python-semantic-release/python-semantic-release@v10\n        with:\n          github_token: ${{ secrets.GITHUB_TOKEN }}\n"
GIT_PUSH = "      - run: |\n          git tag v1.2.3\n          git push origin --tags\n"
NPX = "      - run: npx semantic-release\n        env:\n          GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}\n"


def repo(write_repo, release: str, upload: str | None = UPLOAD_ON_RELEASE):
    files = {"pyproject.toml": '[project]\nname = "demo"\nversion = "1.0.0"\n',
             ".github/workflows/release.yml": release}
    if upload is not None:
        files[".github/workflows/publish.yml"] = upload
    return write_repo(files)


@pytest.mark.parametrize("steps, upload", [
    (RELEASE_PLEASE, UPLOAD_ON_RELEASE),
    (GH_RELEASE, UPLOAD_ON_RELEASE),
    (PSR, UPLOAD_ON_TAGS),
    (GIT_PUSH, UPLOAD_ON_TAGS),
    (NPX, UPLOAD_ON_RELEASE),
])
def test_default_token_release_starts_no_upload(write_repo, steps: str, upload: str) -> None:
    root = repo(write_repo, release_workflow(steps), upload)
    found = [f for f in findings(root, "--select", "PD306")]
    assert len(found) == 1, found
    assert found[0]["location"]["path"] == ".github/workflows/release.yml"
    assert "publish.yml" in found[0]["message"] and "GITHUB_TOKEN" in found[0]["message"]
    assert found[0]["severity"] == "error"


def test_git_push_of_tags_does_not_make_a_release_event(write_repo) -> None:
    """A pushed tag is a `push` event, not a `release`: a workflow on `release` is not woken by
    it anyway (and PD306 is about the token, not the event)."""
    root = repo(write_repo, release_workflow(GIT_PUSH), UPLOAD_ON_RELEASE)
    assert findings(root, "--select", "PD306") == []


@pytest.mark.parametrize("steps", [
    RELEASE_PLEASE.replace("release-type: python",
                           "release-type: python\n          token: ${{ secrets.RELEASE_PAT }}"),
    GH_RELEASE.replace("${{ github.token }}", "${{ steps.app.outputs.token }}"),
])
def test_own_token_is_silent(write_repo, steps: str) -> None:
    root = repo(write_repo, release_workflow(steps), UPLOAD_ON_RELEASE)
    assert findings(root, "--select", "PD306") == []


@pytest.mark.parametrize("credentials", ["token: ${{ secrets.PAT }}", "ssh-key: ${{ secrets.DEPLOY_KEY }}"])
def test_git_push_with_the_checkouts_own_credentials_is_silent(write_repo, credentials: str) -> None:
    workflow = release_workflow(GIT_PUSH).replace(
        "          fetch-depth: 0", f"          fetch-depth: 0\n          {credentials}")
    root = repo(write_repo, workflow, UPLOAD_ON_TAGS)
    assert findings(root, "--select", "PD306") == []


def test_nothing_listens_is_silent(write_repo) -> None:
    root = repo(write_repo, release_workflow(RELEASE_PLEASE), None)
    assert findings(root, "--select", "PD306") == []
    # an "upload" workflow that also runs on a branch push is started by that push
    on_both = UPLOAD_ON_RELEASE.replace("on:\n", "on:\n  push:\n    branches: [main]\n")
    root = repo(write_repo, release_workflow(RELEASE_PLEASE), on_both)
    assert findings(root, "--select", "PD306") == []


def test_upload_in_the_same_workflow_is_silent(write_repo) -> None:
    steps = RELEASE_PLEASE + """
  publish:
    needs: release
    runs-on: ubuntu-latest
    permissions:
      id-token: write
    steps:
      - run: uv build
      - uses: pypa/gh-action-pypi-publish@release/v1
"""
    root = repo(write_repo, release_workflow(steps), None)
    assert findings(root, "--select", "PD306") == []


# -- PD307 -------------------------------------------------------------------------------------

PSR_UPLOAD = """
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
        with:
          fetch-depth: 0
      - uses: python-semantic-release/python-semantic-release@{ref}
        with:
          github_token: ${{{{ secrets.GITHUB_TOKEN }}}}
          pypi_token: ${{{{ secrets.PYPI_TOKEN }}}}
"""


@pytest.mark.parametrize("ref", ["master", "main", "v8.0.0", "v9", "v10.2.0"])
def test_psr_8_input_upload_uploads_nothing(write_repo, ref: str) -> None:
    root = write_repo({"pyproject.toml": '[project]\nname = "demo"\nversion = "1.0.0"\n',
                       ".github/workflows/release.yml": PSR_UPLOAD.format(ref=ref)})
    found = findings(root, "--select", "PD307")
    assert [f["severity"] for f in found] == ["error"], found
    assert "`pypi_token` input" in found[0]["message"]
    assert at(found, "PD307")[0][0] == ".github/workflows/release.yml"


@pytest.mark.parametrize("ref", ["v7.34.6", "v7", "8f0c2a3b9d1e4f5a6b7c8d9e0f1a2b3c4d5e6f7a"])
def test_psr_7_or_unknown_version_is_silent(write_repo, ref: str) -> None:
    root = write_repo({"pyproject.toml": '[project]\nname = "demo"\nversion = "1.0.0"\n',
                       ".github/workflows/release.yml": PSR_UPLOAD.format(ref=ref)})
    assert findings(root, "--select", "PD307") == []


def test_psr_config_upload_with_pip_install(write_repo) -> None:
    workflow = PSR_UPLOAD.format(ref="v10").replace(
        "      - uses: python-semantic-release/python-semantic-release@v10\n        with:\n"
        "          github_token: ${{ secrets.GITHUB_TOKEN }}\n          pypi_token: ${{ secrets.PYPI_TOKEN }}\n",
        "      - run: pip install python-semantic-release\n      - run: semantic-release version\n")
    pyproject = ('[project]\nname = "demo"\nversion = "1.0.0"\n\n[tool.semantic_release]\n'
                 'upload_to_pypi = true\nversion_toml = ["pyproject.toml:project.version"]\n')
    root = write_repo({"pyproject.toml": pyproject, ".github/workflows/release.yml": workflow})
    found = findings(root, "--select", "PD307")
    assert [f["severity"] for f in found] == ["error"]
    assert at(found, "PD307") == [("pyproject.toml", 6, 1)]
    pinned = workflow.replace("pip install python-semantic-release", "pip install python-semantic-release==7.34.6")
    root = write_repo({"pyproject.toml": pyproject, ".github/workflows/release.yml": pinned}, name="b")
    assert findings(root, "--select", "PD307") == []


def test_psr_upload_settings_left_over_beside_a_real_upload(write_repo) -> None:
    workflow = PSR_UPLOAD.format(ref="v10") + """
  publish:
    needs: release
    runs-on: ubuntu-latest
    permissions:
      id-token: write
    steps:
      - run: uv build
      - uses: pypa/gh-action-pypi-publish@release/v1
"""
    root = write_repo({"pyproject.toml": '[project]\nname = "demo"\nversion = "1.0.0"\n',
                       ".github/workflows/release.yml": workflow})
    found = findings(root, "--select", "PD307")
    assert [f["severity"] for f in found] == ["info"] and "left over" in found[0]["message"]


def test_psr_without_upload_settings_is_silent(write_repo) -> None:
    workflow = PSR_UPLOAD.format(ref="v10").replace("          pypi_token: ${{ secrets.PYPI_TOKEN }}\n", "")
    root = write_repo({"pyproject.toml": '[project]\nname = "demo"\nversion = "1.0.0"\n',
                       ".github/workflows/release.yml": workflow})
    assert findings(root, "--select", "PD307") == []
