"""PEP 740 provenance objects, as pydantic models of the documented format.

The Integrity API (``GET /integrity/<project>/<version>/<filename>/provenance``, PyPI docs
"Integrity API") and the ``provenance`` URL of a PEP 691 file answer with a provenance object::

    {"version": 1,
     "attestation_bundles": [
        {"publisher": {"kind": "GitHub", "repository": "pypa/sampleproject",
                       "workflow": "release.yml", "environment": "", "claims": null},
         "attestations": [{"version": 1, "verification_material": {...}, "envelope": {...}}]}]}

The publisher is the trusted publisher that uploaded the file, as the index stored it
(warehouse's ``attestation_identity``): for GitHub the repository slug, the workflow *file
name* and the environment (lower-cased by the index; ``""`` or null for a publisher without
one); for GitLab the project path and ``workflow_filepath``. The field names follow
pypi-attestations (``GitHubPublisher``, ``GitLabPublisher``, ``AttestationBundle``,
``Provenance``). Attestations themselves are not verified here (pubdoctor reads who uploaded
the file, it does not vouch for the file), so they are kept as opaque objects.

Imported only by online runs: pydantic's first model costs start-up an offline run must not pay.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag


class _Publisher(BaseModel):
    model_config = ConfigDict(extra="ignore")

    kind: str
    claims: Optional[dict[str, Any]] = None


class GitHubPublisher(_Publisher):
    """A GitHub Actions trusted publisher: ``owner/repo``, the workflow's file name, environment."""

    kind: Literal["GitHub"]
    repository: str
    workflow: str
    environment: Optional[str] = None


class GitLabPublisher(_Publisher):
    """A GitLab CI/CD trusted publisher: the project path and the CI file's path."""

    kind: Literal["GitLab"]
    repository: str
    workflow_filepath: Optional[str] = None
    environment: Optional[str] = None


class OtherPublisher(_Publisher):
    """A publisher of another kind (Google, ActiveState...): only its kind is read."""


def _kind(value: Any) -> str:
    kind = value.get("kind") if isinstance(value, dict) else getattr(value, "kind", None)
    return kind if kind in ("GitHub", "GitLab") else "other"


#: a publisher by its ``kind``: a malformed GitHub publisher is an error, not "another kind"
Publisher = Annotated[
    Union[Annotated[GitHubPublisher, Tag("GitHub")], Annotated[GitLabPublisher, Tag("GitLab")],
          Annotated[OtherPublisher, Tag("other")]],
    Discriminator(_kind),
]


class AttestationBundle(BaseModel):
    """The attestations one publisher produced for the file."""

    publisher: Publisher
    attestations: list[Any] = Field(default_factory=list)


class Provenance(BaseModel):
    """A PEP 740 provenance object (version 1)."""

    version: Literal[1]
    attestation_bundles: list[AttestationBundle] = Field(min_length=1)


def parse_provenance(body: bytes) -> Provenance:
    """A provenance object from an answer's bytes; `ValueError` saying where it is not one."""
    from pydantic import ValidationError

    try:
        return Provenance.model_validate_json(body)
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        where = ".".join(str(part) for part in error["loc"])
        raise ValueError(f"{where}: {error['msg']}" if where else error["msg"]) from None
