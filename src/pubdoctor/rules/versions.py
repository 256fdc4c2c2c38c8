"""PD401-PD406: the version that will be published, the files in ``dist/`` and the index.

The index refuses a file name it has seen before ("File already exists", even after the
file was deleted), a version with a ``+local`` label, and metadata its upload tool cannot
read. These rules see each coming from ``pyproject.toml`` (the root's, and that of each package
below the root that a job uploads), the git tags, ``dist/`` and one Simple API request per
published project.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Literal

from pubdoctor.findings import Finding, Location, Severity
from pubdoctor.rules import Rule

if TYPE_CHECKING:
    from pubdoctor.context import Context
    from pubdoctor.sources.dist import Dist, DistFile
    from pubdoctor.sources.index import IndexPages
    from pubdoctor.sources.indexpage import IndexState
    from pubdoctor.sources.packages import Package, Packages
    from pubdoctor.sources.pyproject import Project
    from pubdoctor.sources.version import ProjectVersion
    from pubdoctor.sources.workflows import PublishingJob, Step, Workflows

Trigger = Literal["tag", "branch", "manual", "gated", "other"]
#: events that run on commits of branches (``schedule`` runs on the default branch)
_BRANCH_EVENTS = ("pull_request", "pull_request_target", "schedule", "merge_group")
_MANUAL_EVENTS = ("workflow_dispatch", "repository_dispatch")
#: ``if:`` tests (spaces removed) that restrict a job or step to tags and releases
_TAG_CONDITIONS = ("refs/tags", "ref_type=='tag'", 'ref_type=="tag"', "event_name=='release'",
                   'event_name=="release"', "github.event.release")
#: what an ``if:`` must mention to decide *when* a job runs (a fork check does not)
_GATES = ("needs.", "github.ref", "github.event", "github.head_ref", "github.base_ref", "inputs.",
          "vars.", "env.", "steps.", "github.actor", "contains(", "startswith(", "endswith(", "fromjson(")
#: How each VCS version plugin is told to leave out the ``+local`` part.
_NO_LOCAL = {
    "setuptools-scm": '`local_scheme = "no-local-version"` in `[tool.setuptools_scm]`',
    "hatch-vcs": '`raw-options = { local_scheme = "no-local-version" }` in `[tool.hatch.version]`',
    "versioningit": '`distance = "{next_version}.dev{distance}"` in `[tool.versioningit.format]`',
    "poetry-dynamic-versioning": "`metadata = false` in `[tool.poetry-dynamic-versioning]`",
    "pdm-backend": "a `version_format` function in `[tool.pdm.version]` that leaves it out",
    "setuptools-git-versioning": '`dev_template = "{tag}.post{ccount}"` in `[tool.setuptools-git-versioning]`',
}
#: The first gh-action-pypi-publish release whose twine reads each Metadata-Version.
ACTION_READS = {"2.4": "1.12.3", "2.5": "1.14.2"}


def optional(context: Context, name: str) -> Any:
    """A source a rule can do without: None when it is unavailable (the run still notes why)."""
    from pubdoctor.context import SourceUnavailable

    try:
        return context.get(name)
    except SourceUnavailable:
        return None


def _conditions(item: PublishingJob, step: Step | None) -> list[str]:
    """The ``if:`` of the step, its job, the jobs it needs (transitively) and the calling job."""
    jobs = item.workflow.jobs
    seen: set[str] = set()
    pending = [item.job.id]
    found: list[Any] = [step.if_ if step else None, item.caller.if_ if item.caller else None]
    while pending:
        job = jobs.get(pending.pop())
        if job is None or job.id in seen:
            continue
        seen.add(job.id)
        found.append(job.if_)
        pending.extend(job.needs)
    return [c for c in found if isinstance(c, str) and c.strip()]


def publish_trigger(item: PublishingJob, step: Step | None = None) -> Trigger:
    """When a publish step runs.

    - "tag": only for tags and releases (by the triggers, or an ``if:`` that tests for them);
    - "gated": some other ``if:`` on the way decides (a release flag computed by another job);
    - "branch": on commits of branches (push to a branch, pull requests, schedule);
    - "manual": when someone dispatches it, on any ref;
    - "other": nothing pubdoctor can tell (``workflow_run``, ``workflow_call`` only...).
    """
    conditions = _conditions(item, step)
    if any(any(t in c.replace(" ", "") for t in _TAG_CONDITIONS) for c in conditions):
        return "tag"
    if any(any(g in c.lower() for g in _GATES) for c in conditions):
        return "gated"
    branch = tag = manual = False
    for event, config in item.entry.triggers.items():
        if event == "push":
            config = config if isinstance(config, dict) else {}
            if ("tags" in config or "tags-ignore" in config) and not (
                    "branches" in config or "branches-ignore" in config):
                tag = True
            else:
                branch = True
        elif event == "release":
            tag = True
        elif event in _BRANCH_EVENTS:
            branch = True
        elif event in _MANUAL_EVENTS:
            manual = True
    if branch:
        return "branch"
    if manual:
        return "manual"
    return "tag" if tag else "other"


def _workflow_env(item: PublishingJob) -> dict[str, Any]:
    """Every variable the workflows of a run set (the build may be in another job), and
    ``NAME=`` assignments in its scripts, so a version override anywhere is seen."""
    env: dict[str, Any] = {}
    for workflow in {item.entry.path: item.entry, item.workflow.path: item.workflow}.values():
        env.update(workflow.env)
        for job in workflow.jobs.values():
            env.update(job.env)
            for step in job.steps:
                env.update(step.env)
                for word in (step.run or "").replace(";", " ").split():
                    name, equals, _ = word.partition("=")
                    if equals and name.startswith("SETUPTOOLS_SCM_"):
                        env[name] = True
    return env


def _trigger_location(item: PublishingJob) -> Location:
    return item.entry.triggers_location


def _index_files_list(names: list[str], limit: int = 3) -> str:
    shown = ", ".join(f"`{n}`" for n in names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def above_index(version: Any, on_index: set[Any]) -> Any:
    """The smallest sensible version above both ``version`` and the highest one on the index:
    ``next_patch`` of the higher of the two (a pre-release on the index gives its release)."""
    from packaging.version import Version

    from pubdoctor.sources.version import next_patch

    highest = max(on_index | {version})
    if highest.is_prerelease or highest.is_devrelease:
        candidate = Version(highest.base_version)
        if candidate > highest:
            return candidate
    return next_patch(highest)


def _bump_hint(version: ProjectVersion, on_index: set[Any], pyproject: str = "pyproject.toml") -> str:
    where = {"static": f"{version.source} in {pyproject}", "file": version.source}.get(
        version.origin, version.source)
    target = above_index(version.version, on_index)
    highest = max(on_index | {version.version})
    above = f" (above {highest}, the highest version on the index)" if highest > version.version else ""
    return (f"bump the version in {where} to {target}{above} (or "
            f"{version.version.base_version}.post1 to republish the same code), then build again")


def _release_decided(context: Context, version: ProjectVersion) -> tuple[Any, Any] | None:
    """``(tool, prediction)`` when a release tool writes the version the build reads before
    the build (in CI or wherever it runs; its prediction may be unknown), else None."""
    from pubdoctor.sources.versionsteps import writes_version

    tools = optional(context, "release_tools") or []
    writers = [t for t in tools if t.bumps_version and writes_version(t, version)]
    if not writers:
        return None
    predictions = optional(context, "predictions") or []
    for tool in writers:
        prediction = next((p for p in predictions if p.tool is tool), None)
        if prediction is not None:
            return tool, prediction
    return writers[0], None


def _set_in_workflow(context: Context) -> str | None:
    """The command by which every publishing job writes its version in CI (``uv version X``)."""
    from pubdoctor.sources.versionsteps import sets_version

    workflows = optional(context, "workflows")
    items = workflows.publishing_jobs() if workflows is not None else []
    found = [sets_version(item.workflow, item.job) for item in items]
    return found[0] if found and all(found) else None


def _ignored_and_rebuilt(context: Context, folder: str) -> bool:
    """Whether git ignores ``folder`` and a workflow builds the distributions itself: the local
    files are leftovers of a local build, not what CI uploads."""
    from pubdoctor.sources.handoff import build_command

    workflows = optional(context, "workflows")
    if workflows is None or not any(build_command(step) for w in workflows.files
                                    for job in w.jobs.values() for step in job.steps):
        return False
    git = optional(context, "git")
    try:
        result = git("check-ignore", "-q", folder) if git is not None else None
    except (OSError, ValueError):
        return False
    return result is not None and result.returncode == 0


class VersionAlreadyOnIndex(Rule):
    """The version to publish, or a file in dist/, is already on the package index."""

    code, name, severity = "PD401", "version-already-on-index", Severity.ERROR

    def check(self, index_pages: IndexPages, dist: Dist, packages: Packages,
              context: Context) -> Iterator[Finding]:
        # the projects the uploads send: the packages below the root, and the root project when
        # an upload sends it or stands for it; each page is asked for only when it is needed
        # (`_index_page`; naming `index_pages` skips the rule when the index is off)
        published = _published(context, packages)
        for target in published.values():
            version = target.version
            if version is None or version.origin == "vcs":
                continue
            if target.package is not None and _release_tools_bump(context):
                continue  # which package's version a release tool writes is not read: say less
            index = target.page(context)
            if index is not None:
                yield from self._version(index, version, context, target)
        for folder in dist.dirs:
            taken: list[tuple[DistFile, str, IndexState]] = []
            for item in folder.distributions:
                found = published.get(item.name or "")
                index = found.page(context) if found is not None else None
                if index is not None:
                    taken.extend((item, f.filename, index) for f in index.files
                                 if item.same_file(f.filename))
            if not taken:
                continue
            if _ignored_and_rebuilt(context, folder.path):
                names = _index_files_list([item.filename for item, _, _ in taken])
                yield self.finding(
                    Location(path=folder.path),
                    f"`{folder.path}/` holds files already on {taken[0][2].name} ({names}): git ignores "
                    "the folder and the workflow builds its own, so they are not what CI uploads; "
                    "only a manual upload of them would fail with `400 File already exists`",
                    fix=f"delete `{folder.path}/` before building and uploading by hand",
                    severity=Severity.INFO,
                )
                continue
            for item, filename, index in taken:
                yield self.finding(
                    item.location,
                    f"`{filename}` is already on {index.name}: uploading `{item.path}` fails "
                    "with `400 File already exists` (a file name can never be reused)",
                    fix="delete the old files from dist/, bump the version and build again",
                )

    def _version(self, index: IndexState, version: ProjectVersion, context: Context,
                 target: _Published) -> Iterator[Finding]:
        from packaging.version import InvalidVersion, Version

        on_index = index.versions()
        decided = _release_decided(context, version) if target.package is None else None
        if decided is not None:
            tool, prediction = decided
            if prediction is None or not prediction.releases:
                return  # no release (PD302 says why), or one pubdoctor cannot predict: say less
            try:
                coming = Version(prediction.next_version)
            except InvalidVersion:
                return
            if coming not in on_index:
                return
            names = [f.filename for f in index.files_of(coming)]
            what = f" ({_index_files_list(names)})" if names else ""
            yield self.finding(
                tool.location or version.location,
                f"{tool.name} will release {prediction.next_version} (from the "
                f"{len(prediction.commits)} commit{'s' if len(prediction.commits) != 1 else ''} "
                f"{prediction.baseline}) and write it into {version.source}, but "
                f"{prediction.next_version} is already on {index.name}{what}: the upload will "
                "fail with `400 File already exists`",
                fix=f"the release tags are behind the index: tag the commit that was published as "
                    f"{max(on_index)} so {tool.name} counts from it (its next version is then above "
                    f"it, e.g. {above_index(coming, on_index)})",
            )
            return
        if _set_in_workflow(context):
            return  # every release writes its own version before building: not this one
        existing = index.files_of(version.version)
        if existing or version.version in on_index:
            names = [f.filename for f in existing]
            what = f" ({_index_files_list(names)})" if names else ""
            yield self.finding(
                version.location,
                f"version {version.text}{target.whose} ({version.source}) is already on "
                f"{index.name}{what}: the index never accepts a file name twice, even after the "
                "file was deleted, so the upload will fail with `400 File already exists`",
                fix=_bump_hint(version, on_index, target.pyproject),
            )


class _Published:
    """A project an upload sends: the root project or a package below it, with its version
    and (asked for once, when a rule needs it) its page on the index."""

    def __init__(self, name: str, version: ProjectVersion | None, package: Package | None) -> None:
        self.name = name
        self.version = version
        self.package = package
        self._page: Any = ...

    @property
    def whose(self) -> str:
        """`` of `demo-agent` (`agent/pyproject.toml`)`` for a package, nothing for the root."""
        if self.package is None:
            return ""
        return f" of `{self.name}` (`{self.package.project.path}`)"

    @property
    def pyproject(self) -> str:
        return "pyproject.toml" if self.package is None else self.package.project.path

    def page(self, context: Context) -> IndexState | None:
        """The project's page, or None when the index cannot tell (`_index_page`), asked once."""
        if self._page is ...:
            self._page = _index_page(context, None if self.package is None else self.name)
        return self._page  # type: ignore[no-any-return]


def _index_page(context: Context, name: str | None) -> IndexState | None:
    """The index page of the root project (``name`` None: the `index` source, which
    `pubdoctor claims` shares) or of the package ``name`` (`IndexPages`, each page fetched once
    a run); None when the index cannot tell, which is noted for a package (the root's source
    reports its own)."""
    from pubdoctor.context import SourceUnavailable

    try:
        return context.get("index") if name is None else context.get("index_pages").page(name)  # type: ignore[no-any-return]
    except SourceUnavailable as exc:
        if name is not None and exc.level != "silent":
            context.add_note(exc.level, str(exc))
        return None


def _published(context: Context, packages: Packages) -> dict[str, _Published]:
    """The projects the uploads send, by normalized name: each package below the root a job
    uploads, and the root project when an upload sends it or stands for it (no workflow, or
    a build pubdoctor cannot place)."""
    from packaging.utils import canonicalize_name

    found: dict[str, _Published] = {}
    project = context.get("project")
    if packages.root_uploaded:
        if project.name:
            found[str(canonicalize_name(project.name))] = _Published(
                project.name, optional(context, "version"), None)
        else:
            optional(context, "index")  # noted: no name, so the index was not asked
    for package in packages.all:
        name = package.project.name
        if name:
            found.setdefault(str(canonicalize_name(name)), _Published(
                name, _package_version(context, package), package))
    return found


def _release_tools_bump(context: Context) -> bool:
    """Whether a release tool of the repository bumps a version before the build."""
    return any(t.bumps_version for t in optional(context, "release_tools") or [])


class LocalVersionLabel(Rule):
    """The version to publish has a local label (`+...`), which the index refuses."""

    code, name, severity = "PD402", "local-version-label", Severity.ERROR

    def check(self, project: Project, workflows: Workflows, dist: Dist, packages: Packages,
              context: Context) -> Iterator[Finding]:
        from pubdoctor.sources.version import local_label_disabled, setup_py_scm_options, vcs_tool

        version = optional(context, "version")
        versions = [version, *(_package_version(context, p) for p in packages.all)]
        for found in versions:
            if found is not None and found.origin != "vcs" and found.version.local is not None:
                yield self.finding(
                    found.location,
                    f"version {found.text} ({found.source}) has the local label "
                    f"`+{found.version.local}`: PyPI and TestPyPI refuse local versions "
                    "(`The use of local versions ... is not allowed`)",
                    fix=f"remove `+{found.version.local}` from the version",
                )
        for folder in dist.dirs:
            for item in folder.distributions:
                if item.has_local_label:
                    yield self.finding(
                        item.location,
                        f"`{item.filename}` has a local version ({item.version}): the index "
                        "refuses it; it was built from an untagged or modified commit",
                        fix="build from the release tag with a clean tree (and the tags fetched: "
                            "`fetch-depth: 0`), or drop the local part (`local_scheme = "
                            "\"no-local-version\"`)",
                    )
        yield from self._written_in_workflow(workflows)
        from pubdoctor.rules.triggers import runs_on_branches

        reported: set[tuple[str, str]] = set()
        for job_item in workflows.publishing_jobs():
            env = _workflow_env(job_item)
            # the upload certainly runs on a branch commit: its `if:` conditions are evaluated
            # as PD103 and PD108 evaluate them (a condition admitting tags *and* a branch counts)
            branch_steps = [s for s in job_item.steps if runs_on_branches(job_item, s)]
            # each package the upload sends (a sub-folder's project), else the root project
            targets: dict[str, Project] = {}
            for step in branch_steps:
                uploaded = packages.of_step(job_item.workflow, job_item.job, step)
                targets.update({p.folder: p.project for p in uploaded} or {".": project})
            for where, target in targets.items():
                tool = vcs_tool(target)
                disabled = tool is not None and local_label_disabled(target, env)
                if tool is None and not target.static_version:
                    # setup.py's `use_scm_version=True` (or a dict of options)
                    options = setup_py_scm_options(context.root / where)
                    if options is not None:
                        tool = "setuptools-scm"
                        disabled = options.get("local_scheme") == "no-local-version" or any(
                            str(k).startswith(("SETUPTOOLS_SCM_PRETEND_VERSION",
                                               "SETUPTOOLS_SCM_OVERRIDES")) for k in env)
                if tool is None or (job_item.entry.path, where) in reported or disabled:
                    continue
                reported.add((job_item.entry.path, where))
                yield self._from_branches(job_item, tool, version if where == "." else None,
                                          "" if where == "." else f" (`{target.path}`)")

    def _from_branches(self, job_item: PublishingJob, tool: str, version: ProjectVersion | None,
                       where: str) -> Finding:
        """The finding for a version from git tags uploaded from branch commits."""
        if version is not None and version.version.local is not None:
            example = f"(the current commit gets `{version.text}`)"
        else:
            example = "such as `1.2.1.dev3+g1a2b3c4`"
        return self.finding(
            _trigger_location(job_item),
            f"job `{job_item.job.id}` publishes on commits of branches, which are not tagged, and the "
            f"version{where} comes from git tags ({tool}): an untagged commit gets a version with a "
            f"local label {example}, which the index refuses",
            fix="publish only on tags (`on: push: tags: ['v*']` or `on: release`), or drop the "
                f"local label for untagged builds: {_NO_LOCAL.get(tool, _NO_LOCAL['setuptools-scm'])}",
        )

    def _written_in_workflow(self, workflows: Workflows) -> Iterator[Finding]:
        """A version with a local label, or from ``git describe``, written by the workflow
        (``uv version "$V+$SHA"``, ``sed``) in a run on a branch commit that uploads."""
        from pubdoctor.rules.triggers import run_conditions, untagged_runs
        from pubdoctor.sources.expressions import condition_value
        from pubdoctor.sources.handoff import needed_jobs
        from pubdoctor.sources.versionwrite import refused_version_writes

        reported: set[tuple[str, int]] = set()
        for item in workflows.publishing_jobs():
            jobs = [item.job, *needed_jobs(item.workflow, item.job)]
            env = {**item.entry.env, **item.workflow.env}
            writes = [w for job in jobs for w in refused_version_writes(job, env)]
            branch_runs = [sc for kind, sc in untagged_runs(item.entry) if kind == "branch"]
            base = run_conditions(item)
            for write in writes:
                key = (item.workflow.path, write.step.location.line)
                if key in reported:
                    continue
                if not any(condition_value([*base, write.step.if_, upload.if_], scenario) is True
                           for scenario in branch_runs for upload in item.steps):
                    continue
                reported.add(key)
                if write.why == "local":
                    what = ("a version with a local label (`+...`): PyPI and TestPyPI refuse "
                            "local versions (`The use of local versions ... is not allowed`)")
                else:
                    what = ("the output of `git describe`, which on a commit after the tag is "
                            "`v1.2.0-3-g1a2b3c4`: no version the index accepts (nor, often, "
                            "the build backend)")
                yield self.finding(
                    write.step.location,
                    f"job `{write.job.id}` writes the version with `{write.command}`, {what}; "
                    f"job `{item.job.id}` uploads it on commits of branches",
                    fix="give untagged builds a version the index accepts, such as "
                        "`1.2.1.dev${{ github.run_number }}` (no `+`), or publish only on tags",
                )


def _package_version(context: Context, package: Package) -> ProjectVersion | None:
    """The version of a package in a sub-folder, its location named from the repository root
    (None when it cannot be known: the rules say nothing about it)."""
    from dataclasses import replace

    from pubdoctor.context import SourceUnavailable
    from pubdoctor.sources.gitcli import Git
    from pubdoctor.sources.version import load_version

    folder = context.root / package.folder
    try:
        found = load_version(package.project, folder, Git(folder))
    except SourceUnavailable:
        return None
    path = found.location.path or ""
    if path and not path.startswith(package.folder + "/"):
        found = replace(found, location=replace(found.location, path=f"{package.folder}/{path}"))
    return found


class DistMismatch(Rule):
    """dist/ holds files of another project or version, or nothing where a step uploads it."""

    code, name, severity = "PD403", "dist-mismatch", Severity.ERROR

    def check(self, project: Project, dist: Dist, packages: Packages,
              context: Context) -> Iterator[Finding]:
        folders = [folder for folder in dist.dirs if folder.exists]
        if not folders:
            return  # nothing built: neither the version nor packaging.utils is needed
        from packaging.utils import canonicalize_name

        for folder in folders:
            if folder.uploaded_by and not folder.distributions:
                yield self.finding(
                    Location(path=folder.path),
                    f"`{folder.path}/` holds no wheel or sdist, but a publish step uploads it: "
                    "the upload will fail or publish nothing",
                    fix=f"build into `{folder.path}/` before the publish step (in another job, hand "
                        "it over with upload-artifact/download-artifact and `path: dist/`)",
                    severity=Severity.WARNING, related=tuple(folder.uploaded_by),
                )
                continue
            # what the uploads of this folder send: packages below the root, and/or the root
            sent, root_sent = packages.uploaded_from(folder.path)
            expected: dict[str, tuple[ProjectVersion | None, Package | None]] = {}
            if root_sent and project.name:
                expected[str(canonicalize_name(project.name))] = (optional(context, "version"), None)
            for member in sent:
                if member.project.name:
                    expected.setdefault(str(canonicalize_name(member.project.name)),
                                        (_package_version(context, member), member))
            if not expected:
                continue
            for item in folder.distributions:
                if item.name not in expected:
                    yield self._other_project(item, folder.path, expected)
                    continue
                version, package = expected[item.name]
                if version is None or version.origin == "vcs" or not item.version \
                        or _version(item.version) == version.version:
                    continue
                whose = "the project" if package is None else \
                    f"`{package.project.name}` (`{package.project.path}`)"
                yield self.finding(
                    item.location,
                    f"`{item.filename}` is version {item.version}, but {whose} is at "
                    f"{version.text}: a stale file from an earlier build, which an upload of "
                    f"`{folder.path}/*` would send again (`File already exists`)",
                    fix=f"delete `{folder.path}/` before building (`rm -rf {folder.path}`), "
                        "or upload only the files of this version",
                    related=() if package is None else (version.location,),
                )

    def _other_project(self, item: DistFile, folder: str,
                       expected: dict[str, tuple[ProjectVersion | None, Package | None]]) -> Finding:
        packages = [p for _, p in expected.values() if p is not None]
        if not packages:
            [name] = expected
            what = f"not of this project (`{name}`)"
        else:
            names = ", ".join(f"`{n}`" + ("" if p is None else f" (`{p.project.path}`)")
                              for n, (_, p) in expected.items())
            what = f"not of the project{'s' if len(expected) > 1 else ''} uploaded from there ({names})"
        return self.finding(
            item.location,
            f"`{item.filename}` is a distribution of `{item.name}`, {what}: an upload of "
            f"`{folder}/*` would send it too",
            fix=f"remove it from `{folder}/` (delete the folder before each build)",
            related=tuple(Location(path=p.project.path) for p in packages),
        )


def _version(text: str) -> Any:
    from packaging.version import Version

    return Version(text)


class SkipExistingHidesUnbumpedVersion(Rule):
    """`skip-existing` lets a run that publishes nothing new pass as a success."""

    code, name, severity = "PD404", "skip-existing-hides-unbumped-version", Severity.WARNING

    def check(self, project: Project, workflows: Workflows, packages: Packages,
              context: Context) -> Iterator[Finding]:
        from pubdoctor.sources.version import vcs_tool

        versions: dict[str, ProjectVersion | None] = {}  # by package folder, "." the root
        for item in workflows.publishing_jobs():
            for step in item.steps:
                if step.publish is None or not step.publish.skip_existing:
                    continue
                trigger = publish_trigger(item, step)
                if trigger not in ("branch", "manual"):
                    continue  # a tag or a release gate: skipping only makes re-runs safe
                # what the step uploads: the packages below the root, else the root project;
                # a version from git tags gives every commit and every tag a version of its own
                uploaded = [p for p in packages.of_step(item.workflow, item.job, step)
                            if vcs_tool(p.project) is None]
                if not packages.of_step(item.workflow, item.job, step):
                    if vcs_tool(project) is not None:
                        continue
                    if "." not in versions:
                        versions["."] = optional(context, "version")
                elif not uploaded:
                    continue
                for package in uploaded:
                    if package.folder not in versions:
                        versions[package.folder] = _package_version(context, package)
                yield self._finding(item, step, trigger, uploaded, versions, context)

    def _finding(self, item: PublishingJob, step: Step, trigger: str, uploaded: list[Package],
                 versions: dict[str, ProjectVersion | None], context: Context) -> Finding:
        location = step.with_keys.get("skip-existing", step.with_keys.get("skip_existing", step.location))
        if not uploaded:
            version = versions["."]
            what = f"the version ({version.text})" if version is not None else "the version"
            named: list[tuple[str | None, ProjectVersion | None]] = [(None, version)]
        else:
            named = [(p.project.name or p.folder, versions[p.folder]) for p in uploaded]
            shown = []
            for package in uploaded:
                known = versions[package.folder]
                text = f"{known.text}, " if known is not None else ""
                shown.append(f"`{package.project.name or package.folder}` ({text}`{package.project.path}`)")
            what = "the version of " + ", ".join(shown)
        if trigger == "branch":
            message = (f"job `{item.job.id}` publishes on commits of branches (not only on "
                       f"release tags), but {what} only changes when someone bumps it: every "
                       "run after the first uploads nothing, and `skip-existing` makes it "
                       "pass as a success")
        else:
            message = (f"job `{item.job.id}` can be started by hand on any commit, and with "
                       f"`skip-existing` a run where {what} was not bumped uploads nothing "
                       "and still succeeds")
        message += self._on_index(named, context)
        return self.finding(
            location, message,
            fix="remove `skip-existing` (a version that was not bumped should fail loudly) "
                "and publish only on release tags; keep it only to re-run a partly "
                "uploaded release",
            related=tuple(_where(p, versions[p.folder]) for p in uploaded),
        )

    def _on_index(self, named: list[tuple[str | None, ProjectVersion | None]], context: Context) -> str:
        """``; 1.0.0 is already on PyPI, ...`` when the index has the version (online only)."""
        found = []
        for name, version in named:
            if version is None:
                continue
            index = _index_page(context, name)
            if index is not None and version.version in index.versions():
                found.append((name, version, index))
        if not found:
            return ""
        if len(found) == 1 and found[0][0] is None:
            version, index = found[0][1], found[0][2]
            return f"; {version.text} is already on {index.name}, so the next run will publish nothing"
        shown = ", ".join(f"`{name}` {version.text}" for name, version, _ in found)
        one = len(found) == 1
        return (f"; {shown} {'is' if one else 'are'} already on {found[0][2].name}, so the next "
                f"run will not upload {'it' if one else 'them'}")


def _where(package: Package, version: ProjectVersion | None) -> Location:
    """Where a package's version is set, else its pyproject.toml."""
    return version.location if version is not None else Location(path=package.project.path)


class InvalidDistribution(Rule):
    """A file in dist/ is not a distribution the upload tool can read."""

    code, name, severity = "PD405", "invalid-distribution", Severity.ERROR

    def check(self, dist: Dist) -> Iterator[Finding]:
        for folder in dist.dirs:
            for item in folder.files:
                if item.problem:
                    yield self.finding(
                        item.location, f"`{item.filename}`: {item.problem}",
                        fix=f"delete it from `{folder.path}/` and build again with `python -m build` "
                            "or `uv build`",
                    )


def _pinned_version(ref: str | None) -> Any:
    """The release a ``uses:`` ref pins (``v1.8.11`` -> 1.8.11); None for branches and SHAs."""
    from packaging.version import InvalidVersion, Version

    if not ref or not ref.startswith(("v", "V")) or ref.count(".") < 2:
        return None
    try:
        return Version(ref)
    except InvalidVersion:
        return None


class MetadataVersionTooNew(Rule):
    """The pinned publish action cannot read the Metadata-Version of the files in dist/."""

    code, name, severity = "PD406", "metadata-version-too-new", Severity.ERROR

    def check(self, dist: Dist, workflows: Workflows) -> Iterator[Finding]:
        from packaging.version import InvalidVersion, Version

        newest: tuple[Any, str] | None = None
        for item in dist.files:
            try:
                found = Version(item.metadata_version) if item.metadata_version else None
            except InvalidVersion:
                continue
            if found is not None and (newest is None or found > newest[0]):
                newest = (found, item.filename)
        if newest is None:
            return
        needed = [Version(v) for k, v in ACTION_READS.items() if newest[0] >= Version(k)]
        if not needed:
            return
        minimum = max(needed)
        for workflow in workflows.files:
            for job in workflow.jobs.values():
                for step in job.publish_steps:
                    pinned = _pinned_version(step.action_ref)
                    if step.publish and step.publish.tool == "gh-action-pypi-publish" \
                            and pinned is not None and pinned < minimum:
                        yield self.finding(
                            step.key_location("uses"),
                            f"`{newest[1]}` has `Metadata-Version: {newest[0]}`, which the twine "
                            f"inside gh-action-pypi-publish {step.action_ref} cannot read: the upload "
                            "fails with `InvalidDistribution: Metadata is missing required fields`",
                            fix=f"use `pypa/gh-action-pypi-publish@release/v1` (or v{minimum} or later)",
                        )
