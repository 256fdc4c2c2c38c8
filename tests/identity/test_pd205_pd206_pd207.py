"""PD205 project name, PD206 workflow spelled as the index will not take it, PD207 undeclared index."""

from __future__ import annotations

from pathlib import Path

from conftest import at, findings
from identity_helpers import PUBLISH_JOB, declared, make_repo

WORKFLOW = {".github/workflows/release.yml": PUBLISH_JOB}
TESTPYPI_STEP = ("      - uses: pypa/gh-action-pypi-publish@release/v1\n"
                 "        with:\n          repository-url: https://test.pypi.org/legacy/\n")


def codes_at(root: Path, code: str, *args: str) -> list[tuple[str, int, int, str]]:
    return [(f["location"]["path"], f["location"]["line"], f["location"]["column"], f["severity"])
            for f in findings(root, *args) if f["code"] == code]


# --- PD205 ---------------------------------------------------------------------------------

def test_pd205_other_project(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {**WORKFLOW, "pyproject.toml": declared(name="demo-pkg", project="demo")})
    assert codes_at(root, "PD205") == [("pyproject.toml", 10, 1, "error")]
    finding = next(f for f in findings(root) if f["code"] == "PD205")
    assert "pending publisher" in finding["fix"] and "Non-user identities" in finding["fix"]


def test_pd205_normalized_names_agree(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {**WORKFLOW, "pyproject.toml": declared(name="Demo_Pkg", project="demo.pkg")})
    assert codes_at(root, "PD205") == []


def test_pd205_poetry_name(tmp_path: Path) -> None:
    text = declared(project="other").replace('[project]\nname = "demo"\nversion = "1.0"',
                                             '[tool.poetry]\nname = "demo"\nversion = "1.0"')
    root = make_repo(tmp_path / "r", {**WORKFLOW, "pyproject.toml": text})
    assert codes_at(root, "PD205") == [("pyproject.toml", 10, 1, "error")]
    assert "[tool.poetry] name is `demo`" in findings(root)[0]["message"]


def test_pd205_no_declared_project(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {**WORKFLOW, "pyproject.toml": declared(name="anything")})
    assert codes_at(root, "PD205") == []


# --- PD206 ---------------------------------------------------------------------------------

def test_pd206_yaml_for_yml(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {**WORKFLOW, "pyproject.toml": declared(workflow="release.yaml")})
    assert codes_at(root, "PD206") == [("pyproject.toml", 8, 1, "error")]
    assert codes_at(root, "PD202") == []


def test_pd206_case(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {**WORKFLOW, "pyproject.toml": declared(workflow="Release.yml")})
    assert codes_at(root, "PD206") == [("pyproject.toml", 8, 1, "error")]


def test_pd206_path(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {**WORKFLOW, "pyproject.toml": declared(workflow=".github/workflows/release.yml")})
    assert codes_at(root, "PD206") == [("pyproject.toml", 8, 1, "warning")]
    assert [f["code"] for f in findings(root) if f["severity"] == "error"] == []


def test_pd206_display_name(tmp_path: Path) -> None:
    named = "name: Upload Python Package\n" + PUBLISH_JOB.lstrip("\n")
    root = make_repo(tmp_path / "r", {".github/workflows/release.yml": named,
                                      "pyproject.toml": declared(workflow="Upload Python Package")})
    found = [f for f in findings(root) if f["code"] == "PD206"]
    assert [(f["location"]["line"], f["severity"]) for f in found] == [(8, "warning")]
    assert "`release.yml`" in found[0]["message"]


def test_pd206_no_extension(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {**WORKFLOW, "pyproject.toml": declared(workflow="release")})
    assert codes_at(root, "PD206") == [("pyproject.toml", 8, 1, "warning")]


def test_pd206_right_name_passes(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {**WORKFLOW, "pyproject.toml": declared()})
    assert codes_at(root, "PD206") == []


def test_pd206_command_line_path(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", WORKFLOW)
    found = codes_at(root, "PD206", "--publisher", "octo-org/demo/.github/workflows/release.yml@pypi")
    assert found == [(".github/workflows/release.yml", 5, 3, "warning")]


# --- PD207 ---------------------------------------------------------------------------------

BOTH = {".github/workflows/release.yml": PUBLISH_JOB + TESTPYPI_STEP}

LIST_FORM = """
[project]
name = "demo"
version = "1.0"

[[tool.pubdoctor.publisher]]
owner = "octo-org"
repository = "demo"
workflow = "release.yml"
environment = "pypi"
index = "https://pypi.org"

[[tool.pubdoctor.publisher]]
owner = "octo-org"
repository = "demo"
workflow = "release.yml"
environment = "{testpypi_env}"
index = "https://test.pypi.org"
"""


def test_pd207_testpypi_not_declared(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {**BOTH, "pyproject.toml": declared()})
    assert codes_at(root, "PD207") == [(".github/workflows/release.yml", 12, 9, "warning")]
    message = next(f for f in findings(root) if f["code"] == "PD207")["message"]
    assert "a publisher added on PyPI does not exist on TestPyPI" in message


def test_pd207_list_form_covers_both(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {**BOTH, "pyproject.toml": LIST_FORM.format(testpypi_env="pypi")})
    assert [f["code"] for f in findings(root) if f["code"].startswith("PD2")] == []


def test_list_form_locations_point_at_the_right_entry(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {**BOTH, "pyproject.toml": LIST_FORM.format(testpypi_env="testpypi")})
    assert at(findings(root), "PD203") == [("pyproject.toml", 16, 1)]


def test_inline_table_locations(tmp_path: Path) -> None:
    text = ('[project]\nname = "demo"\n\n[tool.pubdoctor]\npublisher = [\n'
            '  { owner = "octo-org", repository = "demo", workflow = "release.yml", environment = "pypi" },\n'
            '  { owner = "octo-org", repository = "demo", workflow = "rel.yml", index = "testpypi" },\n]\n')
    root = make_repo(tmp_path / "r", {**BOTH, "pyproject.toml": text})
    assert at(findings(root), "PD202") == [("pyproject.toml", 7, 46)]


def test_pd207_silent_without_declarations(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", BOTH)
    assert [f["code"] for f in findings(root) if f["code"].startswith("PD2")] == []
