"""PD301/PD302 read what release-please reads: its config and manifest where the workflow's
`config-file:`/`manifest-file:` inputs put them, its tags (`include-v-in-tag`), never a commit
before `bootstrap-sha`."""

from __future__ import annotations

from pathlib import Path

from conftest import findings, git
from history_repo import commit, init

WORKFLOW = """
on:
  push:
    branches: [main]
permissions:
  contents: write
  pull-requests: write
jobs:
  release-please:
    runs-on: ubuntu-latest
    steps:
      - uses: googleapis/release-please-action@v4
        with:
          config-file: .github/release-please-config.json
          manifest-file: .github/.release-please-manifest.json
"""


def _repo(root: Path, manifest: str | None, bootstrap: bool = True) -> tuple[Path, list[str]]:
    init(root, {".github/workflows/release.yml": WORKFLOW})
    old = [commit(root, "Initial import"), commit(root, "WIP stuff"), commit(root, "more")]
    config = {"release-type": "python", "include-v-in-tag": False,
              "packages": {".": {}}}
    if bootstrap:
        config["bootstrap-sha"] = old[-1]
    import json

    (root / ".github").mkdir(exist_ok=True)
    (root / ".github/release-please-config.json").write_text(json.dumps(config), encoding="utf-8")
    if manifest:
        (root / ".github/.release-please-manifest.json").write_text(
            json.dumps({".": manifest}), encoding="utf-8")
    return root, old


def test_no_commit_before_the_bootstrap_sha(tmp_path: Path) -> None:
    root, old = _repo(tmp_path / "r", None)
    commit(root, "chore: set up release-please")
    bad = commit(root, "Update things")
    found = findings(root, "--select", "PD301,PD302")
    pd301 = [f for f in found if f["code"] == "PD301"]
    assert [f["location"]["commit"] for f in pd301] == [bad[:7]]
    assert f"since bootstrap-sha {old[-1][:7]}" in pd301[0]["message"]
    pd302 = [f for f in found if f["code"] == "PD302"]
    assert len(pd302) == 1 and "none of the 2 commits" in pd302[0]["message"]


def test_tag_without_v_from_the_manifest_in_github_folder(tmp_path: Path) -> None:
    root, _ = _repo(tmp_path / "r", "1.3.1")
    commit(root, "chore: release 1.3.1", tag="1.3.1")
    bad = commit(root, "tweak")
    commit(root, "docs: readme")
    found = findings(root, "--select", "PD301,PD302")
    pd301 = [f for f in found if f["code"] == "PD301"]
    assert [f["location"]["commit"] for f in pd301] == [bad[:7]]
    assert "since 1.3.1" in pd301[0]["message"] and "no release tag yet" not in pd301[0]["message"]
    pd302 = [f for f in found if f["code"] == "PD302"]
    assert "since 1.3.1" in pd302[0]["message"] and "would release 1.3.2" in pd302[0]["message"]
    commit(root, "feat: a feature")
    assert [f["code"] for f in findings(root, "--select", "PD302")] == []


def test_findings_in_history_order(tmp_path: Path) -> None:
    root, _ = _repo(tmp_path / "r", "1.0.0")
    commit(root, "chore: release", tag="1.0.0")
    shas = [commit(root, f"change number {i}") for i in range(6)]
    found = findings(root, "--select", "PD301")
    assert [f["location"]["commit"] for f in found] == [s[:7] for s in reversed(shas)]
    assert git(root, "log", "--format=%h", "-6", "--abbrev=7").split() == [s[:7] for s in reversed(shas)]
