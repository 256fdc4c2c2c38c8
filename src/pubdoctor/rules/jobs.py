"""PD105, PD107, PD109, PD111: how the publish job is put together.

The PyPA guide's pattern: one job builds the distributions without any special permission
and hands them over with ``actions/upload-artifact``; the publish job, the only one with
``id-token: write``, downloads them into ``dist/`` and uploads them.
"""

from __future__ import annotations

import fnmatch
import posixpath
from collections.abc import Iterator
from typing import Any

from pubdoctor.findings import Finding, Severity
from pubdoctor.rules import Rule
from pubdoctor.rules.triggers import unique_jobs
from pubdoctor.sources.handoff import artifact_matches, build_command, needed_jobs
from pubdoctor.sources.workflows import Job, Step, Workflow, Workflows, is_expression

class PublishInBuildJob(Rule):
    """A job both builds the distributions and publishes them with trusted publishing."""

    code, name, severity = "PD105", "publish-in-build-job", Severity.WARNING

    def check(self, workflows: Workflows) -> Iterator[Finding]:
        for item in unique_jobs(workflows):
            if not item.trusted_steps:
                continue
            first_upload = item.trusted_steps[0].index
            for step in item.job.steps[: first_upload + 1]:
                command = build_command(step)
                if command is None:
                    continue
                # without the token (PD101's finding) the build does not run with it yet,
                # but will once the job gets what it needs to publish: say that, not "runs with"
                runs = ("run with `id-token: write`" if item.id_token.granted else
                        "will run with the `id-token: write` the job needs to publish (it has not "
                        "got it yet: PD101)")
                yield self.finding(
                    step.location,
                    f"job `{item.job.id}` builds the distributions ({command}) and publishes them "
                    f"with trusted publishing: the build and every tool it installs {runs} and "
                    "can mint a publishing token",
                    fix="build in a job without `id-token: write`, hand `dist/` over with "
                        "`actions/upload-artifact`/`actions/download-artifact`, and publish in a "
                        "separate job that only downloads and uploads",
                )
                break


def _is(step: Step, action: str) -> bool:
    return step.action is not None and step.action == action


def _downloads(job: Job) -> list[Step]:
    return [s for s in job.steps if _is(s, "actions/download-artifact")]


class UncheckedArtifactUpload(Rule):
    """A build job uploads the distributions without `if-no-files-found: error`."""

    code, name, severity = "PD107", "unchecked-artifact-upload", Severity.INFO

    def check(self, workflows: Workflows) -> Iterator[Finding]:
        reported: set[tuple[str, int, int]] = set()
        for item in unique_jobs(workflows):
            downloads = _downloads(item.job)
            if not downloads:
                continue
            unchecked: list[tuple[Job, Step, str]] = []
            for needed in needed_jobs(item.workflow, item.job):
                for step in needed.steps:
                    if not _is(step, "actions/upload-artifact"):
                        continue
                    setting = step.with_.get("if-no-files-found", "warn")
                    artifact = str(step.with_.get("name", "artifact"))
                    if str(setting).strip().lower() == "error" or is_expression(setting):
                        continue
                    if any(artifact_matches(d, artifact) for d in downloads):
                        unchecked.append((needed, step, artifact))
            keys = {(item.workflow.path, s.location.line, s.location.col) for _, s, _ in unchecked}
            if not unchecked or keys <= reported:
                continue  # the same uploads feed several publish jobs: say it once
            reported |= keys
            unchecked.sort(key=lambda u: (u[1].location.line, u[1].location.col))
            _, first_step, _ = unchecked[0]
            names = ", ".join(f"`{a}` (job `{j.id}`)" for j, _, a in unchecked)
            yield self.finding(
                first_step.location,
                f"the publish job `{item.job.id}` downloads {names} uploaded without "
                "`if-no-files-found: error` (the default only warns): a build that wrote its "
                "files elsewhere goes unnoticed until the download or the upload fails, or the "
                "release lacks those files",
                fix="add `if-no-files-found: error` to the `with:` of "
                    + ("this upload step" if len(unchecked) == 1 else "these upload steps"),
                related=tuple(s.location for _, s, _ in unchecked[1:]),
            )


def _truthy_literal(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


class PublishContinueOnError(Rule):
    """A publish step or job has `continue-on-error: true`, so a failed upload looks green."""

    code, name, severity = "PD109", "publish-continue-on-error", Severity.WARNING

    def check(self, workflows: Workflows) -> Iterator[Finding]:
        for item in unique_jobs(workflows):
            job = item.job
            if _truthy_literal(job.continue_on_error):
                yield self.finding(
                    job.key_location("continue-on-error"),
                    f"job `{job.id}` publishes but has `continue-on-error: true`: when the upload "
                    "fails the workflow run still succeeds, and the release silently misses PyPI",
                    fix="remove `continue-on-error`; for re-runs use `skip-existing: true` instead",
                )
                continue
            for step in item.steps:
                if not _truthy_literal(step.continue_on_error) or step.publish is None:
                    continue
                what = f"step `{step.name}`" if step.name else f"the publish step of job `{job.id}`"
                test = step.publish.is_testpypi
                yield self.finding(
                    step.key_location("continue-on-error"),
                    f"{what} has `continue-on-error: true`: when the upload fails the run still "
                    "succeeds, so the failure goes unnoticed"
                    + (" (on TestPyPI this is often deliberate; if so, ignore this)" if test else ""),
                    fix="remove `continue-on-error`; to tolerate re-uploads of the same version "
                        "use `skip-existing: true`",
                    severity=Severity.INFO if test else Severity.WARNING,
                )


def _norm(path: Any) -> str | None:
    """A workspace-relative folder (``./dist/`` -> ``dist``), or None when unknowable."""
    if path is None:
        return "."
    text = str(path).strip()
    if not text or is_expression(text) or "\n" in text or any(c in text for c in "*?["):
        return None
    return posixpath.normpath(text.lstrip("/") if text.startswith("/github/workspace") else text)


def _artifact_names(workflow: Workflow, job: Job) -> list[str] | None:
    names = []
    for needed in needed_jobs(workflow, job):
        for step in needed.steps:
            if _is(step, "actions/upload-artifact"):
                name = step.with_.get("name", "artifact")
                if is_expression(name):
                    return None
                names.append(str(name))
    return names


def _landing(download: Step, names: list[str] | None) -> set[str] | None:
    """The folders a download step puts files into, or None when unknowable."""
    base = _norm(download.with_.get("path"))
    if base is None or download.with_.get("artifact-ids") is not None:
        return None
    if download.with_.get("name") is not None:
        return {base}
    if _truthy_literal(download.with_.get("merge-multiple")):
        return {base}
    if names is None:
        return None
    pattern = download.with_.get("pattern")
    if pattern is not None and is_expression(pattern):
        return None
    chosen = [n for n in names if pattern is None or fnmatch.fnmatchcase(n, str(pattern))]
    return {posixpath.normpath(posixpath.join(base, n)) for n in chosen}


class DistPathMismatch(Rule):
    """The publish step looks for distributions in a folder the download did not fill."""

    code, name, severity = "PD111", "dist-path-mismatch", Severity.ERROR

    def check(self, workflows: Workflows) -> Iterator[Finding]:
        for item in unique_jobs(workflows):
            for step in item.steps:
                publish = step.publish
                if publish is None or publish.tool != "gh-action-pypi-publish":
                    continue
                raw = step.with_.get("packages-dir", step.with_.get("packages_dir", "dist/"))
                where = step.with_keys.get("packages-dir", step.with_keys.get("packages_dir",
                                                                                step.key_location("uses")))
                if isinstance(raw, str) and raw.strip().startswith("/tmp"):
                    yield self.finding(
                        where,
                        f"`packages-dir: {raw.strip()}` is outside the workspace; the action runs in "
                        "a container that only sees the workspace, so it finds no distributions",
                        fix="build or download into a folder of the workspace, such as `dist/`")
                    continue
                target = _norm(raw)
                before = item.job.steps[: step.index]
                downloads = [s for s in before if _is(s, "actions/download-artifact")]
                others = [s for s in before if s.run or (s.uses and not _is(s, "actions/download-artifact")
                                                         and not (s.action or "").startswith("actions/"))]
                if target is None or not downloads or others:
                    continue
                names = _artifact_names(item.workflow, item.job)
                landings = [_landing(d, names) for d in downloads]
                if any(land is None for land in landings):
                    continue
                folders = sorted(set().union(*landings))  # type: ignore[arg-type]
                if not folders or target in folders:
                    continue
                shown = ", ".join(f"`{f}/`" for f in folders)
                yield self.finding(
                    where,
                    f"job `{item.job.id}` downloads the distributions into {shown} but the publish "
                    f"step reads `{target}/` (its `packages-dir`): it finds no distributions "
                    "(\"It looks like there are no Python distribution packages to publish\")",
                    fix="download with the artifact's `name:` (or `merge-multiple: true`) and "
                        f"`path: {target}/`, or set `packages-dir` to the folder the files land in",
                )
