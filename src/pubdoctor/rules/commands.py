"""PD112: an upload command given another tool's option, which it rejects.

`uv publish` and `twine upload` name the same things differently, and a workflow moved from
one to the other often keeps the old spelling. Both reject an option they do not know before
uploading anything (uv: ``error: unexpected argument '--repository' found``; twine:
``error: unrecognized arguments``). Only options documented for the other tool are listed
here, so an option this table does not know is never reported.
"""

from __future__ import annotations

from collections.abc import Iterator

from pubdoctor.findings import Finding, Severity
from pubdoctor.rules import Rule
from pubdoctor.sources.publishing import shell_words
from pubdoctor.sources.workflows import Workflows

#: tool -> {option of another tool: what this tool calls it}
FOREIGN_OPTIONS: dict[str, dict[str, str]] = {
    "uv": {
        "--repository": "`--publish-url URL` (or `--index NAME` for an index in `[tool.uv.index]`)",
        "--repository-url": "`--publish-url URL`",
    },
    "twine": {
        "--publish-url": "`--repository-url URL`",
        "--token": "`--username __token__ --password TOKEN` (or `TWINE_PASSWORD`)",
        "--check-url": "`--skip-existing`",
    },
}


def _options(command: str) -> list[str]:
    return [t.split("=", 1)[0] for t in shell_words(command) if t.startswith("--")]


class ForeignPublishOption(Rule):
    """An upload command is given an option of another upload tool, and will reject it."""

    code, name, severity = "PD112", "foreign-publish-option", Severity.ERROR

    def check(self, workflows: Workflows) -> Iterator[Finding]:
        for workflow in workflows.files:
            for job in workflow.jobs.values():
                for step in job.publish_steps:
                    publish = step.publish
                    if publish is None or not publish.command or publish.tool not in FOREIGN_OPTIONS:
                        continue
                    known = FOREIGN_OPTIONS[publish.tool]
                    for option in _options(publish.command):
                        if option in known:
                            yield self.finding(
                                step.key_location("run"),
                                f"`{publish.tool}` has no `{option}` option (`{publish.command}`): "
                                "the command stops with a usage error before uploading anything",
                                fix=f"use {known[option]}",
                            )
