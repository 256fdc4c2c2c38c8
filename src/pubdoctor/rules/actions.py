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
``unstable/v1`` follow the newest release. A commit SHA is judged by the release it is the
commit of, from the action's tags shipped with pubdoctor (`pubdoctor.sources.actiontags`);
a comment that names another release, or a branch (which a SHA pin never follows), is reported
as info. A SHA that is no known release's is judged by the version in its comment
(``@<sha> # v1.12.4``), and skipped when there is none.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from pubdoctor.findings import Finding, Severity
from pubdoctor.lazyregex import lazy_compile
from pubdoctor.rules import Rule
from pubdoctor.sources.publishing import ACTION
from pubdoctor.sources.pyproject import Project
from pubdoctor.sources.workflows import Step, Workflows

if TYPE_CHECKING:  # the source is loaded by the context, only when the rule runs
    from pubdoctor.sources.packages import Packages

Version = tuple[int, int, int]
_HIGHEST = 10**6
TRUSTED_PUBLISHING = (1, 8, 0)
METADATA_2_4 = (1, 12, 3)
METADATA_2_5 = (1, 14, 2)
_VERSION = lazy_compile(r"^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$")
_COMMENT_VERSION = lazy_compile(r"\bv?(\d+\.\d+(?:\.\d+)?)\b")
_SHA = lazy_compile(r"^[0-9a-f]{40}$", re.IGNORECASE)


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


def pinned_release(ref: str) -> str | None:
    """The release tag whose commit a SHA pin is (``v1.14.0``), if pubdoctor knows it."""
    if not _SHA.match(ref):
        return None
    from pubdoctor.sources.actiontags import release_tags

    lowered = ref.lower()
    return next((tag for tag, sha in release_tags().items() if sha.lower() == lowered), None)


def comment_disagrees(tag: str, comment: str | None) -> str | None:
    """What a SHA pin's comment claims that its commit is not, or None when it agrees.

    ``# v1.14`` agrees with v1.14.0 (its series); ``# release/v1`` never agrees: a pin does not
    follow a branch, so the comment promises updates that never come.
    """
    text = (comment or "").strip()
    if not text:
        return None
    named = _COMMENT_VERSION.search(text)
    if named is None:
        branch = re.search(r"\b(release/v1|unstable/v1|master|main)\b", text)
        return f"the branch `{branch.group(1)}`" if branch else None
    claimed = parse_ref(named.group(1))
    actual = parse_ref(tag)
    if claimed is None or actual is None:
        return None
    if all(c == _HIGHEST or c == a for c, a in zip(claimed, actual)):
        return None
    return f"`{named.group(0)}`"


def _show(version: Version) -> str:
    return "v" + ".".join(str(p) for p in version if p != _HIGHEST)


#: The first release of each build backend that writes Metadata-Version 2.4 (setuptools 77.0.0
#: and hatchling 1.27.0, from their changelogs); a project that pins its backend below it
#: uploads files an older twine still reads.
_METADATA_2_4_FROM = {"setuptools.build_meta": ("setuptools", "77.0.0"),
                      "hatchling.build": ("hatchling", "1.27.0")}


def _backend_admits(project: Project, name: str, first: str) -> bool:
    """Whether ``[build-system] requires`` lets ``name`` be ``first`` or later (no pin: yes)."""
    spec = project.build_specifier(name)
    if spec is None:
        return True
    from packaging.version import InvalidVersion, Version

    candidates = [first, "99999"]
    for clause in spec:  # `==77.0.3` admits a later release that no bound shows
        try:
            if Version(clause.version.rstrip(".*")) >= Version(first):
                candidates.append(clause.version.rstrip(".*"))
        except InvalidVersion:
            continue
    return not spec or any(spec.contains(v, prereleases=True) for v in candidates)


def _may_write_metadata_2_4(project: Project) -> bool:
    """Whether the backend may write Metadata-Version 2.4: unless it is pinned below the first
    release that does (any other backend, or an unknown one, is taken to be current)."""
    known = _METADATA_2_4_FROM.get(project.build_backend or "")
    return known is None or _backend_admits(project, *known)


def _writes_metadata_2_5(project: Project) -> bool:
    """Whether the build backend is hatchling at a version that writes Metadata-Version 2.5."""
    if project.build_backend != "hatchling.build":
        return False
    spec = project.build_specifier("hatchling")
    return (spec is None or not spec or spec.contains("1.32.0", prereleases=True)
            or spec.contains("99", prereleases=True))


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
        tag = pinned_release(ref)
        if tag is not None:
            claimed = comment_disagrees(tag, step.uses_comment)
            if claimed is not None:
                yield self.finding(
                    location,
                    f"the SHA pin `{ref[:12]}` is the commit of {tag}, but its comment says "
                    f"{claimed}: the pin is judged by its commit, and the comment misleads "
                    "readers and update tools",
                    fix=f"write `# {tag}` after the SHA (or pin the commit of the release you meant)",
                    severity=Severity.INFO)
        version = parse_ref(tag) if tag is not None else parse_ref(ref, step.uses_comment)
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
        elif version < METADATA_2_4 and any(_may_write_metadata_2_4(p) for p in projects):
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
