"""Bounded on hostile input: every hang and crash the attacks found ends in seconds, with one
clear line or a finding naming the file.

Runs that could hang if the bound were missing go through a subprocess with a generous
``timeout`` (a hang fails the test instead of stalling the suite); nothing here is timed.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import socket
import subprocess
import sys
import tarfile
import threading
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import run_cli

PYPROJECT = '[project]\nname = "demo"\nversion = "1.0.0"\n'
PUBLISH = """\
on:
  push:
    tags: ["v*"]
permissions:
  id-token: write
jobs:
  pypi:
    runs-on: ubuntu-latest
    environment: pypi
    steps:
      - uses: pypa/gh-action-pypi-publish@release/v1
        with: {with_}
"""


def run_bounded(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``pubdoctor ARGS`` in a subprocess; a hang fails the test after a minute."""
    return subprocess.run([sys.executable, "-m", "pubdoctor", *args], capture_output=True,
                          text=True, timeout=60, cwd=cwd, stdin=subprocess.DEVNULL)


def repo(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    root = tmp_path / "repo"
    for rel, content in {"pyproject.toml": PYPROJECT, **files}.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
    (root / ".github" / "workflows").mkdir(parents=True, exist_ok=True)
    return root


def assert_clean(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr


# -- a hostile package index ----------------------------------------------------------------

class RawServer:
    """A TCP server on 127.0.0.1 answering each connection with ``handler(connection)``."""

    def __init__(self, handler: Callable[[socket.socket, threading.Event], None]) -> None:
        self.stop = threading.Event()
        self.hits: list[bytes] = []
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.handler = handler
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            threading.Thread(target=self._one, args=(conn,), daemon=True).start()

    def _one(self, conn: socket.socket) -> None:
        with conn:
            try:
                conn.settimeout(5)
                self.hits.append(conn.recv(65536))
                self.handler(conn, self.stop)
            except OSError:
                pass

    def close(self) -> None:
        self.stop.set()
        self.thread.join(5)
        self.sock.close()


@pytest.fixture
def raw_server() -> Iterator[Callable[..., RawServer]]:
    servers: list[RawServer] = []

    def start(handler: Callable[[socket.socket, threading.Event], None]) -> RawServer:
        servers.append(RawServer(handler))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def answer(body: bytes, content_type: str = "text/html", status: str = "200 OK",
           headers: str = "") -> bytes:
    return (f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
            f"{headers}Connection: close\r\n\r\n").encode() + body


def drip(data: bytes, then_forever: bool = True) -> Callable[[socket.socket, threading.Event], None]:
    def handler(conn: socket.socket, stop: threading.Event) -> None:
        for byte in data:
            if stop.wait(0.05):
                return
            conn.sendall(bytes([byte]))
        while then_forever and not stop.wait(0.05):
            conn.sendall(b"x")
    return handler


@pytest.mark.parametrize("stage", ["status line", "headers", "body"])
def test_index_dripping_one_byte_at_a_time_is_given_up(tmp_path: Path, raw_server, stage: str) -> None:
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
    data = {"status line": b"HTTP/1.1 2", "headers": head + b"X-Slow: 1", "body": head +
            b"Content-Length: 100000000\r\n\r\n<html>"}[stage]
    server = raw_server(drip(data))
    root = repo(tmp_path, {})
    result = run_bounded("check", str(root), "--no-color", "--select", "PD4", "--timeout", "2",
                         "--index-url", f"http://127.0.0.1:{server.port}/simple/")
    assert_clean(result)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no answer within 2 s" in result.stdout


def test_redirect_to_another_host_is_not_followed(tmp_path: Path, raw_server) -> None:
    elsewhere = raw_server(lambda conn, stop: conn.sendall(answer(b"<html></html>")))
    target = f"http://localhost:{elsewhere.port}/simple/demo/"  # another host name, same machine
    first = raw_server(lambda conn, stop: conn.sendall(
        answer(b"", status="302 Found", headers=f"Location: {target}\r\n")))
    root = repo(tmp_path, {})
    result = run_cli("check", str(root), "--no-color", "--select", "PD4", "--timeout", "30",
                     "--index-url", f"http://127.0.0.1:{first.port}/simple/")
    assert result.exit_code == 0, result.output
    assert "redirected to another host" in result.output and target in result.output
    assert first.hits and not elsewhere.hits


def test_redirect_on_the_same_host_is_followed(tmp_path: Path, raw_server) -> None:
    def handler(conn: socket.socket, stop: threading.Event) -> None:
        request = server.hits[-1]
        if request.startswith(b"GET /simple/demo/"):
            conn.sendall(answer(b"", status="301 Moved", headers="Location: /other/demo/\r\n"))
        else:
            conn.sendall(answer(b"<html><body></body></html>"))
    server = raw_server(handler)
    root = repo(tmp_path, {})
    result = run_cli("check", str(root), "--no-color", "--select", "PD4", "--timeout", "30",
                     "--index-url", f"http://127.0.0.1:{server.port}/simple/")
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output
    assert [h.split(b" ")[1] for h in server.hits] == [b"/simple/demo/", b"/other/demo/"]


def test_answer_in_an_unknown_charset(tmp_path: Path, raw_server) -> None:
    page = b'<html><body><a href="demo-1.0.0.tar.gz">demo-1.0.0.tar.gz</a></body></html>'
    server = raw_server(lambda conn, stop: conn.sendall(answer(page, "text/html; charset=x-no-such")))
    root = repo(tmp_path, {})
    result = run_cli("check", str(root), "--no-color", "--select", "PD4", "--timeout", "30",
                     "--index-url", f"http://127.0.0.1:{server.port}/simple/")
    assert result.exit_code == 1, result.output  # the page was read: 1.0.0 is already there
    assert "PD40" in result.output


# -- YAML bombs -------------------------------------------------------------------------------

def laughs() -> str:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 12)]
    return "\n".join(lines) + "\n" + PUBLISH.format(with_="*a11")


def merge_keys() -> str:
    lines = ["m0: &m0 {a: 1, b: 2, c: 3, d: 4}"]
    lines += [f"m{i}: &m{i} {{<<: [*m{i - 1}], k{i}: *m{i - 1}, j{i}: *m{i - 1}}}" for i in range(1, 30)]
    return "\n".join(lines) + "\n" + PUBLISH.format(with_="*m29")


BOMBS = {
    "billion-laughs": (laughs(), "expands to more than"),
    "merge-keys-of-aliases": (merge_keys(), "expands to more than"),
    "self-referencing": ("on: push\njobs: &j\n  x:\n    runs-on: ubuntu-latest\n    needs: *j\n"
                         "    steps:\n      - uses: pypa/gh-action-pypi-publish@release/v1\n",
                         "used inside itself"),
    "nested-flow": ("on: push\njobs: " + "[" * 50_000 + "]" * 50_000 + "\n", "nests deeper than"),
    "nested-anchors": ("on: push\njobs:\n  x: &x0\n" + "".join(
        f"{'  ' * (i + 2)}k{i}: &x{i + 1}\n" for i in range(200)) + "  y: *x0\n", "nests deeper than"),
}


@pytest.mark.parametrize("kind", BOMBS)
def test_yaml_bomb_is_pd100_naming_the_file(tmp_path: Path, kind: str) -> None:
    text, why = BOMBS[kind]
    root = repo(tmp_path, {".github/workflows/bomb.yml": text})
    result = run_bounded("check", "--offline", "--no-color", "--format", "json", str(root))
    assert_clean(result)
    [finding] = [f for f in json.loads(result.stdout)["findings"] if f["code"] == "PD100"]
    assert finding["location"]["path"] == ".github/workflows/bomb.yml"
    assert why in finding["message"]


def test_anchors_within_the_limits_are_read(tmp_path: Path) -> None:
    workflow = "x-defaults: &with {packages-dir: dist/}\n" + PUBLISH.format(with_="*with")
    root = repo(tmp_path, {".github/workflows/release.yml": workflow})
    result = run_cli("check", "--offline", "--no-color", "--select", "PD100", str(root))
    assert result.exit_code == 0, result.output


def test_release_tool_config_bomb_is_not_expanded(tmp_path: Path) -> None:
    root = repo(tmp_path, {".releaserc.yml": laughs().replace("with: *a11", "with: {}") +
                           "branches: *a11\n", "package.json": "{}"})
    result = run_bounded("check", "--offline", "--no-color", str(root))
    assert_clean(result)
    assert result.returncode in (0, 1)


# -- things that are not regular files --------------------------------------------------------

@pytest.mark.parametrize("where", [".github/workflows/release.yml", "dist/demo-1.0.0.tar.gz",
                                   "dist/demo-1.0.0-py3-none-any.whl", "pyproject.toml"])
def test_fifo_is_not_read(tmp_path: Path, where: str) -> None:
    root = repo(tmp_path, {})
    fifo = root / where
    fifo.parent.mkdir(parents=True, exist_ok=True)
    if fifo.exists():
        fifo.unlink()
    os.mkfifo(fifo)
    result = run_bounded("check", "--offline", "--no-color", str(root))
    assert_clean(result)
    if where == "pyproject.toml":
        assert result.returncode == 2 and "pyproject.toml: not a regular file" in result.stderr
    elif where.endswith(".yml"):
        assert "release.yml" in result.stdout and "not a regular file" in result.stdout


def test_device_in_place_of_pyproject(tmp_path: Path) -> None:
    root = repo(tmp_path, {})
    (root / "pyproject.toml").unlink()
    (root / "pyproject.toml").symlink_to("/dev/zero")
    result = run_bounded("check", "--offline", "--no-color", str(root))
    assert_clean(result)
    assert result.returncode == 2 and "not a regular file" in result.stderr


def test_over_long_folder_named_by_a_workflow(tmp_path: Path) -> None:
    root = repo(tmp_path, {".github/workflows/release.yml": PUBLISH.format(
        with_="{packages-dir: " + "d" * 5000 + "/}")})
    result = run_cli("check", "--offline", "--no-color", str(root))
    assert result.exit_code in (0, 1), result.output


# -- external commands that do not finish -----------------------------------------------------

def test_git_past_its_timeout_is_a_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pubdoctor.sources import gitcli

    from history_repo import PSR, repo as history_repo

    root = history_repo(tmp_path / "r", {"pyproject.toml": PSR}, [("feat: one", "v1.0.0"), "wip"])
    monkeypatch.setattr(gitcli, "TIMEOUT", 1e-6)  # no git process finishes in a microsecond
    result = run_cli("check", "--offline", "--no-color", str(root))
    assert result.exit_code in (0, 1), result.output
    assert "did not finish within" in result.output


# -- archives in dist/ ------------------------------------------------------------------------

def wheel_bytes(metadata: bytes = b"Metadata-Version: 2.1\nName: demo\nVersion: 1.0.0\n",
                compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        archive.writestr("demo-1.0.0.dist-info/METADATA", metadata)
        archive.writestr("demo-1.0.0.dist-info/WHEEL", "Wheel-Version: 1.0\n")
    return buffer.getvalue()


def encrypted(data: bytes) -> bytes:
    """The zip with the "encrypted" flag set on every entry (what zipfile cannot write)."""
    raw = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (start := raw.find(signature, start)) >= 0:
            raw[start + offset] |= 0x01
            start += 4
    return bytes(raw)


def bad_crc(data: bytes) -> bytes:
    """A stored zip with one byte of its first member's data changed."""
    raw = bytearray(data)
    name_len = int.from_bytes(raw[26:28], "little")
    extra_len = int.from_bytes(raw[28:30], "little")
    raw[30 + name_len + extra_len] ^= 0xFF
    return bytes(raw)


def sdist_bytes() -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        data = b"Metadata-Version: 2.1\nName: demo\nVersion: 1.0.0\n" + b"Description: x\n" * 5000
        info = tarfile.TarInfo("demo-1.0.0/PKG-INFO")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


DIST_CASES = {
    "corrupt gzip": ("demo-1.0.0.tar.gz", b"\x1f\x8b\x08\x00" + b"\x00" * 6 + b"garbage" * 50,
                     "not a valid gzipped tar archive"),
    "xz in a .tar.gz": ("demo-1.0.0.tar.gz", b"\xfd7zXZ\x00" + b"\x00" * 100, "not a valid gzipped tar archive"),
    "truncated .tar.gz": ("demo-1.0.0.tar.gz", sdist_bytes()[:200], "not a valid gzipped tar archive"),
    "encrypted wheel member": ("demo-1.0.0-py3-none-any.whl", encrypted(wheel_bytes()), "encrypted"),
    "bad CRC in a wheel": ("demo-1.0.0-py3-none-any.whl", bad_crc(wheel_bytes(compression=zipfile.ZIP_STORED)),
                           "not a valid zip archive"),
    "corrupt deflate data": ("demo-1.0.0-py3-none-any.whl", bad_crc(wheel_bytes()), "not a valid zip archive"),
}


@pytest.mark.parametrize("case", DIST_CASES)
def test_broken_archive_in_dist_is_one_finding(tmp_path: Path, case: str) -> None:
    name, data, said = DIST_CASES[case]
    root = repo(tmp_path, {f"dist/{name}": data})
    result = run_cli("check", "--offline", "--no-color", "--format", "json", str(root))
    assert result.exit_code in (0, 1), result.output
    messages = [f["message"] for f in json.loads(result.output)["findings"]]
    assert any(name in m and said in m for m in messages), messages
    if name.endswith(".tar.gz"):
        assert not any("zip archive" in m for m in messages)


def test_sdist_that_decompresses_without_bound_is_not_read_to_the_end(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pubdoctor.sources import dist

    monkeypatch.setattr(dist, "MAX_UNPACKED_SDIST_BYTES", 1024 * 1024)
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        info = tarfile.TarInfo("demo-1.0.0/zeros")
        info.size = 8 * 1024 * 1024
        archive.addfile(info, io.BytesIO(bytes(info.size)))
    root = repo(tmp_path, {"dist/demo-1.0.0.tar.gz": buffer.getvalue()})
    loaded = dist.load_dist(root)
    [item] = loaded.dirs[0].files
    assert item.problem is None and item.metadata_name is None  # given up, not read to the end


# -- log archives for diagnose ---------------------------------------------------------------

def log_archive(files: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


LOG = b"Run twine upload dist/*\nHTTPError: 403 Forbidden from https://upload.pypi.org/legacy/\n"


@pytest.mark.parametrize("case", ["bad CRC", "encrypted", "corrupt deflate", "truncated"])
def test_broken_log_archive_is_one_line(tmp_path: Path, case: str) -> None:
    stored = log_archive({"1_publish.txt": LOG}, zipfile.ZIP_STORED)
    deflated = log_archive({"1_publish.txt": LOG * 50})
    data = {"bad CRC": bad_crc(stored), "encrypted": encrypted(deflated),
            "corrupt deflate": bad_crc(deflated), "truncated": deflated[:len(deflated) // 2]}[case]
    path = tmp_path / "logs.zip"
    path.write_bytes(data)
    result = run_cli("diagnose", str(path), "--no-repo", "--no-color")
    assert result.exit_code == 2, result.output
    [line] = result.output.strip().splitlines()
    assert line.startswith(f"pubdoctor: error: {path}: ")


def test_log_archive_of_100000_entries(tmp_path: Path) -> None:
    path = tmp_path / "logs.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for number in range(100_000):
            archive.writestr(f"{number}_step.txt", b"")
    result = run_bounded("diagnose", str(path), "--no-repo", "--no-color")
    assert result.returncode == 2
    assert "holds 100,000 files" in result.stderr


def test_gzip_log_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "log.txt.gz"
    path.write_bytes(gzip.compress(LOG)[:20])
    result = run_cli("diagnose", str(path), "--no-repo")
    assert result.exit_code == 2 and "gzip" in result.output


# -- a log whose failure text recurs ----------------------------------------------------------

FILE_EXISTS = ("Uploading distributions to https://upload.pypi.org/legacy/\n"
               "Uploading demo-1.0.0.tar.gz\n"
               "ERROR    HTTPError: 400 Bad Request from https://upload.pypi.org/legacy/\n"
               "         File already exists ('demo-1.0.0.tar.gz', with blake2_256 hash 'x').\n"
               "         See https://pypi.org/help/#file-name-reuse for more information.\n")
LOCAL_VERSION = ("Uploading demo-1.0.0+local.tar.gz\n"
                 "ERROR    HTTPError: 400 Bad Request from https://upload.pypi.org/legacy/\n"
                 "         '1.0.0+local' is an invalid value for Version. Error: Can't use PEP 440 "
                 "local versions.\n")


def test_recurring_failure_keeps_its_first_evidence(tmp_path: Path) -> None:
    log = tmp_path / "run.log"
    rounds = [f"2024-05-01T10:00:{n % 60:02d}.0000000Z noise line {n}\n" * 20 + FILE_EXISTS
              for n in range(3000)]
    log.write_text("".join(rounds))
    result = run_cli("diagnose", str(log), "--no-repo", "--format", "json")
    found = json.loads(result.output)
    assert found["cause"] == "file-exists"
    assert found["evidence"][0]["line"] < 30  # the first occurrence is the evidence


def test_another_reason_after_a_recurring_one_is_still_read(tmp_path: Path) -> None:
    from pubdoctor.diagnose.reader import open_log
    from pubdoctor.diagnose.scanner import Scanner

    log = tmp_path / "run.log"
    log.write_text("".join(f"noise {n}\n" * 20 + FILE_EXISTS for n in range(200)) + LOCAL_VERSION)
    scanner = Scanner()
    with open_log(str(log)) as parts:
        for part in parts:
            scanner.scan(part.stream, part.name)
    causes = {match.cause for match in scanner.finish().matches}
    assert {"file-exists", "local-version"} <= causes


@pytest.mark.parametrize("command", ["check", "claims", "diagnose"])
def test_over_long_path_argument_is_one_line(tmp_path: Path, command: str) -> None:
    path = str(tmp_path / ("a" * 300))
    result = run_cli(command, path)
    assert result.exit_code == 2, result.output
    assert "internal error" not in result.output and "cannot read" in result.output
