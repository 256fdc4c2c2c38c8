"""`pubdoctor.identity`: index names, ``--publisher`` values and where declarations are written."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import at, findings
from identity_helpers import PUBLISH_JOB, make_repo
from pubdoctor.identity import index_of, parse_publisher_option


@pytest.mark.parametrize(("value", "key"), [
    (None, "pypi"), ("", "pypi"), ("pypi", "pypi"), ("https://pypi.org", "pypi"), ("https://pypi.org/", "pypi"),
    ("https://upload.pypi.org/legacy/", "pypi"), ("testpypi", "testpypi"), ("TestPyPI", "testpypi"),
    ("https://test.pypi.org", "testpypi"), ("https://test.pypi.org/legacy/", "testpypi"),
    ("${{ vars.INDEX }}", ""), ("https://pypi.example.com/legacy/", "https://pypi.example.com/legacy"),
])
def test_index_of(value: str | None, key: str) -> None:
    assert index_of(value).key == key


@pytest.mark.parametrize(("value", "expected"), [
    ("octo-org/demo/release.yml", ("octo-org", "demo", "release.yml", None, "https://pypi.org")),
    ("octo-org/demo/release.yml@pypi", ("octo-org", "demo", "release.yml", "pypi", "https://pypi.org")),
    ("testpypi:octo-org/demo/release.yaml@test", ("octo-org", "demo", "release.yaml", "test", "https://test.pypi.org")),
    ("pypi:octo-org/demo/.github/workflows/release.yml",
     ("octo-org", "demo", ".github/workflows/release.yml", None, "https://pypi.org")),
])
def test_publisher_option(value: str, expected: tuple) -> None:
    publisher = parse_publisher_option(value)
    assert (publisher.owner, publisher.repository, publisher.workflow, publisher.environment,
            publisher.index) == expected


@pytest.mark.parametrize("value", ["octo-org/release.yml", "release.yml", "octo-org//release.yml", ""])
def test_publisher_option_refused(value: str) -> None:
    with pytest.raises(ValueError, match="OWNER/REPOSITORY/WORKFLOW.yml"):
        parse_publisher_option(value)


def test_dotted_keys_location(tmp_path: Path) -> None:
    text = ('[project]\nname = "demo"\n\n[tool.pubdoctor]\nfail-on = "error"\n'
            'publisher.owner = "octo-org"\npublisher.repository = "demo"\npublisher.workflow = "old.yml"\n')
    root = make_repo(tmp_path / "r", {".github/workflows/release.yml": PUBLISH_JOB, "pyproject.toml": text})
    assert at(findings(root), "PD202") == [("pyproject.toml", 8, 11)]


def test_single_inline_table_location(tmp_path: Path) -> None:
    text = ('[project]\nname = "demo"\n\n[tool.pubdoctor]\n'
            'publisher = { owner = "octo-org", repository = "demo", workflow = "release.yml", environment = "prod" }\n')
    root = make_repo(tmp_path / "r", {".github/workflows/release.yml": PUBLISH_JOB, "pyproject.toml": text})
    assert at(findings(root), "PD203") == [("pyproject.toml", 5, 82)]


def test_malformed_declaration_is_an_input_error(tmp_path: Path) -> None:
    from conftest import check

    root = make_repo(tmp_path / "r", {"pyproject.toml": '[tool.pubdoctor.publisher]\nowner = "octo-org"\n'})
    result = check(root)
    assert result.exit_code == 2
    assert "pyproject.toml: [tool.pubdoctor.publisher]: repository: missing (owner, repository and workflow are required)" in result.output
