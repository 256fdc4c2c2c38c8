"""``attestations``: the PEP 740 attestations were refused, or could not be made.

Texts: the action's ``attestations.py`` (``Attestation generation failure: {dist} already
has a publish attestation: {path}``), warehouse ``forklift/legacy.py`` and
``attestations/services.py`` (``Invalid attestations supplied during upload: {reason}``, with
the verification failure of pypi-attestations: the certificate's Build Config URI against the
expected trusted publisher, a subject that is not the uploaded file), and twine
``commands/upload.py`` (``Upload with attestations requested, but {file} has no associated
attestations``).
"""

from pubdoctor.diagnose.causes.base import Cause, Pattern, sp

CAUSE = Cause(
    id="attestations",
    summary="the attestations of the files were refused by the index, or could not be made",
    fix=("let the publish action make the attestations in the job that uploads (trusted publishing, "
         "`pypa/gh-action-pypi-publish@release/v1`), from the same files it uploads; or set "
         "`attestations: false` on the action to upload without them"),
    rules=("PD204",),
)

PATTERNS = (
    Pattern(CAUSE.id, r"(?:Attestation generation failure:\s*)?(?P<file>\S+) already has a publish attestation"
                      r"(?::\s*\S+)?",
            ("already has a publish attestation",), priority=2, tool="gh-action-pypi-publish",
            detail="`dist/` already holds `.publish.attestation` files: the action ran twice on the "
                   "same files, or the attestations of an earlier run or step came with the artifact",
            fix=("give each publish step freshly built files without `*.publish.attestation` files: "
                 "when one job uploads to TestPyPI and then PyPI, set `attestations: false` on the "
                 "first step (or delete `dist/*.publish.attestation` between the steps), and do not "
                 "put attestation files in the artifact that hands `dist/` over")),
    Pattern(CAUSE.id, r"(?:Certificate's Build Config URI\s*)?(?:\(.{0,600}?\)\s*)?does not match expected "
                      r"Trusted Publisher\s*\((?P<publisher>[^)]*)\)",
            ("does not match expected Trusted Publisher",), priority=3,
            detail="the attestation was signed by another workflow than the trusted publisher's: the "
                   "certificate's Build Config URI names the top-level workflow of the run, while "
                   "the publisher matched the workflow file that holds the job (a reusable workflow)",
            more="expected trusted publisher: {publisher}",
            fix=("a publish step in a reusable (called) workflow signs with the identity of the "
                 "top-level workflow, which never equals the publisher the index matched: move the "
                 "upload into the top-level workflow that the tag or release triggers, or set "
                 "`attestations: false` on the action")),
    Pattern(CAUSE.id, r"subject does not match distribution digest", ("subject does not match distribution",),
            priority=3,
            detail="the attestation is for other bytes than the file uploaded: the file changed (was "
                   "rebuilt or re-downloaded) after it was attested",
            fix=("attest and upload the same files: build once, hand `dist/` over unchanged, and let "
                 "the publish action attest in the upload step (do not rebuild between them)")),
    Pattern(CAUSE.id, sp("Attestations are only supported when using Trusted Publishing"),
            ("only supported when using Trusted Publishing",), priority=3,
            detail="attestations were sent with an API token or password upload",
            fix=("attestations need trusted publishing: publish with `id-token: write` and no "
                 "`password`, or set `attestations: false`")),
    Pattern(CAUSE.id, r"Invalid attestations supplied during upload:?[^\n]{0,160}",
            ("Invalid attestations supplied during upload",), priority=2),
    Pattern(CAUSE.id, r"Could not verify the uploaded artifact using the included attestation",
            ("Could not verify the uploaded artifact",), priority=2),
    Pattern(CAUSE.id, r"Upload with attestations requested, but (?P<file>\S+) has no associated attestations",
            ("has no associated attestations",), priority=2, tool="twine",
            detail="`--attestations` was given, but no `*.publish.attestation` file sits next to the "
                   "distribution",
            fix=("make the attestations before uploading (the publish action does it in trusted "
                 "publishing), or drop `--attestations`")),
)
