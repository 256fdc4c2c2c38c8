"""``bad-token``: the API token is wrong, revoked, expired, for another index, or padded.

Texts: warehouse ``macaroons/security_policy.py`` and ``forklift``, the action's
``twine-upload.sh`` warnings.
"""

from pubdoctor.diagnose.causes.base import Cause, Pattern, sp

CAUSE = Cause(
    id="bad-token",
    summary=("the index refused the credentials: the API token is wrong, revoked, expired, made "
             "for the other index (PyPI vs TestPyPI), or has whitespace or a newline in it"),
    fix=("create a new API token on the index you upload to, store it in the secret without spaces "
         "or a trailing newline, and pass it as the password with user `__token__`; a secret of the "
         "same name in the repository overrides the organisation's (and one in the job's environment "
         "overrides both), so update or delete the stale copy; better, switch to trusted publishing "
         "and delete the secret"),
    rules=(),
)

PATTERNS = (
    Pattern(CAUSE.id, r"Invalid or non-existent authentication information\.?(?:\s*See \S+ for more information\.?)?",
            ("Invalid or non-existent authentication",), priority=2),
    Pattern(CAUSE.id, r"Invalid API Token:?[^\n]{0,80}", ("Invalid API Token",), priority=2),
    Pattern(CAUSE.id, sp("Username/Password authentication is no longer supported"),
            ("Username/Password authentication",), priority=2,
            detail="PyPI stopped accepting account passwords for uploads: only API tokens and "
                   "trusted publishing work",
            fix=("PyPI no longer accepts a username and password for uploads: upload with an API "
                 "token (user `__token__`, the token as the password) or, better, with trusted "
                 "publishing (`id-token: write`, no `user`/`password`)")),
    # twine-upload.sh warnings: the title is the annotation's, the log line has the text.
    Pattern(CAUSE.id, r"(?:POTENTIALLY INVALID TOKEN\W*)?(?:It looks like you are trying to use an API token "
                      r"to authenticate in the package index and )?your token value does not start with "
                      r"\W*pypi-\W*(?: as it typically should\.?)?|POTENTIALLY INVALID TOKEN",
            ("token value does not start with", "POTENTIALLY INVALID TOKEN"), kind="hint",
            explains=frozenset({"unknown", "bad-token", "not-allowed-project"}), tool="gh-action-pypi-publish",
            detail="the token does not start with `pypi-`: it is not a PyPI API token, or it was pasted "
                   "incompletely"),
    Pattern(CAUSE.id, r"EMPTY TOKEN|(?:It looks like )?you have not passed a password or it is otherwise empty\.?",
            ("EMPTY TOKEN", "otherwise empty"), kind="hint",
            explains=frozenset({"unknown", "bad-token"}), tool="gh-action-pypi-publish",
            detail="the password was empty: the secret is unset or misnamed"),
    # twine's own warning (auth.py) when the password it got, from a prompt or the environment, is empty
    Pattern(CAUSE.id, r"Your password is empty\.?(?:\s*Did you enter it correctly\??)?",
            ("Your password is empty",), kind="hint",
            explains=frozenset({"unknown", "bad-token"}), tool="twine",
            detail="twine got an empty password, so the secret (`TWINE_PASSWORD`, or the action's "
                   "`password` input) is unset, misnamed or not passed to the step",
            fix=("check that the secret exists where the job reads it (repository, organisation or "
                 "the job's environment), that its name matches `${{ secrets.NAME }}`, and that the "
                 "upload step gets it; or switch to trusted publishing (`id-token: write`) and drop "
                 "the secret")),
    Pattern(CAUSE.id, r"(?:HTTPError:\s*|status code\s+|HTTP Error\s+)403\b[^\n]{0,20}Forbidden",
            ("403 Forbidden", "403 Client Error"), kind="fallback", priority=0, bare=True,
            needs=("error|status",),
            detail="the index answered a bare `403 Forbidden`"),
)
