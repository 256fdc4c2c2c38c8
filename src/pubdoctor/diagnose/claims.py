"""The OIDC token's claims as upload tools print them, and what the index must be told.

Two forms are read:

- the action's bullets, ``* `sub`: `repo:o/r:ref:refs/tags/v1` `` (v1.8 prints sub,
  repository, repository_owner, repository_owner_id, job_workflow_ref and ref; later
  versions add workflow_ref and environment; an absent claim reads ``MISSING``);
- uv's Rust debug dump, ``OidcTokenClaims { sub: "...", ... }``, on one line or pretty-printed
  (``{:#?}``) over several, with ``Some("...")``/``None`` for optional fields.

A trusted publisher on PyPI is owner, repository, workflow *file name* and environment; the
workflow file is the basename of ``job_workflow_ref`` before ``@`` (the called file for a
reusable workflow), and the environment is the ``environment`` claim, or the one the ``sub``
claim names.
"""

from __future__ import annotations

import re
from dataclasses import field

from pubdoctor.records import record

CLAIM_NAMES = ("sub", "repository", "repository_owner", "repository_owner_id", "workflow_ref",
               "job_workflow_ref", "ref", "environment")
MISSING = "MISSING"

_BULLET = re.compile(r"^\s*[*-]\s*`?(?P<name>[a-z_]+)`?\s*:\s*`(?P<value>[^`]*)`")
_RUST_FIELD = re.compile(r"(?P<name>[a-z_]+)\s*:\s*(?:Some\(\s*)?(?:\"(?P<value>(?:[^\"\\]|\\.)*)\"|(?P<none>None))")


@record
class Claims:
    """The claims a log printed (only those it printed), and where."""

    values: dict[str, str] = field(default_factory=dict)
    form: str = ""  # "action" or "uv"
    line: int = 0

    def get(self, name: str) -> str | None:
        value = self.values.get(name)
        return None if value in (None, "", MISSING) else value

    @property
    def owner(self) -> str | None:
        owner = self.get("repository_owner")
        repository = self.get("repository")
        if owner is None and repository and "/" in repository:
            owner = repository.split("/", 1)[0]
        return owner

    @property
    def repository(self) -> str | None:
        repository = self.get("repository")
        if repository and "/" in repository:
            return repository.split("/", 1)[1]
        return repository

    @property
    def workflow(self) -> str | None:
        """The workflow file the index matches: basename of ``job_workflow_ref`` before ``@``."""
        return workflow_file(self.get("job_workflow_ref") or self.get("workflow_ref"))

    @property
    def caller_workflow(self) -> str | None:
        """The top-level workflow (``workflow_ref``), when the log shows it."""
        return workflow_file(self.get("workflow_ref"))

    @property
    def reusable(self) -> bool:
        """True when the publishing job ran in a called workflow (the two refs differ)."""
        job_ref, ref = self.get("job_workflow_ref"), self.get("workflow_ref")
        return bool(job_ref and ref and job_ref.split("@")[0] != ref.split("@")[0])

    @property
    def environment(self) -> str | None:
        """The job's environment: the claim when printed, else what ``sub`` names."""
        if "environment" in self.values:
            return self.get("environment")
        sub = self.get("sub") or ""
        match = re.search(r":environment:(?P<env>[^:]+)", sub)
        return match.group("env") if match else None

    @property
    def environment_known(self) -> bool:
        """Whether the log says the environment (an environment claim, or a ``sub`` to read)."""
        return "environment" in self.values or bool(self.get("sub"))

    def publisher(self) -> dict[str, str]:
        """What the trusted publisher on the index must say, field by field."""
        unknown = "(not in the log)"
        environment = self.environment
        return {
            "owner": self.owner or unknown,
            "repository": self.repository or unknown,
            "workflow": self.workflow or unknown,
            "environment": environment if environment else ("(none)" if self.environment_known else unknown),
        }

    def as_json(self) -> dict[str, object]:
        return {"form": self.form, "line": self.line, "claims": dict(self.values),
                "publisher": self.publisher(), "reusable_workflow": self.reusable}


def workflow_file(ref: str | None) -> str | None:
    """``o/r/.github/workflows/release.yml@refs/tags/v1`` -> ``release.yml``."""
    if not ref:
        return None
    path = ref.split("@", 1)[0]
    return path.rsplit("/", 1)[-1] or None


def parse_bullets(lines: list[str]) -> dict[str, str]:
    """The action's claim bullets from consecutive logical lines (stops at the first gap)."""
    values: dict[str, str] = {}
    for text in lines:
        match = _BULLET.match(text)
        if match and match.group("name") in CLAIM_NAMES:
            values[match.group("name")] = match.group("value").strip()
        elif values and text.strip():
            break
    return values


def parse_rust_debug(text: str) -> dict[str, str]:
    """uv's ``OidcTokenClaims { ... }`` (one line or pretty-printed and joined)."""
    start = text.find("OidcTokenClaims")
    if start < 0:
        return {}
    body = text[start:]
    end = body.find("}")
    if end >= 0:
        body = body[:end]
    values: dict[str, str] = {}
    for match in _RUST_FIELD.finditer(body):
        name = match.group("name")
        if name in CLAIM_NAMES:
            values[name] = MISSING if match.group("none") else _unescape(match.group("value") or "")
    return values


def _unescape(value: str) -> str:
    return value.replace('\\"', '"').replace("\\\\", "\\")
