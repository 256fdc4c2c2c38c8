"""PD104: a `pypa/gh-action-pypi-publish` ref too old for what it is asked to upload.

The version milestones, each from the action's release notes or issues:

- ``master``: sunset; the branch receives no updates ("The master branch version has been
  sunset. Please, change the GitHub Action version you use from master to release/v1").
- v1.8.0: first release with trusted publishing (OIDC).
- v1.12.3: first release whose twine (6.x, pypa/gh-action-pypi-publish#308) reads
  Metadata-Version 2.4; older ones fail with ``InvalidDistribution: Metadata is missing
  required fields: Name, Version`` (v1.6.4 and v1.12.0 in issue #351, v1.8.11 in real logs).
- v1.14.2: first release with twine 7, which reads Metadata-Version 2.5 (written by
  hatchling 1.32 and later); older ones fail with ``'2.5' is not a valid metadata version``.

A partial tag (``v1.8``) is read as the newest release of that series; ``release/v1`` and
``unstable/v1`` follow the newest release. A commit SHA is judged by the version in its
comment (``@<sha> # v1.12.4``), and skipped when there is none.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pubdoctor.findings import Finding, Severity
from pubdoctor.rules import Rule
from pubdoctor.sources.packages import Packages
from pubdoctor.sources.publishing import ACTION
from pubdoctor.sources.pyproject import Project
from pubdoctor.sources.workflows import Step, Workflows

Version = tuple[int, int, int]
_HIGHEST = 10**6
TRUSTED_PUBLISHING = (1, 8, 0)
METADATA_2_4 = (1, 12, 3)
METADATA_2_5 = (1, 14, 2)
_VERSION = re.compile(r"^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$")
_COMMENT_VERSION = re.compile(r"\bv?(\d+\.\d+(?:\.\d+)?)\b")
_SHA = re.compile(r"^[0-9a-f]{40}$", re.IGNORECASE)


def parse_ref(ref: str, comment: str | None = None) -> Version | None:
    """The release a ref stands for (partial tags read as the newest of their series)."""
    if _SHA.match(ref):
        found = _COMMENT_VERSION.search(comment or "")
        if not found:
            return None
        ref = found.group(1)
    match = _VERSION.match(ref)
    if not match:
        return None
    major, minor, patch = match.groups()
    return (int(major), _HIGHEST if minor is None else int(minor),
            _HIGHEST if patch is None else int(patch))


def _show(version: Version) -> str:
    return "v" + ".".join(str(p) for p in version if p != _HIGHEST)


def _writes_metadata_2_5(project: Project) -> bool:
    """Whether the build backend is hatchling at a version that writes Metadata-Version 2.5."""
    if project.build_backend != "hatchling.build":
        return False
    from packaging.requirements import InvalidRequirement, Requirement

    for requirement in project.build_requires:
        try:
            parsed = Requirement(requirement)
        except InvalidRequirement:
            continue
        if parsed.name.lower() == "hatchling":
            spec = parsed.specifier
            return not spec or spec.contains("1.32.0", prereleases=True) or spec.contains("99", prereleases=True)
    return True


class OutdatedPublishAction(Rule):
    """The `pypa/gh-action-pypi-publish` ref is too old for trusted publishing or current metadata."""

    code, name, severity = "PD104", "outdated-publish-action", Severity.ERROR

    def check(self, workflows: Workflows, project: Project, packages: Packages) -> Iterator[Finding]:
        for workflow in workflows.files:
            for job in workflow.jobs.values():
                for step in job.steps:
                    if step.action == ACTION and step.action_ref:
                        # the package a step uploads (a sub-folder's pyproject.toml), else the root's
                        built = [p.project for p in packages.of_step(workflow, job, step)]
                        yield from self._check_step(step, built or [project])

    def _check_step(self, step: Step, projects: list[Project]) -> Iterator[Finding]:
        ref = step.action_ref or ""
        location = step.key_location("uses")
        fix = "use `pypa/gh-action-pypi-publish@release/v1` (or pin a current release by SHA)"
        if ref == "master":
            yield self.finding(
                location,
                "`pypa/gh-action-pypi-publish@master` is sunset and frozen: it has no trusted "
                "publishing and its twine cannot read current metadata (Metadata-Version 2.4)",
                fix=fix)
            return
        version = parse_ref(ref, step.uses_comment)
        if version is None:
            return
        shown = _show(version) + (f" (`{ref[:12]}`)" if _SHA.match(ref) else "")
        trusted = step.publish is not None and step.publish.credentials == "trusted"
        if trusted and version < TRUSTED_PUBLISHING:
            yield self.finding(
                location,
                f"`pypa/gh-action-pypi-publish` {shown} predates trusted publishing (v1.8.0) but "
                "the step gives no `password`: the upload has no credentials",
                fix=fix)
        elif version < METADATA_2_4:
            yield self.finding(
                location,
                f"`pypa/gh-action-pypi-publish` {shown} bundles a twine that cannot read "
                "Metadata-Version 2.4, which current build backends write: the upload fails with "
                "`InvalidDistribution: Metadata is missing required fields: Name, Version`",
                fix=fix)
        elif version < METADATA_2_5 and any(_writes_metadata_2_5(p) for p in projects):
            which = next(p for p in projects if _writes_metadata_2_5(p))
            whose = "the project" if which.path == "pyproject.toml" else f"`{which.path}`"
            yield self.finding(
                location,
                f"`pypa/gh-action-pypi-publish` {shown} bundles twine 6, which refuses "
                f"Metadata-Version 2.5; {whose} builds with hatchling, which writes 2.5 from "
                "1.32: the upload fails with `'2.5' is not a valid metadata version`",
                fix="use `pypa/gh-action-pypi-publish@release/v1` or v1.14.2 or later (twine 7), "
                    "or pin `hatchling<1.32` in `[build-system] requires`",
                severity=Severity.WARNING)
