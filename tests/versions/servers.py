"""Real package indexes on 127.0.0.1 for the PD4xx tests, and real distributions to put in them.

Test modules import the fixture functions (``*_fixture``); the fixtures are named without the
suffix (``pypiserver``, ``bad_index``, ``built_demo``).

- `pypiserver`: the real pypiserver 2.x in a subprocess, on a free port, serving a temporary
  packages folder (files written there are served at once: ``--backend simple-dir``).
- `bad_index`: a tiny `http.server` whose answer each test chooses: slow, 500, 429,
  garbage, or a PEP 691 JSON page. A slow answer waits on an event that the fixture sets at
  teardown, so a "slow" server can be made far slower than any client timeout (no race on a
  loaded machine) and still lets its thread go at once.
- `refused_url`: a loopback URL on a port held bound but not listening, so connecting is
  refused for as long as the test runs (a port that was free a moment ago may be taken by
  another test run in between).
- `make_wheel`: a valid wheel written with zipfile (METADATA, WHEEL, RECORD), and
  `built_demo`: a wheel and an sdist of ``demo 1.0.0`` built by ``python -m build``.

Nothing here reaches beyond 127.0.0.1: pypiserver runs with ``--disable-fallback``.
"""

from __future__ import annotations

import base64
import hashlib
import http.server
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _no_proxy_read(url: str, timeout: float) -> str:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(url, timeout=timeout) as response:
        return response.read().decode(errors="replace")


@dataclass
class PypiServer:
    url: str  # the Simple API base, ending in /simple/
    packages: Path
    process: subprocess.Popen[bytes]

    def add(self, *files: Path) -> None:
        for file in files:
            (self.packages / file.name).write_bytes(file.read_bytes())

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def start_pypiserver(packages: Path, attempts: int = 3) -> PypiServer:
    """pypiserver serving ``packages`` on a free port, once it answers.

    The port is found free and then handed to pypiserver, so another process (a test run in
    parallel) may take it in between: pypiserver then exits, or the server answering is not
    this one. A marker project that only this pypiserver lists tells them apart, and a lost
    port is retried on another.
    """
    marker = f"probe-{secrets.token_hex(6)}"
    probe = packages / f"{marker}-0.tar.gz"
    probe.write_bytes(b"")
    log_path = packages.parent / "pypiserver.log"
    try:
        for _ in range(attempts):
            port = free_port()
            command = [sys.executable, "-m", "pypiserver", "run", "-p", str(port), "-i", "127.0.0.1",
                       "--disable-fallback", "--backend", "simple-dir", "-a", ".", "-P", ".",
                       "--log-stream", "none", str(packages)]
            with log_path.open("wb") as log:
                process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log)
            server = PypiServer(url=f"http://127.0.0.1:{port}/simple/", packages=packages,
                                process=process)
            if _serves(server, marker, log_path):
                return server
            server.stop()
        raise RuntimeError(f"pypiserver lost its port {attempts} times: "
                           f"{log_path.read_text(errors='replace')}")
    finally:
        probe.unlink()


def _serves(server: PypiServer, marker: str, log_path: Path) -> bool:
    """Whether ``server`` answers with its own listing (False: it lost its port)."""
    deadline = time.monotonic() + 60
    while server.process.poll() is None:
        try:
            return marker in _no_proxy_read(server.url, timeout=5)
        except OSError:
            pass
        if time.monotonic() > deadline:
            server.process.kill()
            raise RuntimeError("pypiserver did not answer within 60 s")
        time.sleep(0.1)
    text = log_path.read_text(errors="replace")
    if "address already in use" in text.lower():
        return False
    raise RuntimeError(f"pypiserver exited: {text}")


@pytest.fixture(name="pypiserver")
def pypiserver_fixture(tmp_path: Path) -> Iterator[PypiServer]:
    """A running pypiserver with an empty packages folder of its own."""
    packages = tmp_path / "packages"
    packages.mkdir()
    server = start_pypiserver(packages)
    try:
        yield server
    finally:
        server.stop()


@dataclass
class Behaviour:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html"
    delay: float = 0.0  # seconds the answer waits, unless `release` is set first
    extra_headers: dict[str, str] = field(default_factory=dict)
    requests: list[dict[str, str]] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)


class _Handler(http.server.BaseHTTPRequestHandler):
    behaviour: Behaviour
    timeout = 10  # a client that never sends its request cannot hold the teardown for long

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        behaviour = self.server.behaviour  # type: ignore[attr-defined]
        behaviour.requests.append({"path": self.path, "accept": self.headers.get("Accept", "")})
        if behaviour.delay:
            behaviour.release.wait(behaviour.delay)
        try:
            self.send_response(behaviour.status)
            self.send_header("Content-Type", behaviour.content_type)
            self.send_header("Content-Length", str(len(behaviour.body)))
            for name, value in behaviour.extra_headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(behaviour.body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@dataclass
class BadIndex:
    url: str
    behaviour: Behaviour


@pytest.fixture(name="bad_index")
def bad_index_fixture() -> Iterator[BadIndex]:
    """An index on 127.0.0.1 whose answer the test sets through ``.behaviour``."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = False  # server_close() joins the answering threads: none outlives the test
    server.behaviour = Behaviour()  # type: ignore[attr-defined]
    # a short poll interval: `shutdown()` at teardown waits for one
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield BadIndex(url=f"http://127.0.0.1:{server.server_address[1]}/simple/",
                       behaviour=server.behaviour)  # type: ignore[attr-defined]
    finally:
        server.behaviour.release.set()  # type: ignore[attr-defined] - wake a slow answer now
        server.shutdown()
        server.server_close()


@pytest.fixture(name="refused_url")
def refused_url_fixture() -> Iterator[str]:
    """``http://127.0.0.1:PORT/simple/`` where PORT is bound by this fixture but not listening:
    every connection is refused, and no other process can take the port meanwhile."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as holder:
        holder.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{holder.getsockname()[1]}/simple/"


def _record_hash(data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"sha256={digest}"


def make_wheel(folder: Path, name: str, version: str, metadata_version: str = "2.1",
               metadata_name: str | None = None, metadata_ver: str | None = None) -> Path:
    """A valid pure-Python wheel of ``name`` ``version`` (METADATA, WHEEL, RECORD)."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{name.replace('-', '_')}-{version}"
    path = folder / f"{stem}-py3-none-any.whl"
    info = f"{stem}.dist-info"
    module = name.replace("-", "_")
    files = {
        f"{module}/__init__.py": f'__version__ = "{version}"\n'.encode(),
        f"{info}/METADATA": (f"Metadata-Version: {metadata_version}\nName: {metadata_name or name}\n"
                             f"Version: {metadata_ver or version}\n").encode(),
        f"{info}/WHEEL": b"Wheel-Version: 1.0\nGenerator: pubdoctor-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = "".join(f"{p},{_record_hash(d)},{len(d)}\n" for p, d in files.items()) + f"{info}/RECORD,,\n"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in files.items():
            archive.writestr(member, data)
        archive.writestr(f"{info}/RECORD", record)
    return path


def make_sdist(folder: Path, name: str, version: str, metadata_version: str = "2.1",
               metadata_ver: str | None = None) -> Path:
    """A minimal sdist (``name-version/PKG-INFO`` and ``pyproject.toml`` in a .tar.gz)."""
    import io
    import tarfile

    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{name.replace('-', '_')}-{version}"
    path = folder / f"{stem}.tar.gz"
    files = {
        f"{stem}/pyproject.toml": f'[project]\nname = "{name}"\nversion = "{version}"\n'.encode(),
        f"{stem}/PKG-INFO": (f"Metadata-Version: {metadata_version}\nName: {name}\n"
                             f"Version: {metadata_ver or version}\n").encode(),
    }
    with tarfile.open(path, "w:gz") as archive:
        for member, data in files.items():
            info = tarfile.TarInfo(member)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


@pytest.fixture(name="built_demo", scope="session")
def built_demo_fixture(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """A wheel and an sdist of ``demo`` 1.0.0, built by ``python -m build`` (no network)."""
    source = tmp_path_factory.mktemp("demo-src")
    (source / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n\n'
        '[project]\nname = "demo"\nversion = "1.0.0"\ndescription = "A demo."\n', encoding="utf-8")
    (source / "demo").mkdir()
    (source / "demo" / "__init__.py").write_text('__version__ = "1.0.0"\n', encoding="utf-8")
    out = tmp_path_factory.mktemp("demo-dist")
    env = {**os.environ, "PIP_NO_INDEX": "1"}
    result = subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out),
                             str(source)], capture_output=True, text=True, env=env, timeout=300)
    if result.returncode != 0:
        pytest.fail(f"python -m build failed:\n{result.stdout}\n{result.stderr}")
    built = sorted(out.iterdir())
    assert {p.suffix for p in built} == {".whl", ".gz"}, built
    return built
