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
)
