"""``wrong-upload-url``: the upload went to a URL that is not the index's upload endpoint.

The upload endpoints are ``https://upload.pypi.org/legacy/`` and
``https://test.pypi.org/legacy/``; ``https://pypi.org/legacy/`` does not exist and the
``/simple/`` URLs are read-only. Texts: twine ``utils.py`` (``InvalidPyPIUploadURL`` on a 405
from pypi.org) and ``exceptions.py`` (``RedirectDetected``), and a 404 or 405 answer to an
upload as twine, uv and poetry print it.
"""

from pubdoctor.diagnose.causes.base import Cause, Pattern, sp

CAUSE = Cause(
    id="wrong-upload-url",
    summary=("the upload went to a URL that does not take uploads (a 404 or 405 answer): not the "
             "index's upload endpoint"),
    fix=("upload to `https://upload.pypi.org/legacy/` (PyPI) or `https://test.pypi.org/legacy/` "
         "(TestPyPI), with the trailing slash: `repository-url` of the action, `--repository-url` "
         "of twine, `--publish-url` of uv; `https://pypi.org/legacy/` does not exist, and the "
         "`/simple/` URLs are for installing, not uploading"),
    rules=(),
)

#: an URL in the answer, but not the JSON API (a version check that got 404 is no upload)
_URL = r"(?P<url>https?://(?![^\s'\"]*/json\b)[^\s'\"]+)"

PATTERNS = (
    Pattern(CAUSE.id, sp("It appears you're trying to upload to pypi.org but have an invalid URL."),
            ("trying to upload to pypi.org but have an invalid URL",), priority=2, tool="twine"),
    Pattern(CAUSE.id, r"(?:HTTPError:\s*|HTTP Error\s*)(?P<status>40[45])\b[^\n]{0,40}?(?:from|for url:)\s*" + _URL,
            ("404 Not Found", "405 Method Not Allowed", "404 Client Error", "405 Client Error"),
            needs=("error", "://"),
            detail="the index answered the upload with HTTP 404 or 405", more="HTTP {status} from {url}"),
    Pattern(CAUSE.id, r"(?:Failed to publish\s+`[^`]*`\s+to\s+" + _URL + r"\s+)?Caused by:\s*Upload failed with "
                      r"status code (?P<status>40[45])\b",
            ("Upload failed with status code 404", "Upload failed with status code 405"), tool="uv", needs=("caused",),
            detail="the index answered the upload with HTTP 404 or 405", more="HTTP {status} from {url}"),
    Pattern(CAUSE.id, r"attempted to redirect to\s+\S+\.?\s*Your repository URL is missing a trailing slash",
            ("missing a trailing slash",), priority=2, tool="twine",
            detail="the repository URL lacks its trailing slash"),
)
