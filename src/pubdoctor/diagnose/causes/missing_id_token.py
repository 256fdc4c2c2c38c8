"""``missing-id-token``: the job could not get an OIDC token.

Texts: the action's ``oidc-exchange.py`` (every version), the ``id`` library's GitHub
detector, twine 6.1+, uv old and new wording (failure catalogue, section 1).
"""

from pubdoctor.diagnose.causes.base import Cause, Pattern, sp

CAUSE = Cause(
    id="missing-id-token",
    summary="the publish job could not get an OIDC token, so trusted publishing could not start",
    fix=("add `id-token: write` to the `permissions:` of the job that uploads (a job-level "
         "`permissions:` block replaces the workflow-level one, and a called workflow gets at most "
         "what its caller grants). If you meant to upload with an API token instead, the secret "
         "given as `password` is empty or misnamed, so the upload fell back to trusted publishing: "
         "fix the secret's name or value"),
    rules=("PD101", "PD103"),
)

FORK_FIX = ("GitHub gives no OIDC token to workflows run for pull requests from forks, even with "
            "`id-token: write`: publish on a tag push, a release or `workflow_dispatch`, never on "
            "`pull_request`")

PATTERNS = (
    Pattern(CAUSE.id, sp("OpenID Connect token retrieval failed"),
            ("OpenID Connect token retrieval failed",), tool="gh-action-pypi-publish"),
    Pattern(CAUSE.id, sp("missing or insufficient OIDC token permissions"),
            ("insufficient OIDC token permissions", "OIDC token permissions"), tool="id"),
    Pattern(CAUSE.id,
            r"ACTIONS_ID_TOKEN_REQUEST_(?:TOKEN|URL)\s+(?:environment\s+variable\s+was\s+unset|not\s+set)"
            r"|missing\s+ACTIONS_ID_TOKEN_REQUEST_(?:TOKEN|URL)",
            ("ACTIONS_ID_TOKEN_REQUEST_",)),
    Pattern(CAUSE.id, sp("Attempted to discover OIDC in broken environment"),
            ("discover OIDC in broken environment",), tool="gh-action-pypi-publish"),
    Pattern(CAUSE.id, sp("is the `id-token: write` permission missing"),
            ("permission missing",), tool="uv"),
    Pattern(CAUSE.id, sp("Unable to retrieve an OIDC token from the CI platform"),
            ("Unable to retrieve an OIDC token",), tool="twine"),
    Pattern(CAUSE.id,
            r"(?:failed|unable) to (?:get|obtain|fetch|retrieve|request) (?:an? )?(?:OIDC|ID) token",
            ("OIDC token", "ID token", "id token"), priority=0),
    # Details that refine the fix.
    Pattern(CAUSE.id, sp("called from a pull request on a fork"), ("pull request on a fork",),
            kind="fact", detail="fork", fix=FORK_FIX),
    Pattern(CAUSE.id, sp("due to __token__ username with no supplied password field"),
            ("no supplied password field",), kind="fact", detail="no-password"),
)
