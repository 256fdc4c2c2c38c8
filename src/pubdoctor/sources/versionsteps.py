"""Who writes the version a release builds: a release tool, or a workflow step.

The version in pyproject.toml (or in a ``__version__`` file) is not always what gets
published. python-semantic-release writes its next version into the files of
``version_toml``/``version_variables`` before the build, commitizen into its version
provider's file and ``version_files``, release-please's python strategy into pyproject.toml
and the package's ``__init__.py``; and a workflow may run ``uv version 1.2.0``, ``hatch
version``, ``poetry version`` or a ``sed`` on the version file. PD304 and PD401 ask this module
before they judge the static version.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pubdoctor.sources.handoff import needed_jobs

#: Commands that write a new version into pyproject.toml when given one, or a bump rule:
#: ``uv version 1.2.0`` / ``uv version --bump patch``, ``poetry version minor``,
#: ``hatch version 1.2.0``. Without an argument they only print it (``uv version --short``).
_VERSION_SETTERS = ("uv", "poetry", "hatch")


def version_calls(words: list[str]) -> Iterator[tuple[int, str, list[str]]]:
    """Each ``uv|poetry|hatch version ...`` in a shell line's words: its index, the command
    word as written and the words after ``version`` (shared by `setter` and `versionwrite`)."""
    for i, word in enumerate(words[:-1]):
        if word.rsplit("/", 1)[-1] in _VERSION_SETTERS and words[i + 1] == "version":
            yield i, word, words[i + 2:]


def setter(line: str) -> str | None:
    """The version-setting command of a shell line, or None (a read-only ``version`` call)."""
    from pubdoctor.sources.publishing import shell_words

    words = shell_words(line)
    for i, word in enumerate(words[:-1]):
        if word.rsplit("/", 1)[-1] == "sed" and "version" in line.lower() and \
                any(w.startswith("-i") or w == "--in-place" for w in words[i + 1:]):
            return "sed -i (the version)"
    for _, word, rest in version_calls(words):  # (shell_commands splits `a && b` into lines)
        if "--bump" in rest or any(a.startswith("--bump=") for a in rest):
            return f"{word} version --bump"
        if rest and not rest[0].startswith("-"):
            return f"{word} version {rest[0]}"
    return None


def sets_version(workflow: Any, job: Any) -> str | None:
    """The step command by which a job, or a job it needs, writes the version before building."""
    from pubdoctor.sources.publishing import shell_commands

    for current in (job, *needed_jobs(workflow, job)):
        for step in current.steps:
            for line in shell_commands(step.run or ""):
                found = setter(line)
                if found:
                    return found
    return None


def _entries(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if isinstance(v, str)]
    return []


def writes_version(tool: Any, version: Any) -> bool:
    """Whether ``tool`` writes, before the build, the version the build reads (``version``, a
    `ProjectVersion` of origin ``static`` or ``file``)."""
    from pubdoctor.sources.releasetools import CZ, PSR, RELEASE_PLEASE

    config = tool.config
    static = version.origin == "static"
    # a static version's source is "[project].version" or "[tool.poetry].version"
    table = version.source[1:].split("]", 1)[0] if static else ""
    path = version.location.path if version.origin == "file" else "pyproject.toml"
    if tool.name == PSR:
        tomls = _entries(config.get("version_toml"))
        variables = _entries(config.get("version_variables")) + _entries(config.get("version_variable"))
        if static:
            return any(e.replace(" ", "") in (f"pyproject.toml:{table}.version",
                                              f"./pyproject.toml:{table}.version") for e in tomls)
        return any(e.split(":", 1)[0].lstrip("./") == path for e in variables + tomls)
    if tool.name == CZ:
        provider = config.get("version_provider") or "commitizen"
        if static and (provider in ("pep621", "uv") and table == "project"
                       or provider == "poetry" and table == "tool.poetry"):
            return True
        return any(e.split(":", 1)[0].lstrip("./") == path for e in _entries(config.get("version_files")))
    if tool.name == RELEASE_PLEASE:
        return (tool.release_type or "") == "python"
    return False
