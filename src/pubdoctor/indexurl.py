"""Which package index URLs pubdoctor may contact, and how users write them.

One home for the URL policy, below both its users: the settings check ``index-url`` with it
(so that a refused one names pyproject.toml), and the index source follows it for every
request and redirect. Only ``https`` URLs are accepted, and ``http`` to a loopback address
(a local pypiserver, for tests); anything else is an `InputError` (exit 2).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from pubdoctor.errors import InputError

PYPI_SIMPLE = "https://pypi.org/simple/"
KNOWN = {"pypi.org": "PyPI", "test.pypi.org": "TestPyPI"}
#: index names the publisher declaration may use instead of a URL
NAMED = {"pypi": "https://pypi.org", "testpypi": "https://test.pypi.org"}


def index_name(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return KNOWN.get(host, url)


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
    import ipaddress

    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


#: why a URL is refused: what pubdoctor contacts is a package index over https
REFUSED = "only https:// URLs are accepted (http:// only to 127.0.0.1, ::1 or localhost)"


def is_allowed_url(url: str) -> bool:
    """https to any host, or http to a loopback address (a local test index)."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
    except ValueError:  # a malformed authority (``http://[::1``)
        return False
    return bool(host) and (parts.scheme == "https" or (parts.scheme == "http" and is_loopback(host)))


def validate_url(url: str, what: str = "--index-url", path: str | None = None) -> str:
    """The URL if pubdoctor may contact it, else `InputError` (exit 2) in one line."""
    if is_allowed_url(url):
        return url.strip()
    raise InputError(f"{what} {url!r}: {REFUSED}", path)
