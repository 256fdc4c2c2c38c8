"""``pyproject.toml`` into a `Project` model.

TOML parsers give values without positions, so `Project.locate` finds the line of a table
or key in the text itself; findings about pyproject.toml still point at ``file:line:col``.
"""

from __future__ import annotations

import re
import sys
from dataclasses import field
from pathlib import Path
from typing import Any

from pubdoctor.errors import InputError
from pubdoctor.files import read_text
from pubdoctor.findings import Location
from pubdoctor.lazyregex import lazy_compile
from pubdoctor.records import record

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

FILENAME = "pyproject.toml"

_HEADER = lazy_compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")


def _normalise_table(name: str) -> str:
    """``tool . "pubdoctor"`` -> ``tool.pubdoctor`` (header spelling varies; meaning does not)."""
    parts = [p.strip().strip('"').strip("'") for p in name.split(".")]
    return ".".join(parts)


@record(kw_only=True)
class Project:
    """What the rules need from pyproject.toml; ``data`` keeps the whole document."""

    path: str = FILENAME
    exists: bool = False
    data: dict[str, Any] = field(default_factory=dict)
    text: str = ""

    @property
    def project_table(self) -> dict[str, Any]:
        table = self.data.get("project")
        return table if isinstance(table, dict) else {}

    @property
    def poetry_table(self) -> dict[str, Any]:
        return self.tool("poetry")

    def tool(self, name: str) -> dict[str, Any]:
        """The ``[tool.<name>]`` table, or an empty dict."""
        tools = self.data.get("tool")
        table = tools.get(name) if isinstance(tools, dict) else None
        return table if isinstance(table, dict) else {}

    @property
    def name(self) -> str | None:
        """``[project].name``, else ``[tool.poetry].name``."""
        for table in (self.project_table, self.poetry_table):
            value = table.get("name")
            if isinstance(value, str) and value.strip():
                return value.strip()
        return None

    @property
    def dynamic(self) -> list[str]:
        value = self.project_table.get("dynamic", [])
        return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []

    @property
    def static_version(self) -> str | None:
        """The version written in the file, unless it is declared dynamic."""
        if "version" in self.dynamic:
            return None
        for table in (self.project_table, self.poetry_table):
            value = table.get("version")
            if isinstance(value, str) and value.strip():
                return value.strip()
        return None

    @property
    def build_backend(self) -> str | None:
        system = self.data.get("build-system")
        backend = system.get("build-backend") if isinstance(system, dict) else None
        return backend if isinstance(backend, str) else None

    @property
    def build_requires(self) -> list[str]:
        system = self.data.get("build-system")
        requires = system.get("requires", []) if isinstance(system, dict) else []
        return [r for r in requires if isinstance(r, str)] if isinstance(requires, list) else []

    def build_specifier(self, name: str) -> Any:
        """The version specifier (`packaging.specifiers.SpecifierSet`, empty for none) that
        ``[build-system] requires`` puts on the distribution ``name`` (a normalized name);
        None when no requirement names it (or none that can be read does).

        A requirement that names ``name`` starts with it, in any case, followed by something
        that cannot continue a name (PEP 508). Most are a bare name or a name and a specifier
        (``setuptools>=61``), read with `SpecifierSet` alone; extras, markers, a URL or a
        parenthesized specifier go through `packaging.requirements`, whose import (its markers
        bring `packaging.tags` and logging) costs a check about 15 ms: paid only there.
        """
        from packaging.specifiers import InvalidSpecifier, SpecifierSet

        for text in self.build_requires:
            stripped = text.strip()
            rest = stripped[len(name):]
            if stripped[:len(name)].lower() != name or (rest and (rest[0].isalnum() or rest[0] in "._-")):
                continue  # another distribution (`setuptools-scm` is not `setuptools`)
            if not any(mark in rest for mark in "[;@("):
                try:
                    return SpecifierSet(rest.strip())
                except InvalidSpecifier:
                    pass
            spec = _full_requirement(stripped, name)
            if spec is not None:
                return spec
        return None

    @property
    def vcs_version_tool(self) -> str | None:
        """The plugin that derives the version from git tags, if the version is dynamic.

        These tools need the tags in the checkout (``fetch-depth: 0``), and build a local
        version (``1.2.dev3+g1a2b3c``) on a commit that is not tagged.
        """
        if self.static_version is not None and "version" not in self.dynamic:
            return None
        requires = " ".join(self.build_requires).lower().replace("_", "-")
        hatch_source = self.tool("hatch").get("version", {})
        pdm_source = self.tool("pdm").get("version", {})
        if isinstance(hatch_source, dict) and hatch_source.get("source") == "vcs":
            return "hatch-vcs"
        if isinstance(pdm_source, dict) and pdm_source.get("source") == "scm":
            return "pdm-backend"
        if self.tool("versioningit") or "versioningit" in requires:
            return "versioningit"
        pdv = self.tool("poetry-dynamic-versioning")
        if pdv.get("enable") is True or "poetry-dynamic-versioning" in requires:
            return "poetry-dynamic-versioning"
        if self.tool("setuptools_scm") or self.tool("setuptools-scm") or "setuptools-scm" in requires:
            return "setuptools-scm"
        skbuild = self.tool("scikit-build").get("metadata")
        skbuild_version = skbuild.get("version") if isinstance(skbuild, dict) else None
        provider = skbuild_version.get("provider") if isinstance(skbuild_version, dict) else None
        if isinstance(provider, str) and "setuptools_scm" in provider:
            return "setuptools-scm"
        if "setuptools-git-versioning" in requires or self.tool("setuptools-git-versioning"):
            return "setuptools-git-versioning"
        return None

    def locate(self, table: str, key: str | None = None) -> Location:
        """The position of ``[table]`` (or of ``key`` inside it) in the file.

        Falls back to the table header, then to line 1, so a finding always has a place.
        """
        if not self.text:
            return Location(path=self.path, line=1, col=1)
        wanted = _normalise_table(table)
        current: str | None = None
        header: Location | None = None
        key_re = re.compile(rf"^(\s*)(\"?{re.escape(key)}\"?)\s*=") if key else None
        for number, line in enumerate(self.text.splitlines(), start=1):
            match = _HEADER.match(line)
            if match:
                current = _normalise_table(match.group(1))
                if current == wanted and header is None:
                    header = Location(path=self.path, line=number, col=line.index("[") + 1)
                continue
            if current == wanted and key_re is not None:
                found = key_re.match(line)
                if found:
                    return Location(path=self.path, line=number, col=len(found.group(1)) + 1)
        return header or Location(path=self.path, line=1, col=1)


def load_project(root: Path) -> Project:
    """Parse ``root/pyproject.toml``; a missing file gives an empty `Project`.

    A malformed file raises `InputError` with the parser's line, so the user sees
    ``pyproject.toml: invalid TOML: ... (at line 3, column 1)`` and exit code 2.
    """
    path = root / FILENAME
    if not path.exists() and not path.is_symlink():
        return Project()
    text = read_text(path, FILENAME)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"invalid TOML: {exc}", FILENAME) from None
    except RecursionError:  # the parser recurses into each nested array or inline table
        raise InputError("invalid TOML: arrays or tables nested too deeply", FILENAME) from None
    return Project(exists=True, data=data, text=text)


def load_project_for(context: "Any") -> Project:
    """Context loader: the project at the checked root."""
    return load_project(context.root)


def _full_requirement(text: str, name: str) -> Any:
    """The specifier of requirement ``text`` read by `packaging.requirements`, if it names
    ``name``; None when it names another distribution or is not a requirement."""
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.utils import canonicalize_name

    try:
        parsed = Requirement(text)
    except InvalidRequirement:
        return None
    return parsed.specifier if canonicalize_name(parsed.name) == name else None
