"""``pubdoctor diagnose --run URL|RUN_ID``: the logs of a workflow run's failed jobs, from GitHub.

Two endpoints of GitHub's REST API, as documented: ``GET /repos/{owner}/{repo}/actions/runs/
{run_id}/jobs`` (``/attempts/{n}/jobs`` for one attempt) lists the jobs with their
``conclusion`` and steps, and ``GET /repos/{owner}/{repo}/actions/jobs/{job_id}/logs`` answers
``302 Found`` with a short-lived download URL on another host. The token (``GH_TOKEN``, else
``GITHUB_TOKEN``) goes to the API only: the redirect is followed for the logs endpoint alone,
by a new request without the ``Authorization`` header, so the token never reaches the
download host. The token is never printed. The API root is ``GITHUB_API_URL`` (set in every
Actions job; ``https://api.github.com`` by default, ``https://HOST/api/v3`` for a run URL on a
GitHub Enterprise host).

Each log is streamed into the scan as it downloads (never held whole). Every failure to get
the runs or the logs is one line and exit 2 (`InputError`); a log that is gone (GitHub keeps
logs for a limited time) or not there yet (the job still runs) is a note when another job's
log could be read.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import field
from pathlib import Path
from typing import IO, Any, Mapping
from urllib.parse import urlsplit

from pubdoctor.errors import InputError
from pubdoctor.records import record

DEFAULT_API = "https://api.github.com"
API_VERSION = "2022-11-28"
USER_AGENT = "pubdoctor (+https://github.com/pubdoctor/pubdoctor)"
#: Conclusions of a job that failed (``cancelled`` is a consequence, not a failure to explain).
FAILED = ("failure", "timed_out", "startup_failure")
#: Pages of jobs read at most (100 jobs each).
MAX_PAGES = 10
MAX_JSON = 16 << 20

_RUN_URL = re.compile(r"^https?://(?P<host>[^/]+)/(?P<owner>[^/]+)/(?P<repo>[^/]+)/actions/runs/(?P<run>\d+)"
                      r"(?:/job/(?P<job>\d+)|/attempts/(?P<attempt>\d+))?/?(?:[?#].*)?$")


@record
class RunRef:
    """Which run (and maybe which job or attempt) of which repository, and where its API is."""

    api: str
    owner: str
    repo: str
    run_id: int
    job_id: int | None = None
    attempt: int | None = None

    @property
    def shown(self) -> str:
        return f"run {self.run_id} of {self.owner}/{self.repo}"


@record
class RunLogs:
    """What was fetched: the failed jobs whose logs were read, and notes about the others."""

    jobs: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def token_from(env: Mapping[str, str]) -> str | None:
    """``GH_TOKEN``, else ``GITHUB_TOKEN`` (what ``gh`` reads too); empty counts as unset."""
    for name in ("GH_TOKEN", "GITHUB_TOKEN"):
        value = env.get(name, "").strip()
        if value:
            return value
    return None


def parse_run(spec: str, env: Mapping[str, str], root: Path | None) -> RunRef:
    """A run URL (``https://github.com/o/r/actions/runs/1[/job/2|/attempts/3]``) or a bare run id.

    A bare id takes the repository from ``GITHUB_REPOSITORY`` (set in every Actions job), else
    from the git remote ``origin`` of ``root``."""
    from pubdoctor.indexurl import validate_url

    spec = spec.strip()
    api_env = env.get("GITHUB_API_URL", "").strip()
    match = _RUN_URL.match(spec)
    if match:
        host = match.group("host").lower()
        api = api_env or (DEFAULT_API if host in ("github.com", "www.github.com") else f"https://{host}/api/v3")
        ref = RunRef(api="", owner=match.group("owner"), repo=match.group("repo"), run_id=int(match.group("run")),
                     job_id=int(match.group("job")) if match.group("job") else None,
                     attempt=int(match.group("attempt")) if match.group("attempt") else None)
    elif spec.isdigit():
        api = api_env or DEFAULT_API
        owner, repo = _repository(env, root)
        ref = RunRef(api="", owner=owner, repo=repo, run_id=int(spec))
    else:
        raise InputError(f"--run {spec!r}: expected a run URL (https://github.com/OWNER/REPO/actions/runs/ID) "
                         "or a run id")
    ref.api = validate_url(api, "GITHUB_API_URL" if api_env else "the GitHub API").rstrip("/")
    return ref


def _repository(env: Mapping[str, str], root: Path | None) -> tuple[str, str]:
    slug = env.get("GITHUB_REPOSITORY", "").strip()
    if slug.count("/") == 1 and all(slug.split("/")):
        owner, repo = slug.split("/")
        return owner, repo
    from pubdoctor.context import SourceUnavailable
    from pubdoctor.sources.remote import load_repository

    try:
        repository = load_repository((root or Path(".")).resolve())
    except SourceUnavailable as exc:
        raise InputError(f"--run with a bare run id needs the repository: set GITHUB_REPOSITORY=OWNER/REPO, "
                         f"give the run's URL, or run in a checkout whose `origin` is on GitHub ({exc})") from None
    return repository.owner, repository.name


class _Http:
    """GET requests that never follow a redirect on their own and never go through a proxy
    for a loopback address (a local test server)."""

    def __init__(self, token: str | None, timeout: float) -> None:
        self.token = token
        self.timeout = timeout

    def _opener(self, url: str) -> Any:
        import urllib.request

        from pubdoctor.indexurl import is_loopback

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args: Any, **kwargs: Any) -> None:
                return None  # the 3xx comes back as an HTTPError, with its Location

        handlers: list[Any] = [NoRedirect()]
        if is_loopback(urlsplit(url).hostname or ""):
            handlers.append(urllib.request.ProxyHandler({}))
        return urllib.request.build_opener(*handlers)

    @contextmanager
    def get(self, url: str, api: bool) -> Iterator[Any]:
        """The open response (an ``http.client.HTTPResponse``) of ``GET url``; the token only
        when ``api`` (GitHub's own host)."""
        import urllib.request

        headers = {"User-Agent": USER_AGENT}
        if api:
            headers["Accept"] = "application/vnd.github+json"
            headers["X-GitHub-Api-Version"] = API_VERSION
            if self.token:
                headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(url, headers=headers)
        with self._opener(url).open(request, timeout=self.timeout) as response:
            yield response


def _http_error(exc: Any, what: str, ref: RunRef, token: bool) -> InputError:
    code = exc.code
    headers = getattr(exc, "headers", None) or {}
    if code == 401:
        return InputError(f"GitHub refused the token for {what} (HTTP 401): GH_TOKEN / GITHUB_TOKEN is "
                          "wrong or expired")
    if code in (403, 429) and headers.get("x-ratelimit-remaining") == "0":
        return InputError(f"GitHub's API rate limit is exhausted ({what}, HTTP {code}); "
                          + ("wait, or use a token with a higher limit" if token else
                             "set GH_TOKEN or GITHUB_TOKEN: a token has a much higher limit"))
    if code == 403:
        if not token:
            return InputError(f"GitHub answered HTTP 403 for {what}: downloading logs needs a token; set "
                              "GH_TOKEN or GITHUB_TOKEN (in a workflow: `GH_TOKEN: ${{ github.token }}` "
                              "and `permissions: actions: read`)")
        return InputError(f"GitHub answered HTTP 403 for {what}: the token may not read the Actions of "
                          f"{ref.owner}/{ref.repo} (it needs `actions: read`, or the `repo` scope for a "
                          "classic token on a private repository)")
    if code == 404:
        hint = "" if token else " (a private repository needs GH_TOKEN or GITHUB_TOKEN)"
        return InputError(f"GitHub has no {what}{hint} (HTTP 404)")
    return InputError(f"GitHub answered HTTP {code} for {what}")


def _network_error(exc: BaseException, ref: RunRef) -> InputError:
    reason = getattr(exc, "reason", exc)
    if isinstance(reason, TimeoutError) or isinstance(exc, TimeoutError):
        return InputError(f"no answer from the GitHub API at {ref.api} in time")
    text = getattr(reason, "strerror", None) or str(reason)
    return InputError(f"cannot reach the GitHub API at {ref.api} ({text})")


def list_jobs(ref: RunRef, http: _Http) -> list[dict[str, Any]]:
    """Every job of the run (of the latest attempt, or of the attempt the URL names)."""
    import urllib.error

    base = f"{ref.api}/repos/{ref.owner}/{ref.repo}/actions/runs/{ref.run_id}"
    url: str | None = (f"{base}/attempts/{ref.attempt}/jobs?per_page=100" if ref.attempt
                       else f"{base}/jobs?per_page=100&filter=latest")
    jobs: list[dict[str, Any]] = []
    for _ in range(MAX_PAGES):
        if url is None:
            break
        try:
            with http.get(url, api=True) as response:
                body = response.read(MAX_JSON + 1)
                link = response.headers.get("Link", "")
        except urllib.error.HTTPError as exc:
            raise _http_error(exc, ref.shown, ref, http.token is not None) from None
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise _network_error(exc, ref) from None
        if len(body) > MAX_JSON:
            raise InputError(f"the GitHub API's answer for {ref.shown} is larger than {MAX_JSON:,} bytes")
        try:
            data = json.loads(body)
            page = data["jobs"]
            if not isinstance(page, list):
                raise TypeError("jobs is not a list")
        except (ValueError, KeyError, TypeError) as exc:
            raise InputError(f"the GitHub API's answer for {ref.shown} is not a list of jobs ({exc})") from None
        jobs.extend(job for job in page if isinstance(job, dict))
        url = _next_page(link, ref.api)
    return jobs


def _next_page(link: str, api: str) -> str | None:
    """The ``rel="next"`` URL of a ``Link`` header, when it is on the API's own host."""
    for part in link.split(","):
        match = re.search(r"<([^>]+)>\s*;\s*rel=\"?next\"?", part)
        if match and urlsplit(match.group(1)).netloc == urlsplit(api).netloc:
            return match.group(1)
    return None


def failed(job: Mapping[str, Any]) -> bool:
    """A job that failed, or that still runs with a failed step (a step ``if: failure()``)."""
    if job.get("conclusion") in FAILED:
        return True
    steps = job.get("steps") or []
    return job.get("status") != "completed" and any(
        isinstance(step, dict) and step.get("conclusion") in FAILED for step in steps)


@contextmanager
def job_log(ref: RunRef, job_id: int, http: _Http) -> Iterator[IO[bytes]]:
    """The log of one job: the API's 302 to the download URL is followed without the token."""
    import urllib.error

    url = f"{ref.api}/repos/{ref.owner}/{ref.repo}/actions/jobs/{job_id}/logs"
    try:
        with http.get(url, api=True) as response:  # an API answering 200 directly
            yield response
            return
    except urllib.error.HTTPError as exc:
        if exc.code not in (301, 302, 303, 307, 308):
            raise
        location = exc.headers.get("Location")
        if not location:
            raise InputError(f"GitHub redirected the log of job {job_id} nowhere (HTTP {exc.code})") from None
    from pubdoctor.indexurl import is_allowed_url

    if not is_allowed_url(location):  # the URL itself is not shown: its query signs the download
        raise InputError(f"GitHub redirected the log of job {job_id} to a URL that is not https")
    with http.get(location.strip(), api=False) as response:
        yield response


class RunLogReader:
    """Fetches the failed jobs of one run, one log at a time."""

    def __init__(self, ref: RunRef, token: str | None, timeout: float = 30.0) -> None:
        self.ref = ref
        self.http = _Http(token, timeout)
        self.result = RunLogs()

    def logs(self) -> Iterator[tuple[str, IO[bytes]]]:
        """``(job name, open log stream)`` for each failed job, in the order the run lists them;
        notes for the logs that cannot be read; `InputError` when none can."""
        import urllib.error

        ref = self.ref
        jobs = list_jobs(ref, self.http)
        if ref.job_id is not None:
            chosen = ([job for job in jobs if job.get("id") == ref.job_id]
                      or [{"id": ref.job_id, "name": f"job {ref.job_id}"}])
        else:
            chosen = [job for job in jobs if failed(job)]
        if not chosen:
            states = ", ".join(f"{job.get('name')}: {job.get('conclusion') or job.get('status')}" for job in jobs)
            raise InputError(f"{ref.shown} has no failed job" + (f" ({states})" if states else " (no jobs)"))
        read = 0
        for job in chosen:
            name = str(job.get("name") or f"job {job.get('id')}")
            job_id = job.get("id")
            if not isinstance(job_id, int):
                continue
            try:
                with job_log(ref, job_id, self.http) as stream:
                    self.result.jobs.append(name)
                    read += 1
                    yield name, stream
            except urllib.error.HTTPError as exc:
                if exc.code in (404, 410):
                    running = job.get("status") not in (None, "completed")
                    self.result.notes.append(
                        f"the log of job `{name}` is not available yet: the job is still running (run "
                        "`pubdoctor diagnose --run` from a later job: `needs:` it and `if: failure()`)"
                        if running else
                        f"the log of job `{name}` is no longer available (HTTP {exc.code}): GitHub keeps "
                        "logs for a limited time (90 days by default), or they were deleted")
                    continue
                raise _http_error(exc, f"the log of job `{name}` in {ref.shown}", ref,
                                  self.http.token is not None) from None
            except (urllib.error.URLError, OSError, ValueError) as exc:
                raise _network_error(exc, ref) from None
        if not read:
            why = "; ".join(self.result.notes) or "GitHub's list of jobs gives them no id"
            raise InputError(f"no log of a failed job of {ref.shown} could be read: {why}")


def environment() -> dict[str, str]:
    """The variables this module reads (GitHub sets them in every Actions job)."""
    return {name: os.environ[name] for name in ("GH_TOKEN", "GITHUB_TOKEN", "GITHUB_API_URL",
                                                "GITHUB_REPOSITORY") if name in os.environ}
