"""``description-render``: the long description (the README) does not render.

Texts: warehouse ``forklift/legacy.py`` (``The description failed to render for '{type}'``,
``... in the default format of reStructuredText``) and ``twine check`` (``commands/check.py``:
```long_description` has syntax errors in markup and would not be rendered on PyPI.``, then
docutils' report as ``line N: Level: message``, and the content-type warning).
"""

from pubdoctor.diagnose.causes.base import Cause, Pattern, sp

CAUSE = Cause(
    id="description-render",
    summary=("the long description (the README) does not render in its declared format, so the "
             "index refuses the upload"),
    fix=("run `twine check dist/*` on the built files to see the error; declare the README's "
         "format (`readme = \"README.md\"` in `[project]` sets `text/markdown`; or "
         "`long_description_content_type=\"text/markdown\"`): without one the index reads it as "
         "reStructuredText; for reStructuredText, fix the line docutils names"),
    rules=(),
)

PATTERNS = (
    Pattern(CAUSE.id, r"The description failed to render for '(?P<content_type>[^']*)'",
            ("description failed to render",), priority=2,
            detail="the index could not render the description",
            more="declared content type: `{content_type}`"),
    Pattern(CAUSE.id, r"The description failed to render in the default format of reStructuredText",
            ("description failed to render",), priority=3,
            detail="no content type is declared, so the index read the README as reStructuredText "
                   "and it does not parse as such",
            fix=("declare the README's format: `readme = \"README.md\"` in `[project]` (or "
                 "`long_description_content_type=\"text/markdown\"` in setup.py) for Markdown; "
                 "`twine check dist/*` shows the error before uploading")),
    Pattern(CAUSE.id, r"`?long_description`? has syntax errors in markup(?: and would not be rendered on PyPI\.?)?"
                      r"(?:\s*(?P<problem>line\s+\d*:\s*(?:Warning|Error|Severe):\s*[^.]{1,160}\.?))?",
            ("has syntax errors in markup",), priority=2, tool="twine",
            detail="`twine check` found markup the index cannot render",
            more="the log shows: {problem}"),
    Pattern(CAUSE.id, sp("`long_description_content_type` missing. defaulting to `text/x-rst`."),
            ("long_description_content_type` missing",), kind="fact", detail="content-type",
            fix=("the README's format is not declared, so it is read as reStructuredText: set "
                 "`readme = \"README.md\"` in `[project]` (or `long_description_content_type`), "
                 "and check with `twine check dist/*`")),
)
