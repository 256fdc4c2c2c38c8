"""PD208-PD214: the publisher of the last release, as the index says, against the jobs' claims.

With no configuration at all: the ``provenance`` source (`pubdoctor.sources.provenance`) reads
which trusted publisher uploaded the project's last release on each index a job uploads to
(PEP 740), and these rules compare it, field by field, with what that job will present now,
with the index's own matching: owner and repository ignoring case, the workflow's file name
exactly, the environment ignoring case and only when the publisher has one.

Severity: a publisher seen on the last release was registered then, but PyPI lets a project
have several publishers and shows none of them, so one added since (for a renamed workflow,
say) cannot be ruled out: a difference is a warning ("might fail"), never an error. Where a
publisher is declared for that index, the declaration is what PD201-PD207 check, and the
provenance is only compared with it (PD214).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Optional

from pubdoctor.findings import Finding, Severity
from pubdoctor.identity import Claim, PublisherView, first_location, workflow_renames
from pubdoctor.rules import Rule
from pubdoctor.settings import Settings

_INVALID = "the index refuses the token (`invalid-publisher`)"


def _undeclared(history: Any, publishers: PublisherView, status: str) -> Iterator[Any]:
    """Entries whose index has no declared publisher and whose record has ``status``."""
    declared = {d.index.key for d in publishers.declarations}
    for entry in history.entries:
        record = entry.record
        if record is None or record.status != status or entry.claim.index.key in declared:
            continue
        yield entry


def _environment(claim: Claim) -> str:
    if not claim.environment_known:
        return f"decided at run time (`{claim.environment_expression}`)"
    return claim.environment or "(none)"


def form(claim: Claim, project: Optional[str]) -> str:
    """The values of the index's "Add a trusted publisher" form for ``claim``."""
    owner = claim.repository_owner or "OWNER (unknown: no git remote)"
    name = claim.repository_name or "REPOSITORY (unknown: no git remote)"
    values = [f"PyPI Project Name `{project}`"] if project else []
    values += [f"Owner `{owner}`", f"Repository name `{name}`", f"Workflow name `{claim.workflow}`",
               f"Environment name `{_environment(claim)}`"]
    return ", ".join(values)


def _same(a: Optional[str], b: Optional[str]) -> bool:
    return (a or "").lower() == (b or "").lower()


def _repository_differs(claim: Claim, publisher: Any) -> bool:
    """Whether the job's repository is not the publisher's (unknown repositories never differ)."""
    if publisher.kind != "GitHub":
        return True
    return claim.repository is not None and not _same(claim.repository, publisher.repository)


def _last(record: Any) -> str:
    return f"the last release of `{record.project}` ({record.version}) on {record.where}"


def _once(seen: set[tuple[str, ...]], *key: Optional[str]) -> bool:
    """True the first time ``key`` is seen: jobs presenting the same claims are reported once."""
    item = tuple(k or "" for k in key)
    if item in seen:
        return False
    seen.add(item)
    return True


class PublisherWorkflowChanged(Rule):
    """The workflow that uploads now is not the one that uploaded the last release."""

    code, name, severity = "PD208", "publisher-workflow-changed", Severity.WARNING

    def check(self, provenance: Any, publishers: PublisherView, workflows: Any,
              settings: Settings) -> Iterator[Finding]:
        seen: set[tuple[str, ...]] = set()
        renames = None
        for entry in _undeclared(provenance, publishers, "published"):
            claim, record = entry.claim, entry.record
            publisher = record.publisher
            if _repository_differs(claim, publisher) or publisher.workflow == claim.workflow:
                continue
            if not _once(seen, claim.index.key, entry.project, claim.workflow, claim.workflow_path):
                continue
            old = publisher.workflow
            caller = claim.workflow_ref.rsplit("/", 1)[-1]
            if claim.is_called and old == caller:
                why = (f"; the upload now runs in job `{claim.job}` of the reusable workflow "
                       f"`{claim.workflow_path}`, called from `{caller}`, and the index matches the "
                       f"file in `job_workflow_ref`, `{claim.workflow}` (see PD204)")
            elif old.lower() == claim.workflow.lower():
                why = " (the index compares the file name exactly: case and `.yml`/`.yaml` count)"
            else:
                if renames is None:
                    renames = workflow_renames(settings.root)
                rename = renames.get(old)
                if rename is not None and rename.new == claim.workflow:
                    why = f"; `{old}` was renamed to `{rename.new}` in commit {rename.commit} ({rename.date})"
                elif workflows.get(old) is not None:
                    why = f"; `.github/workflows/{old}` still exists but no longer uploads to {claim.index.label}"
                else:
                    why = f"; there is no `.github/workflows/{old}` any more"
            # another job still uploads from the last release's file: the project has (at least)
            # two publishing workflows, and this one may well have its own publisher
            sibling = next((e.claim for e in provenance.entries if e.record is record
                            and e.claim.workflow == old and not _repository_differs(e.claim, publisher)), None)
            if sibling is not None:
                why = (f"; job `{sibling.job}` of `{old}` uploads there too, so each file needs a "
                       "publisher of its own")
            yield self.finding(
                claim.location,
                f"workflow: {_last(record)} was uploaded by the trusted publisher for workflow `{old}`, "
                f"but job `{claim.job}` now uploads from `{claim.workflow}`{why}; unless a publisher "
                f"for `{claim.workflow}` was added on {claim.index.label} since, {_INVALID}",
                severity=Severity.INFO if sibling is not None else None,
                fix=f"on {claim.index.label}, add a trusted publisher to the project ({form(claim, None)}), "
                    f"or upload from `{old}` again",
            )


class PublisherRepositoryChanged(Rule):
    """The repository that uploads now is not the one that uploaded the last release."""

    code, name, severity = "PD209", "publisher-repository-changed", Severity.WARNING

    def check(self, provenance: Any, publishers: PublisherView, context: Any) -> Iterator[Finding]:
        seen: set[tuple[str, ...]] = set()
        for entry in _undeclared(provenance, publishers, "published"):
            claim, record = entry.claim, entry.record
            publisher = record.publisher
            if publisher.kind != "GitHub" or not _repository_differs(claim, publisher):
                continue
            owner_same = _same(claim.repository_owner, publisher.owner)
            name_same = _same(claim.repository_name, publisher.name)
            if not owner_same and not name_same:
                continue  # another repository altogether: PD213
            if not _once(seen, claim.index.key, entry.project, claim.repository):
                continue
            repository = context.loaded("repository")
            upstream = (repository.other_matching(publisher.owner or "", publisher.name or "")
                        if repository is not None else None)
            if upstream is not None:
                yield self.finding(
                    claim.location,
                    f"repository: {_last(record)} was uploaded from `{publisher.repository}`, which is "
                    f"the remote `{upstream}`, but this clone's remote `{repository.remote}` is "
                    f"`{claim.repository}` (a fork?): a run here presents `repository: {claim.repository}`, "
                    "which that project's publisher does not match; publishing works from "
                    f"`{publisher.repository}` itself",
                    fix=f"publish from `{publisher.repository}`, or check it with `--remote {upstream}`",
                    severity=Severity.INFO,
                )
                continue
            change = (f"renamed from `{publisher.name}` to `{claim.repository_name}`" if owner_same else
                      f"transferred from `{publisher.owner}` to `{claim.repository_owner}`")
            yield self.finding(
                claim.location,
                f"repository: {_last(record)} was uploaded from `{publisher.repository}`, but job "
                f"`{claim.job}` runs in `{claim.repository}` (the repository was {change}, or this is a "
                f"copy of it); the token will carry `repository: {claim.repository}`, and a publisher "
                "keeps the name it was registered with, so unless a publisher for "
                f"`{claim.repository}` was added on {claim.index.label} since, {_INVALID}",
                fix=f"on {claim.index.label}, add a trusted publisher to the project ({form(claim, None)}) "
                    f"and remove the one for `{publisher.repository}`",
            )


class PublisherEnvironmentChanged(Rule):
    """The publishing job's environment is not the one the last release's publisher requires."""

    code, name, severity = "PD210", "publisher-environment-changed", Severity.WARNING

    def check(self, provenance: Any, publishers: PublisherView) -> Iterator[Finding]:
        seen: set[tuple[str, ...]] = set()
        for entry in _undeclared(provenance, publishers, "published"):
            claim, record = entry.claim, entry.record
            publisher = record.publisher
            if (_repository_differs(claim, publisher) or publisher.workflow != claim.workflow
                    or not publisher.environment):
                continue  # another publisher altogether (PD208, PD209), or one that accepts any environment
            wanted = publisher.environment
            if claim.environment_known and _same(claim.environment, wanted):
                continue
            if not _once(seen, claim.index.key, entry.project, claim.workflow, claim.job):
                continue
            where = first_location(claim.environment_location, claim.location)
            if not claim.environment_known:
                yield self.finding(
                    where,
                    f"environment: {_last(record)} was uploaded by a publisher that requires "
                    f"environment `{wanted}`, and job `{claim.job}` picks its environment at run time "
                    f"(`{claim.environment_expression}`), so pubdoctor cannot tell whether it matches",
                    fix=f"make sure the expression gives `{wanted}` on the runs that upload, or write it literally",
                    severity=Severity.INFO,
                )
                continue
            now = (f"has no `environment:` any more, so its token carries no environment claim"
                   if claim.environment is None else f"now runs in `{claim.environment}`")
            yield self.finding(
                where,
                f"environment: {_last(record)} was uploaded by the publisher for `{claim.workflow}` "
                f"with environment `{wanted}`, which the index requires of every token (ignoring "
                f"case), but job `{claim.job}` {now}; unless a publisher for this environment (or "
                f"one without an environment) was added on {claim.index.label} since, {_INVALID}",
                fix=(f"run job `{claim.job}` in environment `{wanted}` again, or on {claim.index.label} "
                     f"add a trusted publisher ({form(claim, None)})"),
            )


class PublisherNotAttested(Rule):
    """The last release carries no provenance, so the registered publisher cannot be compared."""

    code, name, severity = "PD211", "publisher-not-attested", Severity.INFO

    def check(self, provenance: Any, publishers: PublisherView) -> Iterator[Finding]:
        seen: set[tuple[str, ...]] = set()
        for entry in _undeclared(provenance, publishers, "no-provenance"):
            claim, record = entry.claim, entry.record
            if not _once(seen, claim.index.key, entry.project):
                continue
            yield self.finding(
                claim.location,
                f"{_last(record)} has no provenance ({record.filename} and its siblings carry no PEP 740 "
                "attestations): it was uploaded with an API token, or with trusted publishing "
                "without attestations (uv publish, twine, or gh-action-pypi-publish before v1.11 or "
                "with `attestations: false`), so the index does not say which publisher, if any, is "
                f"registered; `pubdoctor claims` prints what job `{claim.job}` will present "
                f"({form(claim, entry.project)})",
                fix=f"make sure that publisher is registered on {claim.index.label}, then declare it in "
                    "[tool.pubdoctor.publisher] (owner, repository, workflow, environment, "
                    f"index = \"{claim.index.url}\") so that PD201-PD207 check it",
            )


class PendingPublisherNeeded(Rule):
    """The project is not on the index the job uploads to: its first upload needs a pending publisher."""

    code, name, severity = "PD212", "pending-publisher-needed", Severity.WARNING

    def check(self, provenance: Any, publishers: PublisherView) -> Iterator[Finding]:
        declared = {d.index.key for d in publishers.declarations}
        seen: set[tuple[str, ...]] = set()
        for entry in provenance.entries:
            claim, record = entry.claim, entry.record
            if record is None or record.status != "absent":
                continue
            if not _once(seen, claim.index.key, entry.project, claim.workflow, _environment(claim)):
                continue
            elsewhere = sorted({r.where for r in provenance.records()
                                if r.project == record.project and r.index.key != claim.index.key
                                and r.status in ("published", "no-provenance")})
            separate = (f"; it exists on {', '.join(elsewhere)}, but each index has its own accounts, "
                        f"projects and publishers, and {claim.index.label} shares none of them"
                        if elsewhere else "")
            declared_here = claim.index.key in declared
            yield self.finding(
                claim.location,
                f"`{record.project}` is not on {record.where} yet{separate}: the first upload, by job "
                f"`{claim.job}` of `{claim.workflow}`, is accepted only through a pending publisher "
                f"registered there for project name `{record.project}` (without one the token request "
                "fails with `invalid-publisher`; with one for another name, the upload with `Non-user "
                "identities cannot create new projects`)" + ("; the declared publisher must be that pending one"
                                                  if declared_here else ""),
                fix=f"add a pending publisher at {claim.index.publishing_url}: {form(claim, entry.project)}",
                severity=Severity.INFO if declared_here else None,
            )


class PublishedFromElsewhere(Rule):
    """The project's last release came from another repository: this one is not its publisher."""

    code, name, severity = "PD213", "published-from-another-repository", Severity.WARNING

    def check(self, provenance: Any, publishers: PublisherView) -> Iterator[Finding]:
        seen: set[tuple[str, ...]] = set()
        for entry in _undeclared(provenance, publishers, "published"):
            claim, record = entry.claim, entry.record
            publisher = record.publisher
            if not _repository_differs(claim, publisher):
                continue
            if publisher.kind == "GitHub" and (_same(claim.repository_owner, publisher.owner)
                                               or _same(claim.repository_name, publisher.name)):
                continue  # renamed or transferred: PD209
            if not _once(seen, claim.index.key, entry.project, claim.repository):
                continue
            source = (f"`{publisher.repository}` (workflow `{publisher.workflow}`)" if publisher.kind == "GitHub"
                      else publisher.describe())
            yield self.finding(
                claim.location,
                f"repository: {_last(record)} was uploaded from {source}, not from "
                f"`{claim.repository or 'this repository'}`: the name belongs to a project published "
                "from elsewhere (someone else's project, or a name already taken), so the upload "
                f"from job `{claim.job}` is refused unless that project's owners added this "
                "repository as a trusted publisher",
                fix=f"if `{record.project}` on {claim.index.label} is not yours, choose another "
                    "`[project].name`; if it is (the project moved), add a trusted publisher to it "
                    f"({form(claim, None)})",
            )


def _agrees(declaration: Any, publisher: Any) -> list[str]:
    """The fields where ``declaration`` and the provenance's publisher differ."""
    if publisher.kind != "GitHub":
        return ["kind"]
    declared = declaration.publisher
    differs = []
    if not _same(declared.owner, publisher.owner):
        differs.append("owner")
    if not _same(declared.repository, publisher.name):
        differs.append("repository")
    if declaration.workflow_name != publisher.workflow:
        differs.append("workflow")
    if not _same(declared.environment, publisher.environment):
        differs.append("environment")
    return differs


class DeclarationDisagreesWithProvenance(Rule):
    """The declared publisher is not the one that uploaded the last release."""

    code, name, severity = "PD214", "publisher-declaration-disagrees", Severity.INFO

    def check(self, provenance: Any, publishers: PublisherView) -> Iterator[Finding]:
        seen: set[tuple[str, ...]] = set()
        for record in provenance.records():
            if record.status != "published":
                continue
            decls = [d for d in publishers.declarations if d.index.key == record.index.key]
            if not decls or any(not _agrees(d, record.publisher) for d in decls):
                continue
            declaration = decls[0]
            differs = _agrees(declaration, record.publisher)
            if not _once(seen, record.index.key, record.project):
                continue
            claims = [e.claim for e in provenance.entries if e.record is record]
            matches_jobs = record.publisher.kind == "GitHub" and any(
                not _repository_differs(c, record.publisher) and c.workflow == record.publisher.workflow
                for c in claims)
            key = {"owner": "owner", "repository": "repository", "workflow": "workflow",
                   "environment": "environment", "kind": "owner"}[differs[0]]
            yield self.finding(
                first_location(declaration.location(key), claims[0].location if claims else None),
                f"{declaration.describe()} differs from the publisher that uploaded {_last(record)}, "
                f"{record.publisher.describe()} ({', '.join(differs)}): pubdoctor checks the declaration; "
                + ("the jobs present what the last release's publisher says, so the declaration may be "
                   "out of date" if matches_jobs else
                   "if the declared publisher was added since, both may be registered"),
                fix=f"make the declaration say what is registered on {record.index.label} (the "
                    "project's Settings > Publishing lists it)",
            )
