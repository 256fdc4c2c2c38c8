"""Lazy sources: each is loaded the first time a rule asks for it, then kept.

A run that selects only workflow rules never imports gitpython or opens a socket. A loader
that cannot produce its source raises `SourceUnavailable`; the rules that need that source
are skipped and the reason is reported once, as a note or a warning.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pubdoctor.settings import Settings

if TYPE_CHECKING:
    from pubdoctor.roots import Roots

#: source name -> "module:function(context)" that loads it
SOURCES: dict[str, str] = {
    "project": "pubdoctor.sources.pyproject:load_project_for",
    "workflows": "pubdoctor.sources.workflows:load_workflows_for",
    "repository": "pubdoctor.sources.remote:load_repository_for",
    "version": "pubdoctor.sources.version:load_version_for",
    "dist": "pubdoctor.sources.dist:load_dist_for",
    "index": "pubdoctor.sources.index:load_index_for",
    "index_pages": "pubdoctor.sources.index:load_index_pages_for",
    "history": "pubdoctor.sources.history:load_history_for",
    "release_tools": "pubdoctor.sources.releasetools:load_release_tools_for",
    "predictions": "pubdoctor.sources.releasetools:load_predictions_for",
    "git": "pubdoctor.sources.gitcli:load_git_for",
    "publishers": "pubdoctor.identity:load_publisher_view_for",
    "packages": "pubdoctor.sources.packages:load_packages_for",
    "provenance": "pubdoctor.sources.provenance:load_provenance_for",
    "suppressions": "pubdoctor.suppressions:load_suppressions_for",
}


class SourceUnavailable(Exception):
    """A source cannot be loaded here (not a git repository, index unreachable...).

    ``level`` says how the user hears of it: a ``note``, a ``warning``, or nothing at all
    (``silent``) when the user asked for the skip (``--offline``).
    """

    def __init__(self, message: str, level: Literal["note", "warning", "silent"] = "note") -> None:
        super().__init__(message)
        self.level = level


class Context:
    """What the rules of one run can read: the settings and the lazily loaded sources."""

    def __init__(self, settings: Settings) -> None:
        from pubdoctor import validation

        self.settings = settings
        #: how the folders of a command-line run were found (`pubdoctor.roots`), if they were
        self.roots: Roots | None = None
        self._loaded: dict[str, Any] = {}
        self._unavailable: dict[str, SourceUnavailable] = {}
        #: ``(level, message)`` a source that did load wants the user to hear (a part it could not read)
        self.notes: list[tuple[str, str]] = []
        #: ``PUBDOCTOR_VALIDATE=1``: pydantic checks every record against its annotations
        self.validating = validation.enabled()
        if self.validating:
            validation.validate(settings)

    @property
    def root(self) -> Path:
        """The project's folder: its pyproject.toml, dist/ and release tools' files."""
        return self.settings.root

    @property
    def workflows_root(self) -> Path:
        """The folder whose .github/workflows are read (the repository's top, in a monorepo)."""
        return self.settings.workflows_root or self.settings.root

    def get(self, name: str) -> Any:
        """The source called ``name``; raises `SourceUnavailable` (every time) if it cannot load."""
        if name == "settings":
            return self.settings
        if name == "context":
            return self
        if name in self._unavailable:
            raise self._unavailable[name]
        if name not in self._loaded:
            module_name, func_name = SOURCES[name].split(":")
            loader = getattr(importlib.import_module(module_name), func_name)
            try:
                self._loaded[name] = loader(self)
            except SourceUnavailable as exc:
                self._unavailable[name] = exc
                raise
            if self.validating:
                from pubdoctor.validation import validate

                validate(self._loaded[name])
        return self._loaded[name]

    def loaded(self, name: str) -> Any:
        """The source called ``name`` if a rule has loaded it, else None (never loads it)."""
        return self._loaded.get(name)

    def provide(self, name: str, value: Any) -> None:
        """Set a source directly (tests, and `diagnose` feeding what a log says)."""
        if self.validating:
            from pubdoctor.validation import validate

            validate(value)
        self._loaded[name] = value

    def add_note(self, level: str, message: str) -> None:
        """Tell the user something about a source that loaded all the same (reported once)."""
        if (level, message) not in self.notes:
            self.notes.append((level, message))

    @property
    def unavailable(self) -> dict[str, SourceUnavailable]:
        return dict(self._unavailable)
