"""The command's contract: its output formats, exit codes and help."""

from __future__ import annotations

import json

from conftest import run_cli

from .conftest import LOGS, diagnose_json


def test_json_shape() -> None:
    found = diagnose_json(LOGS / "missing-id-token__action-fork-pr.log")
    assert set(found) >= {"cause", "rule", "evidence", "fix", "claims"}
    assert found["cause"] == "missing-id-token"
    assert found["rule"] == "PD101"
    assert found["evidence"][0] == {"line": 2, "text": "Error: Trusted publishing exchange failure:"}
    assert all(set(e) == {"line", "text"} for e in found["evidence"])
    assert found["claims"] is None
    assert found["repository"] is None


def test_text_shape() -> None:
    result = run_cli("diagnose", str(LOGS / "file-exists__uv.log"), "--no-repo", "--no-color")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "cause: file-exists: the index already has this file: this version was uploaded before"
    assert lines[1] == "rules: PD401, PD304, PD113"
    assert lines[2].startswith("evidence (") and lines[2].endswith("file-exists__uv.log):")
    assert lines[3].startswith("  3 | error: Failed to publish `dist/sampleproject-4.0.0-py3-none-any.whl`")
    assert lines[-1].startswith("fix: bump the version before releasing")


def test_colour_only_when_asked_for(monkeypatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    result = run_cli("diagnose", str(LOGS / "file-exists__uv.log"), "--no-repo")
    assert "\x1b[" not in result.output  # not a terminal


def test_exit_code_is_0_for_known_and_unknown_causes() -> None:
    assert run_cli("diagnose", str(LOGS / "rate-limit__new-projects.log"), "--no-repo").exit_code == 0
    assert run_cli("diagnose", str(LOGS / "unknown__server-error.log"), "--no-repo").exit_code == 0


def test_listed_in_help() -> None:
    assert "diagnose" in run_cli("--help").output
    help_text = run_cli("diagnose", "--help").output
    assert "Exit status: 0" in help_text and "--format" in help_text and "--repo" in help_text


def test_json_is_valid_for_every_hand_written_log() -> None:
    for log in sorted(LOGS.glob("*.log")):
        result = run_cli("diagnose", str(log), "--no-repo", "--format", "json")
        assert result.exit_code == 0, log
        assert json.loads(result.output)["cause"] == log.name.split("__")[0]


def test_the_step_of_the_failure_when_the_log_shows_steps() -> None:
    found = diagnose_json(LOGS / "no-release-nonconventional__then-empty-dist.log")
    assert found["step"] == {"line": 1, "text": "Run semantic-release version"}
    text = run_cli("diagnose", str(LOGS / "missing-id-token__action-raw-annotation.log"), "--no-repo").output
    assert "step: Run pypa/gh-action-pypi-publish@release/v1 (line 1)" in text
    assert diagnose_json(LOGS / "file-exists__uv.log")["step"] is None  # a paste without step markers
