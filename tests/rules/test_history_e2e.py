"""The tutorial's setup (../shared/seed): python-semantic-release decides the release, and the
publish job waits for it. Every way it silently publishes nothing, in one repository."""

from __future__ import annotations

from pathlib import Path

from conftest import check, findings
from history_repo import commit, repo

PYPROJECT = """
    [project]
    name = "my-package-with-semver"
    version = "0.1.0"

    [tool.semantic_release]
    version_toml = ["pyproject.toml:project.version"]
"""
WORKFLOW = """
    name: release
    on:
      push:
        branches: [main]
    permissions:
      contents: read
    jobs:
      release:
        runs-on: ubuntu-latest
        outputs:
          released: ${{ steps.release.outputs.released }}
        steps:
          - uses: actions/checkout@v4
          - id: release
            uses: python-semantic-release/python-semantic-release@v9
            with:
              github_token: ${{ secrets.GITHUB_TOKEN }}
      publish:
        needs: release
        if: needs.release.outputs.released == 'true'
        runs-on: ubuntu-latest
        permissions:
          id-token: write
        steps:
          - uses: actions/checkout@v4
          - run: uv build
          - uses: pypa/gh-action-pypi-publish@release/v1
            with:
              repository-url: https://test.pypi.org/legacy/
"""


def test_no_release_happens_and_pubdoctor_says_why(tmp_path: Path) -> None:
    root = repo(tmp_path / "r", {"pyproject.toml": PYPROJECT, ".github/workflows/release.yml": WORKFLOW},
                [("feat: first release", "v0.1.0"), "Update README", "docs: install steps"])
    found = findings(root, "--select", "PD3")
    by_code = {f["code"]: f for f in found}
    assert sorted(by_code) == ["PD301", "PD302", "PD303", "PD305"]
    assert '"Update README"' in by_code["PD301"]["message"]
    assert "would release 0.1.1" in by_code["PD302"]["message"]
    assert (by_code["PD303"]["location"]["path"], by_code["PD303"]["location"]["line"]) == (
        ".github/workflows/release.yml", 13)
    assert (by_code["PD305"]["location"]["line"], by_code["PD305"]["location"]["column"]) == (5, 1)
    assert check(root, "--select", "PD3").exit_code == 1  # PD303 and PD305 are errors

    fixed = WORKFLOW.replace("""          - uses: actions/checkout@v4
          - id: release""", """          - uses: actions/checkout@v4
            with:
              fetch-depth: 0
          - id: release""").replace("""      release:
        runs-on: ubuntu-latest
""", """      release:
        runs-on: ubuntu-latest
        permissions:
          contents: write
""")
    (root / ".github" / "workflows" / "release.yml").write_text(
        "\n".join(line[4:] for line in fixed.strip("\n").splitlines()) + "\n")
    commit(root, "fix: handle an empty README")
    found = findings(root, "--select", "PD3")
    assert [f["code"] for f in found] == ["PD301"]  # the old message stays in the history
    assert check(root, "--select", "PD3").exit_code == 0
