"""GitHub's ``permissions`` semantics, exactly as the Actions runner applies them.

- A job-level ``permissions`` replaces the workflow-level one entirely (no merge).
- ``write-all`` grants every scope, ``id-token: write`` included; ``read-all`` and ``{}`` do not
  (``id-token`` has no ``read`` level).
- With no ``permissions`` anywhere the job gets the repository's default token permissions,
  which never include ``id-token: write``.
- A job of a called (reusable) workflow gets at most what its caller job grants; when the
  called workflow says nothing, it inherits the caller's permissions.
"""

from __future__ import annotations

from dataclasses import field
from typing import Any, Literal

from pubdoctor.findings import Location
from pubdoctor.records import record

Level = Literal["write", "read", "none"]
_RANK = {"none": 0, "read": 1, "write": 2}


@record(kw_only=True)
class Permissions:
    """One ``permissions:`` block: a shorthand (``write-all``/``read-all``) or a scope mapping."""

    shorthand: str | None = None
    scopes: dict[str, str] = field(default_factory=dict)
    location: Location
    scope_locations: dict[str, Location] = field(default_factory=dict)

    @classmethod
    def from_yaml(cls, value: Any, location: Location,
                  scope_locations: dict[str, Location] | None = None) -> Permissions:
        if isinstance(value, str):
            return cls(shorthand=value.strip(), location=location)
        if isinstance(value, dict):
            scopes = {str(k): str(v).strip() for k, v in value.items()}
            return cls(scopes=scopes, location=location, scope_locations=scope_locations or {})
        # ``permissions:`` with no value is ``null``: GitHub treats it as no access.
        return cls(scopes={}, location=location)

    def level(self, scope: str) -> Level:
        """The access this block gives to ``scope``."""
        if self.shorthand == "write-all":
            return "write"
        if self.shorthand == "read-all":
            return "none" if scope == "id-token" else "read"
        if self.shorthand is not None:
            return "none"
        value = self.scopes.get(scope, "none")
        return value if value in _RANK else "none"  # type: ignore[return-value]

    def scope_location(self, scope: str) -> Location:
        """Where ``scope`` is written, else the ``permissions`` key."""
        return self.scope_locations.get(scope, self.location)

    def describe(self) -> str:
        if self.shorthand is not None:
            return self.shorthand
        if not self.scopes:
            return "{}"
        return ", ".join(f"{k}: {v}" for k, v in self.scopes.items())


@record(kw_only=True)
class Grant:
    """The access a job ends up with for one scope, and the block that decided it."""

    level: Level
    source: Literal["job", "workflow", "default", "caller"]
    permissions: Permissions | None = None
    reason: str

    @property
    def granted(self) -> bool:
        return self.level == "write"


def effective(scope: str, job: Permissions | None, workflow: Permissions | None) -> Grant:
    """The access of a job in a workflow that is not called by another one."""
    if job is not None:
        return Grant(
            level=job.level(scope),
            source="job",
            permissions=job,
            reason=f"the job's own `permissions` ({job.describe()})",
        )
    if workflow is not None:
        return Grant(
            level=workflow.level(scope),
            source="workflow",
            permissions=workflow,
            reason=f"the workflow-level `permissions` ({workflow.describe()})",
        )
    return Grant(
        level="none",
        source="default",
        reason="no `permissions` anywhere, so the default token permissions apply",
    )


def capped(own: Grant, caller: Grant) -> Grant:
    """A called workflow's job: its own grant, never more than the caller job grants."""
    if own.source == "default":
        return Grant(level=caller.level, source="caller", permissions=caller.permissions,
                     reason=f"inherited from the calling job: {caller.reason}")
    if _RANK[own.level] <= _RANK[caller.level]:
        return own
    return Grant(level=caller.level, source="caller", permissions=caller.permissions,
                 reason=f"the calling job grants less: {caller.reason}")
