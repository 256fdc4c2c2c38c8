"""``name-not-allowed``: the index refused to create a project with this name.

Texts: warehouse ``packaging/services.py`` (``create_project``: too similar to an existing
project, prohibited, a standard-library module name, invalid, conflicting with an existing
project, new registrations paused), as the upload answers them. Nothing about credentials:
no token or publisher can upload under a name the index will not create.
"""

from pubdoctor.diagnose.causes.base import Cause, Pattern, sp

CAUSE = Cause(
    id="name-not-allowed",
    summary=("the index refused to create a project with this name: it is too similar to an "
             "existing project, prohibited, a standard-library module name, or invalid"),
    fix=("choose another `[project].name` (the name in the files uploaded) and build again: PyPI "
         "compares names ignoring case, `-`, `_`, `.` and look-alike characters, and refuses "
         "names close to an existing project's; search pypi.org for the new name first. No "
         "token, password or trusted publisher changes this answer"),
    rules=(),
)

PATTERNS = (
    Pattern(CAUSE.id, r"The name '(?P<project>[^']*)' is too similar to an existing project",
            ("too similar to an existing project",), priority=3,
            detail="the name is too similar to an existing project"),
    Pattern(CAUSE.id, r"The name '(?P<project>[^']*)' isn't allowed \(conflict with Python Standard Library "
                      r"module name\)",
            ("conflict with Python",), priority=4,
            detail="the name is the name of a standard-library module"),
    Pattern(CAUSE.id, r"The name '(?P<project>[^']*)' isn't allowed", ("isn't allowed",), priority=3,
            detail="the name is prohibited on the index"),
    Pattern(CAUSE.id, r"The name '(?P<project>[^']*)' is invalid", ("' is invalid",), priority=3,
            detail="the name is not a valid project name"),
    Pattern(CAUSE.id, r"The name '(?P<project>[^']*)' conflicts with an existing project",
            ("conflicts with an existing project",), priority=3,
            detail="the name, once normalised, is an existing project's"),
    Pattern(CAUSE.id, sp("New project registration temporarily disabled"),
            ("New project registration temporarily disabled",), priority=3,
            detail="the index has paused the creation of new projects",
            fix=("PyPI has paused new project registrations (an administrator's decision, for "
                 "example during a spam wave): wait and run the publish job again later; "
                 "uploads to existing projects still work")),
)
