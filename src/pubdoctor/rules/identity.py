"""PD201-PD207: the declared trusted publisher against what the publishing jobs will present.

No index shows its registered publishers, so these rules compare the user's declaration
(``[tool.pubdoctor.publisher]`` or ``--publisher``) with the claims computed from the
repository (`pubdoctor.identity`). Without a declaration they stay silent, except PD204,
which is about the workflows alone; ``pubdoctor claims`` prints what to register.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pubdoctor.findings import Finding, Location, Severity
from pubdoctor.identity import (
    Claim,
    PublisherView,
    compute_claims,
    declared_for,
    first_location,
    judge_workflow,
    remote_calls,
    workflow_renames,
)
from pubdoctor.rules import Rule
from pubdoctor.settings import Settings
from pubdoctor.sources.permissions import effective
from pubdoctor.sources.pyproject import Project
from pubdoctor.sources.workflows import Workflows

_TROUBLESHOOTING = "https://docs.pypi.org/trusted-publishers/troubleshooting/"


def _job_where(claims: list[Claim]) -> Location | None:
    return claims[0].location if claims else None


def _files(names: list[str]) -> str:
    return ", ".join(f"`{n}`" for n in names)


class RepositoryMismatch(Rule):
    """The declared owner or repository is not the one the workflows run in."""

    code, name, severity = "PD201", "publisher-repository-mismatch", Severity.ERROR

    def check(self, publishers: PublisherView, workflows: Workflows,
              context: Any) -> Iterator[Finding]:
        decls = publishers.declarations
        if not decls:
            return
        # asked only now: without a declaration a missing remote is nothing to report
        repository = context.get("repository")
        claims = compute_claims(workflows, repository)
        for declaration in decls:
            publisher = declaration.publisher
            if repository.same(publisher.owner, publisher.repository):
                continue
            upstream = repository.other_matching(publisher.owner, publisher.repository)
            owner_differs = publisher.owner.lower() != repository.owner.lower()
            key = "owner" if owner_differs else "repository"
            where = first_location(declaration.location(key), _job_where(claims),
                                   Location(path=".github/workflows"))
            if upstream is not None:
                yield self.finding(
                    where,
                    f"{declaration.describe()} names `{declaration.slug}`, which is the remote "
                    f"`{upstream}`, but the remote `{repository.remote}` is `{repository.slug}` (a "
                    "fork?): publishing works from `{declaration.slug}` itself, while a run in "
                    f"`{repository.slug}` presents `repository: {repository.slug}` and is refused",
                    fix=f"publish from `{declaration.slug}`, or check with `--remote {upstream}`",
                    severity=Severity.INFO,
                )
                continue
            name_differs = publisher.repository.lower() != repository.name.lower()
            what = " and ".join(part for part, differs in (
                (f"owner `{publisher.owner}`", owner_differs),
                (f"repository `{publisher.repository}`", name_differs)) if differs)
            yield self.finding(
                where,
                f"{declaration.describe()} names {what}, but the remote `{repository.remote}` is "
                f"`{repository.slug}`: the token will carry `repository: {repository.slug}` and "
                f"`repository_owner: {repository.owner}`, so the index finds no publisher "
                "(`invalid-publisher`); was the repository renamed or transferred, or is this a fork?",
                fix=f"on {declaration.index.label}, edit the trusted publisher to owner "
                    f"`{repository.owner}` and repository name `{repository.name}` (a renamed or "
                    "transferred repository keeps its old publisher, which no longer matches), then "
                    "update the declaration; if this clone is a fork, check the upstream with "
                    "`--remote upstream`",
            )


class WorkflowMismatch(Rule):
    """The declared workflow file is not a file whose jobs publish to that index."""

    code, name, severity = "PD202", "publisher-workflow-mismatch", Severity.ERROR

    def check(self, publishers: PublisherView, settings: Settings,
              workflows: Workflows) -> Iterator[Finding]:
        decls = publishers.declarations
        if not decls:
            return
        claims = publishers.claims
        for declaration in decls:
            verdict = judge_workflow(declaration, claims, workflows)
            if verdict.kind in ("ok", "path", "spelling", "no-extension", "display-name"):
                continue
            index = declaration.index.label
            name = declaration.workflow_name
            here = [c for c in claims if c.workflow in verdict.expected]
            register = (f"register `{verdict.expected[0]}` on {index} (owner, repository, workflow "
                        "name, environment as `pubdoctor claims` prints them) and put it in the "
                        "declaration" if len(verdict.expected) == 1 else
                        f"register the file that uploads ({_files(verdict.expected)}) on {index}, "
                        "as `pubdoctor claims` prints it")
            jobs = ", ".join(f"`{c.job}` in `{c.workflow_path}`" for c in here)
            if verdict.kind == "caller":
                called = verdict.claims[0]
                message = (f"{declaration.describe()} names `{name}`, but the upload runs in job "
                           f"`{called.job}` of the called workflow `{called.workflow_path}`; the "
                           "index matches the file in `job_workflow_ref` (the file holding the job), "
                           f"`{called.workflow}`, not the calling workflow in `workflow_ref`")
                fix = (f"register `{called.workflow}` as the workflow on {index}, or move the "
                       f"upload into a job of `{name}` (see PD204)")
            elif verdict.kind == "other-index":
                message = (f"{declaration.describe()} is registered on {index}, but `{name}` uploads "
                           f"to {verdict.detail}" + (f"; the jobs uploading to {index} run from "
                                                     f"{_files(verdict.expected)}" if verdict.expected else
                                                     f"; no job uploads to {index}"))
                fix = (f"set the declaration's `index` to where `{name}` uploads, or {register}"
                       if verdict.expected else f"set the declaration's `index` to {verdict.detail} "
                       "(a publisher exists on one index only: PyPI and TestPyPI each need their own)")
            elif verdict.kind == "other-repository":
                message = (f"{declaration.describe()} names `{name}`, a workflow of another "
                           f"repository that this one calls (`{verdict.detail}`); the index matches "
                           "`job_workflow_ref`, which then names that other repository, so no "
                           "publisher of this repository can match it")
                fix = "upload from a job of a workflow in this repository, and register that file"
            elif verdict.kind == "token":
                message = (f"{declaration.describe()} names `{name}`, which uploads with "
                           f"{verdict.detail}, not with trusted publishing" +
                           (f"; trusted publishing to {index} runs from {_files(verdict.expected)}"
                            if verdict.expected else ""))
                fix = register if verdict.expected else (
                    f"drop the `password` / token from `{name}` to use the publisher, or drop the declaration")
            elif verdict.kind == "no-publish":
                message = (f"{declaration.describe()} names `{name}`, but no job of "
                           f"`{verdict.detail}` uploads to a package index" +
                           (f"; the jobs uploading to {index} are {jobs}" if here else ""))
                fix = register if verdict.expected else f"add the upload job to `{name}`"
            elif verdict.kind == "nothing":
                message = (f"{declaration.describe()} names `{name}`, but no workflow in "
                           ".github/workflows uploads with trusted publishing")
                fix = (f"add `.github/workflows/{name}` with a job that uploads with "
                       "`pypa/gh-action-pypi-publish` (or `uv publish`) and `id-token: write`")
            else:  # missing
                others = sorted({(c.workflow, c.index.label) for c in claims})
                elsewhere = ", ".join(f"`{w}` uploads to {i}" for w, i in others)
                rename = workflow_renames(settings.workflows_root or settings.root).get(name)
                renamed = (f"; it was renamed in commit {rename.commit} ({rename.date}) and is now "
                           f"`{rename.new}`, while the publisher on the index still names the old "
                           "file" if rename is not None else "")
                message = (f"{declaration.describe()} names `{name}`, but there is no "
                           f"`.github/workflows/{name}`{renamed}" +
                           (f"; the jobs uploading to {index} run from {_files(verdict.expected)}"
                            + ("" if rename else " (a renamed workflow keeps its old publisher, "
                               "which no longer matches)")
                            if verdict.expected else f"; no job uploads to {index} ({elsewhere})"))
                first = others[0] if others else None
                fix = register if verdict.expected else (
                    f"register the publisher where the job uploads: `workflow = \"{first[0]}\"` on "
                    f"{first[1]} (set the declaration's `index` to match)" if first else
                    f"check the declaration's `index` and `workflow` against {index}")
            where = first_location(declaration.location("workflow"), _job_where(here),
                                   _job_where(claims))
            yield self.finding(where, message, fix=fix)


class EnvironmentMismatch(Rule):
    """The declared environment is not the one the publishing job runs in."""

    code, name, severity = "PD203", "publisher-environment-mismatch", Severity.ERROR

    def check(self, publishers: PublisherView, workflows: Workflows) -> Iterator[Finding]:
        decls = publishers.declarations
        if not decls:
            return
        for claim in publishers.claims:
            meant = declared_for(claim, decls, workflows)
            if not meant:
                continue
            declared = [d.publisher.environment for d in meant]
            job_env = claim.environment
            job_where = first_location(claim.environment_location, claim.location)
            if not claim.environment_known:
                if any(declared):
                    yield self.finding(
                        job_where,
                        f"job `{claim.job}` picks its environment at run time "
                        f"(`{claim.environment_expression}`), so pubdoctor cannot tell whether it is "
                        f"{_files([e for e in declared if e])}, the declared one",
                        fix="make sure the expression gives the declared environment on the runs that "
                            "upload, or write the name literally",
                        severity=Severity.INFO,
                    )
                continue
            if job_env is not None and any(e and e.lower() == job_env.lower() for e in declared):
                continue
            if any(e is None for e in declared):
                if job_env is not None:
                    declaration = next(d for d in meant if d.publisher.environment is None)
                    yield self.finding(
                        first_location(declaration.location("workflow"), job_where),
                        f"job `{claim.job}` runs in environment `{job_env}`, and "
                        f"{declaration.describe()} has no environment: that matches (a publisher "
                        "without an environment accepts any), but it does not restrict publishing "
                        f"to the `{job_env}` environment's protection rules",
                        fix=f"optionally add environment `{job_env}` to the publisher on "
                            f"{claim.index.label} and to the declaration",
                        severity=Severity.INFO,
                    )
                continue
            declaration = meant[0]
            wanted = declaration.publisher.environment
            where = first_location(declaration.location("environment"), job_where)
            if job_env is None:
                yield self.finding(
                    where,
                    f"{declaration.describe()} requires environment `{wanted}`, but job `{claim.job}` "
                    f"in `{claim.workflow_path}` has no `environment:`; its token carries no "
                    "environment claim (the action prints `environment: MISSING`) and the index "
                    "finds no publisher",
                    fix=f"add `environment: {wanted}` to job `{claim.job}`, or remove the "
                        f"environment from the publisher on {claim.index.label}",
                )
            else:
                yield self.finding(
                    where,
                    f"{declaration.describe()} requires environment `{wanted}`, but job "
                    f"`{claim.job}` in `{claim.workflow_path}` runs in `{job_env}`; the index "
                    "compares them (ignoring case) and finds no publisher",
                    fix=f"use `environment: {wanted}` in job `{claim.job}`, or change the publisher's "
                        f"environment on {claim.index.label} to `{job_env}`",
                )


class ReusableWorkflowPublish(Rule):
    """The upload runs in a called (reusable) workflow, which the index matches, not its caller."""

    code, name, severity = "PD204", "publish-in-reusable-workflow", Severity.WARNING

    def check(self, publishers: PublisherView, project: Project,
              workflows: Workflows) -> Iterator[Finding]:
        decls = publishers.declarations
        repository = publishers.repository
        claims = publishers.claims
        reported: set[tuple[str, str, str]] = set()
        for claim in claims:
            if not claim.is_called:
                continue
            key = (claim.workflow_ref, claim.caller or "", claim.workflow_path)
            if key in reported:
                continue
            reported.add(key)
            caller_file = claim.workflow_ref.rsplit("/", 1)[-1]
            where = first_location(claim.caller_location, claim.location)
            if claim.call == "same-repository":
                yield self.finding(
                    where,
                    f"job `{claim.caller}` in `{claim.workflow_ref}` calls `{claim.workflow_path}` "
                    f"of this repository pinned to `@{claim.call_ref}`, and its job `{claim.job}` "
                    "uploads: the index requires `job_workflow_ref` to end with the run's own ref or "
                    f"commit, but it ends with `@{claim.call_ref}` (`The job_workflow_ref claim does "
                    "not match`) unless the run happens to be on that same ref",
                    fix=f"call it as `uses: ./{claim.workflow_path}`, register `{claim.workflow}` on "
                        f"{claim.index.label}, or move the upload into `{caller_file}`",
                )
                continue
            registered = [d for d in declared_for(claim, decls, workflows)]
            severity = Severity.INFO if registered else Severity.WARNING
            yield self.finding(
                where,
                f"job `{claim.caller}` in `{claim.workflow_ref}` calls the reusable workflow "
                f"`{claim.workflow_path}`, whose job `{claim.job}` uploads to {claim.index.label}: "
                f"the index matches the file in `job_workflow_ref`, `{claim.workflow}`, not "
                f"`{caller_file}`; PyPI documents reusable workflows as not supported for trusted "
                "publishing, and the action warns on every run",
                fix=f"register `{claim.workflow}` (not `{caller_file}`) as the workflow on "
                    f"{claim.index.label}, or better, move the upload job into `{caller_file}`",
                severity=severity,
            )
        for call in remote_calls(workflows):
            same = repository.same(call.owner, call.repo) if repository else any(
                d.slug.lower() == f"{call.owner}/{call.repo}".lower() for d in decls)
            if same or not _may_publish(call.filename):
                continue
            grant = effective("id-token", call.job.permissions, call.workflow.permissions)
            if not grant.granted:
                continue
            yield self.finding(
                call.job.key_location("uses"),
                f"job `{call.job.id}` grants `id-token: write` to `{call.path}` of another "
                f"repository (`{call.owner}/{call.repo}`); if that workflow uploads to PyPI it cannot "
                f"work: its `job_workflow_ref` names `{call.owner}/{call.repo}`, while a publisher "
                "of this project names this repository",
                fix=f"build in the called workflow if you like, but upload from a job of "
                    f"`{call.workflow.filename}` itself (pass `dist/` with upload/download-artifact)",
            )


def _may_publish(filename: str) -> bool:
    lowered = filename.lower()
    return any(word in lowered for word in ("pypi", "publish", "release", "upload", "deploy"))


class ProjectNameMismatch(Rule):
    """The project named in the publisher declaration is not the project's name."""

    code, name, severity = "PD205", "publisher-project-mismatch", Severity.ERROR

    def check(self, publishers: PublisherView, settings: Settings,
              project: Project) -> Iterator[Finding]:
        name = project.name
        if not name:
            return
        for declaration in publishers.declarations:
            declared = declaration.publisher.project
            if not declared:
                continue
            from packaging.utils import canonicalize_name  # 8 ms: only when a project is declared

            if canonicalize_name(declared) == canonicalize_name(name):
                continue
            table = "[project]" if project.project_table.get("name") else "[tool.poetry]"
            yield self.finding(
                first_location(declaration.location("project"), project.locate(table.strip("[]"), "name")),
                f"{declaration.describe()} is for project `{declared}`, but {table} name is `{name}` "
                f"(`{canonicalize_name(name)}` and `{canonicalize_name(declared)}` after PEP 503 "
                "normalization): the upload is for a project the publisher does not cover",
                fix=f"if `{canonicalize_name(name)}` is already on {declaration.index.label}, add "
                    "the publisher on that project's publishing settings; if it is not there yet, add "
                    f"a pending publisher with project name `{name}` (a pending publisher for another "
                    "name ends in `Non-user identities cannot create new projects`); then fix the "
                    "declaration's `project`",
            )


class WorkflowNotAFileName(Rule):
    """The declared workflow is not the bare file name the index compares."""

    code, name, severity = "PD206", "publisher-workflow-not-a-filename", Severity.ERROR

    def check(self, publishers: PublisherView, workflows: Workflows) -> Iterator[Finding]:
        decls = publishers.declarations
        if not decls:
            return
        claims = publishers.claims
        for declaration in decls:
            verdict = judge_workflow(declaration, claims, workflows)
            declared = declaration.publisher.workflow
            right = verdict.claims[0].workflow if verdict.claims else declaration.workflow_name
            where = first_location(declaration.location("workflow"), _job_where(verdict.claims))
            fix = (f"on {declaration.index.label}, the publisher's workflow name must be exactly "
                   f"`{right}`; edit the publisher (and the declaration) to say `{right}`")
            if verdict.kind == "spelling":
                yield self.finding(
                    where,
                    f"{declaration.describe()} names `{declaration.workflow_name}`, but the file is "
                    f"`{right}`: the index compares the file name exactly (`.yml` and `.yaml` differ, "
                    "and so does case)",
                    fix=fix,
                )
            elif verdict.kind == "no-extension":
                yield self.finding(
                    where,
                    f"{declaration.describe()} names `{declared}` without its extension; the index "
                    f"wants the file name, `{right}` (its form says `Workflow name must end with .yml "
                    "or .yaml`)",
                    fix=fix,
                    severity=Severity.WARNING,
                )
            elif verdict.kind == "display-name":
                yield self.finding(
                    where,
                    f"{declaration.describe()} names `{declared}`, the `name:` of `{verdict.detail}`; "
                    "the index's \"Workflow name\" is the workflow's file name, "
                    f"`{right}` (its form says `Workflow name must end with .yml or .yaml`)",
                    fix=fix,
                    severity=Severity.WARNING,
                )
            elif verdict.with_path:
                yield self.finding(
                    where,
                    f"{declaration.describe()} gives the workflow as a path, `{declared}`; the index "
                    f"stores and compares the bare file name, `{declaration.workflow_name}` (its form "
                    "refuses a path: `Workflow filename must be a filename only, without directories`)",
                    fix=f"declare the bare name `{declaration.workflow_name}`, as registered on the index",
                    severity=Severity.WARNING,
                )


class UndeclaredPublisher(Rule):
    """A job uploads with trusted publishing, but no declared publisher covers its index and file."""

    code, name, severity = "PD207", "publisher-not-declared", Severity.WARNING
    requires = frozenset({"PD202", "PD206"})

    def check(self, publishers: PublisherView, workflows: Workflows) -> Iterator[Finding]:
        decls = publishers.declarations
        if not decls:
            return
        seen: set[tuple[str, str]] = set()
        for claim in publishers.claims:
            if not claim.index.known or (claim.index.key, claim.workflow) in seen:
                continue
            seen.add((claim.index.key, claim.workflow))
            if declared_for(claim, decls, workflows):
                continue
            on_index = [d for d in decls if d.index.key == claim.index.key]
            if not on_index:
                others = sorted({d.index.label for d in decls})
                message = (f"job `{claim.job}` uploads to {claim.index.label} with trusted "
                           f"publishing, but publishers are declared only for {', '.join(others)}; "
                           "a publisher added on PyPI does not exist on TestPyPI (each index has "
                           "its own accounts and publishers), so this upload fails with "
                           "`invalid-publisher`")
            else:
                message = (f"job `{claim.job}` uploads to {claim.index.label} from "
                           f"`{claim.workflow}`, but no declared publisher names that file (declared "
                           f"for {claim.index.label}: {_files([d.workflow_name for d in on_index])})")
            yield self.finding(
                claim.step,
                message,
                fix=f"add the publisher on {claim.index.label} (`pubdoctor claims` prints the values) "
                    f"and declare it with `index = \"{claim.index.url}\"`",
            )
