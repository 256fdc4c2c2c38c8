"""``publisher-mismatch``: the index found no trusted publisher matching the token's claims.

Texts: warehouse ``oidc/views.py`` (``invalid-publisher`` and its reasons, current and older
wording), as rendered by the action, twine and uv (failure catalogue, section 2).
"""

from pubdoctor.diagnose.causes.base import Cause, Pattern, sp

CAUSE = Cause(
    id="publisher-mismatch",
    summary=("the index refused the OIDC token: no trusted publisher registered for the project "
             "matches the token's claims (owner, repository, workflow file name, environment)"),
    fix=("open the project's publishing settings on the index you upload to (TestPyPI and PyPI "
         "are separate) and make the trusted publisher say exactly what the claims say, field by "
         "field; or change the workflow so that it matches the registered publisher. A project "
         "that does not exist yet needs a pending publisher"),
    rules=("PD201", "PD202", "PD203", "PD204", "PD205", "PD206"),
)

PATTERNS = (
    Pattern(CAUSE.id, r"`?invalid-publisher`?\"?\s*[:,]\s*(?:\"description\"\s*:\s*\")?"
                      r"\s*valid token, but no corresponding publisher(?:\s*\([^)]*\))?",
            ("invalid-publisher",), priority=2),
    Pattern(CAUSE.id, r"valid token, but no corresponding publisher(?:\s*\([^)]*\))?",
            ("no corresponding publisher",)),
    Pattern(CAUSE.id, sp("Publisher with matching claims was not found"),
            ("Publisher with matching claims",)),
    Pattern(CAUSE.id, sp("All lookup strategies exhausted"), ("lookup strategies exhausted",)),
    Pattern(CAUSE.id, r"Check failed for (?:required|optional) claim\s+'?\w+'?",
            ("Check failed for",)),
    Pattern(CAUSE.id, r"The job_workflow_ref claim does not match, expecting one of .{0,300}?got\s+'[^']*'",
            ("job_workflow_ref claim does not match",)),
    Pattern(CAUSE.id, sp("Could not job extract workflow filename from OIDC claims"),
            ("extract workflow filename",)),
    Pattern(CAUSE.id, sp("Publishing from a workflow invoked via 'pull_request_target' is not supported"),
            ("invoked via 'pull_request_target'",),
            detail="pull_request_target",
            fix=("PyPI refuses tokens from `pull_request_target` runs: publish on a tag push, a "
                 "release or `workflow_dispatch`")),
    # The action's generic lines: they follow the index's reasons (which may be cut from a
    # paste), and count only when no reason matched (the index's reason names the cause).
    Pattern(CAUSE.id, sp("Token request failed: the server refused the request"),
            ("server refused the request",), kind="fallback", tool="gh-action-pypi-publish",
            detail="the index refused the token; the log does not show its reasons"),
    Pattern(CAUSE.id, sp("This generally indicates a trusted publisher configuration error"),
            ("trusted publisher configuration error",), kind="fallback", tool="gh-action-pypi-publish",
            detail="the index refused the token; the log does not show its reasons"),
    Pattern(CAUSE.id, sp("The claims rendered below are **for debugging purposes only**"),
            ("claims rendered below are",), kind="fallback", tool="gh-action-pypi-publish",
            detail="the index refused the token; the log does not show its reasons"),
    Pattern(CAUSE.id, sp("The token request failed; the index server gave the following reasons"),
            ("index server gave the following reasons",), kind="fallback", tool="twine",
            detail="the index refused the token; the log does not show its reasons"),
    # The header of every failure of the action's exchange; the other failures (no OIDC token,
    # the index down or without trusted publishing) say so on the next line.
    Pattern(CAUSE.id, r"Trusted publishing exchange failure(?!:?\s*(?:OpenID Connect token retrieval failed"
                      r"|Token request failed: the index produced|Token response error|audience retrieval failed"
                      r"|Attempted to discover OIDC))",
            ("Trusted publishing exchange failure",), kind="fallback", tool="gh-action-pypi-publish",
            detail="the log shows only the action's failure line, not the index's reasons: a refused "
                   "token (no matching trusted publisher) is the usual cause; the run's summary page "
                   "has the whole message"),
    # a traceback of the action's exchange script
    Pattern(CAUSE.id, r"File \"/app/oidc-exchange\.py\", line \d+", ("/app/oidc-exchange.py",),
            kind="fallback", tool="gh-action-pypi-publish",
            detail="the action's token exchange (oidc-exchange.py) failed after the request; the log "
                   "does not show the index's reasons"),
    Pattern(CAUSE.id, r"(?:returned|Server returned) error code 422\b[^?]{0,80}?"
                      r"is trusted publishing correctly configured",
            ("trusted publishing correctly configured",), priority=0, tool="uv"),
)
