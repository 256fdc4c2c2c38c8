"""Bad input never gives a traceback, and pubdoctor never writes to the repository.

Each case runs the real command (``python -m pubdoctor``) in a subprocess, so what is checked
is what a user sees: the exit code, stdout and stderr.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

WF = ".github/workflows"
PUBLISH = """\
on: push
jobs:
  publish:
    runs-on: ubuntu-latest
    permissions:
      id-token: write
    steps:
      - uses: pypa/gh-action-pypi-publish@release/v1
"""


def listing(root: Path) -> list[tuple[str, int]]:
    if not root.exists():
        return []
    return sorted((str(p.relative_to(root)), p.lstat().st_size) for p in root.rglob("*"))


def run(target: Path | str, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``pubdoctor check TARGET --offline ARGS``; asserts no traceback and no write."""
    root = Path(target)
    before = listing(root) if root.is_dir() else None
    env = {**os.environ, "NO_COLOR": "1", "PUBDOCTOR_DEBUG": ""}
    result = subprocess.run([sys.executable, "-m", "pubdoctor", "check", str(target), "--offline", *args],
                            capture_output=True, text=True, env=env, cwd=cwd, timeout=120)
    assert "Traceback" not in result.stderr + result.stdout
    assert "internal error" not in result.stderr
    if before is not None:
        assert listing(root) == before, "pubdoctor wrote into the repository"
    return result


def workflow_findings(root: Path) -> list[dict]:
    result = run(root, "--format", "json")
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)["findings"]


def make(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    root = tmp_path / "repo"
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def test_missing_folder(tmp_path: Path) -> None:
    result = run(tmp_path / "nope")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"pubdoctor: error: {tmp_path / 'nope'}: no such directory"]


def test_file_instead_of_folder(tmp_path: Path) -> None:
    target = tmp_path / "release.yml"
    target.write_text(PUBLISH)
    result = run(target)
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1 and "not a directory" in result.stderr


def test_malformed_yaml_is_a_finding_with_the_parser_line(tmp_path: Path) -> None:
    root = make(tmp_path, {f"{WF}/bad.yml": "on: push\njobs:\n  publish: [\n",
                           f"{WF}/good.yml": PUBLISH})
    found = workflow_findings(root)
    pd100 = [f for f in found if f["code"] == "PD100"]
    assert [(f["location"]["path"], f["location"]["line"]) for f in pd100] == [(f"{WF}/bad.yml", 4)]
    assert "invalid YAML" in pd100[0]["message"]


def test_workflow_without_on_or_jobs_is_a_finding(tmp_path: Path) -> None:
    # GitHub's schema requires `on:` and a mapping of `jobs:`; it refuses the file otherwise
    root = make(tmp_path, {f"{WF}/noon.yml": "jobs:\n  a:\n    runs-on: x\n    steps: [{run: x}]\n",
                           f"{WF}/nojobs.yml": "on: push\n",
                           f"{WF}/list.yml": "name: x\non: push\njobs: [1]\n",
                           f"{WF}/good.yml": PUBLISH})
    pd100 = [f for f in workflow_findings(root) if f["code"] == "PD100"]
    assert [(f["location"]["path"], f["location"]["line"], f["message"].split(";")[0])
            for f in pd100] == [
        (f"{WF}/list.yml", 3, "`jobs:` is missing or is not a mapping of jobs"),
        (f"{WF}/nojobs.yml", 1, "`jobs:` is missing or is not a mapping of jobs"),
        (f"{WF}/noon.yml", 1, "no `on:` (the events that run it)"),
    ]


def test_malformed_toml_is_one_line_and_exit_2(tmp_path: Path) -> None:
    root = make(tmp_path, {"pyproject.toml": '[project]\nname = "x"\nversion = \n', f"{WF}/r.yml": PUBLISH})
    result = run(root)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "pyproject.toml" in lines[0] and "line 3" in lines[0]


def test_toml_nested_too_deeply_is_one_line_and_exit_2(tmp_path: Path) -> None:
    root = make(tmp_path, {"pyproject.toml": "x = " + "[" * 1500 + "]" * 1500 + "\n", f"{WF}/r.yml": PUBLISH})
    result = run(root)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "pubdoctor: error: pyproject.toml: invalid TOML: arrays or tables nested too deeply"]


@pytest.mark.parametrize("content, message", [
    (b"on: push\x00\xff\xfe" * 100, "binary file"),
    ("on: push\nname: caf\u00e9\n".encode("latin-1"), "not valid UTF-8"),
    (b"", "empty workflow file"),
    (b"# only a comment\n", "empty workflow file"),
    (b"- just\n- a list\n", "not a workflow"),
])
def test_unreadable_workflow_files(tmp_path: Path, content: bytes, message: str) -> None:
    root = make(tmp_path, {f"{WF}/odd.yml": content, f"{WF}/good.yml": PUBLISH})
    found = workflow_findings(root)
    assert [(f["code"], f["location"]["path"]) for f in found] == [("PD100", f"{WF}/odd.yml")]
    assert message in found[0]["message"]


def test_fifty_megabyte_workflow(tmp_path: Path) -> None:
    root = make(tmp_path, {f"{WF}/good.yml": PUBLISH})
    with open(root / WF / "huge.yml", "wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    found = workflow_findings(root)
    assert [f["code"] for f in found] == ["PD100"] and "too large" in found[0]["message"]


def test_symlink_loop_and_dangling_link(tmp_path: Path) -> None:
    root = make(tmp_path, {f"{WF}/good.yml": PUBLISH})
    (root / WF / "a.yml").symlink_to("b.yml")
    (root / WF / "b.yml").symlink_to("a.yml")
    (root / WF / "gone.yml").symlink_to("missing.yml")
    (root / "loop").symlink_to(root)
    found = workflow_findings(root)
    assert sorted(f["location"]["path"] for f in found) == [f"{WF}/a.yml", f"{WF}/b.yml", f"{WF}/gone.yml"]
    assert {f["code"] for f in found} == {"PD100"}


def test_repository_without_workflows(tmp_path: Path) -> None:
    root = make(tmp_path, {"pyproject.toml": '[project]\nname = "x"\nversion = "1"\n'})
    result = run(root)
    assert result.returncode == 0
    assert "no workflows" in result.stdout


def test_anchors_aliases_and_merge_keys(tmp_path: Path) -> None:
    root = make(tmp_path, {f"{WF}/r.yml": """\
on: push
x-perm: &perm
  contents: read
jobs:
  publish:
    runs-on: ubuntu-latest
    permissions:
      <<: *perm
      id-token: write
    steps: &steps
      - uses: pypa/gh-action-pypi-publish@release/v1
  other:
    runs-on: ubuntu-latest
    permissions: *perm
    steps: *steps
"""})
    found = workflow_findings(root)
    assert [(f["code"], f["location"]["line"]) for f in found] == [("PD101", 14)]


def test_yaml_1_1_on_is_true_and_flow_style(tmp_path: Path) -> None:
    root = make(tmp_path, {f"{WF}/r.yml": """\
%YAML 1.1
---
on: [pull_request]
jobs: {publish: {runs-on: ubuntu-latest, permissions: {id-token: write}, steps: [{uses: pypa/gh-action-pypi-publish@release/v1}]}}
"""})
    found = workflow_findings(root)
    assert [(f["code"], f["location"]["line"], f["location"]["column"]) for f in found] == [("PD103", 4, 8)]


def test_duplicate_keys_are_reported_and_the_rest_checked(tmp_path: Path) -> None:
    root = make(tmp_path, {f"{WF}/r.yml": """\
"on": push
jobs:
  publish:
    runs-on: ubuntu-latest
    steps:
      - uses: pypa/gh-action-pypi-publish@release/v1
  publish:
    runs-on: ubuntu-latest
    steps: []
"""})
    found = workflow_findings(root)
    assert [(f["code"], f["location"]["line"], f["location"]["column"]) for f in found] == [
        ("PD101", 3, 3), ("PD100", 7, 3)]
    assert "duplicate key" in found[1]["message"]


def test_multi_document_file_reads_the_first_document(tmp_path: Path) -> None:
    root = make(tmp_path, {f"{WF}/r.yml": "---\n" + PUBLISH.replace("release/v1", "master")
                           + "---\non: push\njobs: {}\n"})
    found = workflow_findings(root)
    assert [(f["code"], f["location"]["line"]) for f in found] == [("PD104", 9)]


def test_unknown_setting_is_a_usage_error(tmp_path: Path) -> None:
    root = make(tmp_path, {"pyproject.toml": "[tool.pubdoctor]\nbogus = 1\n"})
    result = run(root)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "pubdoctor: error: pyproject.toml: [tool.pubdoctor]: unknown setting 'bogus' (known: select, "
        "ignore, severity, fail-on, offline, timeout, index-url, remote, per-file-ignores, publisher, "
        "commit-types)"]
