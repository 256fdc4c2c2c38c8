"""``trusted-publishing-skipped``: no credentials, and trusted publishing was not attempted.

uv's default ``--trusted-publishing automatic`` silently skips trusted publishing when it
cannot get a token and then fails with ``Missing credentials for {url}``; twine before 6.1
never tries it and fails on the missing password in a non-interactive job.
"""

from pubdoctor.diagnose.causes.base import Cause, Pattern, sp

CAUSE = Cause(
    id="trusted-publishing-skipped",
    summary=("the upload tool had no credentials and did not attempt trusted publishing "
             "(uv's default `--trusted-publishing automatic` gives up silently when the job "
             "cannot get an OIDC token)"),
    fix=("give the publishing job `id-token: write` and run `uv publish --trusted-publishing always` "
         "so that a trusted-publishing failure shows its real cause; or pass an API token "
         "(`UV_PUBLISH_TOKEN`, `TWINE_PASSWORD`)"),
    rules=("PD101",),
)

PATTERNS = (
    Pattern(CAUSE.id, r"Missing\s+credentials\s+for\s+\S+", ("Missing credentials for",), tool="uv"),
    Pattern(CAUSE.id, sp("Credential not found for password"), ("Credential not found for",),
            tool="twine",
            fix=("twine before 6.1 never tries trusted publishing: upload with "
                 "`pypa/gh-action-pypi-publish@release/v1` or twine 6.1+ and `id-token: write`, "
                 "or pass the API token as `TWINE_PASSWORD`")),
)
