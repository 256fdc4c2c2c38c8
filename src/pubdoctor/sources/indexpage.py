"""The project's page on the package index: its files, as pydantic models.

pydantic validates the PEP 691 JSON answer straight from its bytes: it is data from a server
pubdoctor does not control, and pydantic's parser reads a 20,000-file page faster than
``json.loads`` and a loop would. This module is imported only when the index is really asked
(not with ``--offline``): building pydantic models costs about 65 ms of start-up, which a
network request dwarfs but an offline run (a pre-commit hook) would feel.
"""

from __future__ import annotations

from functools import cached_property
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, Field

from pubdoctor.indexurl import index_name


def _yanked(value: Any) -> Any:
    """PEP 691 gives ``yanked`` as a boolean or as the reason (a non-empty string): yanked."""
    return bool(value) if isinstance(value, str) else value


class IndexFile(BaseModel):
    """One file the index lists (a PEP 503 anchor or a PEP 691 ``files`` entry)."""

    filename: str
    yanked: Annotated[bool, BeforeValidator(_yanked)] = False


class IndexState(BaseModel):
    """The project's page on the index: its files and versions."""

    url: str  # the Simple API base, ending in /
    project: str  # canonical name
    files: list[IndexFile] = Field(default_factory=list)
    declared_versions: list[str] = Field(default_factory=list)  # PEP 700 ``versions``

    @property
    def name(self) -> str:
        """How to call the index in a message: PyPI, TestPyPI or its URL."""
        return index_name(self.url)

    @cached_property
    def _parsed(self) -> list[tuple[IndexFile, Any]]:
        """Each file with the `Version` its name gives (None when the name does not parse)."""
        from packaging.version import Version

        from pubdoctor.sources.dist import parse_filename

        result = []
        for item in self.files:
            parsed = parse_filename(item.filename)
            result.append((item, Version(parsed[2]) if parsed else None))
        return result

    def versions(self) -> set[Any]:
        """Every `Version` with a file on the index (PEP 700 ``versions`` too, when given)."""
        from packaging.version import InvalidVersion, Version

        found = {v for _, v in self._parsed if v is not None}
        for text in self.declared_versions:
            try:
                found.add(Version(text))
            except InvalidVersion:
                continue
        return found

    def files_of(self, version: Any) -> list[IndexFile]:
        """The files of one version (compared as versions: ``1.0`` is ``1.0.0``)."""
        return [item for item, v in self._parsed if v is not None and v == version]


class _JsonPage(BaseModel):
    """A PEP 691 project page, as pydantic validates it straight from the answer's bytes."""

    files: list[IndexFile]  # the keys pubdoctor does not read are ignored
    #: PEP 700's ``versions``; tolerated when missing or malformed (only files are required)
    versions: Any = None


def parse_json(body: bytes) -> tuple[list[IndexFile], list[str]]:
    """Files and versions of a PEP 691 answer; `ValueError` when it is not one."""
    from pydantic import ValidationError

    try:
        page = _JsonPage.model_validate_json(body)
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        where = ".".join(str(part) for part in error["loc"])
        raise ValueError(f"{where}: {error['msg']}" if where else error["msg"]) from None
    versions = page.versions if isinstance(page.versions, list) else []
    return page.files, [v for v in versions if isinstance(v, str)]


def parse_html(body: bytes, charset: str = "utf-8") -> list[IndexFile]:
    """Files of a PEP 503 page; `ValueError` when the answer is not HTML at all."""
    from pubdoctor.sources.simplehtml import LinkParser

    parser = LinkParser()
    parser.feed(body.decode(charset or "utf-8", errors="replace"))
    parser.close()
    if parser.tags == 0:
        raise ValueError("not an HTML page")
    return parser.files
