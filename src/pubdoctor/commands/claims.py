"""``pubdoctor claims [PATH]``: the identity each publishing job presents to the index.

The text form is what to type into the index's "Add a trusted publisher" form (project name,
owner, repository name, workflow name, environment name), once per distinct publisher; the
JSON form has one entry per job and index, with the claims as the token will carry them.
"""

from __future__ import annotations

import json
from typing import Any

import click

from pubdoctor.commands.check import _seconds
from pubdoctor.commands.options import use_color


def _gather(path: str, remote: str | None, **options: Any) -> tuple[Any, list[Any], Any, list[str]]:
    """(repository or None, claims, project, notes) for the repository at ``path``."""
    from pubdoctor.runcontext import build_context
    from pubdoctor.context import SourceUnavailable
    from pubdoctor.identity import claim_project, compute_claims

    context = build_context(path, remote=remote, **options)
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
    names = {id(claim): claim_project(context.root, workflows, claim, project, folders)
             for claim in claims}
    return repository, claims, _Projects(project, names, _history(context, notes)), notes


def _history(context: Any, notes: list[str]) -> Any:
    """What the indexes say about the last release (online only), or None; notes say why not."""
    from pubdoctor.context import SourceUnavailable

    if context.settings.offline:
        return None
    try:
        history = context.get("provenance")
    except SourceUnavailable as exc:
        if exc.level != "silent":
            notes.append(str(exc).split("; `pubdoctor claims`")[0])
        return None
    skipped = context.unavailable.get("index")  # the project's page, shared with the PD4xx rules
    if skipped is not None and skipped.level == "warning":  # a 404 shows as "Not on ... yet"
        notes.append(str(skipped))
    notes.extend(message for _, message in context.notes)
    return history


class _Projects:
    """The root project, and the project each claim's upload publishes (a monorepo's
    ``backend/`` when the job uploads ``backend/dist``: see `pubdoctor.distfolder`)."""

    def __init__(self, root: Any, names: dict[int, str | None], history: Any = None) -> None:
        self.name = root.name
        self._names = names
        self._history = history

    def of(self, claim: Any) -> str | None:
        return self._names.get(id(claim), self.name)

    def record_for(self, index_key: str, name: str | None) -> Any:
        return None if self._history is None else self._history.record_for(index_key, name)

    def record(self, claim: Any) -> Any:
        """What the index ``claim`` uploads to says about the project (None offline or unknown)."""
        if self._history is None or not claim.index.known:
            return None
        return self._history.record_for(claim.index.key, self.of(claim))


def _last_release(claim: Any, record: Any) -> dict[str, Any] | None:
    """The JSON form of what the index says about the last release, fields that differ marked."""
    if record is None:
        return None
    from pubdoctor.sources.provenance import differing_fields

    result: dict[str, Any] = {"status": record.status, "index_url": record.url,
                              "version": record.version, "filename": record.filename,
                              "publisher": None, "differs": []}
    if record.publisher is not None:
        publisher = record.publisher
        result["publisher"] = {"kind": publisher.kind, "repository": publisher.repository,
                               "repository_owner": publisher.owner, "repository_name": publisher.name,
                               "workflow": publisher.workflow, "environment": publisher.environment}
        result["differs"] = differing_fields(claim, publisher)
    return result


def _last_release_lines(claim: Any, record: Any) -> list[str]:
    """The text form: the last release's publisher in the shape of the form, differences marked."""
    if record is None or record.status == "unknown":
        return []
    if record.status == "absent":
        return [f"  Not on {record.where} yet: the first upload needs a pending publisher with these values."]
    if record.status == "no-provenance":
        return [f"  Last release ({record.version}) on {record.where}: no provenance (uploaded with an "
                "API token, or without attestations), so its publisher is unknown."]
    from pubdoctor.sources.provenance import differing_fields

    publisher = record.publisher
    if publisher.kind != "GitHub":
        return [f"  Last release ({record.version}) on {record.where} was uploaded by "
                f"{publisher.describe()}  <- differs (not GitHub Actions)"]
    differs = differing_fields(claim, publisher)

    def mark(field: str) -> str:
        return "  <- differs" if field in differs else ""

    environment = publisher.environment or "(none: any environment matches)"
    return [f"  Last release ({record.version}) on {record.where} was uploaded by:",
            f"    Owner:             {publisher.owner}{mark('owner')}",
            f"    Repository name:   {publisher.name}{mark('repository')}",
            f"    Workflow name:     {publisher.workflow}{mark('workflow')}",
            f"    Environment name:  {environment}{mark('environment')}"]


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
            "last_release": _last_release(claim, project.record(claim)),
        })
    document = {
        "repository": None if repository is None else {
            "remote": repository.remote, "url": repository.url, "host": repository.host,
            "owner": repository.owner, "name": repository.name},
        "project": project.name,
        "claims": items,
        "notes": notes,
    }
    from pubdoctor.report.terminal import json_printable

    return json_printable(json.dumps(document, indent=2))


def _as_text(claims: list[Any], project: Any, notes: list[str], color: bool) -> str:
    from pubdoctor.report.terminal import printable

    headers: set[int] = set()

    def bold(text: str) -> str:
        headers.add(len(lines))  # the index of the line being appended
        return text

    def shown() -> str:
        # names come from the repository: control characters are shown escaped
        return "\n".join(click.style(printable(line), bold=True) if color and i in headers
                         else printable(line) for i, line in enumerate(lines))

    lines = [f"note: {note}" for note in notes]
    if not claims:
        lines.append("No job in .github/workflows uploads with trusted publishing, so there is no "
                     "publisher to register.")
        return shown()
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
        lines.extend(_last_release_lines(claim, project.record(claim)))
    indexes = {(c.index.key, project.of(c)): c.index for c in claims
               if c.index.key in ("pypi", "testpypi")}
    if indexes:
        lines.append("")
    for (_, name), index in indexes.items():
        if name:
            from packaging.utils import canonicalize_name

            existing = f"{index.url}/manage/project/{canonicalize_name(name)}/settings/publishing/"
            record = project.record_for(index.key, name)
            status = record.status if record is not None else "unknown"
            if status == "absent":  # the index said so: no guessing which form applies
                lines.append(f"On {index.label}: `{name}` is not there yet, so it needs a pending "
                             f"publisher with project name `{name}`, added at {index.publishing_url}")
            elif status in ("published", "no-provenance"):
                lines.append(f"On {index.label}: `{name}` exists there; add it at {existing}")
            else:
                lines.append(f"On {index.label}: add it at {existing} if the project exists there; a "
                             f"project not on {index.label} yet needs a pending publisher with project "
                             f"name `{name}`, added at {index.publishing_url}")
        else:
            lines.append(f"On {index.label}: the project's Settings > Publishing, or a pending "
                         f"publisher at {index.publishing_url} for a new project")
    return shown()


@click.command()
@click.argument("path", default=".", type=click.Path(file_okay=True, dir_okay=True))
@click.option("--remote", help="The git remote that names the GitHub repository [default: origin].")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format.")
@click.option("--offline", is_flag=True, default=None,
              help="Do not read the last release's publisher from the package index.")
@click.option("--timeout", type=float, callback=lambda _ctx, _param, value: _seconds(value),
              help="Seconds to wait for the package index [default: 5].")
@click.option("--index-url", "index_url", help="The index's Simple API (default: each job's index).")
@click.option("--no-color", is_flag=True, help="No colours (NO_COLOR is honoured too).")
def claims(path: str, remote: str | None, output_format: str, offline: bool | None,
           timeout: float | None, index_url: str | None, no_color: bool) -> None:
    """Print the trusted publisher each publishing job needs: what the index will see.

    For every job that uploads with trusted publishing: the owner and repository (from the
    git remote), the workflow file name the index matches, the environment and the index;
    and, unless --offline, the publisher that uploaded the last release on that index (PEP 740
    provenance), with each field that differs marked.
    """
    repository, found, project, notes = _gather(path, remote, offline=offline, timeout=timeout,
                                                index_url=index_url)
    if output_format == "json":
        click.echo(_as_json(repository, found, project, notes))
    else:
        click.echo(_as_text(found, project, notes, use_color(no_color)))
