"""``local-version``: a ``+local`` version label, which the index refuses.

Texts: warehouse now (``The use of local versions in '{v}' is not allowed``), 2023-2025
(``<Version('...')>``), up to 2024 (``Can't use PEP 440 local versions``) and 2017.
"""

from pubdoctor.diagnose.causes.base import Cause, Pattern

CAUSE = Cause(
    id="local-version",
    summary=("the version has a local label (`+...`), which PyPI and TestPyPI refuse; "
             "setuptools-scm or versioneer add one when the build is not on a clean release tag"),
    fix=("build from the release tag: `fetch-depth: 0` in actions/checkout (the tags must be "
         "there), the tag pushed before the build runs, and no files changed by the job before the "
         "build. For TestPyPI dev builds set `local_scheme = \"no-local-version\"` in "
         "`[tool.setuptools_scm]`"),
    rules=("PD402", "PD303"),
)

PATTERNS = (
    # warehouse raises it only for a version with a local segment, so the version (with its
    # `+`) names the refusal even when a paste or a wrapped annotation cut the sentence after it.
    Pattern(CAUSE.id, r"The use of local versions in\s+(?:<Version\(')?'?"
                      r"(?P<version>[^'\s<>()]*\+[^'\s<>()]*)'?(?:\)>)?(?:\s+is not allowed)?",
            ("use of local versions", "local versions in"), priority=3),
    Pattern(CAUSE.id, r"(?:'(?P<version>[^'\s]{1,80})' is an invalid value for Version\.\s*)?"
                      r"(?:Error:\s*)?(?:Can't|Cannot|Can not) use PEP 440 local versions",
            ("PEP 440 local versions", "440 local versions"), priority=3),
    # TestPyPI sometimes answers a bare "Bad Request": then the filename tells.
    Pattern(CAUSE.id, r"(?:HTTPError:\s*|status code\s+|HTTP Error\s+)400\b[^\n]{0,40}Bad Request",
            ("400 Bad Request", "400 Client Error"), kind="fallback", priority=0, bare=True,
            needs=("error|status",),
            detail="the index answered a bare `400 Bad Request` and the uploaded file has a `+` "
                   "in its version"),
)
