"""The options users know from ruff: --output-file, --exit-zero, --statistics, --color, -q,
and the summary line that never says "All checks passed!" when something was left out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import check, run_cli
from pubdoctor.commands.options import resolve_color

WF = ".github/workflows/release.yml"
#: PD101 (error) and PD105 (warning) on one job
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
"""
PYPROJECT = "[project]\nname = 'demo'\nversion = '1.0'\n"


@pytest.fixture
def repo(write_repo) -> Path:
    return write_repo({WF: BODY, "pyproject.toml": PYPROJECT})


def test_output_file_gets_the_output_and_the_exit_code_stays(repo: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "report.sarif"
    target.parent.mkdir()
    result = check(repo, "--format", "sarif", "--output-file", str(target))
    assert result.exit_code == 1 and result.stdout == ""
    assert {r["ruleId"] for r in json.loads(target.read_text())["runs"][0]["results"]} == {
        "PD101", "PD105"}


def test_output_file_that_cannot_be_written_is_exit_2(repo: Path, tmp_path: Path) -> None:
    result = check(repo, "-o", str(tmp_path / "missing" / "x.txt"))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"pubdoctor: error: {tmp_path / 'missing' / 'x.txt'}: cannot write")


def test_exit_zero(repo: Path) -> None:
    result = check(repo, "--exit-zero")
    assert result.exit_code == 0 and "PD101" in result.stdout
    assert check(repo, "--exit-zero", "--select", "PD999").exit_code == 2


def test_statistics(repo: Path) -> None:
    result = check(repo, "--statistics")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == ["1  PD101  [missing-id-token]  error",
                                          "1  PD105  [publish-in-build-job]  warning"]
    data = json.loads(check(repo, "--statistics", "--format", "json").stdout)
    assert data == [{"code": "PD101", "name": "missing-id-token", "severity": "error", "count": 1},
                    {"code": "PD105", "name": "publish-in-build-job", "severity": "warning",
                     "count": 1}]
    assert check(repo, "--statistics", "--format", "sarif").exit_code == 2


def test_quiet_prints_the_findings_only(write_repo) -> None:
    root = write_repo({WF: BODY})  # no pyproject.toml: a note
    loud = check(root).stdout.splitlines()
    assert loud[0].startswith("note: ") and loud[-1].startswith("Found 2 problems")
    quiet = check(root, "-q").stdout.splitlines()
    assert quiet == [line for line in loud if not line.startswith("note: ")][:-1]
    clean = write_repo({"pyproject.toml": PYPROJECT}, name="clean")
    assert check(clean, "--quiet").stdout == ""


@pytest.mark.parametrize("args,env,coloured", [
    (["--color", "always"], {}, True),
    (["--color", "never"], {"FORCE_COLOR": "1"}, False),
    (["--color", "auto"], {"FORCE_COLOR": "1"}, True),
    ([], {"FORCE_COLOR": "1"}, True),
    ([], {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
    ([], {}, False),  # not a terminal
    (["--no-color", "--color", "always"], {}, False),
])
def test_color(repo: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], env: dict,
               coloured: bool) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    result = run_cli("check", str(repo), "--offline", *args)
    assert ("\x1b[" in result.stdout) is coloured


def test_color_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    assert resolve_color(None, tty=True) and not resolve_color(None, tty=False)
    monkeypatch.setenv("FORCE_COLOR", "")  # empty: not set
    assert not resolve_color("auto", tty=False)


def test_findings_below_severity_are_not_a_pass(write_repo) -> None:
    root = write_repo({WF: BODY.replace("- run: pipx run build\n", "")
                       .replace("contents: read", "id-token: write"),
                       "pyproject.toml": PYPROJECT})
    assert check(root).stdout.splitlines()[-1] == "All checks passed!"
    both = write_repo({WF: BODY.replace("contents: read", "id-token: write"),
                       "pyproject.toml": PYPROJECT}, name="warn")
    result = check(both, "--severity", "error")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == ("No problems at or above --severity; 1 below it "
                                              "not shown.")


def test_an_explicitly_selected_rule_that_did_not_run_is_not_a_pass(repo: Path) -> None:
    # PD401 needs the package index, which --offline does not contact
    result = check(repo, "--select", "PD401")
    last = result.stdout.splitlines()[-1]
    assert "All checks passed!" not in result.stdout
    assert last == "No problems found, but PD401, selected with --select, did not run."
    # a prefix is not a rule named explicitly: nothing to say when PD4 runs nothing offline
    assert check(repo, "--select", "PD4").stdout.splitlines()[-1] != last
