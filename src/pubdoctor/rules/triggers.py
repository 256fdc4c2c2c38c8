"""PD103, PD108: the events a publish job runs on, read through its ``if:`` conditions.

The heuristic is deliberately conservative. Each trigger of the workflow becomes a
`Scenario` (what the event fixes before the run: ``github.event_name``, whether
``github.ref`` is a tag, a branch or a pull request ref, which names are short names) and
the ``if:`` of the publish step, of its job, of the jobs it ``needs`` and of the job that
calls its workflow are evaluated in it with three-valued logic (see
`pubdoctor.sources.expressions`). Anything not fixed by the event (step outputs, inputs,
variables) stays unknown, so:

- PD103 reports a pull-request trigger only when the publish step **certainly** runs for it;
- PD108 reports a publish job only when it **certainly** never runs, for every trigger.

Comparisons of ``github.repository`` or ``github.repository_owner`` with a literal are taken
as true: they keep forks from running the workflow, and pubdoctor checks the repository the
workflow belongs to.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from pubdoctor.findings import Finding, Severity
from pubdoctor.lazyregex import lazy_compile
from pubdoctor.rules import Rule
from pubdoctor.sources.expressions import (Prefix, Scenario, condition_value, scenario_for,
                                           uses_status_function)
from pubdoctor.sources.workflows import Job, PublishingJob, Step, Workflow, Workflows

_PR_EVENTS = ("pull_request_target", "pull_request")


def _job_chain(workflow: Workflow, job: Job, seen: frozenset[str] = frozenset()) -> list[Any]:
    """The ``if:`` of a job and of every job it needs (unless it runs regardless of them)."""
    conditions: list[Any] = [job.if_]
    if uses_status_function(job.if_):
        return conditions
    for need in job.needs:
        needed = workflow.jobs.get(need)
        if needed is not None and need not in seen:
            conditions.extend(_job_chain(workflow, needed, seen | {job.id}))
    return conditions


def run_conditions(item: PublishingJob) -> list[Any]:
    """Every ``if:`` that must hold for the job of ``item`` to run (step conditions apart)."""
    conditions = _job_chain(item.workflow, item.job)
    if item.caller is not None:
        conditions.extend(_job_chain(item.entry, item.caller))
    return conditions


_GLOB = lazy_compile(r"[*?\[\]!+]")


def _branch_push(config: Any) -> Scenario | None:
    """A ``push`` of a branch under these filters, or None when the filters admit only tags.

    GitHub runs a push workflow for branches unless only ``tags``/``tags-ignore`` are given;
    a single literal branch name (``branches: [main]``) fixes ``github.ref`` exactly.
    """
    config = config if isinstance(config, dict) else {}
    has_tags = "tags" in config or "tags-ignore" in config
    has_branches = "branches" in config or "branches-ignore" in config
    if has_tags and not has_branches:
        return None
    scenario = scenario_for("push", {"branches": ["*"]})
    branches = config.get("branches")
    branches = [branches] if isinstance(branches, str) else branches
    if isinstance(branches, list) and len(branches) == 1 and isinstance(branches[0], str) \
            and not _GLOB.search(branches[0]) and "branches-ignore" not in config:
        ref = f"refs/heads/{branches[0]}"
        scenario.values.update({"github.ref": ref, "github.event.ref": ref,
                                "github.ref_name": branches[0]})
    return scenario


def untagged_runs(entry: Workflow) -> list[tuple[str, Scenario]]:
    """The runs of ``entry`` on a commit that is not a release tag, as ``(kind, scenario)``.

    ``kind`` is ``branch`` (a branch push, a pull request, a schedule, a merge queue or a
    ``workflow_run``), ``manual`` (a dispatch run from a branch) or ``other`` (an event whose
    ref pubdoctor cannot tell, ``workflow_call`` among them). Releases and tag-only pushes
    are never untagged.
    """
    runs: list[tuple[str, Scenario]] = []
    for event, config in entry.triggers.items():
        if event == "release":
            continue
        if event == "push":
            scenario = _branch_push(config)
            if scenario is not None:
                runs.append(("branch", scenario))
        elif event in ("pull_request", "pull_request_target", "schedule", "merge_group",
                       "workflow_run"):
            runs.append(("branch", scenario_for(event, config)))
        elif event in ("workflow_dispatch", "repository_dispatch"):
            scenario = scenario_for(event, config)
            scenario.values.update({"github.ref": Prefix("refs/heads/"), "github.ref_type": "branch"})
            runs.append(("manual", scenario))
        else:
            runs.append(("other", scenario_for(event, config)))
    return runs


def may_run_untagged(item: PublishingJob, step: Step | None = None) -> bool:
    """Whether the job (and ``step``) of ``item`` can run on a commit that is not a release tag:
    its ``if:`` conditions are not certainly false for some untagged run."""
    conditions = [*run_conditions(item), step.if_ if step is not None else None]
    return any(condition_value(conditions, scenario) is not False
               for _, scenario in untagged_runs(item.entry))


def runs_on_branches(item: PublishingJob, step: Step | None = None) -> bool:
    """Whether the job (and ``step``) of ``item`` certainly runs on some commit of a branch."""
    conditions = [*run_conditions(item), step.if_ if step is not None else None]
    return any(kind == "branch" and condition_value(conditions, scenario) is True
               for kind, scenario in untagged_runs(item.entry))


def unique_jobs(workflows: Workflows) -> list[PublishingJob]:
    """Publishing jobs once each, however many callers reach them (for caller-blind rules)."""
    seen: set[tuple[str, str]] = set()
    result = []
    for item in workflows.publishing_jobs():
        key = (item.workflow.path, item.job.id)
        if key not in seen:
            seen.add(key)
            result.append(item)
    return result


def _tools(steps: list[Step]) -> str:
    return ", ".join(sorted({s.publish.tool for s in steps if s.publish}))


class PullRequestPublishing(Rule):
    """A job publishes on `pull_request` or `pull_request_target` events."""

    code, name, severity = "PD103", "pull-request-publishing", Severity.WARNING

    def check(self, workflows: Workflows) -> Iterator[Finding]:
        for item in workflows.publishing_jobs():
            entry, job = item.entry, item.job
            # A workflow run only by pull-request events: whenever the job runs, it runs on one,
            # so a condition pubdoctor cannot decide (a label, an input) does not help where
            # every such run fails (trusted publishing on `pull_request_target`). On
            # `pull_request` an undecidable condition (`github.event.pull_request.merged`) may
            # pick the pull requests of this repository, which get a token: not judged.
            only_pull_requests = bool(entry.triggers) and set(entry.triggers) <= set(_PR_EVENTS)
            for event in _PR_EVENTS:
                if event not in entry.triggers:
                    continue
                scenario = scenario_for(event, entry.triggers[event])
                base = run_conditions(item)
                steps = [s for s in item.steps if s.publish and not s.publish.dry_run]
                if event == "pull_request_target":
                    steps = [s for s in steps if s.publish and s.publish.credentials == "trusted"]
                values = {id(s): condition_value([*base, s.if_], scenario) for s in steps}
                running = [s for s in steps if values[id(s)] is True
                           or (only_pull_requests and event == "pull_request_target"
                               and values[id(s)] is not False)]
                if not running:
                    continue
                where = f"job `{job.id}`" + (f" (called from `{entry.filename}`)" if item.is_called else "")
                if any(values[id(s)] is not True for s in running):
                    where += (" (its `if:` cannot be decided here, but every trigger of "
                              f"`{entry.filename}` is a pull-request event, so whenever it runs, it "
                              "runs on one)")
                if event == "pull_request_target":
                    yield self.finding(
                        job.location,
                        f"{where} publishes with trusted publishing ({_tools(running)}) on "
                        "`pull_request_target` events, which PyPI refuses: \"Publishing from a "
                        "workflow invoked via 'pull_request_target' is not supported.\"",
                        fix="publish from a `release` or tag `push` workflow, or add "
                            "`if: github.event_name != 'pull_request_target'` to the job",
                        severity=Severity.ERROR,
                        related=(entry.triggers_location,),
                    )
                else:
                    yield self.finding(
                        job.location,
                        f"{where} publishes ({_tools(running)}) on `pull_request` events: a pull "
                        "request from a fork gets neither an OIDC token nor secrets, so the upload "
                        "fails, and any other pull request would publish unreleased code",
                        fix="restrict the job, e.g. `if: startsWith(github.ref, 'refs/tags/')` or "
                            "`if: github.event_name == 'release'`, or publish from a separate "
                            "release workflow",
                        related=(entry.triggers_location,),
                    )


_SHORT_NAMES = lazy_compile(r"(workflow_run\.head_branch|ref_name|head_ref|base_ref|release\.tag_name)"
                          r"[^)]*'refs/", re.IGNORECASE)


def _hint(conditions: list[Any]) -> str:
    text = " ".join(str(c) for c in conditions if c is not None)
    match = _SHORT_NAMES.search(text)
    if match:
        name = match.group(1).lower()
        shown = {"workflow_run.head_branch": "github.event.workflow_run.head_branch",
                 "release.tag_name": "github.event.release.tag_name"}.get(name, f"github.{name}")
        return (f"; `{shown}` holds a short name (a branch or tag name such as `v1.2.0`), never "
                "`refs/...`")
    if "workflow_run" in text or "github.ref" in text:
        return "; for `workflow_run` and `schedule` events `github.ref` is the default branch"
    return ""


class UnreachablePublishJob(Rule):
    """A publish step can never run: its `if:` conditions are false for every trigger."""

    code, name, severity = "PD108", "unreachable-publish-job", Severity.ERROR

    def check(self, workflows: Workflows) -> Iterator[Finding]:
        reported: set[tuple[str, str]] = set()
        for item in workflows.publishing_jobs():
            entry, job = item.entry, item.job
            key = (item.workflow.path, job.id)
            if key in reported or not entry.triggers or "workflow_call" in entry.triggers:
                continue
            scenarios = [scenario_for(event, config) for event, config in entry.triggers.items()]
            base = run_conditions(item)
            steps = [s for s in item.steps if s.publish]
            if any(condition_value([*base, s.if_], sc) is not False for s in steps for sc in scenarios):
                continue
            reported.add(key)
            events = ", ".join(f"`{e}`" for e in entry.triggers)
            if all(condition_value(base, sc) is False for sc in scenarios):
                location = job.key_location("if") if job.if_ is not None else job.location
                what = f"job `{job.id}` can never run: its `if:` (or that of a job it needs)"
                conditions = base
            else:
                step = steps[0]
                location = step.key_location("if")
                what = f"the publish step of job `{job.id}` can never run: its `if:`"
                conditions = [*base, step.if_]
            yield self.finding(
                location,
                f"{what} is false for every trigger of `{entry.filename}` ({events}), so nothing "
                f"is ever published{_hint(conditions)}",
                fix="make the condition match what the event really provides, e.g. "
                    "`startsWith(github.ref, 'refs/tags/')` on a tag `push`, or "
                    "`github.event_name == 'release'` with an `on: release` trigger",
            )


#: The activity types of ``release`` that start a run for one release of one tag. GitHub
#: (events that trigger workflows, ``release``): publishing a release fires ``published`` and
#: ``released`` (``prereleased`` for a pre-release); ``created`` fires too when it was not saved
#: as a draft first (no run is started for drafts); ``edited`` fires on every later edit.
_RELEASE_TYPES = ("created", "published", "released", "prereleased", "edited")
#: types that always fire together when a (full) release is published
_ALWAYS_TOGETHER = {"published", "released"}


def _tag_runs(entry: Workflow) -> list[tuple[str, Scenario]]:
    """The runs ``entry`` gets for one release tag: its tag push and each release type."""
    runs: list[tuple[str, Scenario]] = []
    push = entry.triggers.get("push", False)
    if push is not False:
        config = push if isinstance(push, dict) else {}
        if not (("branches" in config or "branches-ignore" in config)
                and not ("tags" in config or "tags-ignore" in config)):
            runs.append(("a tag `push`", scenario_for("push", {"tags": ["*"]})))
    if "release" in entry.triggers:
        config = entry.triggers["release"]
        types = config.get("types") if isinstance(config, dict) else None
        types = [types] if isinstance(types, str) else types
        wanted = [str(t) for t in types] if isinstance(types, list) else list(_RELEASE_TYPES)
        for kind in _RELEASE_TYPES:
            if kind in wanted:
                runs.append((f"`release: {kind}`", scenario_for("release", {"types": [kind]})))
    return runs


def _tolerates_existing(step: Step) -> bool:
    """An upload that skips files already on the index (``skip-existing``, ``--check-url``)."""
    publish = step.publish
    return publish is not None and (publish.skip_existing or "--check-url" in (publish.command or ""))


class DuplicatePublishRuns(Rule):
    """Overlapping triggers upload the same release twice; the second run is refused."""

    code, name, severity = "PD113", "duplicate-publish-runs", Severity.WARNING

    def check(self, workflows: Workflows) -> Iterator[Finding]:
        reported: set[tuple[str, str]] = set()
        for item in workflows.publishing_jobs():
            key = (item.entry.path, item.job.id)
            steps = [s for s in item.steps if s.publish and not s.publish.dry_run
                     and not _tolerates_existing(s)]
            if key in reported or not steps:
                continue
            base = run_conditions(item)
            uploading: list[tuple[str, bool]] = []
            for label, scenario in _tag_runs(item.entry):
                values = [condition_value([*base, s.if_], scenario) for s in steps]
                if any(v is not False for v in values):
                    uploading.append((label, any(v is True for v in values)))
            if len(uploading) < 2:
                continue
            reported.add(key)
            certain = {label.split(": ", 1)[-1].strip("`") for label, sure in uploading
                       if sure and label.startswith("`release")}
            error = _ALWAYS_TOGETHER <= certain
            labels = ", ".join(label for label, _ in uploading)
            yield self.finding(
                item.job.location,
                f"job `{item.job.id}` uploads on {labels}: one release starts "
                + ("several runs (publishing a release always fires `published` and `released`)"
                   if error else "more than one run (a pushed tag and the release made from it, "
                   "or the release's several activity types)")
                + ", each building and uploading the same version, and the index refuses the "
                "second (`400 File already exists`), failing that run",
                fix="upload from one event only: `on: push: tags` or `on: release: types: "
                    "[published]`, or restrict the job with `if: github.event_name == 'release'`"
                    " (or `github.event.action == 'published'`)",
                severity=Severity.ERROR if error else Severity.WARNING,
                related=(item.entry.triggers_location,),
            )
