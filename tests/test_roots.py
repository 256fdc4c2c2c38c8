"""Root discovery: a run from any folder inside a repository checks that repository."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import check, git
from pubdoctor.roots import discover

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
RELEASE = """
    on: push
    permissions:
      contents: read
    jobs:
      publish:
        runs-on: ubuntu-latest
        steps:
          - uses: pypa/gh-action-pypi-publish@release/v1
"""


def _json(cwd: Path, *args: str) -> dict:
    result = subprocess.run([sys.executable, "-m", "pubdoctor", "check", "--offline", "--format",
                             "json", *args], capture_output=True, text=True, cwd=cwd)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


def _same(data: dict) -> list[tuple]:
    return [(f["code"], f["message"], f["location"]["uri"], f["location"]["line"])
            for f in data["findings"]]


def test_broken_example_from_src_reports_what_its_root_reports() -> None:
    from_root = _json(EXAMPLES / "broken")
    from_src = _json(EXAMPLES / "broken" / "src")
    assert from_root["findings"] and _same(from_src) == _same(from_root)
    assert {f["code"] for f in from_src["findings"]} >= {"PD101", "PD105", "PD202"}
    # the text output's paths open from where pubdoctor ran
    text = subprocess.run([sys.executable, "-m", "pubdoctor", "check", "--offline", "--no-color"],
                          capture_output=True, text=True, cwd=EXAMPLES / "broken" / "src").stdout
    assert "../.github/workflows/release.yml:11:3: PD101" in text
    assert "../pyproject.toml:13:1: PD202" in text


def test_monorepo_package_uses_the_repository_workflows(write_repo) -> None:
    repo = write_repo({".github/workflows/release.yml": RELEASE,
                       "packages/foo/pyproject.toml": "[project]\nname = 'foo'\nversion = '1'\n",
                       "packages/foo/src/foo/__init__.py": ""}, init_git=True)
    roots = discover(repo / "packages" / "foo" / "src")
    assert (roots.project, roots.workflows, roots.git_top) == (
        repo / "packages" / "foo", repo, repo)
    result = check(repo / "packages" / "foo")
    assert f"{repo}/.github/workflows/release.yml:5:3: PD101" in result.output
    data = json.loads(check(repo / "packages" / "foo", "--format", "json").output)
    location = next(f["location"] for f in data["findings"] if f["code"] == "PD101")
    assert location["uri"] == ".github/workflows/release.yml"
    assert location["path"] == "../../.github/workflows/release.yml"


def test_monorepo_package_is_named_by_the_repository_remote(write_repo) -> None:
    repo = write_repo({".github/workflows/release.yml": RELEASE,
                       "packages/foo/pyproject.toml": "[project]\nname = 'foo'\nversion = '1'\n"},
                      init_git=True)
    git(repo, "remote", "add", "origin", "https://github.com/octo/mono.git")
    result = check(repo / "packages" / "foo")
    assert "not at its top" not in result.output


def test_empty_subfolder_checks_the_repository(write_repo) -> None:
    repo = write_repo({".github/workflows/release.yml": RELEASE, "docs/notes/x.txt": ""},
                      init_git=True)
    assert discover(repo / "docs" / "notes").project == repo
    assert "PD101" in check(repo / "docs" / "notes").output


def test_walk_stops_at_the_git_top(write_repo, tmp_path: Path) -> None:
    outer = write_repo({"pyproject.toml": "[project]\nname = 'outer'\nversion = '1'\n",
                        ".github/workflows/release.yml": RELEASE}, name="outer")
    inner = outer / "vendor" / "inner"
    (inner / "lib").mkdir(parents=True)
    git(inner, "init", "-q")
    roots = discover(inner / "lib")
    assert roots.project == inner and roots.git_top == inner
    assert "All checks passed!" in check(inner / "lib").output


@pytest.mark.parametrize("given", ["examples/broken", "examples/broken/src"])
def test_folder_as_given_is_kept_in_messages(given: str) -> None:
    result = subprocess.run([sys.executable, "-m", "pubdoctor", "check", "--offline", "--no-color",
                             given], capture_output=True, text=True, cwd=EXAMPLES.parent)
    assert "examples/broken/.github/workflows/release.yml:11:3: PD101" in result.stdout


def test_show_settings_names_the_roots_used() -> None:
    result = subprocess.run([sys.executable, "-m", "pubdoctor", "check", "--show-settings"],
                            capture_output=True, text=True, cwd=EXAMPLES / "broken" / "src")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "given folder: ."
    assert lines[1] == (f"project root: .. ({EXAMPLES / 'broken'}; the nearest folder above the "
                        "given one with pyproject.toml)")
    assert lines[2] == f"workflows root: .. ({EXAMPLES / 'broken'})"
    assert lines[3].startswith("repository top: ")
    assert "Found" not in result.stdout and "PD101 [" not in result.stdout
    from pubdoctor.rules import all_rules

    count = len(all_rules())
    assert f"rules ({count} of {count}): PD001, PD100, PD101, " in result.stdout


def test_github_annotations_from_a_subfolder_name_the_file_absolutely() -> None:
    result = subprocess.run([sys.executable, "-m", "pubdoctor", "check", "--offline", "--format",
                             "github"], capture_output=True, text=True,
                            cwd=EXAMPLES / "broken" / "src")
    workflow = EXAMPLES / "broken" / ".github" / "workflows" / "release.yml"
    assert f"::error file={workflow},line=11,col=3," in result.stdout
