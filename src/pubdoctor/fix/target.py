"""From a finding back to the workflow, job and step it points at, and to their YAML nodes."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from pubdoctor.findings import Finding, Location
from pubdoctor.fix.text import CannotPlace, Edit, YamlText
from pubdoctor.records import record
from pubdoctor.sources.workflows import Job, Step, Workflow, Workflows


@record
class FixInput:
    """What a fixer reads: the models of this pass, and each file's text with its nodes."""

    workflows: Workflows
    texts: dict[str, str]

    def __post_init__(self) -> None:
        self._yaml: dict[str, YamlText] = {}

    def yaml(self, path: str) -> YamlText:
        """The file every edit of ``path`` is made in (never one GitHub refuses as it is)."""
        if any(error.path == path for error in self.workflows.errors):
            raise CannotPlace("GitHub refuses this file as it is (PD100): fix that first")
        if path not in self.texts:
            raise CannotPlace(f"`{path}` is not a workflow file that can be edited")
        if path not in self._yaml:
            self._yaml[path] = YamlText(self.texts[path], path)
        return self._yaml[path]

    def workflow(self, path: str) -> Workflow:
        workflow = self.workflows.get(path)
        if workflow is None or workflow.path not in self.texts:
            raise CannotPlace(f"`{path}` is not a workflow file that can be edited")
        return workflow

    def job_node(self, workflow: Workflow, job: Job) -> Any:
        node = self.yaml(workflow.path).document["jobs"][job.id]
        if not isinstance(node, dict):
            raise CannotPlace(f"job `{job.id}` is not a mapping")
        return node

    def step_node(self, workflow: Workflow, job: Job, step: Step) -> Any:
        steps = self.job_node(workflow, job).get("steps")
        if not isinstance(steps, list) or not isinstance(steps[step.index], dict):
            raise CannotPlace(f"step {step.index + 1} of job `{job.id}` is not a mapping")
        return steps[step.index]


def same_place(a: Location, b: Location) -> bool:
    return (a.path, a.line, a.col) == (b.path, b.line, b.col)


def step_at(fix_input: FixInput, location: Location, key: str | None = None
            ) -> tuple[Workflow, Job, Step]:
    """The step whose mapping (or whose ``key``) is at ``location``."""
    workflow = fix_input.workflow(location.path)
    for job in workflow.jobs.values():
        for step in job.steps:
            where = step.key_location(key) if key else step.location
            if same_place(where, location):
                return workflow, job, step
    raise CannotPlace("no step at the finding's position")


#: repository path -> the edits of one fix in that file
Edits = dict[str, list[Edit]]
#: what a fixer is: the finding and this pass's input -> edits; raises `CannotPlace`
Fixer = Callable[[Finding, FixInput], Edits]


def one(path: str, *edits: Edit) -> Edits:
    return {path: list(edits)}


def merge(*parts: Edits) -> Edits:
    out: Edits = {}
    for part in parts:
        for path, edits in part.items():
            out.setdefault(path, []).extend(edits)
    return out


def finding_job(finding: Finding, fix_input: FixInput) -> tuple[Workflow, Job]:
    """The job a finding's fix text names (``... of job `release```)."""
    match = re.search(r"job `([^`]+)`", finding.fix)
    workflow = fix_input.workflow(finding.location.path)
    if match is None or match.group(1) not in workflow.jobs:
        raise CannotPlace("the finding names no job of this workflow")
    return workflow, workflow.jobs[match.group(1)]
