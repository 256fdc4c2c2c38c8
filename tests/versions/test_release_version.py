"""PD401 against a real index: the version the release will have, not the one in the files."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_cli
from history_repo import commit, init
from servers import PypiServer, make_wheel, pypiserver_fixture  # noqa: F401 - a fixture

PUBLISH = """
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
{steps}
      - run: uv build
      - uses: pypa/gh-action-pypi-publish@release/v1
"""


def pd401(root: Path, server: PypiServer) -> list[dict]:
    result = run_cli("check", str(root), "--index-url", server.url, "--format", "json",
                     "--select", "PD401")
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.output)["findings"]


def test_a_step_that_sets_the_version_is_not_judged(tmp_path: Path, pypiserver: PypiServer) -> None:
    make_wheel(pypiserver.packages, "demo", "0.1.0")
    for name, step in (("uv", '      - run: uv version "${GITHUB_REF_NAME#v}"'),
                       ("sed", "      - run: sed -i \"s/^version = .*/version = \\\"${GITHUB_REF_NAME#v}\\\"/\" pyproject.toml")):
        root = init(tmp_path / name, {"pyproject.toml": '[project]\nname = "demo"\nversion = "0.1.0"\n',
                                      ".github/workflows/publish.yml": PUBLISH.format(steps=step)})
        commit(root, "feat: a")
        assert pd401(root, pypiserver) == [], name
    root = init(tmp_path / "plain", {"pyproject.toml": '[project]\nname = "demo"\nversion = "0.1.0"\n',
                                     ".github/workflows/publish.yml": PUBLISH.format(steps="")})
    commit(root, "feat: a")
    found = pd401(root, pypiserver)
    assert len(found) == 1 and "bump the version in [project].version in pyproject.toml to 0.1.1" in found[0]["fix"]


def test_the_proposal_is_above_the_highest_on_the_index(tmp_path: Path, pypiserver: PypiServer) -> None:
    for version in ("0.1.0", "0.1.1", "0.2.0rc1"):
        make_wheel(pypiserver.packages, "demo", version)
    root = init(tmp_path / "r", {"pyproject.toml": '[project]\nname = "demo"\nversion = "0.1.0"\n'})
    commit(root, "feat: a")
    found = pd401(root, pypiserver)
    assert "to 0.2.0 (above 0.2.0rc1, the highest version on the index)" in found[0]["fix"]


def test_release_please_python_release_is_predicted(tmp_path: Path, pypiserver: PypiServer) -> None:
    """release-please's python strategy writes its version into pyproject.toml in the release
    PR: its next version is what gets uploaded."""
    make_wheel(pypiserver.packages, "demo", "1.2.0")
    files = {"pyproject.toml": '[project]\nname = "demo"\nversion = "1.2.0"\n',
             "release-please-config.json": '{"release-type": "python", "packages": {".": {}}}',
             ".release-please-manifest.json": '{".": "1.2.0"}'}
    root = init(tmp_path / "r", files)
    commit(root, "chore: release 1.2.0", tag="v1.2.0")
    commit(root, "fix: b")
    assert pd401(root, pypiserver) == []
    make_wheel(pypiserver.packages, "demo", "1.2.1")
    found = pd401(root, pypiserver)
    assert len(found) == 1 and "release-please will release 1.2.1" in found[0]["message"]
    assert "1.2.2" in found[0]["fix"]
