"""``pubdoctor claims`` next to the last release's publisher, read from a local index."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_cli
from provenance_server import ProvenanceIndex, provenance_index_fixture  # noqa: F401 - fixture
from test_provenance_rules import repo, workflow


def claims(root: Path, index: ProvenanceIndex, *args: str):
    return run_cli("claims", str(root), "--no-color", "--index-url", index.simple("pypi"),
                   "--timeout", "30", *args)


def test_text_marks_each_differing_field(tmp_path: Path, provenance_index: ProvenanceIndex) -> None:
    provenance_index.index("pypi").add("demo", "1.0.0", ("octo-org/Old-Demo", "release.yml", "pypi"))
    root = repo(tmp_path, {"publish.yml": workflow(environment="PyPI")})
    result = claims(root, provenance_index)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("  Last release (1.0.0) on PyPI"))
    assert lines[start + 1:start + 5] == [
        "    Owner:             octo-org",
        "    Repository name:   Old-Demo  <- differs",
        "    Workflow name:     release.yml  <- differs",
        "    Environment name:  pypi",  # compared ignoring case, as the index does
    ]


def test_json_has_the_last_release_and_the_differences(tmp_path: Path,
                                                       provenance_index: ProvenanceIndex) -> None:
    provenance_index.index("pypi").add("demo", "1.0.0", ("octo-org/demo", "release.yml", "pypi"))
    root = repo(tmp_path, {"release.yml": workflow(environment=None)})
    [claim] = json.loads(claims(root, provenance_index, "--format", "json").output)["claims"]
    last = claim["last_release"]
    assert last["status"] == "published" and last["version"] == "1.0.0"
    assert last["publisher"] == {"kind": "GitHub", "repository": "octo-org/demo", "repository_owner": "octo-org",
                                 "repository_name": "demo", "workflow": "release.yml", "environment": "pypi"}
    assert last["differs"] == ["environment"]


def test_absent_project_and_token_release(tmp_path: Path, provenance_index: ProvenanceIndex) -> None:
    provenance_index.index("pypi")
    root = repo(tmp_path, {"release.yml": workflow()})
    assert "  Not on PyPI (read from" in claims(root, provenance_index).output
    assert "pending publisher with these values" in claims(root, provenance_index).output
    assert ("On PyPI: `demo` is not there yet, so it needs a pending publisher with project name `demo`, "
            "added at https://pypi.org/manage/account/publishing/") in claims(root, provenance_index).output
    provenance_index.index("pypi").add("demo", "1.0.0", None)
    output = claims(root, provenance_index).output
    assert "no provenance (uploaded with an API token" in output
    assert "On PyPI: `demo` exists there; add it at https://pypi.org/manage/project/demo/settings/publishing/" in output


def test_index_without_provenance_is_a_note(tmp_path: Path, provenance_index: ProvenanceIndex) -> None:
    provenance_index.index("pypi", pep740=False).add("demo", "1.0.0", ("octo-org/demo", "release.yml", ""))
    root = repo(tmp_path, {"release.yml": workflow()})
    result = claims(root, provenance_index)
    assert result.exit_code == 0
    [note] = [line for line in result.output.splitlines() if line.startswith("note:")]
    assert "does not serve provenance" in note
    assert "Last release" not in result.output


def test_offline_asks_nothing(tmp_path: Path, provenance_index: ProvenanceIndex) -> None:
    provenance_index.index("pypi").add("demo", "1.0.0", ("octo-org/demo", "release.yml", ""))
    root = repo(tmp_path, {"release.yml": workflow()})
    result = claims(root, provenance_index, "--offline")
    assert "Last release" not in result.output and "note:" not in result.output
    assert provenance_index.state.requests == []
