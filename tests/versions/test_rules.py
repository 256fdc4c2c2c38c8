"""PD402-PD406 (PD401 is in test_index.py, against real indexes): failing and passing inputs."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from conftest import SHARED, at, check, codes, findings, git
from servers import built_demo_fixture, make_sdist, make_wheel  # noqa: F401 - a fixture

STATIC = '[project]\nname = "demo"\nversion = "{version}"\n'
SCM = """
[build-system]
requires = ["setuptools>=64", "setuptools-scm>=8"]
build-backend = "setuptools.build_meta"

[project]
name = "demo"
dynamic = ["version"]
"""


def only(found: list[dict], code: str) -> list[dict]:
    return [f for f in found if f["code"] == code]


def workflow(on: str, step: str, job_if: str = "") -> str:
    condition = f"\n    if: {job_if}" if job_if else ""
    return f"""on:
{on}
jobs:
  publish:
    runs-on: ubuntu-latest{condition}
    permissions:
      id-token: write
    steps:
      - uses: actions/checkout@v4
{step}
"""


ACTION = """      - uses: pypa/gh-action-pypi-publish@release/v1
"""
ON_MAIN = "  push:\n    branches: [main]"
ON_TAGS = "  push:\n    tags: ['v*']"


# -- PD402 local-version-label ------------------------------------------------------------------

def test_pd402_static_local_version(write_repo) -> None:
    root = write_repo({"pyproject.toml": STATIC.format(version="1.2.3+g1a2b3c")})
    found = findings(root)
    assert at(found, "PD402") == [("pyproject.toml", 3, 1)]
    assert "`+g1a2b3c`" in only(found, "PD402")[0]["message"]


def test_pd402_local_version_in_dist(write_repo, tmp_path: Path) -> None:
    root = write_repo({"pyproject.toml": STATIC.format(version="1.2.3")})
    make_wheel(root / "dist", "demo", "0.1.dev1+g40e3ce6")
    found = findings(root)
    assert at(found, "PD402") == [("dist/demo-0.1.dev1+g40e3ce6-py3-none-any.whl", None, None)]


def test_pd402_vcs_version_published_from_branch(write_repo) -> None:
    root = write_repo({"pyproject.toml": SCM,
                       ".github/workflows/release.yml": workflow(ON_MAIN, ACTION)}, init_git=True)
    git(root, "tag", "v1.0.0")
    (root / "x.txt").write_text("x", encoding="utf-8")
    git(root, "add", "x.txt")
    git(root, "commit", "-q", "-m", "fix: x", "--no-gpg-sign")
    found = findings(root)
    assert at(found, "PD402") == [(".github/workflows/release.yml", 1, 1)]
    message = only(found, "PD402")[0]["message"]
    assert "setuptools-scm" in message and "(the current commit gets `1.0.1.dev1+g" in message


@pytest.mark.parametrize("on, step, job_if, extra", [
    (ON_TAGS, ACTION, "", ""),
    ("  release:\n    types: [published]", ACTION, "", ""),
    ("  push:\n    branches: [main]\n    tags: ['v*']", ACTION, "startsWith(github.ref, 'refs/tags/')", ""),
    (ON_MAIN, ACTION, "", '\n[tool.setuptools_scm]\nlocal_scheme = "no-local-version"\n'),
    (ON_MAIN, "      - run: SETUPTOOLS_SCM_PRETEND_VERSION=1.0.${{ github.run_number }} uv build\n" + ACTION, "", ""),
    ("  workflow_dispatch:", ACTION, "", ""),
])
def test_pd402_vcs_passes(write_repo, on: str, step: str, job_if: str, extra: str) -> None:
    root = write_repo({"pyproject.toml": SCM + extra,
                       ".github/workflows/release.yml": workflow(on, step, job_if)}, init_git=True)
    assert at(findings(root), "PD402") == []


def test_pd402_static_version_on_branch_is_not_local(write_repo) -> None:
    root = write_repo({"pyproject.toml": STATIC.format(version="1.0.0"),
                       ".github/workflows/release.yml": workflow(ON_MAIN, ACTION)})
    assert at(findings(root), "PD402") == []


# -- PD403 dist-mismatch -------------------------------------------------------------------------

def test_pd403_stale_version_and_foreign_project(write_repo) -> None:
    root = write_repo({"pyproject.toml": STATIC.format(version="1.1.0")})
    make_wheel(root / "dist", "demo", "1.1.0")
    make_wheel(root / "dist", "demo", "1.0.0")
    make_wheel(root / "dist", "other-thing", "1.1.0")
    found = findings(root)
    assert sorted(at(found, "PD403")) == [("dist/demo-1.0.0-py3-none-any.whl", None, None),
                                         ("dist/other_thing-1.1.0-py3-none-any.whl", None, None)]
    messages = " ".join(f["message"] for f in only(found, "PD403"))
    assert "is version 1.0.0, but the project is at 1.1.0" in messages
    assert "not of this project (`demo`)" in messages


def test_pd403_names_compared_canonically(write_repo) -> None:
    root = write_repo({"pyproject.toml": '[project]\nname = "My.Demo_Pkg"\nversion = "1.0"\n'})
    make_wheel(root / "dist", "my-demo-pkg", "1.0.0")
    make_sdist(root / "dist", "my-demo-pkg", "1.0.0")
    assert codes(root) == []


def test_pd403_empty_dist_uploaded_by_a_step(write_repo) -> None:
    root = write_repo({"pyproject.toml": STATIC.format(version="1.0.0"),
                       ".github/workflows/release.yml": workflow(ON_TAGS, ACTION),
                       "dist/.gitignore": "*\n"})
    found = findings(root)
    [finding] = only(found, "PD403")
    assert finding["severity"] == "warning" and finding["location"]["path"] == "dist"


def test_pd403_no_dist_folder_is_fine(write_repo) -> None:
    root = write_repo({"pyproject.toml": STATIC.format(version="1.0.0"),
                       ".github/workflows/release.yml": workflow(ON_TAGS, ACTION)})
    assert at(findings(root), "PD403") == []


def test_pd403_reads_packages_dir_of_the_publish_step(write_repo) -> None:
    step = "      - uses: pypa/gh-action-pypi-publish@release/v1\n        with:\n          packages-dir: wheelhouse/\n"
    root = write_repo({"pyproject.toml": STATIC.format(version="2.0.0"),
                       ".github/workflows/release.yml": workflow(ON_TAGS, step)})
    make_wheel(root / "wheelhouse", "demo", "1.9.0")
    assert at(findings(root), "PD403") == [("wheelhouse/demo-1.9.0-py3-none-any.whl", None, None)]


def test_pd403_reads_twine_glob_folder(write_repo) -> None:
    step = "      - run: twine upload out/*.whl\n"
    root = write_repo({"pyproject.toml": STATIC.format(version="2.0.0"),
                       ".github/workflows/release.yml": workflow(ON_TAGS, step)})
    make_wheel(root / "out", "demo", "1.9.0")
    assert at(findings(root), "PD403") == [("out/demo-1.9.0-py3-none-any.whl", None, None)]


# -- PD404 skip-existing-hides-unbumped-version ----------------------------------------------------

SKIP = """      - uses: pypa/gh-action-pypi-publish@release/v1
        with:
          skip-existing: true
"""


def test_pd404_every_push_with_static_version(write_repo) -> None:
    root = write_repo({"pyproject.toml": STATIC.format(version="4.0.0"),
                       ".github/workflows/release.yml": workflow(ON_MAIN, SKIP)})
    found = findings(root)
    assert at(found, "PD404") == [(".github/workflows/release.yml", 13, 11)]
    assert "publishes on commits of branches (not only on release tags), but the version (4.0.0)" \
        in only(found, "PD404")[0]["message"]


def test_pd404_twine_flag_with_manual_dispatch(write_repo) -> None:
    step = "      - run: twine upload --skip-existing dist/*\n"
    root = write_repo({"pyproject.toml": STATIC.format(version="4.0.0"),
                       ".github/workflows/release.yml": workflow(ON_TAGS + "\n  workflow_dispatch:", step)})
    found = findings(root)
    assert at(found, "PD404") == [(".github/workflows/release.yml", 12, 9)]
    assert "started by hand" in only(found, "PD404")[0]["message"]


@pytest.mark.parametrize("on, job_if", [
    (ON_TAGS, ""),  # a tag per release: skip-existing only makes re-runs safe
    ("  push:\n  workflow_dispatch:", "startsWith(github.ref, 'refs/tags/')"),
    (ON_MAIN, "fromJSON(needs.check.outputs.release-requested)"),  # gated by another job
])
def test_pd404_passes_when_only_releases_publish(write_repo, on: str, job_if: str) -> None:
    root = write_repo({"pyproject.toml": STATIC.format(version="4.0.0"),
                       ".github/workflows/release.yml": workflow(on, SKIP, job_if)})
    assert at(findings(root), "PD404") == []


def test_pd404_fork_check_is_not_a_release_gate(write_repo) -> None:
    root = write_repo({"pyproject.toml": STATIC.format(version="4.0.0"),
                       ".github/workflows/release.yml": workflow(ON_MAIN, SKIP, "github.repository == 'o/r'")})
    assert len(at(findings(root), "PD404")) == 1


def test_pd404_passes_for_tag_versions_on_tags_and_without_the_flag(write_repo) -> None:
    tagged = write_repo({"pyproject.toml": SCM,
                         ".github/workflows/release.yml": workflow(ON_TAGS, SKIP)}, name="a", init_git=True)
    assert at(findings(tagged), "PD404") == []
    plain = write_repo({"pyproject.toml": STATIC.format(version="4.0.0"),
                        ".github/workflows/release.yml": workflow(ON_MAIN, ACTION)}, name="b")
    assert at(findings(plain), "PD404") == []


@pytest.mark.parametrize("project", ["pypa__sampleproject", "1darshanpatil__dropit"])
def test_pd404_corpus_problems(project: str) -> None:
    root = SHARED / "corpus" / "real-world" / project
    if not root.is_dir():
        pytest.skip("../shared is not present")
    assert "PD404" in codes(root)


def test_corpus_loads_without_errors_from_pd4xx() -> None:
    """Every corpus project: the PD4xx rules run without a traceback or an input error."""
    corpus = SHARED / "corpus" / "real-world"
    if not corpus.is_dir():
        pytest.skip("../shared is not present")
    for root in sorted(p for p in corpus.iterdir() if p.is_dir()):
        result = check(root, "--select", "PD4", "--format", "json")
        assert result.exit_code in (0, 1, 2), (root, result.output)
        if result.exit_code == 2:  # a malformed corpus file is an input error, never a crash
            assert "pubdoctor: error:" in result.output and "Traceback" not in result.output


# -- PD405 invalid-distribution ---------------------------------------------------------------------

def test_pd405_corrupt_zip_and_bad_names(write_repo) -> None:
    root = write_repo({"pyproject.toml": STATIC.format(version="1.0.0")})
    dist = root / "dist"
    make_wheel(dist, "demo", "1.0.0")
    (dist / "demo-1.0.0-py2.py3-none-any.whl").write_bytes(b"PK\x03\x04 not really a zip")
    (dist / "demo.whl").write_bytes(b"")
    (dist / "notes.txt").write_text("hello", encoding="utf-8")
    (dist / "demo-1.0.0.tar.gz.asc").write_text("signature", encoding="utf-8")
    found = findings(root)
    assert sorted(at(found, "PD405")) == [("dist/demo-1.0.0-py2.py3-none-any.whl", None, None),
                                         ("dist/demo.whl", None, None), ("dist/notes.txt", None, None)]
    messages = {f["location"]["path"]: f["message"] for f in only(found, "PD405")}
    assert "not a valid zip archive" in messages["dist/demo-1.0.0-py2.py3-none-any.whl"]
    assert "not a valid wheel or sdist name" in messages["dist/demo.whl"]


def test_pd405_metadata_disagrees_with_file_name(write_repo) -> None:
    root = write_repo({"pyproject.toml": STATIC.format(version="1.0.0")})
    make_wheel(root / "dist", "demo", "1.0.0", metadata_ver="1.0.1")
    [finding] = only(findings(root), "PD405")
    assert "METADATA says `Version: 1.0.1`" in finding["message"]


def test_pd405_wheel_without_metadata(write_repo) -> None:
    root = write_repo({"pyproject.toml": STATIC.format(version="1.0.0")})
    (root / "dist").mkdir()
    with zipfile.ZipFile(root / "dist" / "demo-1.0.0-py3-none-any.whl", "w") as archive:
        archive.writestr("demo/__init__.py", "")
    [finding] = only(findings(root), "PD405")
    assert "no `*.dist-info/METADATA`" in finding["message"]


def test_pd405_valid_dist_passes(write_repo) -> None:
    root = write_repo({"pyproject.toml": STATIC.format(version="1.0.0")})
    make_wheel(root / "dist", "demo", "1.0.0")
    make_sdist(root / "dist", "demo", "1.0.0")
    assert codes(root) == []


def test_pd405_real_build_output_passes(write_repo, built_demo: list[Path]) -> None:
    root = write_repo({"pyproject.toml": STATIC.format(version="1.0.0")})
    (root / "dist").mkdir()
    for file in built_demo:
        (root / "dist" / file.name).write_bytes(file.read_bytes())
    assert codes(root) == []


def test_pd405_corrupt_sdist_and_pkg_info_mismatch(write_repo) -> None:
    root = write_repo({"pyproject.toml": STATIC.format(version="1.0.0")})
    (root / "dist").mkdir()
    (root / "dist" / "demo-1.0.0.tar.gz").write_bytes(b"\x1f\x8b not gzip at all")
    make_sdist(root / "other", "demo", "1.0.0", metadata_ver="1.0.1")
    (root / "dist" / "demo-1.0.0.zip").write_bytes(b"PK nope")
    found = only(findings(root), "PD405")
    messages = {f["location"]["path"]: f["message"] for f in found}
    assert "not a valid gzipped tar archive" in messages["dist/demo-1.0.0.tar.gz"]
    assert "not a valid zip archive" in messages["dist/demo-1.0.0.zip"]
    (root / "dist" / "demo-1.0.0.tar.gz").write_bytes((root / "other" / "demo-1.0.0.tar.gz").read_bytes())
    found = only(findings(root), "PD405")
    assert "PKG-INFO says `Version: 1.0.1`" in {f["location"]["path"]: f["message"] for f in found}[
        "dist/demo-1.0.0.tar.gz"]


# -- PD406 metadata-version-too-new -----------------------------------------------------------------

def pinned(ref: str) -> str:
    return f"      - uses: pypa/gh-action-pypi-publish@{ref}\n"


@pytest.mark.parametrize("metadata, ref, fails", [
    ("2.4", "v1.8.11", True), ("2.4", "v1.12.2", True), ("2.4", "v1.12.3", False),
    ("2.5", "v1.13.0", True), ("2.5", "v1.14.2", False), ("2.4", "release/v1", False),
    ("2.3", "v1.8.11", False), ("2.4", "81e9d935c883d0b210363ab89cf05f3894778450", False),
])
def test_pd406(write_repo, metadata: str, ref: str, fails: bool) -> None:
    root = write_repo({"pyproject.toml": STATIC.format(version="1.0.0"),
                       ".github/workflows/release.yml": workflow(ON_TAGS, pinned(ref))})
    make_wheel(root / "dist", "demo", "1.0.0", metadata_version=metadata)
    make_sdist(root / "dist", "demo", "1.0.0", metadata_version="2.1")
    found = findings(root)
    assert at(found, "PD406") == ([(".github/workflows/release.yml", 11, 9)] if fails else [])
    if fails:
        assert f"Metadata-Version: {metadata}" in only(found, "PD406")[0]["message"]


def test_pd406_real_setuptools_sdist_and_wheel(write_repo, built_demo: list[Path]) -> None:
    """What a current setuptools writes (Metadata-Version 2.4) against an action of early 2024."""
    root = write_repo({"pyproject.toml": STATIC.format(version="1.0.0"),
                       ".github/workflows/release.yml": workflow(ON_TAGS, pinned("v1.8.14"))})
    (root / "dist").mkdir()
    for file in built_demo:
        (root / "dist" / file.name).write_bytes(file.read_bytes())
    from pubdoctor.sources.dist import read_file
    from packaging.version import Version

    wheel = read_file(next((root / "dist").glob("*.whl")), root)
    expected = [(".github/workflows/release.yml", 11, 9)] if Version(wheel.metadata_version) >= Version("2.4") else []
    assert at(findings(root), "PD406") == expected  # setuptools >= 77 writes 2.4
