"""The provenance source's parts: where it reads, which release is the last, the PEP 740 models."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_cli
from provenance_server import ProvenanceIndex, provenance_index_fixture, provenance_object  # noqa: F401
from test_provenance_rules import workflow

from pubdoctor.identity import PYPI_INDEX, TESTPYPI_INDEX, index_of
from pubdoctor.settings import Settings
from pubdoctor.sources.attestations import parse_provenance
from pubdoctor.sources.indexpage import parse_html, parse_json
from pubdoctor.sources.provenance import _latest, index_bases
from pubdoctor.sources.workflows import load_workflows


def workflows_of(tmp_path: Path, **files: str):
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return load_workflows(tmp_path)


def test_each_index_is_read_at_its_own_simple_api(tmp_path: Path) -> None:
    workflows = workflows_of(tmp_path, **{"a.yml": workflow(), "b.yml": workflow(url="https://test.pypi.org/legacy/")})
    custom = index_of("https://upload.example.org/legacy/")
    bases = index_bases(Settings(root=tmp_path), workflows, [PYPI_INDEX, TESTPYPI_INDEX, custom])
    assert bases == {"pypi": "https://pypi.org/simple/", "testpypi": "https://test.pypi.org/simple/",
                     custom.key: "https://upload.example.org/simple/"}


def test_index_url_stands_in_for_the_index_it_replaces(tmp_path: Path) -> None:
    both = workflows_of(tmp_path / "both", **{"a.yml": workflow(), "b.yml": workflow(url="https://test.pypi.org/legacy/")})
    settings = Settings(root=tmp_path, index_url="http://127.0.0.1:9/simple/")
    assert index_bases(settings, both, [PYPI_INDEX, TESTPYPI_INDEX]) == {
        "pypi": "http://127.0.0.1:9/simple/", "testpypi": "https://test.pypi.org/simple/"}
    only_test = workflows_of(tmp_path / "test", **{"b.yml": workflow(url="https://test.pypi.org/legacy/")})
    assert index_bases(settings, only_test, [TESTPYPI_INDEX]) == {"testpypi": "http://127.0.0.1:9/simple/"}


def test_last_release_is_the_last_upload_else_the_highest_version() -> None:
    files, _ = parse_json(json.dumps({"files": [
        {"filename": "demo-2.0.0.tar.gz", "upload-time": "2025-01-01T00:00:00Z", "provenance": None},
        {"filename": "demo-1.0.5.tar.gz", "upload-time": "2025-02-01T00:00:00.5Z", "provenance": None},
        {"filename": "demo-1.0.5-py3-none-any.whl", "upload-time": "2025-02-01T00:00:01Z", "provenance": "/p"},
        {"filename": "not a distribution", "upload-time": "2026-01-01T00:00:00Z"},
    ]}).encode())
    version, latest = _latest(files)
    assert version == "1.0.5" and [f.filename for f in latest] == ["demo-1.0.5.tar.gz", "demo-1.0.5-py3-none-any.whl"]
    html = parse_html(b'<a href="demo-1.0.tar.gz">x</a><a href="demo-0.9.tar.gz" data-provenance="/p">y</a>')
    assert _latest(html)[0] == "1.0"
    assert [f.declares_provenance for f in html] == [False, True]


def test_malformed_optional_keys_do_not_break_the_page() -> None:
    """The PD4xx rules read the same page: a bad `provenance` or `upload-time` is dropped."""
    [item], _ = parse_json(b'{"files": [{"filename": "demo-1.0.tar.gz", "provenance": 12, "upload-time": [1]}]}')
    assert item.provenance is None and item.upload_time is None


def test_provenance_model_reads_the_documented_example() -> None:
    provenance = parse_provenance(json.dumps(provenance_object("demo-1.0.tar.gz", "pypa/sampleproject",
                                                               "release.yml", "")).encode())
    publisher = provenance.attestation_bundles[0].publisher
    assert (publisher.kind, publisher.repository, publisher.workflow, publisher.environment) == (
        "GitHub", "pypa/sampleproject", "release.yml", "")
    gitlab = parse_provenance(json.dumps(provenance_object("x.tar.gz", "g/sub/p", ".gitlab-ci.yml", "prod",
                                                           kind="GitLab")).encode())
    assert gitlab.attestation_bundles[0].publisher.workflow_filepath == ".gitlab-ci.yml"
    assert parse_provenance(json.dumps(provenance_object("x.tar.gz", "", "", kind="Google")).encode()
                            ).attestation_bundles[0].publisher.kind == "Google"


@pytest.mark.parametrize("body", [
    b'{"version": 2, "attestation_bundles": []}',
    b'{"version": 1, "attestation_bundles": []}',
    b'{"version": 1, "attestation_bundles": [{"publisher": {"kind": "GitHub", "repository": "a/b"}}]}',
    b"<html>", b"null", b"[" * 10000,
])
def test_provenance_model_refuses_other_shapes(body: bytes) -> None:
    with pytest.raises(ValueError):
        parse_provenance(body)


def test_folder_without_git_compares_workflow_only(tmp_path: Path, provenance_index: ProvenanceIndex) -> None:
    """No remote: owner and repository are unknown and not compared, and no note says so twice."""
    provenance_index.index("pypi").add("demo", "1.0.0", ("someone/else", "release.yml", "pypi"))
    root = tmp_path / "repo"
    (root / ".github" / "workflows").mkdir(parents=True)
    (root / "pyproject.toml").write_text('[project]\nname = "demo"\nversion = "1.1.0"\n', encoding="utf-8")
    (root / ".github" / "workflows" / "publish.yml").write_text(workflow(), encoding="utf-8")
    result = run_cli("check", str(root), "--no-color", "--index-url", provenance_index.simple("pypi"),
                     "--timeout", "30", "--select", "PD2", "--format", "json")
    document = json.loads(result.output)
    assert [f["code"] for f in document["findings"]] == ["PD208"]
    assert document["notes"] == []


@pytest.mark.parametrize(("text", "expected"), [
    ("2025-02-01T00:00:00.5Z", "2025-02-01T00:00:00.500000+00:00"),
    ("2025-02-01T00:00:01Z", "2025-02-01T00:00:01+00:00"),
    ("2025-02-01T00:00:01.123456789+0100", "2025-02-01T00:00:01.123456+01:00"),
    ("2025-02-01T00:00:01", "2025-02-01T00:00:01+00:00"),
])
def test_upload_time_reads_alike_on_every_python(text: str, expected: str) -> None:
    from pubdoctor.sources.provenance import _upload_time

    assert _upload_time(text).isoformat() == expected
    assert _upload_time("yesterday") is None
