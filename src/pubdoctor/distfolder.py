"""Which folder's project a publishing job uploads: ``backend/`` when it publishes ``backend/dist``.

A monorepo builds a package of a sub-folder (``python -m build backend``, ``uv build
libs/core``) into ``<folder>/dist``, and the publish job uploads those files, directly
(``packages-dir: backend/dist/``, ``uv publish backend/dist/*``) or through an artifact
uploaded from that folder and downloaded into ``dist/``. The trusted publisher is then
registered on the project of ``<folder>/pyproject.toml``, not on the root's. When the files'
origin cannot be read (an expression, several folders, an artifact path not ending in a
``dist`` folder), the answer is None and the root project stands.
"""

from __future__ import annotations

import posixpath
from typing import Any

from pubdoctor.sources.handoff import artifact_matches, needed_jobs
from pubdoctor.sources.workflows import Job, Step, Workflow, is_expression

_GLOB = "*?["


def _folder(path: Any) -> str | None:
    """The workspace folder a literal path names (``backend/dist/*.whl`` -> ``backend/dist``)."""
    if path is None:
        return None
    text = str(path).strip()
    if not text or is_expression(text) or "\n" in text:
        return None
    cut = min((text.find(c) for c in _GLOB if c in text), default=-1)
    if cut != -1:
        text = posixpath.dirname(text[:cut])
    text = text.removeprefix("/github/workspace/").removeprefix("./")
    if text.startswith("/") or text.startswith(".."):
        return None
    return posixpath.normpath(text or ".")


def _project_of(folder: str) -> str | None:
    """The folder holding ``pyproject.toml`` for files in ``folder``: the part before ``dist``."""
    parts = folder.split("/")
    if "dist" not in parts:
        return None
    last = len(parts) - 1 - parts[::-1].index("dist")
    return "/".join(parts[:last]) or "."


def _artifact_folders(workflow: Workflow, job: Job, step: Step, folder: str) -> list[str] | None:
    """Where the artifacts downloaded into ``folder`` before ``step`` were uploaded from."""
    downloads = [s for s in job.steps[: step.index] if s.action == "actions/download-artifact"
                 and _folder(s.with_.get("path", ".")) == folder]
    if not downloads:
        return None
    found: list[str] = []
    for needed in needed_jobs(workflow, job):
        for upload in needed.steps:
            if upload.action != "actions/upload-artifact":
                continue
            if not any(artifact_matches(d, upload.with_.get("name", "artifact")) for d in downloads):
                continue
            source = _folder(upload.with_.get("path"))
            if source is None:
                return None
            found.append(source)
    return found or None


def project_folder(workflow: Workflow, job: Job, step: Step) -> str | None:
    """The sub-folder whose project the upload step publishes, or None for the root (or unknown)."""
    publish = step.publish
    if publish is None:
        return None
    if publish.tool == "gh-action-pypi-publish":
        paths: list[Any] = [step.with_.get("packages-dir", step.with_.get("packages_dir", "dist/"))]
    else:
        paths = list(publish.packages) or ["dist"]
    projects: set[str] = set()
    for path in paths:
        folder = _folder(path)
        project = None if folder is None else _project_of(folder)
        if folder is None or project is None:
            return None
        if project == ".":
            sources = _artifact_folders(workflow, job, step, folder)
            if sources is not None:
                origins = {_project_of(source) for source in sources}
                if None in origins:
                    return None
                projects.update(o for o in origins if o is not None)
                continue
        projects.add(project)
    if len(projects) != 1:
        return None
    project = projects.pop()
    return None if project == "." else project


def named_distribution(step: Step) -> str | None:
    """The distribution an upload command names by file (``uv publish dist/demo_core-*.whl``).

    A wheel's file name starts with the distribution name, its ``-`` written ``_``, and a
    ``-`` (``demo_core-1.0-py3-none-any.whl``), so a wheel argument whose literal beginning
    holds that ``-`` names the project; ``dist/*`` names none. Sdists are not read: older
    ones kept the name's own ``-`` (``demo-core-1.0.tar.gz``).
    """
    publish = step.publish
    if publish is None or publish.tool == "gh-action-pypi-publish":
        return None
    names: set[str] = set()
    for path in publish.packages:
        text = str(path).strip()
        if is_expression(text):
            return None
        if not text.endswith(".whl"):
            continue
        base = posixpath.basename(text)
        cut = min((base.find(c) for c in _GLOB if c in base), default=len(base))
        head = base[:cut]
        if "-" not in head or not head.split("-", 1)[0]:
            return None
        names.add(head.split("-", 1)[0])
    return names.pop() if len(names) == 1 else None
