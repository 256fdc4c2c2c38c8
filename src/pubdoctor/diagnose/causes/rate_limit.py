"""``rate-limit``: HTTP 429 from the index (too many new projects)."""

from pubdoctor.diagnose.causes.base import Cause, Pattern

CAUSE = Cause(
    id="rate-limit",
    summary=("the index answered HTTP 429: too many new projects were created by this user or "
             "from this address in 24 hours, or too many requests"),
    fix=("wait (the new-project limit is per 24 hours) and run the publish job again; if it "
         "persists, ask PyPI support at https://github.com/pypi/support"),
    rules=(),
)

PATTERNS = (
    Pattern(CAUSE.id, r"Too many new projects created", ("Too many new projects",), priority=2),
    Pattern(CAUSE.id, r"\b429\b[^\n]{0,20}Too Many Requests(?:\s*from\s+\S+)?|Too Many Requests",
            ("Too Many Requests",), priority=1),
)
