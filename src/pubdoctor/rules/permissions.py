"""PD101, PD102: who gets an OIDC token (``id-token: write``) and who should."""

from __future__ import annotations

from collections.abc import Iterator

from pubdoctor.findings import Finding, Location, Severity
from pubdoctor.rules import Rule
from pubdoctor.sources.permissions import effective
from pubdoctor.sources.workflows import Job, PublishingJob, Workflow, Workflows

#: Actions that use the job's OIDC token for something other than publishing.
OIDC_CONSUMERS = (
    "actions/attest-build-provenance",
    "actions/attest",
    "actions/attest-sbom",
    "sigstore/gh-action-sigstore-python",
    "aws-actions/configure-aws-credentials",
    "google-github-actions/auth",
    "azure/login",
    "codecov/codecov-action",
    "hashicorp/vault-action",
    "docker/login-action",
    "rust-lang/crates-io-auth-action",
)
#: Commands of ``run:`` steps that use the OIDC token (npm provenance and trusted publishing).
OIDC_COMMANDS = ("npm publish", "pnpm publish", "yarn npm publish")


def _why_not(item: PublishingJob) -> tuple[str, Location, str]:
    """The reason a publishing job has no token, where to point, and the fix."""
    job, grant = item.job, item.id_token
    fix_here = f"add `id-token: write` to the `permissions` of job `{job.id}`"
    if grant.source == "caller" and item.caller is not None:
        caller = item.caller
        where = caller.permissions.location if caller.permissions else caller.location
        return (
            f"job `{job.id}` of the called workflow `{item.workflow.filename}` publishes with trusted "
            f"publishing, but the calling job `{caller.id}` in `{item.entry.filename}` does not grant "
            f"`id-token: write` ({grant.reason.split(': ', 1)[-1]}); a called workflow never gets more "
            "than its caller grants",
            where,
            f"add `id-token: write` to the `permissions` of the calling job `{caller.id}` in "
            f"`{item.entry.path}` (and keep it in the called job)",
        )
    if grant.source == "job" and job.permissions is not None:
        workflow_perms = item.workflow.permissions
        if workflow_perms is not None and workflow_perms.level("id-token") == "write":
            reason = ("its job-level `permissions` replace the workflow-level ones entirely, so the "
                      "workflow's `id-token: write` does not reach it")
        else:
            reason = f"its `permissions` ({job.permissions.describe()}) do not include `id-token: write`"
        location = job.permissions.location
    elif grant.source == "workflow" and item.workflow.permissions is not None:
        reason = (f"the workflow-level `permissions` ({item.workflow.permissions.describe()}) do not "
                  "include `id-token: write` and the job sets none of its own")
        location = job.location
    else:
        reason = ("there is no `permissions` block in the workflow, and the default token "
                  "permissions never include `id-token: write`")
        location = job.location
    others = [j.id for j in item.workflow.jobs.values() if j.id != job.id
              and effective("id-token", j.permissions, item.workflow.permissions).granted]
    if others:
        reason += f"; `id-token: write` is granted to job `{others[0]}` instead"
    steps = ", ".join(sorted({s.publish.tool for s in item.trusted_steps if s.publish}))
    return (f"job `{job.id}` publishes with trusted publishing ({steps}) but cannot get an OIDC "
            f"token: {reason}", location, fix_here)


class MissingIdToken(Rule):
    """A job that publishes with trusted publishing cannot request an OIDC token."""

    code, name, severity = "PD101", "missing-id-token", Severity.ERROR

    def check(self, workflows: Workflows) -> Iterator[Finding]:
        for item in workflows.publishing_jobs():
            if item.trusted_steps and not item.id_token.granted:
                message, location, fix = _why_not(item)
                yield self.finding(location, message, fix=fix)


def _needs_token(job: Job, workflow: Workflow) -> bool:
    """Whether a job has a use for an OIDC token: it publishes, calls a workflow, or attests."""
    if job.publish_steps or job.uses:
        return True
    perms = job.permissions if job.permissions is not None else workflow.permissions
    if perms is not None and perms.level("attestations") == "write":
        return True  # attestations are signed with the job's OIDC identity
    return any(
        (step.action and step.action.startswith(OIDC_CONSUMERS))
        or (step.run and any(command in step.run for command in OIDC_COMMANDS))
        for step in job.steps
    )


class IdTokenTooWide(Rule):
    """`id-token: write` is granted to jobs that do not publish."""

    code, name, severity = "PD102", "id-token-too-wide", Severity.WARNING

    def check(self, workflows: Workflows) -> Iterator[Finding]:
        for workflow in workflows.files:
            perms = workflow.permissions
            if perms is not None and perms.level("id-token") == "write":
                idle = [j.id for j in workflow.jobs.values() if j.permissions is None
                        and not _needs_token(j, workflow)]
                if idle:
                    yield self.finding(
                        perms.scope_location("id-token"),
                        "`id-token: write` is granted to the whole workflow, so job(s) "
                        f"{', '.join(f'`{j}`' for j in idle)} can mint an OIDC token they do not need",
                        fix="move `id-token: write` from the workflow-level `permissions` to the "
                            "publishing job only",
                    )
            for job in workflow.jobs.values():
                if job.permissions is not None and job.permissions.level("id-token") == "write" \
                        and not _needs_token(job, workflow):
                    yield self.finding(
                        job.permissions.scope_location("id-token"),
                        f"job `{job.id}` is granted `id-token: write` but does not publish",
                        fix=f"remove `id-token: write` from job `{job.id}`; only the job that "
                            "uploads needs it",
                    )
