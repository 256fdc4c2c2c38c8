"""Fixes of ``permissions``: PD101 (grant ``id-token: write``), PD102 (move a workflow-level
``id-token: write`` to the jobs that use it), PD305 (``contents: write`` for a release tool).

A job-level ``permissions`` block replaces the workflow-level one entirely, so a job that
inherited the workflow's block gets a copy of it plus the new scope: nothing else changes for
it, and nothing changes for any other job. A job with the repository's default permissions
(no block anywhere) is left alone: those defaults are a repository setting pubdoctor cannot
see, and a block would replace them.
"""

from __future__ import annotations


from pubdoctor.findings import Finding
from pubdoctor.fix.target import Edits, FixInput, finding_job, merge, one, same_place
from pubdoctor.fix.text import CannotPlace, Edit
from pubdoctor.lazyregex import lazy_compile
from pubdoctor.sources.permissions import Permissions, effective
from pubdoctor.sources.workflows import Job, Workflow


def grant(fix_input: FixInput, workflow: Workflow, job: Job, scopes: dict[str, str]) -> Edits:
    """Give ``job`` these ``scopes`` and keep everything else it gets."""
    yaml = fix_input.yaml(workflow.path)
    node = fix_input.job_node(workflow, job)
    what = f"the `permissions` of job `{job.id}`"
    if job.permissions is not None:
        return one(workflow.path, *_add_scopes(fix_input, workflow, node, job.permissions, scopes, what))
    inherited = workflow.permissions
    if inherited is None:
        raise CannotPlace(
            f"job `{job.id}` runs with the repository's default token permissions (no "
            "`permissions` block anywhere), which pubdoctor cannot see: a block would replace "
            "them; add " + ", ".join(f"`{k}: {v}`" for k, v in scopes.items())
            + " with the scopes the job needs")
    if inherited.shorthand is not None:
        raise CannotPlace(f"job `{job.id}` inherits the workflow-level `permissions: "
                          f"{inherited.shorthand}`, which a job block cannot copy scope by scope")
    block = {**inherited.scopes, **scopes}
    lines = [f"{scope}: {level}" for scope, level in block.items()]
    before = "steps" if "steps" in node else None
    return one(workflow.path, yaml.add_entry(node, "permissions", lines, f"job `{job.id}`", before))


def _add_scopes(fix_input: FixInput, workflow: Workflow, owner: object, permissions: Permissions,
                scopes: dict[str, str], what: str) -> list[Edit]:
    yaml = fix_input.yaml(workflow.path)
    raw = owner["permissions"]  # type: ignore[index]
    if permissions.shorthand == "write-all":
        return []
    if not isinstance(raw, dict):
        raise CannotPlace(f"{what} is `{permissions.describe()}`, not a mapping of scopes")
    edits = [yaml.set_scalar(raw, scope, level) for scope, level in scopes.items() if scope in raw
             and permissions.level(scope) != level]
    missing = [(scope, level) for scope, level in scopes.items() if scope not in raw]
    if missing:
        edits.append(yaml.add_entries(raw, list(missing), what))
    return edits


def fix_missing_id_token(finding: Finding, fix_input: FixInput) -> Edits:
    """PD101: ``id-token: write`` for the publishing job (and, for a called workflow, for the
    calling job, which caps what the called one gets)."""
    from pubdoctor.rules.permissions import _why_not

    for item in fix_input.workflows.publishing_jobs():
        if not item.trusted_steps or item.id_token.granted:
            continue
        _, location, _ = _why_not(item)
        if not same_place(location, finding.location):
            continue
        wanted = {"id-token": "write"}
        if item.caller is None:
            return grant(fix_input, item.workflow, item.job, wanted)
        caller = item.caller
        if item.entry.jobs.get(caller.id) is not caller:
            raise CannotPlace("the publishing job is called through more than one workflow")
        parts = [grant(fix_input, item.entry, caller, wanted)]
        own = effective("id-token", item.job.permissions, item.workflow.permissions)
        if own.source != "default" and not own.granted:
            parts.append(grant(fix_input, item.workflow, item.job, wanted))
        return merge(*parts)
    raise CannotPlace("no publishing job matches the finding")


def fix_id_token_too_wide(finding: Finding, fix_input: FixInput) -> Edits:
    """PD102: a workflow-level ``id-token: write`` moves to the jobs that have a use for it.

    Those jobs get a copy of the workflow's block (so they keep every scope they had); the
    others keep the rest of it. A job-level grant is left alone: whether that job uses its
    token in a way pubdoctor cannot see is the author's call.
    """
    from pubdoctor.rules.permissions import _needs_token

    workflow = fix_input.workflow(finding.location.path)
    perms = workflow.permissions
    if perms is None or not same_place(perms.scope_location("id-token"), finding.location):
        raise CannotPlace("a job's own `id-token: write` is removed by hand: only its author knows "
                          "whether the job uses the token")
    if perms.shorthand is not None:
        raise CannotPlace(f"the workflow-level `permissions: {perms.shorthand}` cannot be split "
                          "without guessing what each job needs")
    yaml = fix_input.yaml(workflow.path)
    raw = yaml.document["permissions"]
    parts: list[Edits] = []
    for job in workflow.jobs.values():
        if job.permissions is None and _needs_token(job, workflow):
            lines = [f"{scope}: {level}" for scope, level in perms.scopes.items()]
            node = fix_input.job_node(workflow, job)
            before = "steps" if "steps" in node else None
            parts.append(one(workflow.path, yaml.add_entry(node, "permissions", lines,
                                                           f"job `{job.id}`", before)))
    if len(raw) > 1:
        parts.append(one(workflow.path, yaml.remove_entry(raw, "id-token",
                                                          "the workflow-level `permissions`")))
    else:
        parts.append(one(workflow.path, *_empty_block(fix_input, workflow)))
    return merge(*parts)


def _empty_block(fix_input: FixInput, workflow: Workflow) -> list[Edit]:
    """``permissions:`` holding only ``id-token: write`` becomes ``permissions: {}``."""
    yaml = fix_input.yaml(workflow.path)
    document = yaml.document
    raw = document["permissions"]
    yaml.check_editable(raw, "the workflow-level `permissions`")
    if yaml.is_flow(raw):
        start = yaml.offset(raw.lc.line, raw.lc.col)
        end = yaml.text.index("}", start) + 1
        return [Edit(start, end, "{}")]
    line, col = yaml.key_position(document, "permissions")
    colon = yaml.offset(line, col) + len("permissions")
    if yaml.text[colon:colon + 1] != ":":
        raise CannotPlace("the workflow-level `permissions` key is not written plainly")
    first_line = yaml.key_position(raw, next(iter(raw)))[0]
    if first_line == line:
        raise CannotPlace("the workflow-level `permissions` is not a block below its key")
    return [Edit(colon + 1, colon + 1, " {}"),
            Edit(yaml.line_starts[first_line], yaml.block_end(raw), "")]


_SCOPE = lazy_compile(r"`([a-z-]+): write`")


def fix_missing_contents_write(finding: Finding, fix_input: FixInput) -> Edits:
    """PD305: the scopes the release tool writes with (``contents``, and ``pull-requests`` for
    release-please), for its job."""
    workflow, job = finding_job(finding, fix_input)
    scopes = {scope: "write" for scope in _SCOPE.findall(finding.fix)}
    if not scopes:
        raise CannotPlace("the finding names no scope")
    return grant(fix_input, workflow, job, scopes)
