"""Lazy sources: each is loaded the first time a rule asks for it, then kept.

A run that selects only workflow rules never imports gitpython or opens a socket. A loader
that cannot produce its source raises `SourceUnavailable`; the rules that need that source
are skipped and the reason is reported once, as a note or a warning.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any, Literal

from pubdoctor.settings import Settings

#: source name -> "module:function(context)" that loads it
SOURCES: dict[str, str] = {
    "project": "pubdoctor.sources.pyproject:load_project_for",
    "workflows": "pubdoctor.sources.workflows:load_workflows_for",
    "repository": "pubdoctor.sources.remote:load_repository_for",
    "version": "pubdoctor.sources.version:load_version_for",
    "dist": "pubdoctor.sources.dist:load_dist_for",
    "index": "pubdoctor.sources.index:load_index_for",
    "history": "pubdoctor.sources.history:load_history_for",
    "release_tools": "pubdoctor.sources.releasetools:load_release_tools_for",
    "git": "pubdoctor.sources.gitcli:load_git_for",
    "publishers": "pubdoctor.identity:load_publisher_view_for",
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
        self._loaded: dict[str, Any] = {}
        self._unavailable: dict[str, SourceUnavailable] = {}
        #: ``PUBDOCTOR_VALIDATE=1``: pydantic checks every record against its annotations
        self.validating = validation.enabled()
        if self.validating:
            validation.validate(settings)

    @property
    def root(self) -> Path:
        return self.settings.root

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

    @property
    def unavailable(self) -> dict[str, SourceUnavailable]:
        return dict(self._unavailable)
