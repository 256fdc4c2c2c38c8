"""``pubdoctor init``: a release workflow that passes ``pubdoctor check`` and GitHub's schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from ruamel.yaml import YAML

from conftest import check, git, run_cli

SCHEMA = Path(__file__).parent / "data" / "github-workflow.json"
WORKFLOW = ".github/workflows/release.yml"

BACKENDS = {
    "hatchling": '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n'
                 '[project]\nname = "demo"\nversion = "0.1.0"\n',
    "setuptools-scm": '[build-system]\nrequires = ["setuptools>=64", "setuptools-scm>=8"]\n'
                      'build-backend = "setuptools.build_meta"\n\n'
                      '[project]\nname = "demo"\ndynamic = ["version"]\n\n[tool.setuptools_scm]\n',
    "flit": '[build-system]\nrequires = ["flit_core>=3.4"]\nbuild-backend = "flit_core.buildapi"\n\n'
            '[project]\nname = "demo"\nversion = "0.1.0"\ndescription = "Demo."\n',
    "pdm": '[build-system]\nrequires = ["pdm-backend"]\nbuild-backend = "pdm.backend"\n\n'
           '[project]\nname = "demo"\nversion = "0.1.0"\n',
    "poetry": '[build-system]\nrequires = ["poetry-core>=2"]\nbuild-backend = "poetry.core.masonry.api"\n\n'
              '[tool.poetry]\nname = "demo"\nversion = "0.1.0"\ndescription = "Demo."\n'
              'authors = ["Demo <demo@example.invalid>"]\n',
    "uv_build": '[build-system]\nrequires = ["uv_build>=0.8,<0.9"]\nbuild-backend = "uv_build"\n\n'
                '[project]\nname = "demo"\nversion = "0.1.0"\n',
    "maturin": '[build-system]\nrequires = ["maturin>=1.5,<2"]\nbuild-backend = "maturin"\n\n'
               '[project]\nname = "demo"\nversion = "0.1.0"\n',
    "python-semantic-release": '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n'
                               '[project]\nname = "demo"\nversion = "0.1.0"\n\n'
                               '[tool.semantic_release]\nversion_toml = ["pyproject.toml:project.version"]\n',
}


def _project(write_repo, pyproject: str) -> Path:
    root = write_repo({"pyproject.toml": pyproject, "src/demo/__init__.py": ""}, init_git=True)
    git(root, "remote", "add", "origin", "https://github.com/octo-org/demo.git")
    return root


def _validate(text: str) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    document = YAML(typ="safe", pure=True).load(text)
    # YAML 1.1 reads the key `on` as true; GitHub (and the schema) mean the string
    document = {("on" if key is True else key): value for key, value in document.items()}
    jsonschema.validate(document, schema)


@pytest.mark.parametrize("index", ["both", "pypi", "testpypi"])
@pytest.mark.parametrize("backend", sorted(BACKENDS))
def test_the_workflow_passes_the_check_and_the_schema(write_repo, backend: str, index: str) -> None:
    root = _project(write_repo, BACKENDS[backend])
    result = run_cli("init", str(root), "--index", index)
    assert result.exit_code == 0, result.output
    text = (root / WORKFLOW).read_text(encoding="utf-8")
    _validate(text)
    checked = check(root)
    assert checked.exit_code == 0 and "All checks passed!" in checked.stdout, checked.output
    # what changes with the project
    assert ("fetch-depth: 0" in text) == (backend in ("setuptools-scm", "python-semantic-release"))
    assert ("PyO3/maturin-action" in text) == (backend == "maturin")
    assert ("branches: [main]" in text) == (backend == "python-semantic-release")
    assert ("test.pypi.org/legacy/" in text) == (index != "pypi")


def test_upload_jobs_get_only_id_token_and_the_build_none(write_repo) -> None:
    root = _project(write_repo, BACKENDS["hatchling"])
    run_cli("init", str(root))
    document = YAML(typ="safe", pure=True).load((root / WORKFLOW).read_text(encoding="utf-8"))
    jobs = document["jobs"]
    assert document["permissions"] == {}
    assert jobs["build"]["permissions"] == {"contents": "read"}
    for name in ("publish-testpypi", "publish-pypi"):
        assert jobs[name]["permissions"] == {"id-token": "write"}
        assert jobs[name]["environment"]["name"] == name.split("-")[1]
        uses = jobs[name]["steps"][-1]["uses"]
        assert uses.startswith("pypa/gh-action-pypi-publish@") and len(uses.split("@")[1]) == 40
    assert jobs["publish-pypi"]["needs"] == ["build", "publish-testpypi"]


def test_the_publisher_values_are_printed(write_repo) -> None:
    root = _project(write_repo, BACKENDS["flit"])
    result = run_cli("init", str(root), "--index", "pypi")
    assert "Owner:             octo-org" in result.stdout
    assert "Workflow name:     release.yml" in result.stdout
    assert "Environment name:  pypi" in result.stdout
    assert "pending publisher with project name `demo`" in result.stdout


def test_an_existing_workflow_is_never_overwritten(write_repo) -> None:
    root = _project(write_repo, BACKENDS["hatchling"])
    (root / ".github" / "workflows").mkdir(parents=True)
    (root / WORKFLOW).write_text("name: mine\n", encoding="utf-8")
    result = run_cli("init", str(root))
    assert result.exit_code == 2
    assert len(result.output.splitlines()) == 1 and "exists already" in result.output
    assert (root / WORKFLOW).read_text(encoding="utf-8") == "name: mine\n"


def test_the_action_is_pinned_to_the_newest_shipped_release(write_repo) -> None:
    from pubdoctor.sources.actiontags import newest_release, release_tags

    tag, sha = newest_release()
    assert list(release_tags())[-1] == tag and len(sha) == 40
    root = _project(write_repo, BACKENDS["pdm"])
    run_cli("init", str(root))
    assert f"pypa/gh-action-pypi-publish@{sha}  # {tag}" in (root / WORKFLOW).read_text()


def test_release_please_releases_in_the_same_workflow(write_repo) -> None:
    root = write_repo({"pyproject.toml": BACKENDS["hatchling"],
                       "release-please-config.json": '{"release-type": "python", "packages": {".": {}}}',
                       ".release-please-manifest.json": '{".": "0.1.0"}'}, init_git=True)
    assert run_cli("init", str(root), "--index", "pypi").exit_code == 0
    text = (root / WORKFLOW).read_text(encoding="utf-8")
    _validate(text)
    assert "googleapis/release-please-action@v4" in text and "pull-requests: write" in text
    assert "if: needs.release.outputs.released == 'true'" in text
    assert check(root).exit_code == 0


def test_a_tag_pushing_tool_that_cannot_run_here_is_explained(write_repo) -> None:
    root = _project(write_repo, BACKENDS["hatchling"] + '\n[tool.commitizen]\nversion_provider = "pep621"\n')
    result = run_cli("init", str(root))
    assert "note: commitizen is configured: the workflow releases when a `v*` tag is pushed" in result.stdout
    assert check(root).exit_code == 0
