"""A small server on 127.0.0.1 answering GitHub's REST API for a run's jobs and their logs,
as GitHub documents them, and a second one (another host, ``localhost``, another port) that
serves the logs' download URLs.

- ``GET /repos/{owner}/{repo}/actions/runs/{run_id}/jobs`` (and ``/attempts/{n}/jobs``):
  ``{"total_count": n, "jobs": [...]}``; 404 for an unknown run.
- ``GET /repos/{owner}/{repo}/actions/jobs/{job_id}/logs``: ``302 Found`` with ``Location``
  on the download host; 403 without an ``Authorization`` header (GitHub wants a token for
  logs); 404 for a log that is gone (expired).
- ``GET /blob/{job_id}.txt?sig=...`` on the download host: the log text.

Both record every request's path and headers, so a test can check that the token went to the
API only.
"""

from __future__ import annotations

import http.server
import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest


@dataclass
class Job:
    id: int
    name: str
    conclusion: str | None
    log: str | None = None  # None: the log is gone (404)
    status: str = "completed"
    steps: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self, run_id: int) -> dict[str, Any]:
        return {"id": self.id, "run_id": run_id, "name": self.name, "status": self.status,
                "conclusion": self.conclusion, "steps": self.steps}


@dataclass
class GitHub:
    api: str = ""
    download: str = ""
    owner: str = "octo-org"
    repo: str = "sampleproject"
    runs: dict[int, list[Job]] = field(default_factory=dict)
    api_requests: list[dict[str, Any]] = field(default_factory=list)
    download_requests: list[dict[str, Any]] = field(default_factory=list)

    def job(self, job_id: int) -> Job | None:
        return next((job for jobs in self.runs.values() for job in jobs if job.id == job_id), None)


def _handler(github: GitHub, downloads: bool) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def _send(self, status: int, body: bytes = b"", content_type: str = "application/json",
                  headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def _error(self, status: int, message: str) -> None:
            body = json.dumps({"message": message, "documentation_url": "https://docs.github.com/rest",
                               "status": str(status)}).encode()
            self._send(status, body)

        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            record = {"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}}
            if downloads:
                github.download_requests.append(record)
                match = re.fullmatch(r"/blob/(\d+)\.txt\?sig=\w+", self.path)
                job = github.job(int(match.group(1))) if match else None
                if job is None or job.log is None:
                    self._send(404, b"BlobNotFound", "text/plain")
                else:
                    self._send(200, job.log.encode("utf-8"), "text/plain")
                return
            github.api_requests.append(record)
            prefix = f"/repos/{github.owner}/{github.repo}/actions"
            runs = re.fullmatch(re.escape(prefix) + r"/runs/(\d+)(?:/attempts/\d+)?/jobs(?:\?.*)?", self.path)
            if runs:
                jobs = github.runs.get(int(runs.group(1)))
                if jobs is None:
                    self._error(404, "Not Found")
                    return
                run_id = int(runs.group(1))
                body = json.dumps({"total_count": len(jobs), "jobs": [j.as_json(run_id) for j in jobs]})
                self._send(200, body.encode())
                return
            logs = re.fullmatch(re.escape(prefix) + r"/jobs/(\d+)/logs", self.path)
            if logs:
                if "Authorization" not in self.headers:
                    self._error(403, "Must have admin rights to Repository.")
                    return
                job = github.job(int(logs.group(1)))
                if job is None or job.log is None:
                    self._error(404, "Not Found")
                    return
                self._send(302, headers={"Location": f"{github.download}/blob/{job.id}.txt?sig=s3cr3tsig"})
                return
            self._error(404, "Not Found")

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    return Handler


@pytest.fixture(name="github")
def github_fixture() -> Iterator[GitHub]:
    """The API on ``http://127.0.0.1:PORT``, the downloads on ``http://localhost:PORT2``."""
    github = GitHub()
    servers = []
    for downloads in (False, True):
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(github, downloads))
        server.daemon_threads = False
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        thread.start()
        servers.append(server)
    github.api = f"http://127.0.0.1:{servers[0].server_address[1]}"
    github.download = f"http://localhost:{servers[1].server_address[1]}"
    try:
        yield github
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
