"""Versions a workflow writes before it builds, and whether they carry a local label.

A workflow that numbers its own builds writes the version with ``uv version X``,
``hatch version X``, ``poetry version X`` or a ``sed`` substitution into pyproject.toml or a
``__version__`` file. When that version is ``<base>+<something>`` (a commit SHA, a run
number) or the output of ``git describe`` (``v1.2.0-3-g1a2b3c4`` on a commit after a tag), the
index refuses the upload: PEP 440 local versions are not allowed on PyPI, and ``git
describe`` output is no PEP 440 version at all. Only what is written in the workflow is read:
shell variables set in the same job (``NAME=...``, ``echo "NAME=..." >> $GITHUB_ENV``, ``env:``)
are followed one level; a script the step calls is not.
"""

from __future__ import annotations

import re
from typing import Any

from pubdoctor.lazyregex import lazy_compile
from pubdoctor.records import record
from pubdoctor.sources.publishing import shell_commands, shell_words
from pubdoctor.sources.versionsteps import version_calls
from pubdoctor.sources.workflows import Job, Step

#: ``git describe`` without ``--abbrev=0`` or ``--exact-match``: a commit after the tag gets
#: ``<tag>-<distance>-g<sha>``
_DESCRIBE = lazy_compile(r"git\s+describe\b(?![^)`]*(?:--abbrev[= ]0|--exact-match))")
_ASSIGN = lazy_compile(r"""^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$""")
_GITHUB_ENV = lazy_compile(r"""echo\s+["']?([A-Za-z_][A-Za-z0-9_]*)=(.*?)["']?\s*>>\s*["']?\$\{?GITHUB_ENV""")
_REFERENCE = lazy_compile(r"\$\{\{\s*env\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}|\$\{?([A-Za-z_][A-Za-z0-9_]*)")


@record(kw_only=True)
class VersionWrite:
    """A step that writes a version the index refuses: the command and why."""

    job: Job
    step: Step
    command: str
    why: str  # "local" (a `+` label) or "describe" (git describe output)


def _kind(text: str, variables: dict[str, str], depth: int = 0) -> str | None:
    """``local``, ``describe`` or None for a version as written (variables followed once)."""
    if _DESCRIBE.search(text):
        return "describe"
    bare = re.sub(r"\$\{\{.*?\}\}", "X", text)
    if "+" in bare and re.search(r"[0-9A-Za-z}\"')]\s*\+\s*[\"'$0-9A-Za-z{]", bare):
        return "local"
    if depth == 0:
        for match in _REFERENCE.finditer(text):
            name = match.group(1) or match.group(2)
            if name in variables:
                found = _kind(variables[name], variables, depth + 1)
                if found:
                    return found
    return None


def _setter_argument(words: list[str]) -> tuple[str, str] | None:
    """``(command, version)`` of ``uv|hatch|poetry version X`` in a shell line's words."""
    for _, word, rest in version_calls(words):
        positional = [w for w in rest if not w.startswith("-")]
        if positional and "--bump" not in rest:
            # a command substitution spans several words: `$(git describe --tags)`
            value = " ".join(rest[rest.index(positional[0]):])
            return f"{word} version {value}", value
    return None


def _sed_replacement(words: list[str]) -> tuple[str, str] | None:
    """``(command, replacement)`` of a ``sed`` substitution that rewrites a version."""
    if not words or words[0].rsplit("/", 1)[-1] != "sed":
        return None
    for word in words[1:]:
        if len(word) < 4 or word[0] != "s" or word[1].isalnum() or word[1].isspace():
            continue
        parts = word[2:].split(word[1])
        if len(parts) >= 2 and "version" in (parts[0] + " ".join(words)).lower():
            return " ".join(words)[:120], parts[1]
    return None


def _variables(job: Job, env: dict[str, Any], upto: int) -> dict[str, str]:
    """Variables the steps before ``upto`` set, and those of ``env:`` (workflow, job)."""
    found = {str(k): str(v) for k, v in env.items()}
    for step in job.steps[:upto + 1]:
        found.update({str(k): str(v) for k, v in step.env.items()})
        for line in shell_commands(step.run or ""):
            assign = _ASSIGN.match(line.strip()) or _GITHUB_ENV.search(line)
            if assign:
                found[assign.group(1)] = assign.group(2)
    return found


def refused_version_writes(job: Job, env: dict[str, Any]) -> list[VersionWrite]:
    """The steps of ``job`` that write a version with a local label or from ``git describe``."""
    writes: list[VersionWrite] = []
    for step in job.steps:
        if not step.run:
            continue
        for line in shell_commands(step.run):
            words = shell_words(line)
            found = _setter_argument(words) or _sed_replacement(words)
            if found is None:
                continue
            command, version = found
            why = _kind(version, _variables(job, {**env, **job.env}, step.index))
            if why is not None:
                writes.append(VersionWrite(job=job, step=step, command=command, why=why))
                break
    return writes
