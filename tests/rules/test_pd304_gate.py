"""PD304 reads a publish job's `if:` the way PD103 and PD108 do: a job gated on tags does not
re-upload on the branch pushes its workflow also runs on (GitHub skips it there)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import at, findings
from history_repo import repo

PROJECT = '[project]\nname = "demo"\nversion = "1.2.0"\n'
WORKFLOW = """
    on:
      push:
        branches: [main]
        tags: ['v*']
    jobs:
      publish:
        runs-on: ubuntu-latest
        if: {condition}
        permissions:
          id-token: write
        steps:
          - uses: pypa/gh-action-pypi-publish@release/v1
"""


def pd304(tmp_path: Path, condition: str) -> list[tuple[str, int, int]]:
    files = {"pyproject.toml": PROJECT,
             ".github/workflows/release.yml": WORKFLOW.format(condition=condition)}
    root = repo(tmp_path / "r", files, [("feat: one", "v1.2.0"), "fix: two"])
    return at(findings(root, "--select", "PD304"), "PD304")


@pytest.mark.parametrize("condition", [
    "startsWith(github.ref, 'refs/tags/')",
    "github.ref_type == 'tag'",
    "${{ startsWith(github.ref, 'refs/tags/v') && github.repository == 'octo/demo' }}",
])
def test_a_job_level_tag_gate_keeps_branch_pushes_from_uploading(tmp_path: Path, condition: str) -> None:
    assert pd304(tmp_path, condition) == []


@pytest.mark.parametrize("condition", [
    "github.ref == 'refs/heads/main' || startsWith(github.ref, 'refs/tags/')",
    "github.event_name == 'push'",
    "needs.check.outputs.release == 'true'",  # unknown: branch runs may upload
])
def test_a_condition_admitting_branch_pushes_is_still_judged(tmp_path: Path, condition: str) -> None:
    assert pd304(tmp_path, condition) == [("pyproject.toml", 3, 1)]
