"""A small package index on 127.0.0.1 answering the Simple API and the Integrity API as documented.

- ``GET /<prefix>/simple/<project>/``: PEP 691 JSON (``application/vnd.pypi.simple.v1+json``,
  ``meta.api-version`` 1.3 with PEP 740's ``provenance`` key: the Integrity API URL of the
  file, or null) when the client accepts it, else PEP 503 HTML (``data-provenance`` on the
  anchors of files that have one); 404 for a project it does not hold. With ``pep740=False``
  it answers as an index without PEP 740 does (pypiserver, devpi): no ``provenance`` key, no
  Integrity API.
- ``GET /<prefix>/integrity/<project>/<version>/<filename>/provenance``: the file's PEP 740
  provenance object (``application/vnd.pypi.integrity.v1+json``), or 404 with PyPI's
  ``{"message": "No provenance available for <filename>"}``; a test may replace the answer
  (500, garbage, a huge body, a slow answer) through `Answer`.

Provenance objects are built in the documented shape (PyPI docs "Integrity API", PEP 740,
pypi-attestations): ``version``, ``attestation_bundles`` of ``publisher`` (``kind``,
``repository``, ``workflow``, ``environment``, ``claims``) and ``attestations`` (``version``,
``verification_material``, ``envelope``). The attestations are not signed: pubdoctor reads the
publisher, it does not verify them. ``prefix`` lets one server stand for two indexes (``/pypi``
and ``/testpypi``), which hold their projects separately, as the real ones do.
"""

from __future__ import annotations

import base64
import hashlib
import html
import http.server
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Optional

import pytest


def provenance_object(filename: str, repository: str, workflow: str, environment: str = "",
                      kind: str = "GitHub") -> dict[str, Any]:
    """A PEP 740 provenance object for ``filename`` uploaded by a GitHub publisher."""
    statement = {
        "_type": "https://in-toto.io/Statement/v1",
        "subject": [{"name": filename, "digest": {"sha256": hashlib.sha256(filename.encode()).hexdigest()}}],
        "predicateType": "https://docs.pypi.org/attestations/publish/v1",
        "predicate": None,
    }
    attestation = {
        "version": 1,
        "verification_material": {
            "certificate": base64.b64encode(b"not a real certificate").decode(),
            "transparency_entries": [{"logIndex": "1", "logId": {"keyId": "AAAA"},
                                      "kindVersion": {"kind": "dsse", "version": "0.0.1"},
                                      "integratedTime": "1730932627"}],
        },
        "envelope": {"statement": base64.b64encode(json.dumps(statement).encode()).decode(),
                     "signature": base64.b64encode(b"not a real signature").decode()},
    }
    if kind == "GitHub":
        publisher: dict[str, Any] = {"kind": "GitHub", "repository": repository, "workflow": workflow,
                                     "environment": environment, "claims": None}
    elif kind == "GitLab":
        publisher = {"kind": "GitLab", "repository": repository, "workflow_filepath": workflow,
                     "environment": environment or None, "claims": None}
    else:
        publisher = {"kind": kind, "email": "release@example.invalid", "claims": None}
    return {"version": 1, "attestation_bundles": [{"publisher": publisher, "attestations": [attestation]}]}


@dataclass
class Answer:
    """An answer a test forces on a path: status, body, content type, and a delay."""

    status: int = 200
    body: bytes = b""
    content_type: str = "application/vnd.pypi.integrity.v1+json"
    delay: float = 0.0
    trickle: float = 0.0  # seconds between the bytes of the body


@dataclass
class Release:
    filename: str
    version: str
    upload_time: str
    provenance: Optional[dict[str, Any]] = None


@dataclass
class Index:
    """One index of the server: its projects (canonical name -> releases)."""

    pep740: bool = True
    projects: dict[str, list[Release]] = field(default_factory=dict)

    def add(self, project: str, version: str, publisher: Optional[tuple[str, str, str]] = None,
            day: int = 1, wheel: bool = True) -> None:
        """Upload ``project`` ``version`` (an sdist and a wheel), with the provenance of
        ``publisher`` = (repository, workflow, environment), or without (a token upload)."""
        stem = f"{project.replace('-', '_')}-{version}"
        names = [f"{stem}.tar.gz"] + ([f"{stem}-py3-none-any.whl"] if wheel else [])
        for name in names:
            provenance = provenance_object(name, *publisher) if publisher else None
            self.projects.setdefault(project, []).append(
                Release(filename=name, version=version, upload_time=f"2025-01-{day:02d}T12:00:00.000000Z", provenance=provenance))


@dataclass
class ServerState:
    indexes: dict[str, Index] = field(default_factory=dict)
    answers: dict[str, Answer] = field(default_factory=dict)  # path -> forced answer
    requests: list[str] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)


class _Handler(http.server.BaseHTTPRequestHandler):
    timeout = 10

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        state: ServerState = self.server.state  # type: ignore[attr-defined]
        state.requests.append(self.path)
        forced = state.answers.get(self.path)
        if forced is not None:
            if forced.delay:
                state.release.wait(forced.delay)
            return self._send(forced.status, forced.body, forced.content_type, forced.trickle,
                              state.release)
        parts = [p for p in self.path.split("?")[0].split("/") if p]
        if len(parts) >= 3 and parts[1] == "simple" and parts[0] in state.indexes:
            return self._simple(state.indexes[parts[0]], parts[0], parts[2])
        if len(parts) == 6 and parts[1] == "integrity" and parts[5] == "provenance" \
                and parts[0] in state.indexes and state.indexes[parts[0]].pep740:
            return self._provenance(state.indexes[parts[0]], parts[2], parts[4])
        self._send(404, b"<html><body>Not Found</body></html>", "text/html")

    def _simple(self, index: Index, prefix: str, project: str) -> None:
        releases = index.projects.get(project)
        if releases is None:
            return self._send(404, b"<html><body>Not Found</body></html>", "text/html")

        def provenance_url(item: Release) -> Optional[str]:
            if item.provenance is None:
                return None
            return (f"http://{self.headers['Host']}/{prefix}/integrity/{project}/{item.version}/"
                    f"{item.filename}/provenance")

        if "application/vnd.pypi.simple.v1+json" in self.headers.get("Accept", ""):
            files = []
            for item in releases:
                entry: dict[str, Any] = {
                    "filename": item.filename, "url": f"/files/{item.filename}",
                    "hashes": {"sha256": hashlib.sha256(item.filename.encode()).hexdigest()},
                    "requires-python": None, "size": 1000, "upload-time": item.upload_time,
                    "yanked": False, "data-dist-info-metadata": False, "core-metadata": False}
                if index.pep740:
                    entry["provenance"] = provenance_url(item)
                files.append(entry)
            document = {"meta": {"api-version": "1.3" if index.pep740 else "1.1"}, "name": project,
                        "versions": sorted({r.version for r in releases}),
                        "files": files}
            return self._send(200, json.dumps(document).encode(), "application/vnd.pypi.simple.v1+json")
        anchors = []
        for item in releases:
            url = provenance_url(item) if index.pep740 else None
            extra = f' data-provenance="{html.escape(url)}"' if url else ""
            anchors.append(f'<a href="/files/{item.filename}#sha256=00"{extra}>{item.filename}</a><br />')
        page = f"<!DOCTYPE html><html><body><h1>Links for {project}</h1>{''.join(anchors)}</body></html>"
        self._send(200, page.encode(), "text/html")

    def _provenance(self, index: Index, project: str, filename: str) -> None:
        item = next((r for r in index.projects.get(project, []) if r.filename == filename), None)
        if item is None or item.provenance is None:
            body = json.dumps({"message": f"No provenance available for {filename}"}).encode()
            return self._send(404, body, "application/json")
        self._send(200, json.dumps(item.provenance).encode(), "application/vnd.pypi.integrity.v1+json")

    def _send(self, status: int, body: bytes, content_type: str, trickle: float = 0.0,
              release: threading.Event | None = None) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if not trickle:
                self.wfile.write(body)
                return
            for byte in body:  # one byte at a time, until the test ends
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                if release is not None and release.wait(trickle):
                    return
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@dataclass
class ProvenanceIndex:
    root: str  # http://127.0.0.1:PORT
    state: ServerState

    def index(self, prefix: str, pep740: bool = True) -> Index:
        return self.state.indexes.setdefault(prefix, Index(pep740=pep740))

    def simple(self, prefix: str) -> str:
        return f"{self.root}/{prefix}/simple/"

    def upload_url(self, prefix: str) -> str:
        return f"{self.root}/{prefix}/legacy/"

    def force(self, path: str, answer: Answer) -> None:
        self.state.answers[path] = answer


@pytest.fixture(name="provenance_index")
def provenance_index_fixture() -> Iterator[ProvenanceIndex]:
    """The index server, with no index yet (``.index("pypi")`` makes one)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = False  # server_close() joins the answering threads
    server.state = ServerState()  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield ProvenanceIndex(root=f"http://127.0.0.1:{server.server_address[1]}",
                              state=server.state)  # type: ignore[attr-defined]
    finally:
        server.state.release.set()  # type: ignore[attr-defined] - wake a slow answer now
        server.shutdown()
        server.server_close()
