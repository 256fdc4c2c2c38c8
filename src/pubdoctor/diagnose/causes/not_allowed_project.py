"""``not-allowed-project``: the user or token may not upload to that project name.

Texts: warehouse ``forklift/legacy.py`` (user and token wording, the older
``You are not allowed to upload to``, and the project-name refusals).
"""

from pubdoctor.diagnose.causes.base import Cause, Pattern

CAUSE = Cause(
    id="not-allowed-project",
    summary=("the index refused the upload to this project name: the user or token may not upload "
             "to it (the name belongs to someone else, is too similar to an existing project or "
             "prohibited, or the token is scoped to another project)"),
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
    Pattern(CAUSE.id, r"The name '[^']*' is too similar to an existing project",
            ("too similar to an existing project",), priority=2),
    Pattern(CAUSE.id, r"The name '[^']*' isn't allowed", ("isn't allowed.",), priority=1),
)
