"""What the package index already holds for each published project: one Simple API request each.

The index is PyPI unless ``--index-url`` (``index-url`` in ``[tool.pubdoctor]``) or the
publisher declaration's ``index`` names another (``https://test.pypi.org`` means its
``/simple/``). The request asks for PEP 691 JSON and reads PEP 503 HTML when that is what
comes back; it has a timeout and honours the standard proxy variables (urllib does), except
for loopback addresses, which never go through a proxy.

Every way the index can fail to answer (unreachable, slow, 429, 5xx, a garbled page) is one
`SourceUnavailable` warning naming the index: the rules that need it are skipped, the others
run, and the exit code is decided by their findings. A 404 is a note: the project is new.
Only ``https`` URLs are accepted, and ``http`` to a loopback address (for tests); anything
else is an `InputError` (exit 2).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit


from pubdoctor.errors import InputError
from pubdoctor.indexurl import NAMED as _NAMED
from pubdoctor.indexurl import (PYPI_SIMPLE, REFUSED, index_name, is_allowed_url,
                                is_loopback, simple_url, validate_url)

if TYPE_CHECKING:
    from pubdoctor.sources.indexpage import IndexState

JSON_TYPE = "application/vnd.pypi.simple.v1+json"
ACCEPT = f"{JSON_TYPE}, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01"
#: Answers larger than this are not read (PyPI's largest project pages are a few tens of MB).
MAX_BYTES = 64 * 1024 * 1024


def chosen_index(settings: Any, workflows: Any = None) -> tuple[str, str]:
    """``(simple API base, what chose it)``: --index-url, the publisher declaration, the workflows, PyPI."""
    if settings.index_url:
        return simple_url(validate_url(settings.index_url)), "--index-url"
    indexes = {_NAMED.get(p.index.strip().lower(), p.index) for p in settings.publishers}
    if len(indexes) > 1 and PYPI_SIMPLE in {simple_url(i) for i in indexes}:
        return PYPI_SIMPLE, "publisher"  # PyPI and TestPyPI declared: the real one counts
    if len(indexes) == 1:
        index = indexes.pop()
        where = "pyproject.toml" if getattr(settings, "publisher_source", "pyproject") == "pyproject" else None
        return simple_url(validate_url(index, "the publisher's index", where)), "publisher"
    if not indexes and workflows is not None:
        targets = {("test" if s.publish.is_testpypi else "pypi")
                   for w in workflows.files for j in w.jobs.values() for s in j.publish_steps}
        if targets == {"test"}:
            return "https://test.pypi.org/simple/", "workflows"
    return PYPI_SIMPLE, "default"


def _printable(text: str, limit: int = 80) -> str:
    """Server-chosen text made safe for one terminal line."""
    cleaned = "".join(c if c.isprintable() else "?" for c in text.strip())
    return cleaned[:limit] + ("..." if len(cleaned) > limit else "")


def _opener(url: str) -> Any:
    import urllib.error
    import urllib.request

    host = (urlsplit(url).hostname or "").lower()

    class SafeRedirect(urllib.request.HTTPRedirectHandler):
        """Follow redirects only to URLs pubdoctor would accept in the first place, on the
        configured host: a repository chooses the index it names, never where it leads."""

        def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any,
                             newurl: str) -> Any:
            target = urljoin(req.full_url, newurl)
            try:
                validate_url(target, "redirect")
            except InputError:
                raise urllib.error.URLError(f"it redirected to {_printable(target)}, which is not "
                                            "https") from None
            if (urlsplit(target).hostname or "").lower() != host:
                raise urllib.error.URLError(f"it redirected to another host ({_printable(target)}), "
                                            "which is not followed")
            return super().redirect_request(req, fp, code, msg, headers, newurl)

    handlers: list[Any] = [SafeRedirect()]
    if is_loopback(urlsplit(url).hostname or ""):
        handlers.append(urllib.request.ProxyHandler({}))  # loopback never goes through a proxy
    return urllib.request.build_opener(*handlers)


_USER_AGENT = "pubdoctor (+https://github.com/pubdoctor/pubdoctor)"


class RequestFailed(Exception):
    """A GET that gave no usable answer; ``status`` is the HTTP status when there was one,
    ``slow`` says the deadline passed."""

    def __init__(self, reason: str, status: int | None = None, slow: bool = False) -> None:
        super().__init__(reason)
        self.status = status
        self.slow = slow


def _request(url: str, headers: dict[str, str], timeout: float, limit: int) -> tuple[str, str, bytes]:
    """``(content type, charset, body)`` of one GET through `_opener`; `RequestFailed` with a
    one-line reason otherwise. The one request path of every index endpoint.

    The socket timeout bounds each read, not the request: a server dripping its status line,
    headers or body a byte at a time would hold the run for ever. So the request runs in a
    daemon thread, waited for ``timeout`` seconds in all; one still running is given up.
    """
    import http.client
    import threading
    import urllib.error
    import urllib.request

    request = urllib.request.Request(url, headers={"User-Agent": _USER_AGENT, **headers})
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            with _opener(url).open(request, timeout=timeout) as response:
                outcome["headers"] = True
                outcome["answer"] = (response.headers.get_content_type(),
                                     response.headers.get_content_charset() or "utf-8",
                                     response.read(limit + 1))
        except BaseException as exc:  # noqa: BLE001 - handed to the caller below
            outcome["error"] = exc

    no_answer = f"no answer within {timeout:g} s (--timeout)"
    worker = threading.Thread(target=run, name="pubdoctor-index-request", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        if outcome.get("headers"):
            raise RequestFailed(f"the answer did not arrive within {timeout:g} s (--timeout)", slow=True)
        raise RequestFailed(no_answer, slow=True)
    try:
        if "error" in outcome:
            raise outcome["error"]
    except urllib.error.HTTPError as exc:
        raise RequestFailed(f"HTTP {exc.code} {_printable(str(exc.reason))}", exc.code) from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise RequestFailed(no_answer, slow=True) from None
        text = getattr(exc.reason, "strerror", None) or str(exc.reason)
        raise RequestFailed(f"cannot connect ({_printable(text, 160)})") from None
    except TimeoutError:
        raise RequestFailed(no_answer, slow=True) from None
    except http.client.BadStatusLine as exc:
        raise RequestFailed(f"the answer is not HTTP ({_printable(str(exc))})") from None
    except (OSError, ValueError, http.client.HTTPException) as exc:  # resets, cut answers
        raise RequestFailed(f"the connection failed ({type(exc).__name__}: {_printable(str(exc))})") from None
    content_type, charset, body = outcome["answer"]
    if len(body) > limit:
        raise RequestFailed(f"the answer is larger than {limit:,} bytes")
    return content_type, charset, body


def fetch(base: str, project: str, timeout: float) -> IndexState:
    """One request for ``base/project/``; raises `SourceUnavailable` on any failure."""
    import base64
    import codecs

    from pubdoctor.context import SourceUnavailable
    from pubdoctor.sources.indexpage import IndexState, parse_html, parse_json

    # Credentials in the URL (a private index) are sent as Basic auth, never shown: the URL
    # without them names the index in every message.
    parts = urlsplit(base)
    credentials = parts.netloc.rpartition("@")[0] if "@" in parts.netloc else ""
    if credentials:
        base = parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl()
    url = urljoin(base, f"{project}/")
    name = index_name(base)
    where = base if name == base else f"{name} ({base})"
    headers = {"Accept": ACCEPT}
    if credentials:
        from urllib.parse import unquote

        user, _, password = credentials.partition(":")
        pair = f"{unquote(user)}:{unquote(password)}".encode()
        headers["Authorization"] = "Basic " + base64.b64encode(pair).decode("ascii")

    def unavailable(reason: str) -> SourceUnavailable:
        return SourceUnavailable(f"package index {where}: {reason}; the rules that compare with the "
                                 "index were skipped (--offline skips the index)", "warning")

    try:
        content_type, charset, body = _request(url, headers, timeout, MAX_BYTES)
    except RequestFailed as exc:
        if exc.status == 404:
            raise SourceUnavailable(f"`{project}` is not on {where} yet: the first upload creates it "
                                    "(with trusted publishing, register a pending publisher first)",
                                    "note") from None
        if exc.status == 429:
            raise unavailable("too many requests (HTTP 429), try again later") from None
        if exc.slow:
            raise unavailable(f"no answer within {timeout:g} s (--timeout)") from None
        raise unavailable(f"answered {exc}" if exc.status is not None else str(exc)) from None
    try:
        codecs.lookup(charset)
    except LookupError:  # a charset Python does not know: read as UTF-8, bad bytes replaced
        charset = "utf-8"
    try:
        if content_type == JSON_TYPE or content_type == "application/json":
            files, versions = parse_json(body)
        elif content_type in ("text/html", "application/vnd.pypi.simple.v1+html", "application/xhtml+xml"):
            files, versions = parse_html(body, charset), []
        else:
            raise ValueError(f"unexpected content type {content_type}")
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise unavailable(f"the answer is not a Simple API page ({_printable(str(exc))})") from None
    return IndexState(url=base, project=project, files=files, declared_versions=versions)


class IndexPages:
    """The chosen index's page of each project a rule asks about, fetched once and kept.

    A monorepo publishes several projects (`pubdoctor.sources.packages`): each is asked for by
    its normalized name (PEP 503), when a rule first needs it, and never again in the run. Once
    the index failed to answer (unreachable, slow, 429, 5xx, a garbled page), no other page is
    requested: every project gets that one warning. A 404 concerns one project only.
    """

    def __init__(self, base: str, timeout: float) -> None:
        self.base = base
        self.timeout = timeout
        self._pages: dict[str, Any] = {}  # normalized name -> IndexState or SourceUnavailable
        self._failed: Exception | None = None

    def page(self, name: str) -> IndexState:
        """The page of project ``name``; raises `SourceUnavailable` when there is none to read."""
        from packaging.utils import canonicalize_name

        from pubdoctor.context import SourceUnavailable

        key = str(canonicalize_name(name))
        if key not in self._pages:
            if self._failed is not None:
                raise self._failed
            try:
                self._pages[key] = fetch(self.base, key, self.timeout)
            except SourceUnavailable as exc:
                self._pages[key] = exc
                if exc.level == "warning":
                    self._failed = exc
        found = self._pages[key]
        if isinstance(found, Exception):
            raise found
        return found  # type: ignore[no-any-return]

    @property
    def requested(self) -> list[str]:
        """The normalized names whose pages were requested, in order."""
        return list(self._pages)


def load_index_pages_for(context: Any) -> IndexPages:
    """Context loader: the pages of the chosen index (none is requested until a rule asks)."""
    from pubdoctor.context import SourceUnavailable

    settings = context.settings
    base, _chosen_by = chosen_index(settings, context.get("workflows"))
    if settings.offline:
        raise SourceUnavailable("--offline: the package index was not contacted, so the rules that "
                                "compare with it were skipped", "silent")
    return IndexPages(base, settings.timeout)


def load_index_for(context: Any) -> IndexState:
    """Context loader: the root project's page on the chosen index (through `IndexPages`)."""
    from pubdoctor.context import SourceUnavailable

    pages = context.get("index_pages")
    name = context.get("project").name
    if not name:
        raise SourceUnavailable("no project name in pyproject.toml: the package index was not asked")
    return pages.page(name)  # type: ignore[no-any-return]


def get(url: str, accept: str, timeout: float, limit: int) -> tuple[str, bytes]:
    """``(content type, body)`` of one GET through the same request path as `fetch`;
    `RequestFailed` with a one-line reason otherwise.

    For the other endpoints of an index (the Integrity API) next to its Simple API page.
    """
    if not is_allowed_url(url):
        raise RequestFailed(f"{_printable(url, 160)} is not an allowed URL ({REFUSED})")
    content_type, _charset, body = _request(url, {"Accept": accept}, timeout, limit)
    return content_type, body
