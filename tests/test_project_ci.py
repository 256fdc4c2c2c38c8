"""The project's own CI: its workflows pass `pubdoctor check`, and its Action runs what it says.

The Action's steps are shell scripts run here with the variables GitHub sets (the install
step excepted: pubdoctor is already installed in the test environment).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from conftest import git

ROOT = Path(__file__).resolve().parents[1]
ACTION = YAML(typ="safe").load((ROOT / "action.yml").read_text(encoding="utf-8"))
BIN = str(Path(sys.executable).parent)


def pubdoctor(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pubdoctor", *args], capture_output=True,
                          text=True, cwd=cwd)


def test_the_project_passes_its_own_check() -> None:
    result = pubdoctor("check", "--offline", "--format", "json")
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout)["findings"] == []


def test_the_project_passes_with_its_github_remote(tmp_path: Path) -> None:
    """With the remote the workflows will run in, the publisher declaration is compared too."""
    copy = tmp_path / "pubdoctor"
    copy.mkdir()
    shutil.copytree(ROOT / ".github", copy / ".github")
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    git(copy, "init", "-q", "-b", "main")
    git(copy, "remote", "add", "origin", "https://github.com/pubdoctor/pubdoctor.git")
    git(copy, "add", "-A")
    git(copy, "commit", "-q", "--no-gpg-sign", "-m", "ci: workflows")
    result = pubdoctor("check", "--offline", "--format", "json", str(copy))
    assert result.returncode == 0, result.stdout + result.stderr
    data = json.loads(result.stdout)
    assert data["findings"] == [] and not [n for n in data["notes"] if "remote" in n["message"]]


def test_release_builds_and_publishes_in_separate_jobs() -> None:
    workflow = YAML(typ="safe").load((ROOT / ".github/workflows/release.yml").read_text())
    build, publish = workflow["jobs"]["build"], workflow["jobs"]["publish"]
    assert "permissions" not in build and workflow["permissions"] == {"contents": "read"}
    assert publish["permissions"] == {"id-token": "write"} and publish["needs"] == "build"
    assert [s.get("uses", "").split("@")[0] for s in publish["steps"]] == [
        "actions/download-artifact", "pypa/gh-action-pypi-publish"]
    assert workflow["on"] == {"push": {"tags": ["v*"]}}


def _steps(name: str) -> dict:
    return next(step for step in ACTION["runs"]["steps"] if step["name"] == name)


def test_action_inputs_are_defined_and_never_expanded_into_scripts() -> None:
    assert ACTION["runs"]["using"] == "composite"
    text = (ROOT / "action.yml").read_text(encoding="utf-8")
    used = set(re.findall(r"\binputs\.([\w-]+)", text))
    assert used == set(ACTION["inputs"])  # every input is used, every use is an input
    for step in ACTION["runs"]["steps"]:
        assert "${{" not in step.get("run", ""), step["name"]  # through env: no injection
        if "run" in step:
            assert step["shell"] == "bash"


def _run_step(name: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    step = _steps(name)
    variables = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", **env}
    return subprocess.run(["bash", "-e", "-c", step["run"]], capture_output=True, text=True,
                          cwd=cwd, env=variables)


def test_action_check_step_annotates_and_fails_on_the_broken_example(tmp_path: Path) -> None:
    result = _run_step("pubdoctor check", {"CHECK_PATH": "examples/broken",
                                           "ARGS": "--offline --fail-on error"}, ROOT)
    assert result.returncode == 1
    # absolute: the runner maps it onto the workspace wherever the checkout is
    assert f"::error file={ROOT}/examples/broken/.github/workflows/release.yml,line=11" in result.stdout


def test_action_sarif_step_writes_a_file_and_does_not_fail(tmp_path: Path) -> None:
    target = tmp_path / "out.sarif"
    result = _run_step("pubdoctor check (SARIF)", {"CHECK_PATH": "examples/broken",
                                                   "ARGS": "--offline", "SARIF_FILE": str(target)},
                       ROOT)
    assert result.returncode == 0, result.stderr
    results = json.loads(target.read_text())["runs"][0]["results"]
    assert {r["ruleId"] for r in results} >= {"PD101", "PD202"}
    upload = _steps("upload SARIF to code scanning")
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@")
    assert upload["with"]["sarif_file"] == "${{ inputs.sarif-file }}"


def test_action_diagnose_step_explains_a_log(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    result = _run_step("pubdoctor diagnose", {
        "LOG": str(ROOT / "examples/logs/release-missing-id-token.log"), "JOB": "", "ARGS": "",
        "CHECK_PATH": "examples/broken", "RUNNER_TEMP": str(tmp_path),
        "GITHUB_STEP_SUMMARY": str(summary)}, ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("cause: missing-id-token")
    assert summary.read_text().startswith("## pubdoctor diagnose\n```text\ncause: missing-id-token")


@pytest.mark.parametrize("name", ["tests.yml", "release.yml"])
def test_workflows_pin_actions_to_a_major_version(name: str) -> None:
    workflow = YAML(typ="safe").load((ROOT / ".github/workflows" / name).read_text())
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            if "uses" in step:
                assert re.search(r"@(v\d+|release/v1)$", step["uses"]), step["uses"]
