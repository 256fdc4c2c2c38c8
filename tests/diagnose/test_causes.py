"""Hand-written logs (tests/diagnose/logs), one or more per cause, composed from the catalogue's
message texts of each tool and version: each is diagnosed to the cause its name gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from pubdoctor.diagnose import diagnose
from pubdoctor.diagnose.causes import CAUSES

from .conftest import LOGS, diagnose_json, diagnose_text, expected_cause

HAND_LOGS = sorted(LOGS.glob("*.log"))


@pytest.mark.parametrize("log", HAND_LOGS, ids=lambda p: p.stem)
def test_hand_written_log(log: Path) -> None:
    diagnosis = diagnose(str(log))
    assert diagnosis.cause.id == expected_cause(log)
    if diagnosis.known:
        assert diagnosis.evidence


def test_every_cause_has_hand_written_logs() -> None:
    covered = {expected_cause(p) for p in HAND_LOGS}
    assert covered == set(CAUSES)


def test_first_failure_wins_over_what_follows_from_it() -> None:
    found = diagnose_json(LOGS / "no-release-nonconventional__then-empty-dist.log")
    assert found["cause"] == "no-release-nonconventional"
    assert [e["line"] for e in found["evidence"]] == [2, 3]
    assert found["also"] == ["empty-dist"]


def test_warning_that_explains_the_failure_names_the_cause() -> None:
    found = diagnose_json(LOGS / "reusable-workflow__warning-then-refused.log")
    assert found["cause"] == "reusable-workflow"
    lines = [e["line"] for e in found["evidence"]]
    assert lines[0] == 2 and 19 in lines  # the warning, and the refusal it explains
    assert found["claims"]["reusable_workflow"] is True
    assert found["claims"]["publisher"]["workflow"] == "publish.yml"


def test_more_specific_message_wins_on_the_same_lines() -> None:
    # the older local-version refusal ends with the core-metadata link of metadata refusals
    found = diagnose_json(LOGS / "local-version__2017.log")
    assert found["cause"] == "local-version"


def test_bare_400_is_a_local_version_only_with_a_plus_in_the_file(write_log) -> None:
    log = write_log("Uploading sampleproject-0.1.0-py3-none-any.whl\n"
                    "ERROR    HTTPError: 400 Bad Request from https://test.pypi.org/legacy/\n"
                    "         Bad Request\n")
    assert diagnose(str(log)).cause.id == "unknown"
    found = diagnose_json(LOGS / "local-version__testpypi-bare-400.log")
    assert found["cause"] == "local-version"
    assert found["evidence"][0] == {"line": 2, "text": "Uploading sampleproject-0.1.dev3+g9f8e7d6-py3-none-any.whl"}


def test_already_released_is_not_a_commit_format_problem() -> None:
    found = diagnose_json(LOGS / "already-released__psr.log")
    assert found["cause"] == "already-released"
    assert found["evidence"] == [{"line": 3, "text": "No release will be made, 1.2.3 has already been released!"}]


def test_fork_pull_request_gets_its_own_fix() -> None:
    found = diagnose_json(LOGS / "missing-id-token__action-fork-pr.log")
    assert found["cause"] == "missing-id-token"
    assert "forks" in found["fix"] and "pull_request" in found["fix"]
    assert "fork" in found["facts"]


def test_pending_publisher_on_an_existing_project_gets_its_own_fix() -> None:
    found = diagnose_json(LOGS / "pending-publisher__project-exists.log")
    assert found["cause"] == "pending-publisher"
    assert "already exists" in found["fix"]


def test_unknown_lists_the_lines_that_look_like_errors() -> None:
    found = diagnose_json(LOGS / "unknown__server-error.log")
    assert found["cause"] == "unknown"
    assert found["rule"] is None
    assert [e["line"] for e in found["evidence"]] == [4, 5, 6]
    text = diagnose_text(LOGS / "unknown__server-error.log", "--no-repo")
    assert "cause: unknown: none of the known publishing failures shows in this log" in text
    assert "lines that look like errors" in text
    assert "503 Service Unavailable" in text


def test_unknown_says_so_when_nothing_looks_like_an_error(write_log) -> None:
    found = diagnose_json(write_log("Run actions/checkout@v4\nSyncing repository: octo/sample\n"))
    assert found["cause"] == "unknown"
    assert found["evidence"] == []
    assert any("looks like an error" in note for note in found["notes"])


def test_file_exists_reports_the_file() -> None:
    found = diagnose_json(LOGS / "file-exists__twine7.log")
    assert found["cause"] == "file-exists"
    assert found["facts"]["file"] == "sampleproject-4.0.0-py3-none-any.whl"
    assert [e["line"] for e in found["evidence"]] == [3, 4, 5, 6, 7, 8]
    assert found["evidence"][2]["text"].startswith("File already exists ('sampleproject-4.0.0")


def test_claims_that_show_a_reusable_workflow_name_it() -> None:
    found = diagnose_json(LOGS / "reusable-workflow__claims-only.log")
    assert found["cause"] == "reusable-workflow"
    assert [e["line"] for e in found["evidence"]] == [4, 10, 11]
    assert found["also"][0] == "publisher-mismatch"
    assert found["claims"]["publisher"]["workflow"] == "_publish.yml"


@pytest.mark.parametrize(("log", "command"), [
    ("no-release-nonconventional__cz-new.log", "cz --no-raise 21 bump"),
    ("no-release-nonconventional__psr-v10.log", "semantic-release version --patch"),
    ("no-release-nonconventional__release-please.log", "Release-As:"),
])
def test_no_release_fix_names_the_tool_in_the_log(log: str, command: str) -> None:
    found = diagnose_json(LOGS / log)
    assert command in found["fix"]
    others = {"cz --no-raise 21 bump", "semantic-release version --patch", "Release-As:"} - {command}
    assert not any(other in found["fix"] for other in others)
