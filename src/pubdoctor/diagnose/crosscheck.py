"""Cross-check a diagnosis with the repository as it is now.

The rules behind a cause (PD101 for ``missing-id-token``, PD2xx for a publisher mismatch,
PD401 for a file that exists...) are looked up by code in the registry and run offline on
the repository: a finding means the problem is still there; none means it was fixed (or
that pubdoctor cannot see it). Rules that this version does not have are skipped. Some
causes also get direct comparisons with what the log says: the claims of the token against
the workflows, the version of the refused file against ``pyproject.toml``.
"""

from __future__ import annotations

from dataclasses import field
from pathlib import Path
from typing import Any, Literal

from pubdoctor.diagnose.decide import Diagnosis
from pubdoctor.errors import InputError
from pubdoctor.findings import Finding
from pubdoctor.records import record

Status = Literal["still-present", "not-found", "not-checked"]


@record
class CrossCheck:
    """What the repository says about the diagnosed cause."""

    root: str
    status: Status = "not-checked"
    findings: list[Finding] = field(default_factory=list)
    #: direct comparisons with the log: (still present?, message)
    checks: list[tuple[bool, str]] = field(default_factory=list)
    rules_run: list[str] = field(default_factory=list)
    rules_missing: list[str] = field(default_factory=list)
    #: rules this version has that could not run here (their source is unavailable offline...)
    rules_skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "repo": self.root,
            "status": self.status,
            "findings": [{"code": f.code, "name": f.name, "message": f.message,
                          "location": str(f.location), "fix": f.fix} for f in self.findings],
            "checks": [{"still_present": present, "message": message} for present, message in self.checks],
            "rules_run": self.rules_run,
            "rules_missing": self.rules_missing,
            "rules_skipped": self.rules_skipped,
            "notes": self.notes,
        }


def looks_like_repository(path: Path) -> bool:
    """A folder worth cross-checking: a git checkout, or one with workflows or a pyproject.toml."""
    return any((path / name).exists() for name in (".git", ".github/workflows", "pyproject.toml"))


def crosscheck(diagnosis: Diagnosis, root: Path, shown: str) -> CrossCheck:
    from pubdoctor.runcontext import build_context
    from pubdoctor.context import SourceUnavailable
    from pubdoctor.engine import run_rules
    from pubdoctor.rules import all_rules

    result = CrossCheck(root=shown)
    wanted = list(diagnosis.cause.rules)
    registry = {rule.code: rule for rule in all_rules()}
    rules = [registry[code] for code in wanted if code in registry]
    result.rules_missing = [code for code in wanted if code not in registry]
    try:
        context = build_context(str(root), offline=True)
    except InputError as exc:
        result.notes.append(f"cannot read the repository: {exc}")
        return result
    if rules:
        report = run_rules(context, rules)
        result.findings = report.findings
        result.rules_run = report.rules_run
        result.rules_skipped = [r.code for r in rules if r.code not in report.rules_run]
        result.notes.extend(note.message for note in report.notes)
    try:
        _direct_checks(diagnosis, context, result)
    except SourceUnavailable as exc:
        result.notes.append(str(exc))
    except InputError as exc:
        result.notes.append(str(exc))
    workflows = context.loaded("workflows")
    no_workflows = workflows is not None and not workflows.files and not workflows.errors
    if no_workflows:
        result.notes.append("no workflows in .github/workflows: this is not the repository whose job failed, "
                            "or its workflows were removed")
    if result.findings or any(present for present, _ in result.checks):
        result.status = "still-present"
    elif no_workflows and not result.checks:
        result.status = "not-checked"
    elif result.rules_run or result.checks:
        result.status = "not-found"
    return result


def _direct_checks(diagnosis: Diagnosis, context: Any, result: CrossCheck) -> None:
    cause = diagnosis.cause.id
    if cause in ("publisher-mismatch", "reusable-workflow", "pending-publisher") and diagnosis.claims:
        _claims_against_workflows(diagnosis, context, result)
    if cause == "file-exists":
        _version_against_project(diagnosis, context, result)
    if cause == "local-version":
        project = context.get("project")
        tool = project.vcs_version_tool
        if tool:
            result.notes.append(f"the version comes from git tags ({tool}): a build on a commit "
                                "without its tag, or with a shallow checkout, gets a local version")


def _claims_against_workflows(diagnosis: Diagnosis, context: Any, result: CrossCheck) -> None:
    claims = diagnosis.claims
    assert claims is not None
    workflows = context.get("workflows")
    name = claims.workflow
    job_ref = claims.get("job_workflow_ref") or ""
    elsewhere = claims.reusable and "/".join(job_ref.split("/")[:2]) != claims.get("repository")
    if elsewhere and claims.caller_workflow:
        # the called workflow lives in another repository: what this one can change is the caller
        caller = workflows.get(claims.caller_workflow)
        if caller is None:
            result.checks.append((False, f"no workflow file is named `{claims.caller_workflow}` any "
                                         "more: the run that failed started from it"))
        elif any(job.uses and not job.local_call for job in caller.jobs.values()):
            result.checks.append((True, f"`{caller.path}` still calls a reusable workflow of another "
                                        f"repository to publish (`{name}`)"))
        else:
            result.checks.append((False, f"`{caller.path}` no longer calls a reusable workflow of "
                                         "another repository"))
        name = None
    if name:
        _workflow_now(name, claims, workflows, context.root, result)
    publishers = context.settings.publishers
    if publishers:
        expected = claims.publisher()
        for publisher in publishers:
            differences = []
            for field_name, declared in (("owner", publisher.owner), ("repository", publisher.repository),
                                         ("workflow", publisher.workflow),
                                         ("environment", publisher.environment or "(none)")):
                if expected[field_name] != declared and not expected[field_name].startswith("(not"):
                    differences.append(f"{field_name}: declared `{declared}`, token `{expected[field_name]}`")
            if differences:
                result.checks.append((True, "[tool.pubdoctor.publisher] differs from the token's claims: "
                                            + "; ".join(differences)))


def _workflow_now(name: str, claims: Any, workflows: Any, root: Path, result: CrossCheck) -> None:
    """Would a rerun present the same workflow file and environment as the refused token?"""
    from pubdoctor.identity import compute_claims, workflow_renames

    workflow = workflows.get(name)
    if workflow is None:
        rename = workflow_renames(root).get(name)
        if rename is not None:
            result.checks.append((False, f"`{name}` was renamed to `{rename.new}` in commit {rename.commit} "
                                         f"({rename.date}): a rerun presents `{rename.new}`, which the "
                                         "publisher on the index must then name"))
            return
        files = ", ".join(w.filename for w in workflows.files) or "none"
        result.checks.append((False, f"no workflow file is named `{name}` any more (workflows: "
                                     f"{files}): the claims of a rerun would name another file, "
                                     "which the publisher on the index must then name"))
        return
    now = [claim for claim in compute_claims(workflows) if claim.workflow == name]
    claimed = claims.environment or ""
    shown = f"`{claimed}`" if claimed else "(none)"
    if not now or not claims.environment_known:
        result.checks.append((True, f"`{workflow.path}` still exists: a rerun presents the same "
                                    "workflow file, so the trusted publisher on the index must be "
                                    "changed to match the claims"))
        return
    environments = sorted({claim.environment or claim.environment_expression or "" for claim in now})
    if claimed.lower() in (e.lower() for e in environments):
        result.checks.append((True, f"`{workflow.path}` still exists and its publishing job still uses "
                                    f"environment {shown}: a rerun presents the same claims, so the "
                                    "trusted publisher on the index must be changed to match them"))
    else:
        listed = ", ".join(f"`{e}`" if e else "(none)" for e in environments)
        result.checks.append((False, f"the publishing job of `{workflow.path}` now uses environment "
                                     f"{listed}, the token had {shown}: a rerun presents different claims"))


def _version_against_project(diagnosis: Diagnosis, context: Any, result: CrossCheck) -> None:
    filename = diagnosis.facts.get("file")
    if not filename:
        return
    version = version_of(filename)
    if version is None:
        return
    project = context.get("project")
    current = project.static_version
    if current is None:
        tool = project.vcs_version_tool
        if tool or "version" in project.dynamic:
            result.notes.append(f"the version is dynamic{f' ({tool})' if tool else ''}: the next "
                                f"release must be a new tag, not {version}")
        return
    from packaging.version import InvalidVersion, Version

    try:
        same = Version(current) == Version(version)
    except InvalidVersion:
        same = current == version
    where = project.locate("project", "version")
    if same:
        result.checks.append((True, f"{where}: the version is still {current}, which the index "
                                    f"already has ({filename})"))
    else:
        result.checks.append((False, f"{where}: the version is now {current} (the refused file "
                                     f"was {version})"))


def version_of(filename: str) -> str | None:
    """The version in a wheel or sdist file name, or None."""
    from pubdoctor.sources.dist import parse_filename

    parsed = parse_filename(filename)
    return parsed[2] if parsed else None
