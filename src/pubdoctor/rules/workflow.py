"""PD100: workflow files that GitHub (and pubdoctor) cannot read."""

from __future__ import annotations

from collections.abc import Iterator

from pubdoctor.findings import Finding, Location, Severity
from pubdoctor.rules import Rule
from pubdoctor.sources.workflows import Workflows


class InvalidWorkflow(Rule):
    """A file in `.github/workflows` cannot be read or parsed as a workflow."""

    code, name, severity = "PD100", "invalid-workflow", Severity.ERROR

    def check(self, workflows: Workflows) -> Iterator[Finding]:
        for error in workflows.errors:
            location = Location(path=error.path, line=error.line or 1, col=error.col or 1)
            consequence = ("GitHub will not run this workflow (pubdoctor checked the jobs it "
                           "could read)" if error.checked else
                           "GitHub will not run this workflow and its jobs were not checked")
            yield self.finding(
                location,
                f"{error.message}; {consequence}",
                fix="make the file valid UTF-8 YAML with a top-level mapping (`on:`, `jobs:`)"
                    + (" and no duplicate keys" if error.checked else ""),
            )
