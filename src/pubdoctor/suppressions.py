"""Findings silenced where they stand: ``# pubdoctor: ignore[...]`` comments in workflow YAML,
and ``per-file-ignores`` in ``[tool.pubdoctor]``.

A comment names rules by code, name or prefix (``PD102``, ``id-token-too-wide``, ``PD1``),
comma-separated, with an optional reason after ``--``::

    permissions:
      id-token: write  # pubdoctor: ignore[PD102] -- the docs job signs with sigstore

It silences the findings on its own line and on the line below (a comment on a line of its
own covers the next line). A comment that silences nothing is itself reported (PD001), as
ruff (RUF100) and zizmor do, so that stale suppressions do not hide the next real problem.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable
from dataclasses import field
from pathlib import Path
from typing import Any

from pubdoctor.findings import Finding, Location
from pubdoctor.lazyregex import lazy_compile
from pubdoctor.records import record

#: ``# pubdoctor: ignore[PD101, missing-id-token] -- reason``; the ``#`` starts a comment
#: (at the start of the line or after a blank)
_COMMENT = lazy_compile(r"(?:^|(?<=[ \t]))#[ \t]*pubdoctor:[ \t]*ignore\[([^\]\r\n]*)\]"
                      r"(?:[ \t]*--[ \t]*([^\r\n]*))?", re.IGNORECASE | re.MULTILINE)


@record(kw_only=True)
class Suppression:
    """One ``# pubdoctor: ignore[...]`` comment."""

    location: Location
    selectors: tuple[str, ...]
    reason: str | None = None
    #: the selectors that silenced at least one finding
    used: set[str] = field(default_factory=set)

    def covers(self, finding: Finding) -> str | None:
        """The selector that silences ``finding``, if any."""
        from pubdoctor.settings import selector_matches

        where = finding.location
        if where.path != self.location.path or where.line not in (self.location.line,
                                                                  self.location.line + 1):
            return None
        return next((s for s in self.selectors if selector_matches(s, finding.code, finding.name)), None)


@record(kw_only=True)
class Suppressions:
    """The suppression comments of the workflows, and ``per-file-ignores``."""

    comments: list[Suppression] = field(default_factory=list)
    per_file: dict[str, list[str]] = field(default_factory=dict)
    #: the codes of the rules that ran (only their suppressions can be judged unused)
    ran: set[str] = field(default_factory=set)

    def apply(self, findings: Iterable[Finding], ran: Iterable[str] = ()) -> list[Finding]:
        """The findings nothing silences; records which comments were used."""
        from pubdoctor.settings import selector_matches

        self.ran |= set(ran)
        kept = []
        for finding in findings:
            path = finding.location.path
            if path and any(fnmatch.fnmatchcase(path, glob) and any(
                    selector_matches(s, finding.code, finding.name) for s in selectors)
                    for glob, selectors in self.per_file.items()):
                continue
            silenced = False
            for comment in self.comments:
                selector = comment.covers(finding)
                if selector is not None:
                    comment.used.add(selector)
                    silenced = True
            if not silenced:
                kept.append(finding)
        return kept


def scan(text: str, path: str) -> list[Suppression]:
    """The suppression comments of one file's text."""
    if "pubdoctor" not in text:
        return []
    found = []
    line_starts = [0] + [m.end() for m in re.finditer(r"\r\n|[\r\n]", text)]
    from bisect import bisect_right

    for match in _COMMENT.finditer(text):
        line = bisect_right(line_starts, match.start())
        col = match.start() - line_starts[line - 1] + 1
        selectors = tuple(s.strip() for s in match.group(1).split(",") if s.strip())
        reason = (match.group(2) or "").strip() or None
        found.append(Suppression(location=Location(path=path, line=line, col=col),
                                 selectors=selectors, reason=reason))
    return found


def load_suppressions(root: Path, paths: Iterable[str], per_file: dict[str, list[str]],
                      texts: dict[str, str] | None = None) -> Suppressions:
    """The comments of the workflow files at ``paths`` (``texts`` stands in for their content)."""
    from pubdoctor.errors import InputError
    from pubdoctor.files import read_text

    comments: list[Suppression] = []
    for path in paths:
        try:
            text = texts[path] if texts is not None and path in texts else read_text(root / path, path)
        except InputError:
            continue
        comments.extend(scan(text, path))
    return Suppressions(comments=comments, per_file=dict(per_file))


def load_suppressions_for(context: Any) -> Suppressions:
    """Context loader: the comments of the workflows the run read, and the settings' globs."""
    workflows = context.loaded("workflows")
    paths = [w.path for w in workflows.files] if workflows is not None else []
    return load_suppressions(context.root, paths, context.settings.per_file_ignores)
