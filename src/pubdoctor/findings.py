"""The finding model shared by every rule and every reporter.

A rule only builds `Finding` objects; reporters only render them. Keeping the model in one
place is what lets text, JSON, SARIF and GitHub annotations agree with each other.
"""

from __future__ import annotations

import enum
from typing import Optional

from pubdoctor.records import record


class Severity(str, enum.Enum):
    """How bad a finding is. Ordered: ``info < warning < error``."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _RANKS[self]

    def __ge__(self, other: object) -> bool:  # type: ignore[override]
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank >= other.rank

    def __gt__(self, other: object) -> bool:  # type: ignore[override]
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank > other.rank

    def __le__(self, other: object) -> bool:  # type: ignore[override]
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank <= other.rank

    def __lt__(self, other: object) -> bool:  # type: ignore[override]
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank < other.rank


_RANKS = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


@record(frozen=True, kw_only=True)
class Location:
    """Where a finding points: a file position (1-based line and column) or a commit.

    Findings about the git history point at a commit (``commit`` set, ``path`` empty);
    everything else points at a file relative to the checked repository.
    """

    path: str = ""
    line: int = 0
    col: int = 0
    commit: Optional[str] = None

    def __str__(self) -> str:
        if self.commit and not self.path:
            return f"commit {self.commit}"
        if not self.line:
            return self.path
        return f"{self.path}:{self.line}:{self.col or 1}"


@record(frozen=True, kw_only=True)
class Finding:
    """One problem found by one rule: what, where, how bad, and how to fix it."""

    code: str
    name: str
    severity: Severity
    message: str
    location: Location
    fix: str = ""
    related: tuple[Location, ...] = ()

    def sort_key(self) -> tuple[str, int, int, str, str]:
        loc = self.location
        if loc.commit and not loc.path:
            # findings about commits keep the order their rule gave them (the history's order,
            # newest first as in `git log`), not the order of their hashes
            return ("~", 0, 0, self.code, "")
        return (loc.path or "~", loc.line, loc.col, self.code, self.message)
