"""The PD3xx rules on the real-world corpus (../shared): no crash, and the expected findings.

The corpus holds workflows and pyproject.toml files but no git history, so the history rules
are skipped there with a note; PD303 and PD305 read the workflows.
"""

from __future__ import annotations

import json

import pytest

from conftest import SHARED, check

CORPUS = SHARED / "corpus" / "real-world"
PROJECTS = sorted(p for p in CORPUS.iterdir() if p.is_dir()) if CORPUS.is_dir() else []
#: project -> PD3xx codes expected there (all others: none)
EXPECTED: dict[str, list[str]] = {}


@pytest.mark.skipif(not PROJECTS, reason="../shared/corpus/real-world is absent")
@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.name)
def test_corpus_project(project) -> None:
    result = check(project, "--select", "PD3", "--format", "json")
    assert result.exit_code in (0, 1), result.output
    found = json.loads(result.output)["findings"]
    assert sorted(f["code"] for f in found) == EXPECTED.get(project.name, [])
