"""``file-exists``: the file (this version) is already on the index.

Texts: warehouse ``forklift/legacy.py`` (current and older wording, and the deleted-file
variants), as twine 6/7, twine <= 3 (``400 Client Error``) and uv report them.
"""

from pubdoctor.diagnose.causes.base import Cause, Pattern, sp

CAUSE = Cause(
    id="file-exists",
    summary="the index already has this file: this version was uploaded before",
    fix=("bump the version before releasing (a `.postN` release if only packaging changed); a "
         "file name can never be uploaded twice, even after deleting it. For reruns of a publish "
         "job, set `skip-existing: true` (action), `--skip-existing` (twine) or `--check-url` (uv)"),
    rules=("PD401", "PD304", "PD113"),
)

PATTERNS = (
    Pattern(CAUSE.id, r"File already exists(?:\s*\(\s*'(?P<filename>[^']+)'[^)]*\))?"
                      r"(?:\.?\s*See \S+ for more information\.?)?",
            ("File already exists", "file already exists"), priority=2),
    Pattern(CAUSE.id, r"This filename was previously used by a file that has since been deleted\.?"
                      r"(?:\s*Use a different version\.?)?",
            ("previously used by a file",), priority=2,
            detail="the file was deleted earlier, and its name can never be reused"),
    Pattern(CAUSE.id, sp("This filename has already been used, use a different version"),
            ("filename has already been used",), priority=2),
    Pattern(CAUSE.id, r"file-name-reuse", ("file-name-reuse",), priority=0),
)
