"""``reusable-workflow``: the publish step runs in a called workflow.

The action (v1.10+) warns before the token exchange when ``job_workflow_ref`` and
``workflow_ref`` differ; the index then matches the called file and the exchange fails.
"""

from pubdoctor.diagnose.causes.base import Cause, Pattern, sp

CAUSE = Cause(
    id="reusable-workflow",
    summary=("the publish step runs inside a reusable (called) workflow; the index matches the "
             "called workflow's file (`job_workflow_ref`), not the caller's"),
    fix=("register the reusable workflow's file name as the trusted publisher's workflow, or move "
         "the publish job into the top-level workflow that the tag or release triggers"),
    rules=("PD204", "PD202"),
)

#: what the warning explains: the refused token, and the refused attestations (signed with the
#: top-level workflow's identity, which is not the publisher's)
EXPLAINS = frozenset({"publisher-mismatch", "attestations", "unknown"})

OTHER_REPOSITORY_FIX = ("the publish job runs in a reusable workflow of another repository; PyPI matches "
                        "`job_workflow_ref` against the trusted publisher, whose repository is the "
                        "project's, so a workflow of another repository can never match, whatever is "
                        "registered: upload from a job of a workflow in this repository (the shared "
                        "workflow can still build and hand `dist/` over as an artifact)")

PATTERNS = (
    Pattern(CAUSE.id, sp("The claims in this token suggest that the calling workflow is a reusable workflow"),
            ("is a reusable workflow",), kind="hint", explains=EXPLAINS, tool="gh-action-pypi-publish"),
    Pattern(CAUSE.id, sp("Reusable workflows are **not currently supported** by PyPI's Trusted Publishing"),
            ("Reusable workflows are",), kind="hint", explains=EXPLAINS),
    # the two refs the warning prints: the called file and the top-level one
    Pattern(CAUSE.id, r"this action was initiated by:?\s*(?P<job_workflow_ref>\S+/\S+@\S+)\s*"
                      r"Whereas its parent workflow is:?\s*(?P<workflow_ref>\S+/\S+@\S+)",
            ("this action was initiated by",), kind="fact", detail="refs"),
)
