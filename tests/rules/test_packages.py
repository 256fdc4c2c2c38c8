"""Packages below the repository root: the project rules (PD104's Metadata-Version, PD402) read
the pyproject.toml of the package a job builds and uploads."""

from __future__ import annotations

import pytest

from conftest import at, findings
from package_layouts import HATCH, SCM, TAGS, WF, two_job_release
from pubdoctor.findings import Location
from pubdoctor.sources.packages import build_folders
from pubdoctor.sources.workflows import Step

WORKSPACE = '[tool.uv.workspace]\nmembers = ["packages/*", "agent"]\n'


def release(build: str, on: str = TAGS, packages_dir: str = "", action: str = "release/v1") -> str:
    return two_job_release(build, on, "dist/", action,
                           f"          packages-dir: {packages_dir}" if packages_dir else "")


MEMBERS = {
    "pyproject.toml": WORKSPACE,
    "agent/pyproject.toml": HATCH.format(name="demo-agent", version="1.0.0+local"),
    "packages/core/pyproject.toml": HATCH.format(name="demo-core", version="2.0.0"),
}


@pytest.mark.parametrize("build", [
    "      - run: uv build\n        working-directory: agent",
    "      - run: cd agent && uv build",
    "      - run: uv build agent",
    "      - run: uv --directory agent build",
    "      - run: uv build --package demo-agent",
    "      - run: python -m build agent",
])
def test_a_local_version_of_the_package_a_job_builds(write_repo, build: str) -> None:
    root = write_repo({**MEMBERS, WF: release(build)}, name=str(abs(hash(build))))
    assert at(findings(root), "PD402") == [("agent/pyproject.toml", 7, 1)]


def test_packages_dir_names_the_package(write_repo) -> None:
    text = release("      - run: uv build --all-packages").replace(
        "with: {name: dist, path: dist/}\n  publish", "with: {name: dist, path: agent/dist/}\n  publish")
    text = text.replace("with: {name: dist, path: dist/}\n      - uses: pypa",
                        "with: {name: dist, path: agent/dist/}\n      - uses: pypa")
    root = write_repo({**MEMBERS, WF: text.replace("@release/v1", "@release/v1\n        with:\n"
                                                                   "          packages-dir: agent/dist/")})
    assert at(findings(root), "PD402") == [("agent/pyproject.toml", 7, 1)]


def test_a_package_the_jobs_do_not_publish_is_not_judged(write_repo) -> None:
    root = write_repo({**MEMBERS, WF: release("      - run: uv build --package demo-core")})
    assert at(findings(root), "PD402") == []


def test_version_from_git_tags_of_a_package_published_from_branches(write_repo) -> None:
    files = {"pyproject.toml": WORKSPACE, "agent/pyproject.toml": SCM.format(name="demo-agent"),
             WF: release("      - run: cd agent && uv build", on="push:\n    branches: [main]")}
    found = [f for f in findings(write_repo(files)) if f["code"] == "PD402"]
    assert [(f["location"]["path"], f["location"]["line"]) for f in found] == [(WF, 1)]
    assert "the version (`agent/pyproject.toml`) comes from git tags (setuptools-scm)" in found[0]["message"]


def test_metadata_2_5_of_the_package_uploaded_with_an_old_action(write_repo) -> None:
    files = {"pyproject.toml": WORKSPACE,
             "agent/pyproject.toml": HATCH.format(name="demo-agent", version="1.0.0"),
             WF: release("      - run: uv build\n        working-directory: agent", action="v1.13.0")}
    found = [f for f in findings(write_repo(files)) if f["code"] == "PD104"]
    assert [f["severity"] for f in found] == ["warning"]
    assert "`agent/pyproject.toml` builds with hatchling" in found[0]["message"]


@pytest.mark.parametrize("run, directory, expected", [
    ("uv build", None, ["."]),
    ("cd agent && uv build", None, ["agent"]),
    ("uv build", "agent", ["agent"]),
    ("uv build -o dist agent", None, ["agent"]),
    ("poetry build -C agent", None, ["agent"]),
    ("uv build --package demo-core", None, ["packages/core"]),
    ("uv build --all-packages", None, ["packages/core", "agent"]),
    ("uv run --with build -m build", None, ["."]),
    ("pytest", None, []),
    ("uv build ${{ inputs.folder }}", None, None),  # an expression: cannot be placed
    ("cd $PACKAGE && uv build", None, None),
    ("cibuildwheel", None, None),
])
def test_build_folders(run: str, directory: str | None, expected: list[str] | None) -> None:
    members = {"demo-core": "packages/core", "demo-agent": "agent"}
    step = Step(index=0, run=run, working_directory=directory, location=Location())
    assert build_folders(step, members) == expected


def test_a_package_that_cannot_be_read_is_left_alone(write_repo) -> None:
    """A member with invalid TOML, or a workspace pattern naming nothing: the root stands."""
    files = {"pyproject.toml": '[tool.uv.workspace]\nmembers = ["agent", "missing/*", 3]\n',
             "agent/pyproject.toml": "[project\nname = ",
             WF: release("      - run: uv build --all-packages")}
    root = write_repo(files)
    assert at(findings(root), "PD402") == []
