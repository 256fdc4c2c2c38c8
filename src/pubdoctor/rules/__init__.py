"""The rule registry.

A rule is a small class: ``code``, ``name``, ``severity``, a docstring that is its one-line
summary, optional ``requires`` (codes whose findings make this rule redundant), and a
``check()`` whose parameter names say which sources it reads (``project``, ``workflows``,
``history``, ``dist``, ``index``, ``settings``, ``context``). Its catalogue page is
``rules/<code>.md`` at the top of the repository.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Iterator
from typing import Any, ClassVar

from pubdoctor.findings import Finding, Location, Severity

#: One module per rule family; importing them must stay cheap (no gitpython, no network).
RULE_MODULES = (
    "pubdoctor.rules.workflow",
    "pubdoctor.rules.permissions",
    "pubdoctor.rules.triggers",
    "pubdoctor.rules.actions",
    "pubdoctor.rules.credentials",
    "pubdoctor.rules.jobs",
    "pubdoctor.rules.commands",
    "pubdoctor.rules.identity",
    "pubdoctor.rules.provenance",
    "pubdoctor.rules.versions",
    "pubdoctor.rules.history",
    "pubdoctor.rules.releases",
    "pubdoctor.rules.suppression",
)

DOCS_URL = "https://github.com/pubdoctor/pubdoctor/blob/main/rules/{code}.md"


class Rule:
    """Base class of every rule; subclasses set the class attributes and write ``check``."""

    code: ClassVar[str] = ""
    name: ClassVar[str] = ""
    severity: ClassVar[Severity] = Severity.ERROR
    requires: ClassVar[frozenset[str]] = frozenset()

    check: Any  # ``def check(self, <sources>) -> Iterator[Finding]``

    @classmethod
    def summary(cls) -> str:
        """The first line of the docstring: what the rule detects."""
        return (inspect.getdoc(cls) or "").strip().splitlines()[0]

    @classmethod
    def sources(cls) -> list[str]:
        """The source names ``check`` reads: its parameters after ``self``.

        Read from the function's code (``inspect.signature`` costs a check of forty rules a
        few milliseconds at every start); a wrapped ``check`` is unwrapped first."""
        check = cls.__dict__.get("check") or cls.check
        while hasattr(check, "__wrapped__"):
            check = check.__wrapped__
        code = check.__code__
        return [p for p in code.co_varnames[:code.co_argcount + code.co_kwonlyargcount]
                if p != "self"]

    @classmethod
    def url(cls) -> str:
        return DOCS_URL.format(code=cls.code)

    def finding(self, location: Location, message: str, fix: str = "",
                severity: Severity | None = None,
                related: tuple[Location, ...] = ()) -> Finding:
        return Finding(code=self.code, name=self.name, severity=severity or self.severity,
                       message=message, location=location, fix=fix, related=related)


def _subclasses(cls: type[Rule]) -> Iterator[type[Rule]]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def all_rules() -> list[type[Rule]]:
    """Every registered rule, ordered by code."""
    for module in RULE_MODULES:
        importlib.import_module(module)
    rules = {r.code: r for r in _subclasses(Rule) if r.code}
    return [rules[code] for code in sorted(rules)]


def find_rule(selector: str) -> type[Rule] | None:
    """A rule by code (``PD101``) or name (``missing-id-token``)."""
    for rule in all_rules():
        if selector in (rule.code, rule.name) or selector.upper() == rule.code:
            return rule
    return None
