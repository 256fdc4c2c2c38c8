"""PD104: the publish action's ref to ``release/v1``, or a SHA pin to the newest release."""

from __future__ import annotations

import re

from pubdoctor.findings import Finding
from pubdoctor.fix.target import Edits, FixInput, one, step_at
from pubdoctor.fix.text import CannotPlace, Edit
from pubdoctor.lazyregex import lazy_compile

_SHA = lazy_compile(r"^[0-9a-f]{40}$", re.IGNORECASE)
_COMMENT_VERSION = lazy_compile(r"\bv?\d+\.\d+(?:\.\d+)?\b")
_COMMENT = lazy_compile(r"[ \t]+#[^\r\n\x85\u2028\u2029]*")


def fix_outdated_action(finding: Finding, fix_input: FixInput) -> Edits:
    """A branch or tag ref becomes ``release/v1``, which follows the newest release; a SHA pin
    stays a SHA pin, of the newest known release, and its ``# vX.Y.Z`` comment follows."""
    from pubdoctor.sources.actiontags import newest_release

    workflow, job, step = step_at(fix_input, finding.location, "uses")
    yaml = fix_input.yaml(workflow.path)
    node = fix_input.step_node(workflow, job, step)
    yaml.check_editable(node, f"step {step.index + 1} of job `{job.id}`")
    start, end = yaml.scalar_span(node, "uses")
    written = yaml.text[start:end]
    at = written.find("@")
    if at < 0:
        raise CannotPlace("the `uses` value has no ref")
    ref_end = end - 1 if written[-1:] in "'\"" else end
    old_ref = yaml.text[start + at + 1:ref_end]
    if not _SHA.match(old_ref):
        return one(workflow.path, Edit(start + at + 1, ref_end, "release/v1"))
    tag, sha = newest_release()
    edits = [Edit(start + at + 1, ref_end, sha)]
    comment = _COMMENT.match(yaml.text, end)
    version = _COMMENT_VERSION.search(comment.group()) if comment else None
    if comment is None or version is None:
        raise CannotPlace("the SHA pin has no version comment to keep in step with it")
    edits.append(Edit(end + version.start(), end + version.end(), tag))
    return one(workflow.path, *edits)
