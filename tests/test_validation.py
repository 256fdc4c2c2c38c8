"""PUBDOCTOR_VALIDATE: pydantic checks the records against their annotations, and can fail."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from conftest import check
from pubdoctor import validation
from pubdoctor.findings import Finding, Location, Severity
from pubdoctor.sources.workflows import load_workflows

WORKFLOW = """\
on: push
jobs:
  publish:
    runs-on: ubuntu-latest
    steps:
      - name: upload
        uses: pypa/gh-action-pypi-publish@release/v1
"""


def test_the_suite_runs_with_validation_on() -> None:
    assert validation.enabled()  # tests/conftest.py; every source a test loads is checked


@pytest.mark.parametrize("value,expected", [("", False), ("0", False), ("1", True), ("yes", True)])
def test_enabled_by_any_value_but_empty_or_zero(monkeypatch: pytest.MonkeyPatch, value: str,
                                                expected: bool) -> None:
    monkeypatch.setenv("PUBDOCTOR_VALIDATE", value)
    assert validation.enabled() is expected


def test_a_record_that_holds_what_it_declares_passes(write_repo) -> None:  # type: ignore[no-untyped-def]
    root = write_repo({".github/workflows/release.yml": WORKFLOW})
    validation.validate(load_workflows(root))
    validation.validate([Location(path="a.yml", line=1, col=1), Location(commit="abc")])


def test_a_wrong_type_deep_in_a_record_is_named_by_its_path(write_repo) -> None:  # type: ignore[no-untyped-def]
    root = write_repo({".github/workflows/release.yml": WORKFLOW})
    workflows = load_workflows(root)
    workflows.files[0].jobs["publish"].steps[0].name = 123  # type: ignore[assignment]
    with pytest.raises(ValidationError) as raised:
        validation.validate(workflows)
    error = raised.value.errors()[0]
    assert error["loc"] == ("files", 0, "jobs", "publish", "steps", 0, "name")
    assert error["type"] == "string_type"


def test_strict_mode_refuses_what_a_lax_model_would_coerce() -> None:
    finding = Finding(code="PD101", name="missing-id-token", severity="error",  # type: ignore[arg-type]
                      message="m", location=Location(path="x", line="3"))  # type: ignore[arg-type]
    with pytest.raises(ValidationError) as raised:
        validation.validate(finding)
    assert {e["loc"] for e in raised.value.errors()} == {("severity",), ("location", "line")}
    validation.validate(Finding(code="PD101", name="missing-id-token", severity=Severity.ERROR,
                                message="m", location=Location(path="x", line=3)))


def test_values_that_are_not_records_pass_unchecked() -> None:
    validation.validate(["a", 1, None, Path(".")])


def test_a_check_validates_the_settings_every_source_and_the_report(
        write_repo, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    checked: list[str] = []
    original = validation.validate

    def recording(value: object) -> None:
        checked.append(type(value).__name__)
        original(value)

    monkeypatch.setattr(validation, "validate", recording)
    root = write_repo({".github/workflows/release.yml": WORKFLOW,
                       "pyproject.toml": '[project]\nname = "demo"\nversion = "1.0"\n'})
    result = check(root)
    assert result.exit_code == 1 and "PD101" in result.stdout
    assert {"Settings", "Project", "Workflows", "PublisherView", "Dist", "Report"} <= set(checked)
