"""``file-too-large``: a file, or the whole project, is over the index's size limit.

Texts: warehouse ``forklift/legacy.py`` (``File too large. Limit for project {name!r} is {n}
MB``, ``Project size too large. Limit for project {name!r} total size is {n} GB``) and the
HTTP 413 of the front end for a request over its own limit.
"""

from pubdoctor.diagnose.causes.base import Cause, Pattern

LIMITS = "https://docs.pypi.org/project-management/storage-limits/"

CAUSE = Cause(
    id="file-too-large",
    summary="the file, or the project's total size, is over the index's limit",
    fix=("make the files smaller (leave test data, datasets, docs and build leftovers out of the "
         "wheel and sdist; strip debug symbols from compiled extensions), or ask for a higher limit "
         "with a \"File Size Limit Request\" on PyPI's support tracker, https://github.com/pypi/support "
         f"(see {LIMITS})"),
    rules=(),
)

PATTERNS = (
    Pattern(CAUSE.id, r"File too large\.\s*Limit for project '(?P<project>[^']*)' is (?P<limit>\d+\s*MB)",
            ("File too large",), priority=2, detail="a file is over the project's file size limit",
            more="limit for `{project}`: {limit}"),
    Pattern(CAUSE.id, r"Project size too large\.\s*Limit for project '(?P<project>[^']*)' total size is "
                      r"(?P<limit>\d+\s*GB)",
            ("Project size too large",), priority=2,
            detail="the project's files together are over its total size limit",
            more="limit for `{project}`: {limit}",
            fix=("delete files of old releases you no longer need (on the index, Manage > Releases) "
                 "and make the new files smaller, or ask for a higher project size limit with a "
                 "\"Project Limit Request\" on PyPI's support tracker, https://github.com/pypi/support "
                 f"(see {LIMITS})")),
    Pattern(CAUSE.id, r"\b413\b[^\n]{0,20}(?:Request Entity Too Large|Payload Too Large|Content Too Large)",
            ("413 Request Entity Too Large", "413 Payload Too Large", "413 Content Too Large",
             "413 Client Error"), needs=("large",),
            detail="the index's front end refused the request as too large (HTTP 413)"),
)
