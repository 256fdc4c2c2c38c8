"""``2fa-required``: a password upload from an account without two-factor authentication."""

from pubdoctor.diagnose.causes.base import Cause, Pattern

CAUSE = Cause(
    id="2fa-required",
    summary=("the upload used a username and password from an account without two-factor "
             "authentication, which the index refuses"),
    fix=("enable two-factor authentication on the account and upload with an API token "
         "(user `__token__`), or better with trusted publishing"),
    rules=("PD106",),
)

PATTERNS = (
    Pattern(CAUSE.id, r"User '[^']*' does not have two-factor authentication enabled\.?"
                      r"|does not have two-factor authentication enabled",
            ("two-factor authentication enabled",), priority=2),
    Pattern(CAUSE.id, r"Please enable two-factor authentication before attempting to upload",
            ("enable two-factor authentication",), priority=2),
    # warehouse ``accounts/security_policy.py`` and ``macaroons/security_policy.py`` (reasons
    # upload_2fa_required, manage_2fa_required, 2fa_required): no hyphen in these
    Pattern(CAUSE.id, r"You must enable two factor authentication(?: to (?:upload|manage other settings))?\.?",
            ("enable two factor authentication",), priority=2,
            detail="the account behind the credentials (password or API token) has no two-factor "
                   "authentication, which PyPI requires for uploads",
            fix=("enable two-factor authentication on the account that owns the password or API "
                 "token (a new token may be needed afterwards), or publish with trusted publishing, "
                 "which needs no account credentials in the job")),
)
