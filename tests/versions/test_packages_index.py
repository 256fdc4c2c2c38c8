"""PD401, PD403 and PD404 for packages below the repository root that a job builds and uploads.

Real repositories in temporary folders (a uv workspace whose root has no ``[build-system]``, a
package in ``agent/``), workflows of our own, and real indexes on 127.0.0.1: pypiserver with
real wheels, and a small server that records which pages were asked for.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import at, findings, run_cli
from package_layouts import BRANCHES, HATCH, SCM, TAGS, WF, two_job_release
from servers import (  # noqa: F401 - fixtures
    BadIndex, PypiServer, bad_index_fixture, make_wheel, pypiserver_fixture,
)

from pubdoctor.sources.index import JSON_TYPE

WORKSPACE = '[tool.uv.workspace]\nmembers = ["agent"]\n'


def release(build: str = "      - run: cd agent && uv build", on: str = TAGS,
            publish_with: str = "") -> str:
    """A build job and a publish job that hands ``agent/dist/`` over as an artifact."""
    return two_job_release(build, on, "agent/dist/", with_lines=publish_with)


def workspace(write_repo, agent: str, workflow: str, root: str = WORKSPACE, **more: str) -> Path:
    return write_repo({"pyproject.toml": root, "agent/pyproject.toml": agent, WF: workflow, **more})


ANSWER_TIMEOUT = "60"


def online(root: Path, url: str, *args: str) -> list[dict]:
    result = run_cli("check", str(root), "--no-color", "--index-url", url, "--select", "PD4",
                     "--timeout", ANSWER_TIMEOUT, "--format", "json", *args)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.output)["findings"]


def json_page(bad_index: BadIndex, *filenames: str) -> None:
    """The small server answers every project's page with these files (PEP 691 JSON)."""
    bad_index.behaviour.content_type = JSON_TYPE
    bad_index.behaviour.body = json.dumps({
        "meta": {"api-version": "1.1"}, "name": "any",
        "files": [{"filename": f, "url": f, "hashes": {}} for f in filenames]}).encode()


def asked(bad_index: BadIndex) -> list[str]:
    return [r["path"] for r in bad_index.behaviour.requests]


# -- PD401 -------------------------------------------------------------------------------------

def test_pd401_version_of_the_uploaded_package_on_pypiserver(write_repo, pypiserver: PypiServer,
                                                              tmp_path: Path) -> None:
    pypiserver.add(make_wheel(tmp_path / "up", "demo-agent", "1.0.0"))
    root = workspace(write_repo, HATCH.format(name="demo-agent", version="1.0.0"), release())
    found = [f for f in online(root, pypiserver.url) if f["code"] == "PD401"]
    assert at(found, "PD401") == [("agent/pyproject.toml", 7, 1)]
    assert "version 1.0.0 of `demo-agent` (`agent/pyproject.toml`)" in found[0]["message"]
    assert "demo_agent-1.0.0-py3-none-any.whl" in found[0]["message"]
    assert "[project].version in agent/pyproject.toml to 1.0.1" in found[0]["fix"]


def test_pd401_a_new_version_of_the_package_passes(write_repo, pypiserver: PypiServer,
                                                   tmp_path: Path) -> None:
    pypiserver.add(make_wheel(tmp_path / "up", "demo-agent", "1.0.0"))
    root = workspace(write_repo, HATCH.format(name="demo-agent", version="1.0.1"), release())
    assert at(online(root, pypiserver.url), "PD401") == []


def test_pd401_asks_for_the_package_page_by_its_normalized_name_only(write_repo,
                                                                     bad_index: BadIndex) -> None:
    """One request, by the PEP 503 name; the workspace root (not published) is not asked."""
    json_page(bad_index, "demo_agent_core-2.0.0.tar.gz")
    root = workspace(write_repo, HATCH.format(name="Demo_Agent.Core", version="2.0.0"), release(),
                     root='[project]\nname = "the-workspace"\nversion = "9.9.9"\n' + WORKSPACE)
    found = online(root, bad_index.url)
    assert asked(bad_index) == ["/simple/demo-agent-core/"]
    assert at(found, "PD401") == [("agent/pyproject.toml", 7, 1)]


def test_pd401_one_request_per_project_when_the_root_is_published_too(write_repo,
                                                                      bad_index: BadIndex) -> None:
    """A second workflow uploads the root project: both pages, each asked for once, although
    PD401 and PD404 (skip-existing on branch pushes) both read them."""
    json_page(bad_index)
    root_release = """
        on:
          push:
            branches: [main]
        jobs:
          publish:
            runs-on: ubuntu-latest
            permissions: {id-token: write}
            steps:
              - uses: actions/checkout@v4
              - run: uv build
              - uses: pypa/gh-action-pypi-publish@release/v1
                with: {skip-existing: true}
    """
    skip = "          skip-existing: true"
    root = workspace(write_repo, HATCH.format(name="demo-agent", version="1.0.0"),
                     release(on=BRANCHES, publish_with=skip),
                     root=HATCH.format(name="demo", version="3.0.0"),
                     **{".github/workflows/root.yml": root_release})
    found = online(root, bad_index.url)
    assert sorted(asked(bad_index)) == ["/simple/demo-agent/", "/simple/demo/"]
    assert len(at(found, "PD404")) == 2


def test_pd401_a_package_no_rule_needs_is_not_asked_for(write_repo, bad_index: BadIndex) -> None:
    """A version from git tags is not compared, and there is no dist/: no request at all."""
    json_page(bad_index)
    root = workspace(write_repo, SCM.format(name="demo-agent"), release())
    online(root, bad_index.url)
    assert asked(bad_index) == []


def test_pd401_offline_contacts_nothing(write_repo, bad_index: BadIndex) -> None:
    json_page(bad_index, "demo_agent-1.0.0.tar.gz")
    root = workspace(write_repo, HATCH.format(name="demo-agent", version="1.0.0"), release())
    result = run_cli("check", str(root), "--offline", "--index-url", bad_index.url, "--select", "PD4")
    assert result.exit_code == 0, result.output
    assert asked(bad_index) == [] and "PD401 [" not in result.output


def test_pd401_a_package_not_on_the_index_yet_is_a_note(write_repo, pypiserver: PypiServer) -> None:
    root = workspace(write_repo, HATCH.format(name="demo-agent", version="1.0.0"), release())
    result = run_cli("check", str(root), "--no-color", "--index-url", pypiserver.url, "--select",
                     "PD4", "--timeout", ANSWER_TIMEOUT)
    assert result.exit_code == 0, result.output
    assert "note: `demo-agent` is not on" in result.output and "PD401 [" not in result.output


def test_pd401_a_failing_index_is_asked_once_and_warned_once(write_repo, bad_index: BadIndex) -> None:
    bad_index.behaviour.status = 500
    root = workspace(write_repo, HATCH.format(name="demo-agent", version="1.0.0"),
                     release(build="      - run: uv build --all-packages"),
                     root='[tool.uv.workspace]\nmembers = ["agent", "core"]\n',
                     **{"core/pyproject.toml": HATCH.format(name="demo-core", version="1.0.0")})
    result = run_cli("check", str(root), "--no-color", "--index-url", bad_index.url, "--select",
                     "PD4", "--timeout", ANSWER_TIMEOUT)
    assert result.exit_code == 0, result.output
    assert len(asked(bad_index)) == 1
    assert [line for line in result.output.splitlines() if line.startswith("warning:")] != []
    assert len([line for line in result.output.splitlines() if "HTTP 500" in line]) == 1


def test_pd401_a_file_of_the_package_in_its_packages_dir(write_repo, pypiserver: PypiServer,
                                                         tmp_path: Path) -> None:
    pypiserver.add(make_wheel(tmp_path / "up", "demo-agent", "0.9.0"))
    root = workspace(write_repo, HATCH.format(name="demo-agent", version="1.0.0"),
                     release(publish_with="          packages-dir: agent/dist/"))
    make_wheel(root / "agent" / "dist", "demo-agent", "0.9.0")
    found = online(root, pypiserver.url)
    pd401 = [f for f in found if f["code"] == "PD401"]
    assert [f["location"]["path"] for f in pd401] == ["agent/dist/demo_agent-0.9.0-py3-none-any.whl"]
    assert "`demo_agent-0.9.0-py3-none-any.whl` is already on" in pd401[0]["message"]


def test_pd401_when_the_build_cannot_be_placed_the_root_stands(write_repo, bad_index: BadIndex) -> None:
    """A build run by an action into dist/: the root project is what is judged, as before."""
    json_page(bad_index, "demo-3.0.0.tar.gz")
    text = release(build="      - uses: hynek/build-and-inspect-python-package@v2").replace(
        "path: agent/dist/", "path: dist/")
    root = workspace(write_repo, HATCH.format(name="demo-agent", version="1.0.0"), text,
                     root=HATCH.format(name="demo", version="3.0.0"))
    found = online(root, bad_index.url)
    assert asked(bad_index) == ["/simple/demo/"]
    assert at(found, "PD401") == [("pyproject.toml", 7, 1)]


# -- PD403 -------------------------------------------------------------------------------------

NAMED_ROOT = '[project]\nname = "the-workspace"\nversion = "0.1.0"\n' + WORKSPACE


def test_pd403_stale_and_foreign_files_where_the_package_is_uploaded(write_repo) -> None:
    root = workspace(write_repo, HATCH.format(name="demo-agent", version="1.0.0"),
                     release(publish_with="          packages-dir: agent/dist/"), root=NAMED_ROOT)
    make_wheel(root / "agent" / "dist", "demo-agent", "0.9.0")
    make_wheel(root / "agent" / "dist", "other", "1.0.0")
    found = {f["location"]["path"]: f for f in findings(root) if f["code"] == "PD403"}
    stale = found["agent/dist/demo_agent-0.9.0-py3-none-any.whl"]
    assert "but `demo-agent` (`agent/pyproject.toml`) is at 1.0.0" in stale["message"]
    foreign = found["agent/dist/other-1.0.0-py3-none-any.whl"]
    assert "not of the project uploaded from there (`demo-agent` (`agent/pyproject.toml`))" \
        in foreign["message"]
    assert len(found) == 2


def test_pd403_the_package_files_are_not_another_project(write_repo) -> None:
    """Before, `agent/dist/` was compared with the root project (`the-workspace`): a false error."""
    root = workspace(write_repo, HATCH.format(name="demo-agent", version="1.0.0"),
                     release(publish_with="          packages-dir: agent/dist/"), root=NAMED_ROOT)
    make_wheel(root / "agent" / "dist", "demo-agent", "1.0.0")
    assert at(findings(root), "PD403") == []


def test_pd403_a_workspace_dist_with_every_member_built(write_repo) -> None:
    """`uv build --all-packages` writes every member into the root's dist/, which is uploaded."""
    text = release(build="      - run: uv build --all-packages").replace("path: agent/dist/", "path: dist/")
    root = workspace(write_repo, HATCH.format(name="demo-agent", version="1.0.0"), text,
                     root='[project]\nname = "the-workspace"\nversion = "0.1.0"\n'
                          '[tool.uv.workspace]\nmembers = ["agent", "core"]\n',
                     **{"core/pyproject.toml": HATCH.format(name="demo-core", version="2.0.0")})
    make_wheel(root / "dist", "demo-agent", "1.0.0")
    make_wheel(root / "dist", "demo-core", "2.0.0")
    assert at(findings(root), "PD403") == []
    make_wheel(root / "dist", "demo-core", "1.0.0")
    [stale] = [f for f in findings(root) if f["code"] == "PD403"]
    assert stale["location"]["path"] == "dist/demo_core-1.0.0-py3-none-any.whl"
    assert "`demo-core` (`core/pyproject.toml`) is at 2.0.0" in stale["message"]


# -- PD404 -------------------------------------------------------------------------------------

def test_pd404_static_version_of_the_package_uploaded_on_every_push(write_repo) -> None:
    """The root's version comes from git tags, the uploaded package's does not: reported."""
    root = workspace(write_repo, HATCH.format(name="demo-agent", version="1.0.0"),
                     release(on=BRANCHES, publish_with="          skip-existing: true"),
                     root=SCM.format(name="demo"))
    [found] = [f for f in findings(root) if f["code"] == "PD404"]
    assert "the version of `demo-agent` (1.0.0, `agent/pyproject.toml`)" in found["message"]
    assert found["location"]["path"] == WF
    assert found["related"][0]["path"] == "agent/pyproject.toml"


def test_pd404_a_package_with_a_version_from_git_tags_passes(write_repo) -> None:
    """The root's version is static, but the uploaded package's comes from git tags."""
    root = workspace(write_repo, SCM.format(name="demo-agent"),
                     release(on=BRANCHES, publish_with="          skip-existing: true"),
                     root=HATCH.format(name="demo", version="1.0.0"))
    assert at(findings(root), "PD404") == []


def test_pd404_says_when_the_package_version_is_on_the_index(write_repo, pypiserver: PypiServer,
                                                             tmp_path: Path) -> None:
    pypiserver.add(make_wheel(tmp_path / "up", "demo-agent", "1.0.0"))
    root = workspace(write_repo, HATCH.format(name="demo-agent", version="1.0.0"),
                     release(on=BRANCHES, publish_with="          skip-existing: true"))
    [found] = [f for f in online(root, pypiserver.url) if f["code"] == "PD404"]
    assert "`demo-agent` 1.0.0 is already on" in found["message"]


@pytest.mark.parametrize("on", [TAGS, "release:\n    types: [published]"])
def test_pd404_the_package_published_only_on_tags_passes(write_repo, on: str) -> None:
    root = workspace(write_repo, HATCH.format(name="demo-agent", version="1.0.0"),
                     release(on=on, publish_with="          skip-existing: true"))
    assert at(findings(root), "PD404") == []
