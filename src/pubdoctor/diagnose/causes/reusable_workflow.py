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

PATTERNS = (
    Pattern(CAUSE.id, sp("The claims in this token suggest that the calling workflow is a reusable workflow"),
            ("is a reusable workflow",), kind="hint",
            explains=frozenset({"publisher-mismatch", "unknown"}), tool="gh-action-pypi-publish"),
    Pattern(CAUSE.id, sp("Reusable workflows are **not currently supported** by PyPI's Trusted Publishing"),
            ("Reusable workflows are",), kind="hint",
            explains=frozenset({"publisher-mismatch", "unknown"})),
)
