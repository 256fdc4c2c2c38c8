"""Output formats, selection, thresholds, colour and ``[tool.pubdoctor]`` settings."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import check

WF = ".github/workflows/release.yml"
#: one error (PD101), one warning (PD105), one info (PD110)
BODY = """
    on: push
    permissions:
      contents: read
    jobs:
      publish:
        runs-on: ubuntu-latest
        steps:
          - run: pipx run build
          - uses: pypa/gh-action-pypi-publish@release/v1
      token:
        runs-on: ubuntu-latest
        steps:
          - uses: pypa/gh-action-pypi-publish@release/v1
            with:
              password: ${{ secrets.PYPI_API_TOKEN }}
"""
TEXT_LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<code>PD\d{3}) "
                       r"\[(?P<name>[a-z0-9-]+)\] (?P<message>.+)$")


@pytest.fixture
def repo(write_repo) -> Path:
    return write_repo({WF: BODY})


def codes_of(result) -> list[str]:
    return [f["code"] for f in json.loads(result.output)["findings"]]


def test_text_shape(repo: Path) -> None:
    result = check(repo)
    lines = result.output.splitlines()
    assert lines[-1] == "Found 3 problems (1 error, 1 warning, 1 info)."
    notes = [line for line in lines[:-1] if line.startswith("note: ")]
    assert notes == ["note: no pyproject.toml: the version is unknown, so the version rules were skipped"]
    body = lines[len(notes):-1]
    assert len(body) == 6
    for finding, fix in zip(body[::2], body[1::2]):
        match = TEXT_LINE.match(finding)
        assert match, finding
        assert match["path"] == f"{repo}/{WF}"
        assert fix.startswith("  fix: ")
    assert [TEXT_LINE.match(x)["code"] for x in body[::2]] == ["PD101", "PD105", "PD110"]
    assert "\x1b[" not in result.output


def test_clean_text(write_repo) -> None:
    root = write_repo({"pyproject.toml": "[project]\nname = 'x'\nversion = '1'\n"})
    result = check(root)
    assert result.exit_code == 0
    assert result.output.splitlines()[-1] == "All checks passed!"


def test_json(repo: Path) -> None:
    data = json.loads(check(repo, "--format", "json").output)
    assert set(data) == {"root", "findings", "notes"}
    assert data["root"] == str(repo)
    first = data["findings"][0]
    assert set(first) == {"code", "name", "severity", "message", "fix", "location", "related"}
    assert first["location"] == {"path": WF, "uri": WF, "line": 5, "column": 3, "commit": None}
    assert [f["severity"] for f in data["findings"]] == ["error", "warning", "info"]


def test_sarif_structure(repo: Path) -> None:
    from pubdoctor.rules import all_rules

    document = json.loads(check(repo, "--format", "sarif").output)
    assert document["version"] == "2.1.0"
    assert document["$schema"].endswith("sarif-2.1.0.json")
    assert len(document["runs"]) == 1
    driver = document["runs"][0]["tool"]["driver"]
    assert driver["name"] == "pubdoctor"
    rules = driver["rules"]
    assert [r["id"] for r in rules] == [r.code for r in all_rules()]
    for rule in rules:
        assert rule["name"] and rule["shortDescription"]["text"] and rule["helpUri"].startswith("https://")
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
    results = document["runs"][0]["results"]
    assert [r["level"] for r in results] == ["error", "warning", "note"]
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["message"]["text"]
        physical = result["locations"][0]["physicalLocation"]
        assert physical["artifactLocation"]["uri"] == WF
        assert physical["region"]["startLine"] >= 1 and physical["region"]["startColumn"] >= 1


def test_github_annotations(repo: Path) -> None:
    lines = check(repo, "--format", "github").output.splitlines()
    assert lines[0] == "::notice::no pyproject.toml: the version is unknown, so the version rules were skipped"
    lines = lines[1:]
    assert [line.split(" ", 1)[0] for line in lines] == ["::error", "::warning", "::notice"]
    assert lines[0].startswith(f"::error file={repo}/{WF},line=5,col=3,title=PD101 missing-id-token::")
    assert "%0Afix: " in lines[0] and "\n" not in lines[0]


@pytest.mark.parametrize("option, expected", [
    (("--select", "PD101"), ["PD101"]),
    (("--select", "missing-id-token"), ["PD101"]),
    (("--select", "PD10"), ["PD101", "PD105"]),
    (("--select", "PD101,api-token-publishing"), ["PD101", "PD110"]),
    (("--select", "PD101", "--select", "PD105"), ["PD101", "PD105"]),
    (("--ignore", "PD1"), []),
    (("--ignore", "publish-in-build-job"), ["PD101", "PD110"]),
    (("--select", "PD1", "--ignore", "PD110"), ["PD101", "PD105"]),
    (("--severity", "warning"), ["PD101", "PD105"]),
    (("--severity", "ERROR"), ["PD101"]),
])
def test_selection_and_severity(repo: Path, option: tuple[str, ...], expected: list[str]) -> None:
    assert codes_of(check(repo, "--format", "json", *option)) == expected


@pytest.mark.parametrize("options, exit_code", [
    ((), 1),
    (("--fail-on", "error", "--ignore", "PD101"), 0),
    (("--fail-on", "warning", "--ignore", "PD101"), 1),
    (("--fail-on", "warning", "--select", "PD110"), 0),
    (("--fail-on", "info", "--select", "PD110"), 1),
    (("--severity", "error", "--fail-on", "info", "--ignore", "PD101"), 0),
    (("--fail-on", "fatal"), 2),
    (("--severity", "loud"), 2),
])
def test_fail_on_exit_codes(repo: Path, options: tuple[str, ...], exit_code: int) -> None:
    assert check(repo, *options).exit_code == exit_code


def test_settings_from_pyproject(write_repo) -> None:
    root = write_repo({WF: BODY, "pyproject.toml": """
        [tool.pubdoctor]
        ignore = ["PD101"]
        fail-on = "warning"
        severity = "warning"
    """})
    result = check(root, "--format", "json")
    assert codes_of(result) == ["PD105"]
    assert result.exit_code == 1
    assert codes_of(check(root, "--format", "json", "--severity", "info")) == ["PD105", "PD110"]


@pytest.mark.parametrize("table, message", [
    ("bogus = 1", "unknown setting 'bogus'"),
    ("fail-on = 'fatal'", "fail-on"),
    ("select = 'PD1'", "select"),
])
def test_bad_settings_exit_2(write_repo, table: str, message: str) -> None:
    root = write_repo({"pyproject.toml": f"[tool.pubdoctor]\n{table}\n"})
    result = check(root)
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output


def _on_a_terminal(root: Path, *args: str, no_color_env: bool) -> str:
    """Run pubdoctor with stdout on a pseudo-terminal and return what it printed."""
    import pty

    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    if no_color_env:
        env["NO_COLOR"] = "1"
    main, secondary = pty.openpty()
    try:
        process = subprocess.run([sys.executable, "-m", "pubdoctor", "check", str(root), "--offline", *args],
                                 stdout=secondary, stderr=subprocess.PIPE, env=env, timeout=60)
        assert process.returncode == 1
        os.close(secondary)
        chunks = []
        while True:
            try:
                chunk = os.read(main, 65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks).decode()
    finally:
        os.close(main)


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_colour_on_a_terminal_unless_disabled(repo: Path) -> None:
    assert "\x1b[" in _on_a_terminal(repo, no_color_env=False)
    assert "\x1b[" not in _on_a_terminal(repo, "--no-color", no_color_env=False)
    assert "\x1b[" not in _on_a_terminal(repo, no_color_env=True)


@pytest.mark.parametrize("option", ["--select", "--ignore"])
def test_a_selector_that_matches_no_rule_is_a_usage_error(repo: Path, option: str) -> None:
    result = check(repo, option, "PD1,no-such-rule")
    assert result.exit_code == 2
    assert "'no-such-rule' matches no rule" in result.output


@pytest.mark.parametrize(("key", "value"), [("select", '["PD1", "no-such-rule"]'), ("ignore", '[""]'),
                                            ("select", '["  "]')])
def test_a_selector_in_pyproject_that_matches_no_rule_names_the_file(write_repo, key: str,
                                                                      value: str) -> None:
    root = write_repo({"pyproject.toml": f"[tool.pubdoctor]\n{key} = {value}\n"})
    result = check(root, "--select", "PD1")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"pubdoctor: error: pyproject.toml: [tool.pubdoctor] {key}: "
        f"{json.loads(value)[-1]!r} matches no rule (`pubdoctor rule` lists them)"]


@pytest.mark.parametrize("value", ["-1", "0", "nan", "inf", "1e308"])
def test_a_timeout_that_is_not_a_number_of_seconds_is_refused(write_repo, value: str) -> None:
    root = write_repo({"pyproject.toml": '[project]\nname = "a"\n'})
    result = check(root, "--timeout", value)
    assert result.exit_code == 2 and "Invalid value for --timeout" in result.stderr
    root = write_repo({"pyproject.toml": f'[project]\nname = "a"\n[tool.pubdoctor]\ntimeout = {value}\n'},
                      name="configured")
    result = check(root)
    assert result.exit_code == 2
    assert result.stderr.startswith("pubdoctor: error: pyproject.toml: [tool.pubdoctor]: timeout: ")
    assert len(result.stderr.splitlines()) == 1
