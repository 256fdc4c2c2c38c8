"""How a workflow hands its distributions on: which steps build them, which jobs a job
waits for, and which artifact a download fetches.

Several rules ask these questions (PD105 and PD107 about the publish job, PD303 about a
shallow checkout before a build, PD304 about a job that writes the version) and `claims`
asks them to find a monorepo folder's project: one answer for all of them lives here.
"""

from __future__ import annotations

import fnmatch
from typing import Any

from pubdoctor.lazyregex import lazy_compile
from pubdoctor.sources.workflows import Job, Step, Workflow, is_expression

#: Commands that build distributions (one logical shell line is searched at a time).
BUILD_COMMAND = lazy_compile(
    r"(?:^|[\s;&|(])(?:"
    r"python[0-9.]*\s+-m\s+build|pyproject-build|pipx\s+run\s+build"
    # `uv build`, `uv --directory pkg build`, `uv --project=pkg build`
    r"|uvx?(?:\s+--?[A-Za-z][\w-]*(?:=\S+|\s+(?!build\b)[^\s-]\S*)?)*\s+build"
    r"|hatch\s+build|poetry\s+build|poetry\s+publish\s+.*--build|pdm\s+build|flit\s+build"
    r"|rye\s+build"
    # `flit publish` always builds first; `pdm publish` does unless given `--no-build`
    r"|flit\s+publish|pdm\s+publish(?![^;&|]*\s--no-build\b)"
    r"|maturin\s+(?:build|sdist|publish)|cibuildwheel|pip[0-9.]*\s+wheel"
    r"|python[0-9.]*\s+setup\.py\s+(?:sdist|bdist_wheel)"
    r")(?=\s|$|[;&|)])")
#: ``-m build`` (and the other builders run as modules) through any launcher: ``python3.12 -m
#: build``, ``py -m build``, ``uv run --with build -m build``, ``pdm run python -m build``...
_MODULE_BUILD = lazy_compile(
    r"(?:^|[\s;&|(])(?:\S*python[0-9.]*|py|uv\s+run|pdm\s+run|poetry\s+run|hatch\s+run|rye\s+run"
    r"|pixi\s+run|conda\s+run)(?:\s+[^;&|]*?)?\s-m\s+"
    r"(?:build|hatchling\s+build|poetry\s+build|flit\s+build|maturin\s+(?:build|sdist)|cibuildwheel"
    r"|pip\s+wheel)(?=\s|$|[;&|)])")
#: The package list of an install (``pip install -U pip wheel``, ``pip install hatch build``):
#: package names, not commands, so they are dropped before looking for a build command.
_INSTALL_ARGS = lazy_compile(r"\bpip[0-9.]*\s+install\b[^;&|]*")
#: Actions that build distributions.
BUILD_ACTIONS = ("pypa/cibuildwheel", "hynek/build-and-inspect-python-package",
                 "pyo3/maturin-action", "casperdcl/deploy-pypi")
#: cibuildwheel asked only to list what it would build
_LISTING = lazy_compile(r"cibuildwheel\s+--print-build-identifiers")


def build_command(step: Step) -> str | None:
    """What the step runs to build distributions, or None."""
    if step.action and step.action.startswith(BUILD_ACTIONS):
        if step.action.startswith("pyo3/maturin-action"):
            command = str(step.with_.get("command", "build")).strip()
            if command not in ("build", "sdist", "publish"):
                return None
        return f"`{step.uses}`"
    for line in (step.run or "").splitlines():
        line = _INSTALL_ARGS.sub("pip install", _LISTING.sub("", line))
        match = BUILD_COMMAND.search(line) or _MODULE_BUILD.search(line)
        if match:
            return f"`{match.group(0).strip(' ;&|(')}`"
    return None


def needed_jobs(workflow: Workflow, job: Job) -> list[Job]:
    """Every job ``job`` needs, directly or through others."""
    found: dict[str, Job] = {}
    pending = list(job.needs)
    while pending:
        name = pending.pop()
        needed = workflow.jobs.get(name)
        if needed is not None and name not in found:
            found[name] = needed
            pending.extend(needed.needs)
    return list(found.values())


def _literal_head(text: str, stops: str) -> str:
    """The part of ``text`` before the first character of ``stops`` or ``${{``."""
    end = len(text)
    for stop in (*stops, "${{"):
        found = text.find(stop)
        if found != -1:
            end = min(end, found)
    return text[:end]


def artifact_matches(download: Step, artifact: Any) -> bool:
    """Whether a download step fetches the artifact called ``artifact`` (undecidable = yes).

    Names and patterns with expressions (``wheels-${{ matrix.target }}``) are compared by
    their literal beginnings, so ``binaries-${{ ... }}`` is not taken for ``wheels-*``.
    """
    name, pattern = download.with_.get("name"), download.with_.get("pattern")
    if download.with_.get("artifact-ids") is not None:
        return True
    wanted = name if name is not None else pattern
    if wanted is None:
        return True  # no name and no pattern: every artifact of the run
    wanted, artifact = str(wanted), str(artifact)
    if not is_expression(wanted) and not is_expression(artifact):
        return wanted == artifact if name is not None else fnmatch.fnmatchcase(artifact, wanted)
    head_wanted = _literal_head(wanted, "*?[" if name is None else "")
    head_artifact = _literal_head(artifact, "")
    return head_wanted.startswith(head_artifact) or head_artifact.startswith(head_wanted)
