"""SARIF that code scanning accepts: the 2.1.0 schema and GitHub's documented rules.

The schema is OASIS's ``sarif-schema-2.1.0.json`` (tests/data/, vendored: no network in
tests). GitHub's rules for uploaded files ("SARIF support for code scanning" and "About code
scanning limits on SARIF results"): every result has a location, its ``ruleId`` is one of the
driver's rules, and at most 20 runs per file, 25,000 results and rules per run, 1,000
locations per result and 20 tags per rule.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft7Validator

from conftest import check
from history_repo import PSR, repo as history_repo

SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text())
LEVELS = {"none", "note", "warning", "error"}
RELEASE = """
    on:
      push:
        branches: [main]
    permissions:
      contents: read
    jobs:
      release:
        runs-on: ubuntu-latest
        steps:
          - uses: actions/checkout@v4
            with:
              fetch-depth: 0
          - uses: python-semantic-release/python-semantic-release@v9
          - run: pipx run build
          - uses: pypa/gh-action-pypi-publish@release/v1
"""


def assert_github_accepts(document: dict) -> None:
    """What GitHub documents for an uploaded SARIF file, checked on ``document``."""
    Draft7Validator(SCHEMA).validate(document)
    assert document["version"] == "2.1.0"
    assert 1 <= len(document["runs"]) <= 20
    for run in document["runs"]:
        rules = run["tool"]["driver"]["rules"]
        ids = [rule["id"] for rule in rules]
        assert len(ids) == len(set(ids)) and len(rules) <= 25_000
        assert all(len(rule.get("properties", {}).get("tags", [])) <= 20 for rule in rules)
        assert len(run["results"]) <= 25_000
        bases = run.get("originalUriBaseIds", {})
        for result in run["results"]:
            assert result["ruleId"] in ids
            assert ids[result["ruleIndex"]] == result["ruleId"]
            assert result["level"] in LEVELS and result["message"]["text"]
            assert 1 <= len(result["locations"]) <= 1000
            for location in result["locations"] + result.get("relatedLocations", []):
                artifact = location["physicalLocation"]["artifactLocation"]
                assert not artifact["uri"].startswith("/") and ".." not in artifact["uri"]
                assert artifact["uriBaseId"] in bases
            assert result["partialFingerprints"]
    assert all(base["uri"].startswith("file:///") and base["uri"].endswith("/")
               for run in document["runs"] for base in run.get("originalUriBaseIds", {}).values())


def sarif(root: Path, *args: str) -> dict:
    result = check(root, "--format", "sarif", *args)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.output)


@pytest.fixture
def history(tmp_path: Path) -> Path:
    """A tagged repository with a non-conventional commit since the tag (PD301, PD302)."""
    return history_repo(tmp_path / "repo", {"pyproject.toml": PSR,
                                             ".github/workflows/release.yml": RELEASE},
                        [("chore: release", "v1.0.0"), "Update the readme"])


def test_commit_findings_are_located_at_the_release_tool(history: Path) -> None:
    document = sarif(history, "--select", "PD3")
    assert_github_accepts(document)
    results = document["runs"][0]["results"]
    commits = [r for r in results if r["ruleId"] in ("PD301", "PD302")]
    assert {r["ruleId"] for r in commits} == {"PD301", "PD302"}
    table = [line.strip() for line in PSR.strip().splitlines()].index("[tool.semantic_release]")
    for result in commits:
        commit = result["properties"]["commit"]
        assert len(commit) == 7 and result["partialFingerprints"]["commit/v1"] == commit
        assert result["message"]["text"].startswith(f"commit {commit}: ")
        artifact = result["locations"][0]["physicalLocation"]["artifactLocation"]
        assert artifact == {"uri": "pyproject.toml", "uriBaseId": "%SRCROOT%"}
        assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == table + 1
    base = document["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert base == history.resolve().as_uri() + "/"


def test_commit_findings_point_at_the_workflow_step_without_configuration(tmp_path: Path) -> None:
    pyproject = "[project]\nname = 'demo'\nversion = '1.0.0'\n"
    root = history_repo(tmp_path / "repo", {"pyproject.toml": pyproject,
                                             ".github/workflows/release.yml": RELEASE},
                        [("chore: release", "v1.0.0"), "Update the readme"])
    document = sarif(root, "--select", "PD301")
    assert_github_accepts(document)
    results = document["runs"][0]["results"]
    assert results
    for result in results:
        physical = result["locations"][0]["physicalLocation"]
        assert physical["artifactLocation"]["uri"] == ".github/workflows/release.yml"
        assert physical["region"]["startLine"] == 13  # the semantic-release step's `uses`


def test_uris_are_relative_to_the_repository_top(tmp_path: Path) -> None:
    """A package in a sub-folder: URIs start at the top, where code scanning resolves them."""
    pkg = "[project]\nname = 'demo'\nversion = '1.0.0'\n"
    root = history_repo(tmp_path / "repo", {"packages/demo/pyproject.toml": pkg,
                                             ".github/workflows/release.yml": RELEASE}, ["feat: x"])
    document = sarif(root / "packages" / "demo")
    assert_github_accepts(document)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in document["runs"][0]["results"]}
    assert ".github/workflows/release.yml" in uris
    # the text output names the same file, from where pubdoctor ran
    text = check(root / "packages" / "demo").output
    assert f"{root}/.github/workflows/release.yml:" in text


def test_example_subfolder_uris_and_paths_agree() -> None:
    examples = Path(__file__).resolve().parents[1] / "examples" / "broken"
    document = sarif(examples)
    assert_github_accepts(document)
    data = json.loads(check(examples, "--format", "json").output)
    text = check(examples).output
    run = document["runs"][0]
    top = Path(run["originalUriBaseIds"]["%SRCROOT%"]["uri"].removeprefix("file://"))
    for result, finding in zip(run["results"], data["findings"]):
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert uri == finding["location"]["uri"]
        assert (top / uri).resolve() == (Path(data["root"]) / finding["location"]["path"]).resolve()
        shown = f"{data['root']}/{finding['location']['path']}:{finding['location']['line']}:"
        assert shown in text


def test_notes_are_tool_execution_notifications(write_repo) -> None:
    root = write_repo({".github/workflows/release.yml": RELEASE})
    document = sarif(root)
    assert_github_accepts(document)
    notes = document["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert any("no pyproject.toml" in n["message"]["text"] for n in notes)
    assert {n["level"] for n in notes} <= {"note", "warning"}


def test_rules_carry_their_catalogue_page(write_repo) -> None:
    document = sarif(write_repo({".github/workflows/release.yml": RELEASE}))
    rules = document["runs"][0]["tool"]["driver"]["rules"]
    pd101 = next(rule for rule in rules if rule["id"] == "PD101")
    page = (Path(__file__).resolve().parents[1] / "rules" / "PD101.md").read_text()
    assert pd101["help"]["markdown"] == page
    assert all(rule["help"]["markdown"].startswith(f"# {rule['id']} ") for rule in rules)


def test_fingerprints_are_stable_across_runs_and_edits(history: Path) -> None:
    def prints() -> list[dict]:
        return [r["partialFingerprints"] for r in sarif(history)["runs"][0]["results"]]

    first = prints()
    assert first == prints()
    fingerprints = [p["pubdoctor/v1"] for p in first]
    assert len(fingerprints) == len(set(fingerprints))
    # a line added above the findings moves them, not their fingerprints
    workflow = history / ".github/workflows/release.yml"
    workflow.write_text("# a comment\n" + workflow.read_text())
    assert prints() == first


def test_an_empty_run_validates(write_repo) -> None:
    document = sarif(write_repo({"pyproject.toml": "[project]\nname = 'x'\nversion = '1'\n"}))
    assert_github_accepts(document)
    assert document["runs"][0]["results"] == []
