"""``pending-publisher``: a trusted-publishing token tried to create a project.

Texts: warehouse ``forklift/legacy.py`` ("Non-user identities cannot create new projects")
and ``oidc/views.py`` (``invalid-pending-publisher``).
"""

from pubdoctor.diagnose.causes.base import Cause, Pattern, sp

CAUSE = Cause(
    id="pending-publisher",
    summary=("the upload would create a new project, which a trusted-publishing token may only do "
             "through a pending publisher with exactly that project name, and none matched"),
    fix=("register a pending publisher on the index (Your account > Publishing) with the exact "
         "project name of `[project].name` (normalised: case, `-`, `_` and `.` are equivalent), "
         "and the owner, repository, workflow file and environment of the publishing job; or "
         "create the project first and add a normal trusted publisher to it"),
    rules=("PD205",),
)

PATTERNS = (
    Pattern(CAUSE.id, sp("Non-user identities cannot create new projects"),
            ("Non-user identities cannot create",), priority=2),
    Pattern(CAUSE.id, r"valid token, but project already exists",
            ("project already exists",), priority=2,
            detail="a pending publisher matched, but the project already exists",
            fix=("the project already exists, so its pending publisher cannot be used: add the "
                 "trusted publisher in the existing project's settings (Manage > Publishing) and "
                 "remove the pending one")),
)
