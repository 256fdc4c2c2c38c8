"""What the package index already holds for the project: one Simple API request.

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
from pubdoctor.indexurl import (PYPI_SIMPLE, REFUSED, index_name, is_allowed_url,  # noqa: F401
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

    class SafeRedirect(urllib.request.HTTPRedirectHandler):
        """Follow redirects only to URLs pubdoctor would accept in the first place."""

        def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any,
                             newurl: str) -> Any:
            try:
                validate_url(urljoin(req.full_url, newurl), "redirect")
            except InputError:
                raise urllib.error.URLError(f"it redirected to {newurl}, which is not https") from None
            return super().redirect_request(req, fp, code, msg, headers, newurl)

    handlers: list[Any] = [SafeRedirect()]
    if is_loopback(urlsplit(url).hostname or ""):
        handlers.append(urllib.request.ProxyHandler({}))  # loopback never goes through a proxy
    return urllib.request.build_opener(*handlers)


def fetch(base: str, project: str, timeout: float) -> IndexState:
    """One request for ``base/project/``; raises `SourceUnavailable` on any failure."""
    import http.client
    import urllib.error
    import urllib.request

    from pubdoctor.context import SourceUnavailable
    from pubdoctor.sources.indexpage import IndexState, parse_html, parse_json

    url = urljoin(base, f"{project}/")
    name = index_name(base)
    where = base if name == base else f"{name} ({base})"
    request = urllib.request.Request(url, headers={"Accept": ACCEPT,
                                                   "User-Agent": "pubdoctor (+https://github.com/pubdoctor/pubdoctor)"})

    def unavailable(reason: str) -> SourceUnavailable:
        return SourceUnavailable(f"package index {where}: {reason}; the rules that compare with the "
                                 "index were skipped (--offline skips the index)", "warning")

    try:
        with _opener(url).open(request, timeout=timeout) as response:
            body = response.read(MAX_BYTES + 1)
            content_type = response.headers.get_content_type()
            charset = response.headers.get_content_charset() or "utf-8"
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            raise SourceUnavailable(f"`{project}` is not on {where} yet: the first upload creates it "
                                    "(with trusted publishing, register a pending publisher first)",
                                    "note") from None
        if exc.code == 429:
            raise unavailable("too many requests (HTTP 429), try again later") from None
        raise unavailable(f"answered HTTP {exc.code} {_printable(str(exc.reason))}") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError):
            raise unavailable(f"no answer within {timeout:g} s (--timeout)") from None
        text = getattr(reason, "strerror", None) or str(reason)
        raise unavailable(f"cannot connect ({_printable(text, 160)})") from None
    except TimeoutError:
        raise unavailable(f"no answer within {timeout:g} s (--timeout)") from None
    except http.client.BadStatusLine as exc:
        raise unavailable(f"the answer is not HTTP ({_printable(str(exc))})") from None
    except (OSError, ValueError, http.client.HTTPException) as exc:  # resets, cut answers
        raise unavailable(f"the connection failed ({type(exc).__name__}: {_printable(str(exc))})") from None
    if len(body) > MAX_BYTES:
        raise unavailable(f"the answer is larger than {MAX_BYTES:,} bytes")
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


def load_index_for(context: Any) -> IndexState:
    """Context loader: the project's page on the chosen index."""
    from pubdoctor.context import SourceUnavailable

    settings = context.settings
    base, _chosen_by = chosen_index(settings, context.get("workflows"))
    if settings.offline:
        raise SourceUnavailable("--offline: the package index was not contacted, so the rules that "
                                "compare with it were skipped", "silent")
    project = context.get("project")
    name = project.name
    if not name:
        raise SourceUnavailable("no project name in pyproject.toml: the package index was not asked")
    from packaging.utils import canonicalize_name

    return fetch(base, str(canonicalize_name(name)), settings.timeout)
