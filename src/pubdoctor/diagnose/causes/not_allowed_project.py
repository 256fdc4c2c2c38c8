"""``not-allowed-project``: the user or token may not upload to that project name.

Texts: warehouse ``forklift/legacy.py`` (user and token wording, the older
``You are not allowed to upload to``), and the caveats of
``macaroons/caveats`` that warehouse reports as ``Invalid API Token: {reason}``: a token
scoped to other projects is not a bad token, it is the wrong one for this project.
"""

from pubdoctor.diagnose.causes.base import Cause, Pattern

CAUSE = Cause(
    id="not-allowed-project",
    summary=("the index refused the upload to this project: the user or token may not upload to "
             "it (the name belongs to someone else, or the token is scoped to another project)"),
    fix=("check `[project].name`: choose a free and distinctive name, or use the API token or "
         "trusted publisher of the right project (a project-scoped token uploads only to its "
         "project, and the name in the metadata must be that project's)"),
    rules=("PD205",),
)

PATTERNS = (
    Pattern(CAUSE.id, r"(?:The user '[^']*'|The given token|The credential[^.]{0,80}?) isn't allowed "
                      r"to upload to project '[^']*'",
            ("allowed to upload to project",), priority=2),
    Pattern(CAUSE.id, r"You are not allowed to upload to '?[^'\s]+'?", ("not allowed to upload to",), priority=2),
    # macaroons/caveats: ProjectName/ProjectID and OIDCPublisher; they win over bad-token's
    # generic "Invalid API Token" (same lines, higher priority)
    Pattern(CAUSE.id, r"(?:Invalid API Token:\s*)?OIDC scoped token is not valid for project\s*'(?P<project>[^']*)'",
            ("OIDC scoped token is not valid for project",), priority=3,
            detail="the trusted-publishing token was minted for other projects: the trusted publisher "
                   "that matched this workflow is not registered on this project",
            fix=("a trusted-publishing token uploads only to the projects whose trusted publisher "
                 "matched the workflow run: add a trusted publisher for this repository, workflow "
                 "and environment to the project the files belong to (each project needs its own; "
                 "a run from a fork presents the fork's repository), or check that `[project].name` "
                 "is the project you meant")),
    Pattern(CAUSE.id, r"(?:Invalid API Token:\s*)?project-scoped token is not valid for project:?\s*"
                      r"'(?P<project>[^']*)'",
            ("project-scoped token is not valid for project",), priority=3,
            detail="the API token is scoped to another project",
            fix=("the API token works only for the project it was made for: create a token scoped to "
                 "this project (an account-wide token for the very first upload) and store it in the "
                 "secret, or check that `[project].name` is the project you meant; better, publish "
                 "with trusted publishing")),
)
