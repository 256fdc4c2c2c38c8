"""The index source and PD401 against real indexes on 127.0.0.1.

A real pypiserver holding real distributions; a stopped server; and small http.servers that
are slow, answer 500, 429 or garbage. Each failure is one warning line naming the index, and
the exit code comes from the other findings.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_cli
from servers import (  # noqa: F401 - fixtures
    BadIndex, PypiServer, bad_index_fixture, built_demo_fixture, make_wheel, pypiserver_fixture,
    refused_url_fixture,
)

from pubdoctor.errors import InputError
from pubdoctor.indexurl import simple_url, validate_url
from pubdoctor.sources.index import JSON_TYPE, chosen_index

PROJECT = """
[project]
name = "demo"
version = "1.0.0"
"""


def project(write_repo, version: str = "1.0.0", extra: str = "") -> Path:
    return write_repo({"pyproject.toml": f'[project]\nname = "demo"\nversion = "{version}"\n{extra}'})


# what the tests wait for an index that answers: far more than it takes on a loaded machine
# (pypiserver answers in milliseconds), so that only a server that never answers times out
ANSWER_TIMEOUT = "60"


def check_index(root: Path, url: str, *args: str):
    return run_cli("check", str(root), "--no-color", "--index-url", url, "--select", "PD4",
                   "--timeout", ANSWER_TIMEOUT, *args)


def warnings_of(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("warning:")]


# -- the done-when of the issue ------------------------------------------------------------

def test_version_on_pypiserver_is_pd401_with_the_file_name(write_repo, pypiserver: PypiServer,
                                                           built_demo: list[Path]) -> None:
    pypiserver.add(*built_demo)
    root = project(write_repo)
    result = check_index(root, pypiserver.url)
    assert result.exit_code == 1, result.output
    assert f"{root}/pyproject.toml:3:1: PD401 [version-already-on-index]" in result.output
    assert "demo-1.0.0-py3-none-any.whl" in result.output
    assert "demo-1.0.0.tar.gz" in result.output
    assert "400 File already exists" in result.output
    assert "to 1.0.1" in result.output


def test_stopped_server_warns_in_one_line_and_exits_0(write_repo, pypiserver: PypiServer,
                                                     built_demo: list[Path]) -> None:
    pypiserver.add(*built_demo)
    pypiserver.stop()
    root = project(write_repo)
    result = check_index(root, pypiserver.url)
    assert result.exit_code == 0, result.output
    [warning] = warnings_of(result.output)
    assert pypiserver.url in warning and "cannot connect" in warning
    assert "PD401" not in result.output


def test_done_when_through_the_console_script(write_repo, pypiserver: PypiServer,
                                              built_demo: list[Path]) -> None:
    """The same, as a user runs it: a separate process, the real exit status."""
    pypiserver.add(*built_demo)
    root = project(write_repo)
    command = [sys.executable, "-m", "pubdoctor", "check", str(root), "--index-url", pypiserver.url,
               "--timeout", ANSWER_TIMEOUT]
    env = {**os.environ, "NO_COLOR": "1"}
    found = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert found.returncode == 1, found.stdout + found.stderr
    assert "PD401" in found.stdout and "demo-1.0.0-py3-none-any.whl" in found.stdout
    pypiserver.stop()
    gone = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert gone.returncode == 0, gone.stdout + gone.stderr
    assert len(warnings_of(gone.stdout)) == 1 and gone.stderr == ""


# -- pypiserver: what PD401 does and does not flag -------------------------------------------

def test_new_version_passes(write_repo, pypiserver: PypiServer, built_demo: list[Path]) -> None:
    pypiserver.add(*built_demo)
    result = check_index(project(write_repo, "1.0.1"), pypiserver.url)
    assert result.exit_code == 0, result.output
    assert "PD401" not in result.output


def test_versions_compare_as_versions_not_strings(write_repo, pypiserver: PypiServer,
                                                  built_demo: list[Path]) -> None:
    pypiserver.add(*built_demo)
    result = check_index(project(write_repo, "1.0"), pypiserver.url)
    assert result.exit_code == 1 and "PD401" in result.output


def test_project_not_on_index_is_a_note(write_repo, pypiserver: PypiServer) -> None:
    result = check_index(project(write_repo), pypiserver.url)
    assert result.exit_code == 0, result.output
    assert "note: `demo` is not on" in result.output and warnings_of(result.output) == []


def test_dist_file_already_on_index(write_repo, pypiserver: PypiServer, tmp_path: Path) -> None:
    pypiserver.add(make_wheel(tmp_path / "up", "demo", "0.9.0"))
    root = project(write_repo, "1.0.0")
    make_wheel(root / "dist", "demo", "0.9.0")
    found = json.loads(check_index(root, pypiserver.url, "--format", "json").output)["findings"]
    pd401 = [f for f in found if f["code"] == "PD401"]
    assert [f["location"]["path"] for f in pd401] == ["dist/demo-0.9.0-py3-none-any.whl"]
    assert "`demo-0.9.0-py3-none-any.whl` is already on" in pd401[0]["message"]


def test_underscore_and_dash_spellings_are_the_same_file(write_repo, pypiserver: PypiServer,
                                                         tmp_path: Path) -> None:
    pypiserver.add(make_wheel(tmp_path / "up", "demo-pkg", "2.0.0"))  # demo_pkg-2.0.0-...
    root = write_repo({"pyproject.toml": '[project]\nname = "Demo.Pkg"\nversion = "2.0.0"\n'})
    result = check_index(root, pypiserver.url)
    assert result.exit_code == 1 and "PD401" in result.output


def test_offline_skips_the_index_silently(write_repo) -> None:
    """The user asked for no index: the rules that need it are skipped without a note."""
    result = run_cli("check", str(project(write_repo)), "--offline", "--select", "PD401")
    assert result.exit_code == 0
    assert "--offline" not in result.output and "warning" not in result.output


# -- indexes that do not answer well ---------------------------------------------------------

def test_connection_refused(write_repo, refused_url: str) -> None:
    result = check_index(project(write_repo), refused_url)
    assert result.exit_code == 0
    [warning] = warnings_of(result.output)
    assert refused_url in warning and "cannot connect" in warning


def test_slow_index_times_out(write_repo, bad_index: BadIndex) -> None:
    # the answer would come after 30 s (the fixture releases it at teardown), 60 times the
    # client's 0.5 s: no scheduling delay on a loaded machine lets it arrive in time
    bad_index.behaviour.delay = 30
    result = check_index(project(write_repo), bad_index.url, "--timeout", "0.5")
    assert result.exit_code == 0, result.output
    [warning] = warnings_of(result.output)
    assert "no answer within 0.5 s" in warning and bad_index.url in warning
    assert [r["path"] for r in bad_index.behaviour.requests] == ["/simple/demo/"]  # it was asked


@pytest.mark.parametrize("status, text", [(500, "HTTP 500"), (503, "HTTP 503"), (429, "HTTP 429")])
def test_error_statuses(write_repo, bad_index: BadIndex, status: int, text: str) -> None:
    bad_index.behaviour.status = status
    bad_index.behaviour.body = b"oops"
    result = check_index(project(write_repo), bad_index.url)
    assert result.exit_code == 0
    [warning] = warnings_of(result.output)
    assert text in warning and bad_index.url in warning


@pytest.mark.parametrize("content_type, body", [
    ("text/html", b"\x00\x01\x02 garbage, no tags at all"),
    (JSON_TYPE, b"{not json"),
    (JSON_TYPE, b'{"meta": {"api-version": "1.0"}, "files": "nope"}'),
    ("application/octet-stream", b"PK\x03\x04"),
])
def test_garbled_answers(write_repo, bad_index: BadIndex, content_type: str, body: bytes) -> None:
    bad_index.behaviour.content_type = content_type
    bad_index.behaviour.body = body
    result = check_index(project(write_repo), bad_index.url)
    assert result.exit_code == 0, result.output
    [warning] = warnings_of(result.output)
    assert "not a Simple API page" in warning


def test_index_failure_leaves_other_findings_and_their_exit_code(write_repo, bad_index: BadIndex) -> None:
    bad_index.behaviour.status = 500
    root = project(write_repo, "1.0.0+local")
    result = check_index(root, bad_index.url)
    assert result.exit_code == 1
    assert "PD402" in result.output and len(warnings_of(result.output)) == 1


def test_pep691_json_is_asked_for_and_read(write_repo, bad_index: BadIndex) -> None:
    bad_index.behaviour.content_type = JSON_TYPE
    bad_index.behaviour.body = json.dumps({
        "meta": {"api-version": "1.1"}, "name": "demo",
        "files": [{"filename": "demo-1.0.0.tar.gz", "url": "x", "hashes": {}, "yanked": "broken"}],
        "versions": ["1.0.0"],
    }).encode()
    result = check_index(project(write_repo), bad_index.url)
    assert result.exit_code == 1 and "`demo-1.0.0.tar.gz`" in result.output
    [request] = bad_index.behaviour.requests
    assert request["path"] == "/simple/demo/"
    assert request["accept"].startswith("application/vnd.pypi.simple.v1+json")


def test_one_request_per_run(write_repo, bad_index: BadIndex) -> None:
    bad_index.behaviour.status = 500
    root = write_repo({
        "pyproject.toml": PROJECT,
        ".github/workflows/release.yml": """
            on: push
            jobs:
              publish:
                runs-on: ubuntu-latest
                permissions: {id-token: write}
                steps:
                  - uses: pypa/gh-action-pypi-publish@release/v1
                    with: {skip-existing: true}
        """,
    })
    check_index(root, bad_index.url)
    assert len(bad_index.behaviour.requests) == 1


# -- which index, and which URLs are allowed -------------------------------------------------

@pytest.mark.parametrize("url", ["http://pypi.org/simple/", "ftp://127.0.0.1/simple/",
                                 "file:///etc/passwd", "http://10.0.0.1/simple/", "pypi.org"])
def test_only_https_or_loopback_http(write_repo, url: str) -> None:
    result = check_index(project(write_repo), url)
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "only https://" in result.output


@pytest.mark.parametrize("url", ["https://pypi.org/simple/", "http://127.0.0.1:8080/simple/",
                                 "http://localhost/simple/", "http://[::1]:9/simple/",
                                 "http://127.1.2.3/simple/"])
def test_allowed_urls(url: str) -> None:
    assert validate_url(url) == url


def test_invalid_publisher_index_is_an_input_error(write_repo) -> None:
    root = write_repo({"pyproject.toml": PROJECT + """
        [tool.pubdoctor.publisher]
        owner = "o"
        repository = "r"
        workflow = "release.yml"
        index = "http://test.pypi.org"
    """})
    result = run_cli("check", str(root), "--select", "PD401")
    assert result.exit_code == 2 and "only https://" in result.output


def test_invalid_index_url_in_pyproject_names_the_file(write_repo) -> None:
    """What tests/test_fuzz_inputs.py::test_random_wrongly_typed_pyproject finds in a run
    when it happens to draw ``index-url = "x"``: here every run."""
    root = write_repo({"pyproject.toml": PROJECT + '[tool.pubdoctor]\nindex-url = "x"\n'})
    result = run_cli("check", str(root), "--select", "PD401")
    assert result.exit_code == 2 and "only https://" in result.output
    assert "pyproject.toml" in result.output


@pytest.mark.parametrize("given, expected", [
    ("https://test.pypi.org", "https://test.pypi.org/simple/"),
    ("https://test.pypi.org/", "https://test.pypi.org/simple/"),
    ("https://test.pypi.org/legacy/", "https://test.pypi.org/simple/"),
    ("https://upload.pypi.org/legacy/", "https://pypi.org/simple/"),
    ("https://pypi.org/simple", "https://pypi.org/simple/"),
    ("https://example.org/repo/simple/", "https://example.org/repo/simple/"),
])
def test_simple_url(given: str, expected: str) -> None:
    assert simple_url(given) == expected


def test_index_choice_order() -> None:
    from pubdoctor.settings import Publisher, Settings

    testpypi = Publisher(owner="o", repository="r", workflow="w.yml", index="https://test.pypi.org")
    assert chosen_index(Settings())[0] == "https://pypi.org/simple/"
    assert chosen_index(Settings(publishers=[testpypi]))[0] == "https://test.pypi.org/simple/"
    assert chosen_index(Settings(publishers=[testpypi], index_url="https://example.org/simple/"))[0] \
        == "https://example.org/simple/"
    with pytest.raises(InputError):
        chosen_index(Settings(index_url="http://example.org/simple/"))
    named = Publisher(owner="o", repository="r", workflow="w.yml", index="testpypi")
    assert chosen_index(Settings(publishers=[named]))[0] == "https://test.pypi.org/simple/"
    pypi = Publisher(owner="o", repository="r", workflow="w.yml")
    assert chosen_index(Settings(publishers=[pypi, testpypi]))[0] == "https://pypi.org/simple/"


def test_proxy_variables_are_not_used_for_loopback(write_repo, pypiserver: PypiServer,
                                                   built_demo: list[Path], refused_url: str,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    pypiserver.add(*built_demo)
    dead = refused_url.removesuffix("/simple/")
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY"):
        monkeypatch.setenv(name, dead)
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    result = check_index(project(write_repo), pypiserver.url)
    assert result.exit_code == 1 and "PD401" in result.output


def test_pd404_says_when_the_version_is_already_on_the_index(write_repo, pypiserver: PypiServer,
                                                             built_demo: list[Path]) -> None:
    pypiserver.add(*built_demo)
    root = write_repo({
        "pyproject.toml": PROJECT,
        ".github/workflows/release.yml": """
            on:
              push:
                branches: [main]
            jobs:
              publish:
                runs-on: ubuntu-latest
                permissions: {id-token: write}
                steps:
                  - uses: pypa/gh-action-pypi-publish@release/v1
                    with:
                      skip-existing: true
        """,
    })
    found = json.loads(check_index(root, pypiserver.url, "--format", "json").output)["findings"]
    [pd404] = [f for f in found if f["code"] == "PD404"]
    assert pd404["location"]["line"] == 11
    assert f"1.0.0 is already on {pypiserver.url}, so the next run will publish nothing" in pd404["message"]
    assert sorted(f["code"] for f in found) == ["PD401", "PD404"]


def test_an_answer_that_is_not_http_at_all(write_repo) -> None:
    """A server that writes garbage instead of a status line (http.client.BadStatusLine)."""
    import socket
    import threading

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)

    def serve() -> None:
        connection, _ = listener.accept()
        connection.recv(65536)
        connection.sendall(b"\x00\x01garbage that is not HTTP\r\n\r\n")
        connection.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/simple/"
    try:
        result = check_index(project(write_repo), url)
    finally:
        listener.close()
    assert result.exit_code == 0, result.output
    [warning] = warnings_of(result.output)
    assert "the answer is not HTTP (??garbage that is not HTTP)" in warning and url in warning


def test_redirect_to_plain_http_elsewhere_is_refused(write_repo, bad_index: BadIndex) -> None:
    bad_index.behaviour.status = 302
    bad_index.behaviour.extra_headers = {"Location": "http://example.org/simple/demo/"}
    result = check_index(project(write_repo), bad_index.url)
    assert result.exit_code == 0, result.output
    [warning] = warnings_of(result.output)
    assert "redirected to http://example.org/simple/demo/, which is not https" in warning
