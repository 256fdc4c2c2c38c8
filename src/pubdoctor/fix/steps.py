"""Fixes of a step's ``with:``: PD303 (``fetch-depth: 0``) and PD107 (``if-no-files-found: error``)."""

from __future__ import annotations

from pubdoctor.findings import Finding
from pubdoctor.fix.target import Edits, FixInput, merge, one, step_at
from pubdoctor.fix.text import CannotPlace, Edit
from pubdoctor.sources.workflows import Job, Step, Workflow


def set_input(fix_input: FixInput, workflow: Workflow, job: Job, step: Step, key: str,
              value: str) -> Edit:
    """``key: value`` under the step's ``with:``, which is created when there is none."""
    yaml = fix_input.yaml(workflow.path)
    node = fix_input.step_node(workflow, job, step)
    what = f"step {step.index + 1} of job `{job.id}`"
    if "with" not in node:
        return yaml.add_entry(node, "with", [f"{key}: {value}"], what)
    inputs = node["with"]
    if not isinstance(inputs, dict):
        raise CannotPlace(f"the `with:` of {what} is not a mapping")
    if key in inputs:
        yaml.check_editable(inputs, f"the `with:` of {what}")
        return yaml.set_scalar(inputs, key, value)
    return yaml.add_entry(inputs, key, value, f"the `with:` of {what}")


def fix_shallow_checkout(finding: Finding, fix_input: FixInput) -> Edits:
    """PD303: the finding points at the checkout's ``uses``; fetch the whole history there."""
    workflow, job, step = step_at(fix_input, finding.location, "uses")
    return one(workflow.path, set_input(fix_input, workflow, job, step, "fetch-depth", "0"))


def fix_unchecked_upload(finding: Finding, fix_input: FixInput) -> Edits:
    """PD107: every upload step the finding names (its location and related ones) fails when
    it finds no files."""
    parts = []
    for location in (finding.location, *finding.related):
        workflow, job, step = step_at(fix_input, location)
        parts.append(one(workflow.path, set_input(fix_input, workflow, job, step,
                                                  "if-no-files-found", "error")))
    return merge(*parts)
