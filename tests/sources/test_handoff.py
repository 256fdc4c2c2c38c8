"""The shared answers of `pubdoctor.sources.handoff`: which steps build, which jobs a job needs."""

from __future__ import annotations

from typing import Any

import pytest

from pubdoctor.findings import Location
from pubdoctor.sources.handoff import artifact_matches, build_command, needed_jobs
from pubdoctor.sources.workflows import Job, Step, Workflow

HERE = Location(path="w.yml", line=1, col=1)


def step(run: str | None = None, uses: str | None = None, **with_: Any) -> Step:
    return Step(index=0, run=run, uses=uses, with_=with_, location=HERE)


@pytest.mark.parametrize("run, expected", [
    ("python -m build", "`python -m build`"),
    ("pip install build && pyproject-build --sdist", "`pyproject-build`"),
    ("uvx --from build pyproject-build", "`uvx --from build`"),
    ("rye build --all", "`rye build`"),
    ("pdm publish", "`pdm publish`"),
    ("cibuildwheel --output-dir wheelhouse", "`cibuildwheel`"),
    ("pdm publish --no-build", None),
    ("pip install build hatch", None),  # package names, not commands
    ("cibuildwheel --print-build-identifiers", None),  # lists, builds nothing
    ("twine upload dist/*", None),
])
def test_build_commands(run: str, expected: str | None) -> None:
    assert build_command(step(run=run)) == expected


@pytest.mark.parametrize("uses, with_, builds", [
    ("pypa/cibuildwheel@v2.22", {}, True),
    ("casperdcl/deploy-pypi@v2", {}, True),
    ("PyO3/maturin-action@v1", {"command": "sdist"}, True),
    ("PyO3/maturin-action@v1", {"command": "upload"}, False),  # uploads what was built before
    ("actions/checkout@v4", {}, False),
])
def test_build_actions(uses: str, with_: dict[str, Any], builds: bool) -> None:
    assert (build_command(step(uses=uses, **with_)) is not None) is builds


def test_needed_jobs_follows_needs_transitively_and_once() -> None:
    jobs = {name: Job(id=name, needs=needs, location=HERE) for name, needs in
            [("build", []), ("test", ["build"]), ("publish", ["test", "build", "missing"])]}
    workflow = Workflow(path="w.yml", triggers_location=HERE, jobs=jobs)
    assert sorted(j.id for j in needed_jobs(workflow, jobs["publish"])) == ["build", "test"]
    assert needed_jobs(workflow, jobs["build"]) == []


@pytest.mark.parametrize("with_, artifact, fetched", [
    ({"name": "dist"}, "dist", True),
    ({"name": "dist"}, "wheels", False),
    ({"pattern": "wheels-*"}, "wheels-linux", True),
    ({}, "anything", True),  # no name, no pattern: every artifact of the run
    ({"pattern": "binaries-${{ matrix.os }}"}, "wheels-linux", False),
])
def test_artifact_matches(with_: dict[str, Any], artifact: str, fetched: bool) -> None:
    assert artifact_matches(step(uses="actions/download-artifact@v4", **with_), artifact) is fetched
