"""The models of `pubdoctor.sources.nextversion` where no real tool runs in the tests
(release-please, semantic-release, python-semantic-release 9, unknown cases)."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import git
from history_repo import commit, init


def predict(root: Path):  # noqa: ANN201 - the predictions
    from pubdoctor.context import Context
    from pubdoctor.settings import Settings

    return Context(Settings(root=root, offline=True)).get("predictions")


def only(root: Path):  # noqa: ANN201
    found = predict(root)
    assert len(found) == 1, found
    return found[0]


PSR_V9 = """
on: {push: {branches: [main]}}
jobs:
  release:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with: {fetch-depth: 0}
      - uses: python-semantic-release/python-semantic-release@v9.21.0
"""


def test_psr_9_allows_zero_versions_by_default(tmp_path: Path) -> None:
    """allow_zero_version became false by default in v10.0.0; v9 (from 9.2.0, and every version
    before it) stays on 0.x."""
    files = {"pyproject.toml": '[project]\nname = "d"\nversion = "0.3.0"\n\n[tool.semantic_release]\n',
             ".github/workflows/release.yml": PSR_V9}
    root = init(tmp_path / "v9", files)
    commit(root, "feat: a", tag="v0.3.0")
    commit(root, "ci: b")
    prediction = only(root)
    assert prediction.tool.major == 9
    assert prediction.next_version is None and prediction.last_version == "0.3.0"
    commit(root, "feat: c")
    assert only(root).next_version == "0.4.0"
    (root / ".github/workflows/release.yml").write_text(PSR_V9.replace("@v9.21.0", "@v10"))
    commit(root, "ci: v10")
    assert only(root).next_version == "1.0.0"


def test_psr_detached_head_reads_as_the_release_branch(tmp_path: Path) -> None:
    root = init(tmp_path / "r", {"pyproject.toml": '[project]\nname = "d"\nversion = "1.0.0"\n\n'
                                 "[tool.semantic_release]\n"})
    commit(root, "feat: a", tag="v1.0.0")
    commit(root, "fix: b")
    git(root, "checkout", "-q", "--detach")
    assert only(root).next_version == "1.0.1"
    git(root, "checkout", "-q", "-b", "feature/x")
    assert only(root).next_version == "1.0.1"


def _rp(root: Path, config: dict, manifest: dict | None) -> None:
    (root / "release-please-config.json").write_text(json.dumps(config), encoding="utf-8")
    if manifest is not None:
        (root / ".release-please-manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def test_release_please_bootstrap_sha_and_first_release(tmp_path: Path) -> None:
    root = init(tmp_path / "r")
    commit(root, "feat!: years ago")
    start = commit(root, "chore: adopt release-please")
    _rp(root, {"release-type": "python", "bootstrap-sha": start, "packages": {".": {}}}, None)
    commit(root, "docs: readme")
    prediction = only(root)
    assert prediction.next_version is None and prediction.baseline.startswith("since bootstrap-sha")
    assert [c.subject for c in prediction.commits] == ["docs: readme"]
    commit(root, "fix: b")
    assert only(root).next_version == "1.0.0"  # initial-version


def test_release_please_manifest_tag_without_v_and_pre_major(tmp_path: Path) -> None:
    root = init(tmp_path / "r")
    _rp(root, {"release-type": "python", "include-v-in-tag": False, "bump-minor-pre-major": True,
               "packages": {".": {}}}, {".": "0.4.2"})
    commit(root, "chore: release 0.4.2", tag="0.4.2")
    commit(root, "feat!: breaking")
    prediction = only(root)
    assert prediction.last_tag == "0.4.2" and prediction.next_version == "0.5.0"


def test_semantic_release_npm(tmp_path: Path) -> None:
    root = init(tmp_path / "r", {".releaserc.json": '{"branches": ["main"]}'})
    commit(root, "chore: setup")
    assert only(root).next_version is None
    commit(root, "fix: a")
    assert only(root).next_version == "1.0.0"
    commit(root, "chore: release", tag="v1.0.0")
    commit(root, "feat: b")
    assert only(root).next_version == "1.1.0"


def test_unknown_cases_say_why(tmp_path: Path) -> None:
    root = init(tmp_path / "cz", {"pyproject.toml": '[project]\nname = "d"\nversion = "1.0.0"\n\n'
                                  '[tool.commitizen]\nversion_provider = "scm"\n'})
    commit(root, "feat: a")
    prediction = only(root)
    assert not prediction.known and "version provider `scm`" in prediction.reason
    clone = tmp_path / "clone"
    origin = init(tmp_path / "o", {"pyproject.toml": '[project]\nname = "d"\nversion = "1.0.0"\n\n'
                                   "[tool.semantic_release]\n"})
    commit(origin, "feat: a", tag="v1.0.0")
    commit(origin, "fix: b")
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{origin}", str(clone))
    assert not only(clone).known


def test_psr_7_starts_from_the_version_in_the_files(tmp_path: Path) -> None:
    """v7 (version_source "commit") bumps the version written in pyproject.toml, reading the
    commits since its tag (here none: the whole history); no allow_zero_version."""
    workflow = PSR_V9.replace("@v9.21.0", "@v7.34.6")
    files = {"pyproject.toml": '[project]\nname = "d"\nversion = "0.1.0"\n\n[tool.semantic_release]\n'
                               'version_toml = "pyproject.toml:project.version"\n',
             ".github/workflows/release.yml": workflow}
    root = init(tmp_path / "v7", files)
    commit(root, "chore: setup")
    assert only(root).next_version is None
    commit(root, "fix: a")
    prediction = only(root)
    assert prediction.next_version == "0.1.1" and prediction.baseline == "in the whole history (no tag v0.1.0)"
    git(root, "tag", "v0.1.0")
    commit(root, "feat!: b")
    assert only(root).next_version == "1.0.0"
