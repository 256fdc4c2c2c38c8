"""PD001: a ``# pubdoctor: ignore[...]`` comment that silences nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, ClassVar

from pubdoctor.findings import Finding, Severity
from pubdoctor.rules import Rule, all_rules
from pubdoctor.settings import selector_matches

if TYPE_CHECKING:  # the source is loaded by the context after the other rules ran
    from pubdoctor.suppressions import Suppressions


class UnusedSuppression(Rule):
    """A suppression comment silences no finding."""

    code, name, severity = "PD001", "unused-suppression", Severity.INFO
    #: judged on what the other rules found, so it runs after them (see `engine.run_rules`)
    runs_last: ClassVar[bool] = True

    def check(self, suppressions: Suppressions) -> Iterator[Finding]:
        rules = all_rules()
        ran = suppressions.ran
        for comment in suppressions.comments:
            unknown = [s for s in comment.selectors
                       if not any(selector_matches(s, r.code, r.name) for r in rules)]
            unused = [s for s in comment.selectors if s not in comment.used and s not in unknown
                      # a rule that did not run (not selected, or its source was missing)
                      # might have found something: only rules that ran can be judged
                      and all(r.code in ran for r in rules if selector_matches(s, r.code, r.name))]
            if not comment.selectors:
                yield self.finding(comment.location, "`# pubdoctor: ignore[]` names no rule",
                                   fix="name the rules to silence, or remove the comment")
            if unknown:
                yield self.finding(
                    comment.location,
                    f"`# pubdoctor: ignore[...]` names {_list(unknown)}, which match"
                    f"{'es' if len(unknown) == 1 else ''} no rule",
                    fix="use rule codes or names (`pubdoctor rule` lists them)")
            if unused:
                yield self.finding(
                    comment.location,
                    f"`# pubdoctor: ignore[...]` silences nothing for {_list(unused)}: no such "
                    "finding on this line or the next",
                    fix="remove " + ("the comment" if len(unused) == len(comment.selectors)
                                     else "the unused codes") + " (the problem was fixed, or moved)")


def _list(selectors: list[str]) -> str:
    return ", ".join(f"`{s}`" for s in selectors)
