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

import ipaddress
from functools import cached_property
from typing import Any
from urllib.parse import urljoin, urlsplit

from pydantic import BaseModel, Field

from pubdoctor.errors import InputError

PYPI_SIMPLE = "https://pypi.org/simple/"
JSON_TYPE = "application/vnd.pypi.simple.v1+json"
ACCEPT = f"{JSON_TYPE}, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01"
#: Answers larger than this are not read (PyPI's largest project pages are a few tens of MB).
MAX_BYTES = 64 * 1024 * 1024
_KNOWN = {"pypi.org": "PyPI", "test.pypi.org": "TestPyPI"}
#: index names the publisher declaration may use instead of a URL
_NAMED = {"pypi": "https://pypi.org", "testpypi": "https://test.pypi.org"}


class IndexFile(BaseModel):
    filename: str
    yanked: bool = False


class IndexState(BaseModel):
    """The project's page on the index: its files and versions."""

    url: str  # the Simple API base, ending in /
    project: str  # canonical name
    files: list[IndexFile] = Field(default_factory=list)
    declared_versions: list[str] = Field(default_factory=list)  # PEP 700 ``versions``

    @property
    def name(self) -> str:
        """How to call the index in a message: PyPI, TestPyPI or its URL."""
        return index_name(self.url)

    @cached_property
    def _parsed(self) -> list[tuple[IndexFile, Any]]:
        """Each file with the `Version` its name gives (None when the name does not parse)."""
        from packaging.version import Version

        from pubdoctor.sources.dist import parse_filename

        result = []
        for item in self.files:
            parsed = parse_filename(item.filename)
            result.append((item, Version(parsed[2]) if parsed else None))
        return result

    def versions(self) -> set[Any]:
        """Every `Version` with a file on the index (PEP 700 ``versions`` too, when given)."""
        from packaging.version import InvalidVersion, Version

        found = {v for _, v in self._parsed if v is not None}
        for text in self.declared_versions:
            try:
                found.add(Version(text))
            except InvalidVersion:
                continue
        return found

    def files_of(self, version: Any) -> list[IndexFile]:
        """The files of one version (compared as versions: ``1.0`` is ``1.0.0``)."""
        return [item for item, v in self._parsed if v is not None and v == version]


def index_name(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return _KNOWN.get(host, url)


def simple_url(url: str) -> str:
    """The Simple API base for an index as users write it.

    ``https://test.pypi.org`` and ``https://test.pypi.org/legacy/`` (the upload URL) become
    ``https://test.pypi.org/simple/``; a URL that already names a Simple API is kept.
    """
    url = url.strip()
    parts = urlsplit(url)
    netloc = parts.netloc
    path = parts.path.rstrip("/")
    if path in ("", "/legacy"):
        path = "/simple"
        if (parts.hostname or "").lower() == "upload.pypi.org":
            netloc = "pypi.org"
    return f"{parts.scheme}://{netloc}{path}/"


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def validate_url(url: str, what: str = "--index-url", path: str | None = None) -> str:
    """The URL if pubdoctor may contact it, else `InputError` (exit 2) in one line."""
    parts = urlsplit(url.strip())
    host = parts.hostname or ""
    if parts.scheme == "https" and host:
        return url.strip()
    if parts.scheme == "http" and host and is_loopback(host):
        return url.strip()
    raise InputError(f"{what} {url!r}: only https:// URLs are accepted "
                     "(http:// only to 127.0.0.1, ::1 or localhost)", path)


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


def parse_json(body: bytes) -> tuple[list[IndexFile], list[str]]:
    """Files and versions of a PEP 691 answer; `ValueError` when it is not one."""
    import json

    data = json.loads(body.decode("utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("files"), list):
        raise ValueError("no `files` list")
    files = []
    for entry in data["files"]:
        if not isinstance(entry, dict) or not isinstance(entry.get("filename"), str):
            raise ValueError("a file entry without `filename`")
        yanked = entry.get("yanked", False)
        files.append(IndexFile(filename=entry["filename"], yanked=bool(yanked)))
    versions = data.get("versions", [])
    return files, [v for v in versions if isinstance(v, str)] if isinstance(versions, list) else []


def parse_html(body: bytes, charset: str = "utf-8") -> list[IndexFile]:
    """Files of a PEP 503 page; `ValueError` when the answer is not HTML at all."""
    from pubdoctor.sources.simplehtml import LinkParser

    parser = LinkParser()
    parser.feed(body.decode(charset or "utf-8", errors="replace"))
    parser.close()
    if parser.tags == 0:
        raise ValueError("not an HTML page")
    return parser.files


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
    from packaging.utils import canonicalize_name

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
    return fetch(base, str(canonicalize_name(name)), settings.timeout)
