"""``pubdoctor claims [PATH]``: the identity each publishing job presents to the index.

The text form is what to type into the index's "Add a trusted publisher" form (project name,
owner, repository name, workflow name, environment name), once per distinct publisher; the
JSON form has one entry per job and index, with the claims as the token will carry them.
"""

from __future__ import annotations

import json
from typing import Any

import click

from pubdoctor.commands.options import use_color


def _gather(path: str, remote: str | None) -> tuple[Any, list[Any], Any, list[str]]:
    """(repository or None, claims, project, notes) for the repository at ``path``."""
    from pubdoctor.runcontext import build_context
    from pubdoctor.context import SourceUnavailable
    from pubdoctor.identity import compute_claims

    context = build_context(path, remote=remote)
    notes: list[str] = []
    try:
        repository = context.get("repository")
    except SourceUnavailable as exc:
        repository = None
        notes.append(str(exc).split("; the rules")[0] + "; give the owner and repository by hand "
                     "(or add the remote: `git remote add origin https://github.com/OWNER/REPO`)")
    workflows = context.get("workflows")
    for error in workflows.errors:
        if not getattr(error, "checked", False):  # a file read despite a problem still counts
            notes.append(f"{error.path}: {error.message}; its jobs are not listed")
    claims = compute_claims(workflows, repository)
    for workflow in workflows.files:
        for job in workflow.jobs.values():
            for step in job.publish_steps:
                if step.publish is not None and step.publish.credentials != "trusted":
                    notes.append(f"job `{job.id}` of {workflow.path} uploads with "
                                 f"{step.publish.credentials_detail}, not trusted publishing: no "
                                 "publisher to register for it")
    project = context.get("project")
    folders: dict[str, str | None] = {}  # a folder's project is read once, however many jobs use it
    names = {id(claim): _project_name(context.root, workflows, claim, project, folders)
             for claim in claims}
    return repository, claims, _Projects(project, names), notes


class _Projects:
    """The root project, and the project each claim's upload publishes (a monorepo's
    ``backend/`` when the job uploads ``backend/dist``: see `pubdoctor.distfolder`)."""

    def __init__(self, root: Any, names: dict[int, str | None]) -> None:
        self.name = root.name
        self._names = names

    def of(self, claim: Any) -> str | None:
        return self._names.get(id(claim), self.name)


def _project_name(root: Any, workflows: Any, claim: Any, project: Any,
                  folders: dict[str, str | None]) -> str | None:
    """The name of the project ``claim``'s upload publishes: a sub-folder's, or the root's."""
    from packaging.utils import canonicalize_name

    from pubdoctor.distfolder import named_distribution, project_folder
    from pubdoctor.errors import InputError
    from pubdoctor.sources.pyproject import load_project

    workflow = workflows.get(claim.workflow_path)
    job = None if workflow is None else workflow.jobs.get(claim.job)
    step = None if job is None else next((s for s in job.steps if s.location == claim.step), None)
    folder = None if step is None or job is None else project_folder(workflow, job, step)
    if folder is None:
        named = None if step is None else named_distribution(step)
        if named is not None and (project.name is None or
                                  canonicalize_name(named) != canonicalize_name(project.name)):
            return canonicalize_name(named)
        return project.name  # type: ignore[no-any-return]
    if folder not in folders:
        try:
            found = load_project(root / folder)
            folders[folder] = found.name if found.exists else None
        except InputError:
            folders[folder] = None
    return folders[folder] or project.name  # type: ignore[no-any-return]


def _as_json(repository: Any, claims: list[Any], project: Any, notes: list[str]) -> str:
    items = []
    for claim in claims:
        loc = claim.location
        owner = claim.repository or None
        items.append({
            "index": claim.index.url if claim.index.known else None,
            "index_name": claim.index.label,
            "repository_owner": claim.repository_owner,
            "repository_name": claim.repository_name,
            "repository": claim.repository,
            "workflow": claim.workflow,
            "workflow_ref": f"{owner}/{claim.workflow_ref}" if owner else claim.workflow_ref,
            "job_workflow_ref": (f"{owner}/{claim.workflow_path}" if owner else claim.workflow_path)
                                + (f"@{claim.call_ref}" if claim.call_ref else ""),
            "environment": claim.environment,
            "environment_known": claim.environment_known,
            "environment_expression": claim.environment_expression,
            "job": claim.job,
            "caller_job": claim.caller,
            "called_workflow": claim.is_called,
            "tool": claim.tool,
            "project": project.of(claim),
            "location": {"path": loc.path, "line": loc.line, "column": loc.col},
        })
    document = {
        "repository": None if repository is None else {
            "remote": repository.remote, "url": repository.url, "host": repository.host,
            "owner": repository.owner, "name": repository.name},
        "project": project.name,
        "claims": items,
        "notes": notes,
    }
    return json.dumps(document, indent=2)


def _as_text(claims: list[Any], project: Any, notes: list[str], color: bool) -> str:
    def bold(text: str) -> str:
        return click.style(text, bold=True) if color else text

    lines = [f"note: {note}" for note in notes]
    if not claims:
        lines.append("No job in .github/workflows uploads with trusted publishing, so there is no "
                     "publisher to register.")
        return "\n".join(lines)
    groups: dict[tuple[Any, ...], list[Any]] = {}
    for claim in claims:
        key = (claim.index.key or claim.index.label, project.of(claim), claim.repository,
               claim.workflow, claim.environment, claim.environment_expression)
        groups.setdefault(key, []).append(claim)
    unknown = "unknown (see the note above)"
    for members in groups.values():
        # a job both run directly and called from another workflow presents the same claims
        # twice: list it once, and say so when any of its runs is a call
        claim = next((c for c in members if c.is_called), members[0])
        named = list(dict.fromkeys(f"`{c.job}` ({c.location})" for c in members))
        jobs = ", ".join(named)
        where = (claim.index.label if claim.index.known
                 else f"The index computed at run time ({claim.index.url})")
        if lines:
            lines.append("")
        lines.append(bold(f"{where}, for job{'s' if len(named) > 1 else ''} {jobs}:"))
        if project.of(claim):
            lines.append(f"  Project name:      {project.of(claim)}")
        lines.append(f"  Owner:             {claim.repository_owner or unknown}")
        lines.append(f"  Repository name:   {claim.repository_name or unknown}")
        lines.append(f"  Workflow name:     {claim.workflow}")
        if not claim.environment_known:
            env = f"unknown: `{claim.environment_expression}` is decided at run time"
        else:
            env = claim.environment or "(leave it empty: the job has no environment)"
        lines.append(f"  Environment name:  {env}")
        if claim.is_called:
            lines.append(f"  (the upload runs in the reusable workflow {claim.workflow_path}, called by "
                         f"job `{claim.caller}` of {claim.workflow_ref}; the index matches "
                         f"job_workflow_ref, {claim.job_workflow_ref}, so register "
                         f"{claim.workflow}: see `pubdoctor rule PD204`)")
    indexes = {(c.index.key, project.of(c)): c.index for c in claims
               if c.index.key in ("pypi", "testpypi")}
    if indexes:
        lines.append("")
    for (_, name), index in indexes.items():
        if name:
            from packaging.utils import canonicalize_name

            existing = f"{index.url}/manage/project/{canonicalize_name(name)}/settings/publishing/"
            lines.append(f"On {index.label}: add it at {existing} if the project exists there; a "
                         f"project not on {index.label} yet needs a pending publisher with project "
                         f"name `{name}`, added at {index.publishing_url}")
        else:
            lines.append(f"On {index.label}: the project's Settings > Publishing, or a pending "
                         f"publisher at {index.publishing_url} for a new project")
    return "\n".join(lines)


@click.command()
@click.argument("path", default=".", type=click.Path(file_okay=True, dir_okay=True))
@click.option("--remote", help="The git remote that names the GitHub repository [default: origin].")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format.")
@click.option("--no-color", is_flag=True, help="No colours (NO_COLOR is honoured too).")
def claims(path: str, remote: str | None, output_format: str, no_color: bool) -> None:
    """Print the trusted publisher each publishing job needs: what the index will see.

    For every job that uploads with trusted publishing: the owner and repository (from the
    git remote), the workflow file name the index matches, the environment and the index.
    """
    repository, found, project, notes = _gather(path, remote)
    if output_format == "json":
        click.echo(_as_json(repository, found, project, notes))
    else:
        click.echo(_as_text(found, project, notes, use_color(no_color)))
