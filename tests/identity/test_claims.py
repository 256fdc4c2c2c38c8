"""``pubdoctor claims``: what each publishing job presents, on real repositories and the corpus."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from conftest import SHARED, git, run_cli
from identity_helpers import PUBLISH_JOB, make_repo


def claims_json(root: Path, *args: str) -> dict:
    result = run_cli("claims", "--offline", str(root), "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def summary(document: dict) -> list[tuple]:
    return [(c["index_name"], c["repository_owner"], c["repository_name"], c["workflow"], c["environment"])
            for c in document["claims"]]


def test_text_is_the_form_to_fill(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {".github/workflows/release.yml": PUBLISH_JOB,
                                      "pyproject.toml": '[project]\nname = "demo-pkg"\n'},
                     remote="git@github.com:octo-org/demo.git")
    result = run_cli("claims", "--offline", str(root))
    assert result.exit_code == 0, result.output
    assert "PyPI, for job `publish` (.github/workflows/release.yml:5:3):" in result.output
    for line in ("  Project name:      demo-pkg", "  Owner:             octo-org",
                 "  Repository name:   demo", "  Workflow name:     release.yml",
                 "  Environment name:  pypi"):
        assert line in result.output.splitlines()
    assert ("On PyPI: add it at https://pypi.org/manage/project/demo-pkg/settings/publishing/ if the "
            "project exists there; a project not on PyPI yet needs a pending publisher with project "
            "name `demo-pkg`, added at https://pypi.org/manage/account/publishing/") in result.output


def test_json_and_every_index_input(tmp_path: Path) -> None:
    workflow = """
        on: push
        jobs:
          test-pypi:
            runs-on: ubuntu-latest
            environment:
              name: testpypi
              url: https://test.pypi.org/p/demo
            permissions:
              id-token: write
            steps:
              - run: uv publish --publish-url https://test.pypi.org/legacy/
          twine:
            runs-on: ubuntu-latest
            permissions:
              id-token: write
            env:
              TWINE_REPOSITORY_URL: https://test.pypi.org/legacy/
            steps:
              - run: twine upload dist/*
          uv-env:
            runs-on: ubuntu-latest
            environment: release
            permissions:
              id-token: write
            steps:
              - run: uv publish
                env:
                  UV_PUBLISH_URL: https://upload.pypi.org/legacy/
          token:
            runs-on: ubuntu-latest
            steps:
              - uses: pypa/gh-action-pypi-publish@release/v1
                with:
                  password: ${{ secrets.PYPI_API_TOKEN }}
    """
    root = make_repo(tmp_path / "r", {".github/workflows/cd.yaml": workflow},
                     remote="https://github.com/Octo-Org/Demo")
    document = claims_json(root)
    assert document["repository"]["owner"] == "Octo-Org"
    assert summary(document) == [
        ("TestPyPI", "Octo-Org", "Demo", "cd.yaml", "testpypi"),
        ("TestPyPI", "Octo-Org", "Demo", "cd.yaml", None),
        ("PyPI", "Octo-Org", "Demo", "cd.yaml", "release"),
    ]
    assert document["claims"][0]["location"] == {"path": ".github/workflows/cd.yaml", "line": 3, "column": 3}
    assert document["claims"][0]["workflow_ref"] == "Octo-Org/Demo/.github/workflows/cd.yaml"
    assert document["notes"] == ["job `token` of .github/workflows/cd.yaml uploads with the `password` input "
                                 "(an API token), not trusted publishing: no publisher to register for it"]


def test_reusable_workflow_names_the_called_file(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {
        ".github/workflows/release.yml": "on: push\njobs:\n  go:\n    uses: ./.github/workflows/pypi.yml\n"
                                         "    permissions:\n      id-token: write\n",
        ".github/workflows/pypi.yml": PUBLISH_JOB.replace('on:\n  push:\n    tags: ["v*"]', "on: workflow_call"),
    })
    [claim] = claims_json(root)["claims"]
    assert (claim["workflow"], claim["caller_job"], claim["called_workflow"]) == ("pypi.yml", "go", True)
    assert claim["workflow_ref"] == "octo-org/demo/.github/workflows/release.yml"
    assert claim["job_workflow_ref"] == "octo-org/demo/.github/workflows/pypi.yml"
    text = run_cli("claims", "--offline", str(root)).output
    assert "Workflow name:     pypi.yml" in text and "called by job `go`" in text


def test_same_repository_call_by_ref_is_followed(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {
        ".github/workflows/release.yml": "on: push\njobs:\n  go:\n"
                                         "    uses: octo-org/demo/.github/workflows/pypi.yml@v1\n",
        ".github/workflows/pypi.yml": PUBLISH_JOB.replace('on:\n  push:\n    tags: ["v*"]', "on: workflow_call"),
    })
    [claim] = claims_json(root)["claims"]
    assert claim["job_workflow_ref"] == "octo-org/demo/.github/workflows/pypi.yml@v1"


def test_expression_environment_is_unknown(tmp_path: Path) -> None:
    workflow = PUBLISH_JOB.replace("environment: pypi", "environment: ${{ inputs.env }}")
    root = make_repo(tmp_path / "r", {".github/workflows/release.yml": workflow})
    [claim] = claims_json(root)["claims"]
    assert (claim["environment"], claim["environment_known"], claim["environment_expression"]) == (
        None, False, "${{ inputs.env }}")
    assert "unknown: `${{ inputs.env }}` is decided at run time" in run_cli("claims", "--offline", str(root)).output


def test_no_remote_gives_a_note_and_no_owner(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {".github/workflows/release.yml": PUBLISH_JOB}, remote=None)
    document = claims_json(root)
    assert document["repository"] is None
    assert summary(document) == [("PyPI", None, None, "release.yml", "pypi")]
    assert "no remote `origin`" in document["notes"][0]
    assert "Owner:             unknown" in run_cli("claims", "--offline", str(root)).output


def test_remote_option(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {".github/workflows/release.yml": PUBLISH_JOB},
                     remote="https://github.com/me/demo.git")
    git(root, "remote", "add", "upstream", "https://github.com/octo-org/demo.git")
    assert summary(claims_json(root, "--remote", "upstream"))[0][1:3] == ("octo-org", "demo")


def test_nothing_publishes(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {"README.md": "hi\n"})
    assert claims_json(root)["claims"] == []
    assert "no publisher to register" in run_cli("claims", "--offline", str(root)).output


def test_missing_folder_is_an_input_error(tmp_path: Path) -> None:
    result = run_cli("claims", "--offline", str(tmp_path / "nope"))
    assert result.exit_code == 2


# --- the corpus: real projects with an origin remote from MANIFEST.tsv ---------------------

CORPUS = SHARED / "corpus" / "real-world"
EXPECTED = {
    "pypa__sampleproject": [("PyPI", "release.yml", None)],
    "python-attrs__attrs": [("TestPyPI", "pypi-package.yml", "release-test-pypi"),
                            ("PyPI", "pypi-package.yml", "release-pypi")],
    "pytest-dev__pytest": [("PyPI", "deploy.yml", "deploy")],
    "python-poetry__poetry": [("PyPI", "release.yaml", "pypi")],
    "astral-sh__ruff": [("PyPI", "publish-pypi.yml", "release")],
    "urllib3__urllib3": [("PyPI", "publish.yml", "publish"), ("TestPyPI", "publish.yml", "testpypi")],
    "pypa__hatch": [("PyPI", "build-hatch.yml", None), ("PyPI", "build-hatchling.yml", None)],
    "psf__black": [("PyPI", "pypi_upload.yml", "release"), ("PyPI", "pypi_upload.yml", "release")],
}


def _manifest_repo(folder: str) -> str:
    with (CORPUS / "MANIFEST.tsv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if row["dir"] == folder:
                return row["repo"]
    raise LookupError(folder)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not present")
@pytest.mark.parametrize("folder", sorted(EXPECTED))
def test_corpus_claims(tmp_path: Path, folder: str) -> None:
    if not (CORPUS / folder).is_dir():
        pytest.skip(f"{folder} is not in the corpus")
    repo = _manifest_repo(folder)
    root = tmp_path / folder
    shutil.copytree(CORPUS / folder, root)
    git(root, "init", "-q", "-b", "main")
    git(root, "remote", "add", "origin", f"https://github.com/{repo}.git")
    document = claims_json(root)
    owner, name = repo.split("/")
    assert {(c["repository_owner"], c["repository_name"]) for c in document["claims"]} == {(owner, name)}
    assert [(c["index_name"], c["workflow"], c["environment"]) for c in document["claims"]] == EXPECTED[folder]


def test_unreadable_workflow_is_a_note(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {".github/workflows/release.yml": PUBLISH_JOB,
                                      ".github/workflows/broken.yml": "jobs: [\n"})
    document = claims_json(root)
    assert len(document["claims"]) == 1
    assert any(n.startswith(".github/workflows/broken.yml: invalid YAML") for n in document["notes"])


def test_job_run_directly_and_called_is_listed_once(tmp_path: Path) -> None:
    # release-please calls pypi.yml, which also has workflow_dispatch for reruns: two runs of
    # one job with the same claims, so one entry in the form
    root = make_repo(tmp_path / "r", {
        ".github/workflows/release.yml": "on: push\njobs:\n  go:\n    uses: ./.github/workflows/pypi.yml\n"
                                         "    permissions:\n      id-token: write\n",
        ".github/workflows/pypi.yml": PUBLISH_JOB.replace('on:\n  push:\n    tags: ["v*"]',
                                                          "on:\n  workflow_call:\n  workflow_dispatch:"),
    })
    assert len(claims_json(root)["claims"]) == 2
    text = run_cli("claims", "--offline", str(root)).output
    assert "PyPI, for job `publish` (.github/workflows/pypi.yml:5:3):" in text, text
    assert "called by job `go`" in text


def test_maturin_action_upload_is_a_publisher(tmp_path: Path) -> None:
    # `PyO3/maturin-action` with `command: upload` and no token uses trusted publishing
    workflow = """
        on:
          push:
            tags: ['*']
        jobs:
          release:
            runs-on: ubuntu-latest
            environment: pypi
            permissions:
              id-token: write
            steps:
              - uses: actions/download-artifact@v4
              - uses: PyO3/maturin-action@v1
                with:
                  command: upload
                  args: --non-interactive --skip-existing wheels-*/*
    """
    root = make_repo(tmp_path / "r", {".github/workflows/CI.yml": workflow,
                                      "pyproject.toml": '[project]\nname = "demo-rs"\n'},
                     remote="https://github.com/octo-org/demo-rs.git")
    document = claims_json(root)
    assert summary(document) == [("PyPI", "octo-org", "demo-rs", "CI.yml", "pypi")]


MONOREPO_BUILD = """
    on:
      push:
        tags: ['backend-v*']
    jobs:
      build:
        runs-on: ubuntu-latest
        steps:
          - uses: actions/checkout@v4
          - run: python -m build backend
          - uses: actions/upload-artifact@v4
            with:
              name: artifacts
              path: backend/dist
      publish:
        needs: build
        runs-on: ubuntu-latest
        permissions:
          id-token: write
        steps:
          - uses: actions/download-artifact@v4
            with:
              name: artifacts
              path: dist
          - uses: pypa/gh-action-pypi-publish@release/v1
"""


def test_sub_folder_project_through_an_artifact(tmp_path: Path) -> None:
    # the job uploads what was built in backend/: the publisher belongs to backend's project
    root = make_repo(tmp_path / "r", {".github/workflows/release.yml": MONOREPO_BUILD,
                                      "pyproject.toml": '[project]\nname = "the-app"\n',
                                      "backend/pyproject.toml": '[project]\nname = "the-backend"\n'})
    result = run_cli("claims", "--offline", str(root))
    assert result.exit_code == 0, result.output
    assert "  Project name:      the-backend" in result.output.splitlines()
    assert "pending publisher with project name `the-backend`" in result.output
    assert "the-app" not in result.output
    document = claims_json(root)
    assert [c["project"] for c in document["claims"]] == ["the-backend"]
    assert document["project"] == "the-app"


def test_sub_folder_project_from_packages_dir(tmp_path: Path) -> None:
    workflow = """
        on: push
        jobs:
          core:
            runs-on: ubuntu-latest
            environment: pypi
            permissions:
              id-token: write
            steps:
              - run: uv build libs/core
              - uses: pypa/gh-action-pypi-publish@release/v1
                with:
                  packages-dir: libs/core/dist/
          cli:
            runs-on: ubuntu-latest
            environment: pypi
            permissions:
              id-token: write
            steps:
              - run: uv build libs/cli && uv publish libs/cli/dist/*
    """
    root = make_repo(tmp_path / "r", {".github/workflows/release.yml": workflow,
                                      "libs/core/pyproject.toml": '[project]\nname = "demo-core"\n',
                                      "libs/cli/pyproject.toml": '[project]\nname = "demo-cli"\n'})
    document = claims_json(root)
    assert [(c["job"], c["project"]) for c in document["claims"]] == [
        ("core", "demo-core"), ("cli", "demo-cli")]
    text = run_cli("claims", "--offline", str(root)).output
    # same workflow and environment, two projects: two publishers to add
    assert text.count("Workflow name:     release.yml") == 2
    assert "project name `demo-core`" in text and "project name `demo-cli`" in text


@pytest.mark.parametrize("packages_dir", ["dist/", "${{ inputs.dir }}/dist", "out/"])
def test_root_project_when_the_folder_is_not_a_sub_project(tmp_path: Path, packages_dir: str) -> None:
    workflow = f"""
        on: push
        jobs:
          publish:
            runs-on: ubuntu-latest
            permissions:
              id-token: write
            steps:
              - run: python -m build
              - uses: pypa/gh-action-pypi-publish@release/v1
                with:
                  packages-dir: {packages_dir}
    """
    root = make_repo(tmp_path / "r", {".github/workflows/release.yml": workflow,
                                      "pyproject.toml": '[project]\nname = "demo-pkg"\n',
                                      "out/pyproject.toml": '[project]\nname = "not-this"\n'})
    assert [c["project"] for c in claims_json(root)["claims"]] == ["demo-pkg"]


@pytest.mark.parametrize(("command", "expected"), [
    # a uv workspace member built and uploaded by its wheel's file name
    ("uv build --package demo-slim && uv publish dist/demo_slim-*.tar.gz dist/demo_slim-*.whl",
     "demo-slim"),
    ("twine upload dist/demo_pkg-*.whl", "demo-pkg"),  # the root project, as written
    ("uv publish dist/*", "demo-pkg"),
    ("uv publish dist/demo-slim-*.tar.gz", "demo-pkg"),  # an sdist name is not read
])
def test_project_named_by_the_uploaded_wheel(tmp_path: Path, command: str, expected: str) -> None:
    workflow = f"""
        on: push
        jobs:
          publish:
            runs-on: ubuntu-latest
            permissions:
              id-token: write
            steps:
              - run: {command}
    """
    root = make_repo(tmp_path / "r", {".github/workflows/release.yml": workflow,
                                      "pyproject.toml": '[project]\nname = "demo_pkg"\n'})
    expected = "demo_pkg" if expected == "demo-pkg" else expected
    assert [c["project"] for c in claims_json(root)["claims"]] == [expected]
