"""PD301-PD305: the git history and the release tools that turn it into a version.

When a release tool decides the version from commit messages, commits it cannot read are
skipped, and when nothing since the last tag bumps the version, no release is made: the
publish job never runs, with a green check mark. These rules read the commits since the
last release tag the way the detected tool reads them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from pubdoctor.findings import Finding, Location, Severity
from pubdoctor.lazyregex import lazy_compile
from pubdoctor.rules import Rule
from pubdoctor.sources.handoff import build_command, needed_jobs
from pubdoctor.sources.workflows import Job, Step, Workflow, Workflows

if TYPE_CHECKING:
    from pubdoctor.sources.history import History
    from pubdoctor.sources.packages import Packages
    from pubdoctor.sources.pyproject import Project
    from pubdoctor.sources.nextversion import Prediction
    from pubdoctor.sources.releasetools import ReleaseTool

#: More commits than this are summed up in one last finding instead of one finding each.
MAX_COMMIT_FINDINGS = 20

_OVERRIDES = {
    "python-semantic-release": "`semantic-release version --patch` (or `--minor`)",
    "commitizen": "`cz bump --increment PATCH`",
    "release-please": "a `Release-As: x.y.z` footer in a commit message",
    "semantic-release": "a `fix:` commit (semantic-release has no override)",
}


def _modelled(release_tools: list[ReleaseTool]) -> list[ReleaseTool]:
    return [t for t in release_tools if t.modelled and t.bumps_version]


def _commit_location(sha: str) -> Location:
    return Location(commit=sha[:7])


def _reader(tool: ReleaseTool) -> tuple[Location, ...]:
    """Where the tool that reads the commits is set up: the file position of a commit finding
    (code scanning needs one), as a related location."""
    location = tool.location
    return (location,) if location is not None and location.path else ()


def _subject(subject: str, limit: int = 72) -> str:
    """A subject short enough for one line of output."""
    return subject if len(subject) <= limit else subject[:limit - 3].rstrip() + "..."


def _prediction(tool: ReleaseTool, predictions: list[Prediction]) -> Prediction | None:
    return next((p for p in predictions if p.tool is tool), None)


class NonConventionalCommit(Rule):
    """A commit since the last release is not a message the release tool can read."""

    code, name, severity = "PD301", "non-conventional-commit", Severity.WARNING

    def check(self, release_tools: list[ReleaseTool], predictions: list[Prediction],
              context: Any) -> Iterator[Finding]:
        tools = _modelled(release_tools)
        if not tools:
            return  # no tool reads the messages: the history is not even read
        history: History = context.get("history")
        for tool in tools:
            # the commits the tool itself reads (since its own last release, never before
            # release-please's bootstrap-sha), in history order (git log: newest first)
            prediction = _prediction(tool, predictions)
            if prediction is not None and prediction.known:
                commits, since = prediction.commits, prediction.baseline
            else:
                commits = history.commits
                since = (f"since {history.last_release.name}" if history.last_release
                         else "in the history (no release tag yet)")
            unread = []
            for commit in commits:
                if commit.is_merge:
                    continue  # every tool skips merge commits
                verdict = tool.judge(commit.message)
                if not verdict.understood:
                    unread.append((commit, verdict))
            for commit, verdict in unread[:MAX_COMMIT_FINDINGS]:
                yield self.finding(
                    _commit_location(commit.sha),
                    f"\"{_subject(commit.subject)}\" ({commit.short}, {since}) is not a commit "
                    f"message {tool.name} can read: {verdict.reason}; it is ignored when the next "
                    "version is decided",
                    fix=f"write messages as `type(scope): description` with a type {tool.name} "
                        f"knows ({tool.example_types}); install the `pubdoctor-commit-msg` "
                        "pre-commit hook to catch them before they land",
                    related=_reader(tool),
                )
            if len(unread) > MAX_COMMIT_FINDINGS:
                rest = unread[MAX_COMMIT_FINDINGS:]
                yield self.finding(
                    _commit_location(rest[0][0].sha),
                    f"and {len(rest):,} more commits {since} that {tool.name} cannot read "
                    f"(from {rest[0][0].short} \"{_subject(rest[0][0].subject)}\")",
                    fix="see `git log` for the rest; only future commits can be fixed without "
                        "rewriting history",
                    related=_reader(tool),
                )


def _hints(tool: ReleaseTool, prediction: Prediction) -> str:
    """What a patch, minor or breaking commit would release instead."""
    from packaging.version import InvalidVersion, Version

    minor = " or ".join(f"`{t}`" for t in tool.minor_types) or "`feat`"
    patch = " or ".join(f"`{t}`" for t in tool.patch_types if t not in tool.minor_types) or "`fix`"
    try:
        last = Version(prediction.last_version) if prediction.last_version else None
    except InvalidVersion:
        last = None
    if last is None:
        return f"a {patch} or {minor} commit would make the first release"
    if last.is_prerelease:
        last = Version(last.base_version)
    nexts = tool.next_versions(last)
    return (f"a {patch} commit would release {nexts['patch']}, a {minor} commit {nexts['minor']}, "
            f"a breaking change {nexts['major']}")


class NothingToRelease(Rule):
    """Nothing since the last release bumps the version, so the release tool makes no release."""

    code, name, severity = "PD302", "nothing-to-release", Severity.WARNING

    def check(self, release_tools: list[ReleaseTool], predictions: list[Prediction],
              context: Any) -> Iterator[Finding]:
        tools = _modelled(release_tools)
        if not tools:
            return  # no tool decides the version from the commits: the history is not read
        history: History = context.get("history")  # before any finding: unavailable, none
        yield from _release_branches(release_tools, context)
        if history.head is None or history.shallow:
            return  # no commit yet, or a history we cannot see whole
        for tool in tools:
            prediction = _prediction(tool, predictions)
            if prediction is None or not prediction.known or tool.path_scoped:
                continue  # a package's release depends on the commits touching its folder
            commits = [c for c in prediction.commits if not c.is_merge]
            where = Location(commit=history.head[:7])
            if prediction.next_version is not None:
                yield from self._release(tool, prediction, commits, where, history)
                continue
            if not commits:
                continue  # HEAD is the release: nothing new, nothing expected
            verdicts = [tool.judge(c.message) for c in commits]
            kinds = Counter(v.type.lower() if v.type and v.understood else (
                "other" if v.understood else "unreadable") for v in verdicts)
            summary = ", ".join(f"{n} {k}" for k, n in kinds.most_common())
            count = f"{len(commits)} commit{'s' if len(commits) != 1 else ''}"
            last = prediction.last_tag or "the start of the history (no release tag yet)"
            yield self.finding(
                where,
                f"none of the {count} since {last} ({summary}) bumps the version for "
                f"{tool.name}, so it will make no release and the publish job will not run; "
                f"{_hints(tool, prediction)}",
                fix=f"land a `fix:` or `feat:` commit (or a squash-merge PR title) for the change "
                    f"you want released, or force a release with {_OVERRIDES.get(tool.name, 'the tool')}",
                related=_reader(tool),
            )

    def _release(self, tool: ReleaseTool, prediction: Prediction, commits: list[Any],
                 where: Location, history: History) -> Iterator[Finding]:
        """A release the user may not expect: PSR's forced 1.0.0 (also as the first release),
        or commitizen reading the whole history because its tag_format misses the tags."""
        forced = tool.name == "python-semantic-release" and prediction.reason
        if prediction.last_tag is not None and not forced:
            return
        count = f"{len(commits)} commit{'s' if len(commits) != 1 else ''}"
        severity = Severity.INFO
        fix = "nothing to do if that is the version you want"
        from pubdoctor.sources.history import tag_version

        versioned = [t.name for t in history.tags if tag_version(t.name) is not None]
        if prediction.last_tag is None and tool.name == "commitizen" and versioned:
            # commitizen looks for the tag of its current version through tag_format only
            tags = ", ".join(f"`{name}`" for name in versioned[:3])
            message = (f"commitizen finds no tag for its current version {prediction.last_version} "
                       f"(the repository has {tags}), so it reads the {count} {prediction.baseline} "
                       f"and will release {prediction.next_version}")
            severity = Severity.WARNING
            fix = ("set `tag_format` in [tool.commitizen] to the format of your tags "
                   "(`v$version` for `v1.2.0`), or list the old one in `legacy_tag_formats`")
        elif prediction.last_tag is None:
            if not forced:
                return  # the first release is what the user asked for: nothing to say
            message = (f"no release tag yet: {tool.name} will make its first release, "
                       f"{prediction.next_version}, from the {count} {prediction.baseline}")
        else:
            message = (f"{tool.name} will release {prediction.next_version} after "
                       f"{prediction.last_tag}")
        if forced:
            message += (": `allow_zero_version` is false (its default since python-semantic-"
                        "release 10), so a 0.x version is released as 1.0.0 whatever the commits")
            fix = ("set `allow_zero_version = true` in `[tool.semantic_release]` to stay on 0.x "
                   "(a breaking change then makes 1.0.0)")
        yield self.finding(where, message, fix=fix, severity=severity, related=_reader(tool))


_GLOB = lazy_compile(r"[*?\[\]!+{}]")
#: semantic-release's default ``branches`` (the maintenance ranges are globs, left out here)
_SR_BRANCHES = ("master", "main", "next", "next-major", "beta", "alpha")


def _release_groups(tool: ReleaseTool) -> tuple[Any, str] | None:
    """``(matches(branch) -> bool, description)`` of the branches ``tool`` releases from, or
    None when they cannot be told (a glob, an expression)."""
    if tool.name == "python-semantic-release" and (tool.major or 10) >= 8:
        groups = tool.config.get("branches")
        groups = groups if isinstance(groups, dict) and groups else {"main": {"match": "(main|master)"}}
        patterns = [str(g.get("match", "(main|master)")) if isinstance(g, dict) else "(main|master)"
                    for g in groups.values()]
        try:
            compiled = [re.compile(".*" if p == "*" else p) for p in patterns]
        except re.error:
            return None
        return (lambda name: any(c.match(name) for c in compiled),
                "its release groups (`branches`: " + ", ".join(f"`{p}`" for p in patterns) + ")")
    if tool.name == "semantic-release":
        branches = tool.config.get("branches", tool.config.get("branch"))
        if branches is None:
            names: list[str] = list(_SR_BRANCHES)
        else:
            items = branches if isinstance(branches, list) else [branches]
            names = [str(b.get("name")) if isinstance(b, dict) else str(b) for b in items]
        if any(_GLOB.search(n) for n in names):
            return None
        return (lambda name: name in names,
                "its release branches (`branches`: " + ", ".join(f"`{n}`" for n in names) + ")")
    return None


def _release_branches(release_tools: list[ReleaseTool], context: Any) -> Iterator[Finding]:
    """A workflow that runs the tool only on pushes to branches it does not release from."""
    from pubdoctor.context import SourceUnavailable
    from pubdoctor.sources.releasetools import step_tool

    try:
        workflows = context.get("workflows")
    except SourceUnavailable:
        return
    for tool in _modelled(release_tools):
        groups = _release_groups(tool)
        if groups is None or not tool.in_workflow:
            continue
        matches, described = groups
        for workflow in workflows.files:
            if not any(step_tool(step.uses, step.run) == tool.name
                       for job in workflow.jobs.values() for step in job.steps):
                continue
            triggers = workflow.triggers
            push = triggers.get("push") if isinstance(triggers, dict) else None
            branches = push.get("branches") if isinstance(push, dict) else None
            if set(triggers) != {"push"} or not isinstance(branches, list) or not branches:
                continue  # other events (a manual run, a schedule) may run it on any branch
            names = [str(b) for b in branches]
            if any(_GLOB.search(n) or "${{" in n for n in names) or any(matches(n) for n in names):
                continue
            shown = ", ".join(f"`{n}`" for n in names)
            says = ("\"isn't in any release groups; no release will be made\""
                    if tool.name == "python-semantic-release" else
                    "\"semantic-release is configured to only publish from ..., therefore a new "
                    "version won't be published\"")
            yield NothingToRelease().finding(
                workflow.triggers_location,
                f"`{workflow.filename}` runs {tool.name} only on pushes to {shown}, which match none "
                f"of {described}: it makes no release there ({says}), and the publish job never runs",
                fix=f"add the branch to the `branches` of {tool.name}'s configuration, or run "
                    "the workflow on the branch it releases from",
            )


# --- PD303 ---------------------------------------------------------------------------------

_HISTORY_TOOLS = ("python-semantic-release", "commitizen", "semantic-release")

#: Actions that compute the next version (or a changelog) from the git tags and the commits
#: since the last one, in the checkout, and whose documentation asks for ``fetch-depth: 0``
#: (those that ask the GitHub API instead, such as release-please, need no history).
WRAPPER_ACTIONS = {
    "anothrnick/github-tag-action": "github-tag-action (anothrNick)",
    "paulhatch/semantic-version": "semantic-version (PaulHatch)",
    "gittools/actions/gitversion/execute": "GitVersion",
    "gittools/actions/gitversion/setup": None,  # installs it only
    "heyvito/semver-releaser": "semver-releaser",
    "orhun/git-cliff-action": "git-cliff",
}
#: Commands that do the same in a ``run`` step.
_WRAPPER_COMMANDS = (("gh semver", "gh-semver"), ("git-cliff --bump", "git-cliff"),
                     ("git-cliff --bumped-version", "git-cliff"), ("gitversion", "GitVersion"))


def wrapper_tool(step: Step) -> str | None:
    """The version-computing tool a step runs through an action or a command, if any."""
    if step.action:
        return WRAPPER_ACTIONS.get(step.action)
    text = " ".join((step.run or "").split()).lower()
    return next((name for command, name in _WRAPPER_COMMANDS if command in text), None)


def _is_checkout(step: Step) -> bool:
    if step.action != "actions/checkout":
        return False
    repository = step.with_.get("repository")
    return repository in (None, "", "${{ github.repository }}")


_TAG_CONDITION = lazy_compile(r"release|refs/tags", re.IGNORECASE)


def _publishes_untagged(workflow: Workflow, workflows: Workflows) -> bool:
    """Whether a run of ``workflow`` on something other than a tag can upload what it builds.

    A build on a branch push or pull request that is never uploaded is a CI check: its local
    version does no harm. Publishing jobs guarded by ``if: github.event_name == 'release'``
    or ``startsWith(github.ref, 'refs/tags/')`` upload from tags only.
    """
    if _tag_only(workflow, workflows):
        return False
    for item in workflows.publishing_jobs():
        if workflow.path not in (item.entry.path, item.workflow.path):
            continue
        guards = [item.job.if_, item.caller.if_ if item.caller else None]
        guards += [step.if_ for step in item.steps]
        if not any(isinstance(g, str) and _TAG_CONDITION.search(g) for g in guards):
            return True
    return False


def _tag_only(workflow: Workflow, workflows: Workflows, depth: int = 0) -> bool:
    """Whether every trigger checks out a tagged commit (tag pushes, releases)."""
    triggers = workflow.triggers
    if not triggers:
        return False
    for event, config in triggers.items():
        if event == "release":
            continue
        if event == "push" and isinstance(config, dict) and config.get("tags") is not None \
                and "branches" not in config and "branches-ignore" not in config:
            continue
        if event == "workflow_call" and depth < 3:
            callers = workflows.callers_of(workflow)
            if callers and all(_tag_only(w, workflows, depth + 1) for w, _ in callers):
                continue
        return False
    return True


#: Variables that give the version plugin its version instead of git.
_PRETEND = ("SETUPTOOLS_SCM_PRETEND_VERSION", "POETRY_DYNAMIC_VERSIONING_BYPASS")


def _pretend(step: Step, job: Job, workflow: Workflow) -> bool:
    """Whether the build is told its version (setuptools-scm's and hatch-vcs's pretend version)."""
    names = [*step.env, *job.env, *workflow.env]
    if any(name.startswith(_PRETEND) for name in names):
        return True
    return any(p in (step.run or "") for p in _PRETEND)


def _depth(step: Step) -> Any:
    value = step.with_.get("fetch-depth", 1)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return value


class ShallowCheckout(Rule):
    """A release tool or a version from git tags runs on a checkout without the history or tags."""

    code, name, severity = "PD303", "shallow-checkout", Severity.ERROR

    def check(self, workflows: Workflows, project: Project,
              release_tools: list[ReleaseTool]) -> Iterator[Finding]:
        from pubdoctor.sources.releasetools import step_tool

        vcs = project.vcs_version_tool
        for workflow in workflows.files:
            for job in workflow.jobs.values():
                found = self._job(job, workflow, workflows, vcs, step_tool)
                if found is not None:
                    yield found

    def _job(self, job: Job, workflow: Workflow, workflows: Workflows, vcs: str | None,
             step_tool: Any) -> Finding | None:
        checkout: Step | None = None
        for step in job.steps:
            if _is_checkout(step):
                checkout = step if checkout is None else checkout
                if _depth(step) == 0:
                    return None
                continue
            if step.run and "--unshallow" in step.run:
                return None
            if checkout is None:
                continue
            tool = step_tool(step.uses, step.run)
            wrapped = wrapper_tool(step) if tool is None else None
            why: str | None = None
            if tool in _HISTORY_TOOLS:
                why = (f"runs {tool}, which reads the commits since the last release tag; with a "
                       "shallow checkout it finds no tag and computes the wrong version, or none")
            elif wrapped:
                why = (f"runs {wrapped}, which computes the next version from the git tags and "
                       "the commits since the last one; with a shallow checkout it finds no tag "
                       "and computes the first version again")
            elif vcs and build_command(step) and not _pretend(step, job, workflow) \
                    and _publishes_untagged(workflow, workflows):
                why = (f"builds with {vcs} (the version comes from git tags); without the tags "
                       "the version becomes `0.1.dev1+g<sha>`, a local version the index refuses")
            if why is None:
                continue
            depth = _depth(checkout)
            if not isinstance(depth, int):
                return None  # an expression: cannot be known here
            how = ("its `actions/checkout` fetches only the last commit (`fetch-depth` defaults to 1)"
                   if "fetch-depth" not in checkout.with_ else
                   f"its `actions/checkout` has `fetch-depth: {depth}`")
            if str(checkout.with_.get("fetch-tags", "")).lower() == "true":
                how += "; `fetch-tags: true` brings the tags but not the commits between them and HEAD"
            return self.finding(
                checkout.key_location("uses"),
                f"job `{job.id}` {why}, but {how}",
                fix=f"add `fetch-depth: 0` under `with:` of the `actions/checkout` step of job `{job.id}`",
            )
        return None


# --- PD304 ---------------------------------------------------------------------------------

def _publishes_from_branches(workflows: Workflows) -> bool:
    """Whether an upload can run on a commit that is not a release tag: a trigger other than
    a tag push or a release, with ``if:`` conditions (job, step, needed and calling jobs) not
    certainly false there, judged as PD103 and PD108 judge them."""
    from pubdoctor.rules.triggers import may_run_untagged

    return any(may_run_untagged(item, step) for item in workflows.publishing_jobs()
               for step in item.steps)


def _sets_version(workflow: Workflow, job: Job) -> bool:
    """Whether the publishing job, or a job it needs, writes the version before building."""
    from pubdoctor.sources.versionsteps import sets_version

    return sets_version(workflow, job) is not None


class VersionNotBumped(Rule):
    """The static version in pyproject.toml is not above the last release tag."""

    code, name, severity = "PD304", "version-not-bumped", Severity.ERROR

    def check(self, project: Project, release_tools: list[ReleaseTool],
              workflows: Workflows, packages: Packages, context: Any) -> Iterator[Finding]:
        from packaging.version import InvalidVersion, Version

        # what pyproject.toml and the workflows tell first: the git history is read (two git
        # processes) only for a static version that no tool or step replaces
        if any(t.bumps_version for t in release_tools):
            return
        written = project.static_version
        if written is None:
            return
        if project.tool("poetry-dynamic-versioning").get("enable") is True:
            return  # the plugin replaces the placeholder version (often 0.0.0) at build time
        try:
            version = Version(written)
        except InvalidVersion:
            return  # not a version at all: the metadata rules say so
        if not packages.root_uploaded:
            # the uploads send packages below the root (a workspace's members): the root's
            # version is never published, and which of them a tag belongs to is not known
            return
        publishing = workflows.publishing_jobs()
        if publishing and all(_sets_version(item.workflow, item.job) for item in publishing):
            return  # every release writes its version (`uv version 1.2.0`) before it builds
        history: History = context.get("history")
        if history.last_release is None:
            return
        if not history.top_level:
            return  # a package in a subfolder: the repository's tags may be another package's
        last = history.last_release
        table = "project" if project.project_table.get("version") else "tool.poetry"
        where = project.locate(table, "version")
        since = len([c for c in history.commits if not c.is_merge])
        if version < last.version:
            yield self.finding(
                where,
                f"the version {written} in pyproject.toml is lower than the last release tag "
                f"{last.name} ({last.version}); a build of this commit publishes an older version, "
                "which the index refuses if it exists and users never install otherwise",
                fix=f"set `version` above {last.version} before the next release",
            )
        elif version == last.version and since and _publishes_from_branches(workflows):
            yield self.finding(
                where,
                f"the version {written} in pyproject.toml is the version of the last release tag "
                f"{last.name}, with {since} commit{'s' if since != 1 else ''} since; a workflow "
                "publishes from commits that are not release tags (branch pushes or manual runs), "
                "and the index answers \"File already exists\"",
                fix=f"bump `version` above {last.version} in the commit you want to publish",
                severity=Severity.WARNING,
            )


# --- PD305 ---------------------------------------------------------------------------------

_TOKEN_INPUTS = ("github_token", "github-token", "token")
_TOKEN_ENV = ("GH_TOKEN", "GITHUB_TOKEN")
#: scopes each tool writes with the job's token: the tag and release, and release-please's PR
_NEEDS = {
    "python-semantic-release": ("contents",),
    "commitizen": ("contents",),
    "semantic-release": ("contents",),
    "release-please": ("contents", "pull-requests"),
}
_DOES = {
    "python-semantic-release": "pushes the release commit and tag and creates the GitHub release",
    "commitizen": "pushes the bump commit and tag",
    "semantic-release": "pushes the tag and creates the GitHub release",
    "release-please": "opens the release pull request and creates the tag and release",
}


def _own_token(value: Any) -> bool:
    """A token that is not the job's GITHUB_TOKEN (a PAT, an app token): permissions do not apply."""
    if value is None or not str(value).strip():
        return False
    text = str(value)
    return "secrets.GITHUB_TOKEN" not in text and "github.token" not in text


def _pushes(tool: str, step: Step, job: Job) -> bool:
    """Whether the step (or the job after it) writes to the repository with the token."""
    if tool == "commitizen" and step.run is not None:
        return any(s.run and "git push" in s.run for s in job.steps[step.index:])
    if tool == "commitizen":
        return str(step.with_.get("push", "true")).lower() != "false"
    if tool == "python-semantic-release" and step.uses:
        # the action's inputs: nothing is written with `push: false` and `vcs_release: false`
        return any(str(step.with_.get(key, "true")).strip().lower() != "false"
                   for key in ("push", "vcs_release"))
    if step.run is not None and "--no-push" in step.run:
        return False
    return True


class MissingContentsWrite(Rule):
    """A release tool's job cannot push the tag or create the release with its token."""

    code, name, severity = "PD305", "missing-contents-write", Severity.ERROR

    def check(self, workflows: Workflows) -> Iterator[Finding]:
        from pubdoctor.sources.permissions import effective
        from pubdoctor.sources.releasetools import step_tool

        for workflow in workflows.files:
            for job in workflow.jobs.values():
                if any(_own_token(job.env.get(k)) or _own_token(workflow.env.get(k)) for k in _TOKEN_ENV):
                    continue
                checkout_token = next((s.with_.get("token") for s in job.steps if _is_checkout(s)), None)
                for step in job.steps:
                    tool = step_tool(step.uses, step.run)
                    if tool is None or not _pushes(tool, step, job):
                        continue
                    if any(_own_token(step.with_.get(k)) for k in _TOKEN_INPUTS) or any(
                            _own_token(step.env.get(k)) for k in _TOKEN_ENV):
                        break
                    if step.run is not None and _own_token(checkout_token):
                        break
                    missing = []
                    grant = None
                    for scope in _NEEDS.get(tool, ("contents",)):
                        grant = effective(scope, job.permissions, workflow.permissions)
                        if grant.level != "write":
                            missing.append(scope)
                    if not missing or grant is None:
                        break
                    needed = ", ".join(f"`{scope}: write`" for scope in missing)
                    if grant.source == "default":
                        yield self.finding(
                            job.location,
                            f"job `{job.id}` runs {tool} with the default GITHUB_TOKEN permissions "
                            f"(no `permissions` block): it needs {needed}, which the default gives "
                            "only where the repository's workflow permissions are read and write "
                            "(read-only is the default for repositories created since 2023)",
                            fix=f"add {needed} to the `permissions` of job `{job.id}`",
                            severity=Severity.INFO,
                        )
                    else:
                        perms = job.permissions if grant.source == "job" else workflow.permissions
                        location = perms.location if perms is not None else job.location
                        yield self.finding(
                            location,
                            f"job `{job.id}` runs {tool}, which {_DOES[tool]} with the job's "
                            f"token, but {grant.reason} do not grant {needed}; GitHub refuses it "
                            "(403: `Permission to ... denied to github-actions[bot]` or "
                            "`Resource not accessible by integration`) and no release is made",
                            fix=f"add {needed} to the `permissions` of job `{job.id}`",
                        )
                    break
