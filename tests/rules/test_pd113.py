"""PD113 duplicate-publish-runs: one release uploaded by several runs of the same job."""

from __future__ import annotations

import pytest

from conftest import at, findings

WF = ".github/workflows/release.yml"


def workflow(on: str, job_if: str = "", with_: str = "") -> str:
    condition = f"\n    if: {job_if}" if job_if else ""
    return f"""on:
{on}
jobs:
  publish:
    runs-on: ubuntu-latest{condition}
    permissions:
      id-token: write
    steps:
      - uses: pypa/gh-action-pypi-publish@release/v1{with_}
"""


def pd113(write_repo, text: str) -> list[dict]:
    return [f for f in findings(write_repo({WF: text})) if f["code"] == "PD113"]


@pytest.mark.parametrize("on, severity", [
    ("  push:\n    tags: ['v*']\n  release:\n    types: [published, created, edited]", "warning"),
    ("  push:\n    tags: ['v*']\n  release:\n    types: [published]", "warning"),
    ("  release:\n    types: [created, published]", "warning"),
    ("  release:\n    types: [published, released]", "error"),
    ("  release:", "error"),  # every activity type: published and released both fire
    ("  push:\n  release:\n    types: [published]", "warning"),  # an unfiltered push runs for tags too
])
def test_overlapping_triggers(write_repo, on: str, severity: str) -> None:
    found = pd113(write_repo, workflow(on))
    # at the job, with the triggers as the related location
    line = workflow(on).splitlines().index("  publish:") + 1
    assert [(f["location"]["line"], f["severity"]) for f in found] == [(line, severity)]
    assert "File already exists" in found[0]["message"]


@pytest.mark.parametrize("on, job_if, with_", [
    ("  push:\n    tags: ['v*']", "", ""),
    ("  release:\n    types: [published]", "", ""),
    ("  release:\n    types: [published, released]", "github.event.action == 'published'", ""),
    ("  push:\n    tags: ['v*']\n  release:\n    types: [published]", "github.event_name == 'release'", ""),
    ("  push:\n    tags: ['v*']\n  release:\n    types: [published]", "github.event_name == 'push'", ""),
    ("  push:\n    branches: [main]\n  release:\n    types: [published]", "", ""),
    ("  push:\n    tags: ['v*']\n  release:\n    types: [published]", "",
     "\n        with:\n          skip-existing: true"),
])
def test_one_upload_per_release_passes(write_repo, on: str, job_if: str, with_: str) -> None:
    assert pd113(write_repo, workflow(on, job_if, with_)) == []


def test_uv_check_url_tolerates_the_second_upload(write_repo) -> None:
    text = workflow("  release:").replace(
        "      - uses: pypa/gh-action-pypi-publish@release/v1",
        "      - run: uv publish --check-url https://pypi.org/simple/")
    assert pd113(write_repo, text) == []


def test_undecidable_condition_is_a_warning(write_repo) -> None:
    found = pd113(write_repo, workflow("  release:\n    types: [published, released]",
                                       "needs.check.outputs.ok == 'true'"))
    assert [f["severity"] for f in found] == ["warning"]
