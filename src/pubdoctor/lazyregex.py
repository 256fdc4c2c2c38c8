"""`lazy_compile`: a regular expression compiled the first time it is used.

Why: the modules a check imports define some fifty patterns at module level, and compiling
them took about 15 ms of every run, more than the checking itself. A run uses a third of
them (a project without a release tool never reads a commit message; a workflow without
``env:`` expressions never needs their grammar). A `LazyPattern` compiles on its first
match, once, through `re.compile` (and so its cache): what a run does not use costs nothing.

A `LazyPattern` offers the methods and attributes of `re.Pattern` that are read in
pubdoctor; hand ``.compiled`` to code that needs a real `re.Pattern`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any


class LazyPattern:
    """`re.compile(source, flags)`, made on first use."""

    __slots__ = ("_source", "_flags", "_compiled")

    def __init__(self, source: str, flags: int | re.RegexFlag = 0) -> None:
        self._source = source
        self._flags = flags
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        """The compiled pattern (compiled now if it was not yet)."""
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = re.compile(self._source, self._flags)
        return compiled

    @property
    def pattern(self) -> str:
        return self._source

    @property
    def flags(self) -> int:
        return self.compiled.flags

    @property
    def groups(self) -> int:
        return self.compiled.groups

    @property
    def groupindex(self) -> Any:
        return self.compiled.groupindex

    def search(self, string: str, *bounds: int) -> re.Match[str] | None:
        return self.compiled.search(string, *bounds)

    def match(self, string: str, *bounds: int) -> re.Match[str] | None:
        return self.compiled.match(string, *bounds)

    def fullmatch(self, string: str, *bounds: int) -> re.Match[str] | None:
        return self.compiled.fullmatch(string, *bounds)

    def finditer(self, string: str, *bounds: int) -> Iterator[re.Match[str]]:
        return self.compiled.finditer(string, *bounds)

    def findall(self, string: str, *bounds: int) -> list[Any]:
        return self.compiled.findall(string, *bounds)

    def split(self, string: str, maxsplit: int = 0) -> list[str | Any]:
        return self.compiled.split(string, maxsplit)

    def sub(self, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0) -> str:
        return self.compiled.sub(repl, string, count)

    def subn(self, repl: str | Callable[[re.Match[str]], str], string: str,
             count: int = 0) -> tuple[str, int]:
        return self.compiled.subn(repl, string, count)

    def __repr__(self) -> str:
        return f"lazy_compile({self._source!r}, {self._flags!r})"


def lazy_compile(source: str, flags: int | re.RegexFlag = 0) -> LazyPattern:
    """A pattern to define at module level: compiled (with `re.compile`) on first use."""
    return LazyPattern(source, flags)
