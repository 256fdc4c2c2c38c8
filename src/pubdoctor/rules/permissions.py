"""PD101, PD102: who gets an OIDC token (``id-token: write``) and who should."""

from __future__ import annotations

from collections.abc import Iterator

from pubdoctor.findings import Finding, Location, Severity
from pubdoctor.rules import Rule
from pubdoctor.sources.permissions import effective
from pubdoctor.sources.workflows import Job, PublishingJob, Workflow, Workflows

#: Actions documented to use the job's OIDC token for something other than publishing to PyPI
#: (a prefix ending in ``/`` covers every action of that owner).
OIDC_CONSUMERS = (
    "actions/attest-build-provenance",
    "actions/attest",
    "actions/attest-sbom",
    "actions/deploy-pages",  # GitHub Pages: "id-token: write" is required to verify the source
    "sigstore/",
    "slsa-framework/",
    "aws-actions/",
    "google-github-actions/",
    "azure/",
    "codecov/",  # `use_oidc: true` uploads without a token
    "hashicorp/vault-action",
    "docker/login-action",
    "rust-lang/crates-io-auth-action",
    "octo-sts/",
    "jfrog/setup-jfrog-cli",
    "cloudflare/",
)
#: Actions that never ask for an OIDC token: they set up tools, move files or use only the
#: ``GITHUB_TOKEN``. Any other action (one of another owner, a Docker action, a local
#: composite action that cannot be read) might, so a job running one is not judged.
NO_OIDC_ACTIONS = (
    "actions/checkout", "actions/setup-", "actions/cache", "actions/upload-artifact",
    "actions/download-artifact", "actions/configure-pages", "actions/upload-pages-artifact",
    "actions/create-release", "actions/upload-release-asset", "actions/labeler", "actions/stale",
    "astral-sh/setup-uv", "astral-sh/ruff-action", "pypa/cibuildwheel",
    "hynek/build-and-inspect-python-package", "pyo3/maturin-action", "snok/install-poetry",
    "abatilo/actions-poetry", "pdm-project/setup-pdm", "conda-incubator/setup-miniconda",
    "mamba-org/setup-micromamba", "prefix-dev/setup-pixi", "docker/setup-buildx-action",
    "docker/setup-qemu-action", "dtolnay/rust-toolchain", "swatinem/rust-cache",
    "actions-rs/toolchain", "softprops/action-gh-release", "ncipollo/release-action",
    "pre-commit/action", "re-actors/alls-green", "ilammy/msvc-dev-cmd",
    "wntrblm/nox", "pypa/gh-action-pip-audit",
)
#: Commands of ``run:`` steps that use the OIDC token (npm provenance and trusted publishing,
#: or a request to the token endpoint itself).
OIDC_COMMANDS = ("npm publish", "pnpm publish", "yarn npm publish", "ACTIONS_ID_TOKEN_REQUEST")


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


def _action_may_use_token(uses: str, composite: list[str] | None) -> bool:
    """Whether an action might ask for the job's OIDC token: a documented consumer, or any
    action pubdoctor cannot read or does not know (it cannot say the job has no use for it)."""
    if uses.startswith("./"):
        if composite is None:
            return True  # a local action that is not a readable composite action
        return any(_action_may_use_token(inner, None) for inner in composite if inner)
    action = uses.split("@", 1)[0].lower()
    if action.startswith(OIDC_CONSUMERS):
        return True
    return not action.startswith(NO_OIDC_ACTIONS)


def _needs_token(job: Job, workflow: Workflow) -> bool:
    """Whether a job has, or might have, a use for an OIDC token: it publishes, calls a
    workflow, attests, or runs a step that uses the token or that pubdoctor cannot read."""
    if job.publish_steps or job.uses:
        return True
    perms = job.permissions if job.permissions is not None else workflow.permissions
    if perms is not None and perms.level("attestations") == "write":
        return True  # attestations are signed with the job's OIDC identity
    return any(
        (step.uses and _action_may_use_token(step.uses, step.composite_uses))
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
