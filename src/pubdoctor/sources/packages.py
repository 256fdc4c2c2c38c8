"""The packages below the repository root that the publishing jobs build and upload.

A monorepo or uv workspace keeps its packages in sub-folders (``agent/``, ``packages/core/``);
its root pyproject.toml often has no ``[build-system]`` at all. The project rules (the
Metadata-Version a backend writes, the version and its local label) must then read the
pyproject.toml of the package a job publishes, found from what the workflow says:

- where the upload reads the files (``packages-dir: agent/dist/``, ``uv publish agent/dist/*``,
  an artifact uploaded from ``agent/dist``): `pubdoctor.distfolder.project_folder`;
- else where the build steps of the job, and of the jobs it needs, build: a step's
  ``working-directory:`` (or the ``defaults:``), ``cd agent && uv build``, ``uv build agent``,
  ``uv --directory agent build``, ``python -m build agent``, ``poetry build -C agent``,
  ``uv build --package NAME`` (a workspace member by name) and ``--all-packages``.

A folder named with an expression, outside the repository or without a pyproject.toml is not a
package here; the root project stands for an upload whose packages cannot be told.

Which projects are published at all follows: the packages, and the root project only when an
upload sends it or stands for it (`Packages.root_uploaded`), so that the package index is
asked about the projects that will be uploaded and no other.
"""

from __future__ import annotations

import glob
import posixpath
from dataclasses import field, replace
from pathlib import Path
from typing import Any

from pubdoctor.distfolder import project_folder
from pubdoctor.errors import InputError
from pubdoctor.records import record
from pubdoctor.sources.handoff import build_command, needed_jobs
from pubdoctor.sources.publishing import shell_commands, shell_words
from pubdoctor.sources.pyproject import FILENAME, Project, load_project
from pubdoctor.sources.workflows import Job, Step, Workflow, Workflows, is_expression

#: options that take a value, per builder (the value is not the source folder)
_VALUE_OPTIONS = {
    "uv": ("-o", "--out-dir", "--package", "--directory", "--project", "-p", "--python",
           "-C", "--config-setting", "--build-constraint", "-b", "--index", "--index-url"),
    "build": ("-o", "--outdir", "-C", "--config-setting", "--installer"),
    "poetry": ("-C", "--directory", "-P", "--project", "-o", "--output", "-f", "--format"),
    "pdm": ("-p", "--project", "-d", "--dest"),
    "hatch": ("-t", "--target", "-p", "--project"),
}


@record(kw_only=True)
class Package:
    """A package in a sub-folder: its folder (``agent``) and its pyproject.toml."""

    folder: str
    project: Project


@record(kw_only=True)
class Packages:
    """The sub-folder packages each publish step uploads."""

    by_step: dict[tuple[str, str, int], list[Package]] = field(default_factory=dict)
    #: each folder a publish step uploads (``dist``, ``agent/dist``: as `pubdoctor.sources.dist`
    #: reads them) -> the package folders sent from it, ``.`` for the root project
    by_upload: dict[str, set[str]] = field(default_factory=dict)

    @property
    def root_uploaded(self) -> bool:
        """Whether the root project is what some upload sends, or stands for it: no publishing
        job at all (a local check), or an upload whose packages are the root's or unknown."""
        return not self.by_step or any(not found for found in self.by_step.values())

    def uploaded_from(self, folder: str) -> tuple[list[Package], bool]:
        """``(packages, root)``: what the uploads of ``folder`` send, and whether the root
        project is among it (always, for a folder no publish step names)."""
        sent = self.by_upload.get(folder, {"."})
        found = {p.folder: p for p in self.all}
        return [found[f] for f in sorted(sent) if f in found], "." in sent

    def of_step(self, workflow: Workflow, job: Job, step: Step) -> list[Package]:
        """The packages ``step`` uploads; empty for the root project (or when unknown)."""
        return self.by_step.get((workflow.path, job.id, step.index), [])

    @property
    def all(self) -> list[Package]:
        found: dict[str, Package] = {}
        for packages in self.by_step.values():
            for package in packages:
                found.setdefault(package.folder, package)
        return [found[k] for k in sorted(found)]


def _join(base: str, path: str) -> str | None:
    """``base/path`` normalised inside the workspace, or None for what cannot be known."""
    path = path.strip()
    if not path or is_expression(path) or path.startswith(("$", "~", "/")) or "`" in path:
        return None
    joined = posixpath.normpath(posixpath.join(base, path))
    return None if joined.startswith("..") else joined


def _option(words: list[str], names: tuple[str, ...]) -> str | None:
    for i, word in enumerate(words):
        for name in names:
            if word == name and i + 1 < len(words):
                return words[i + 1]
            if name.startswith("--") and word.startswith(name + "="):
                return word.split("=", 1)[1]
    return None


def _positional(words: list[str], takes_value: tuple[str, ...]) -> str | None:
    skip = False
    for word in words:
        if skip:
            skip = False
            continue
        if word.startswith("-"):
            skip = word in takes_value
            continue
        return word
    return None


def _members(root: Path, project: Project) -> dict[str, str]:
    """The uv workspace members of the root project: distribution name -> folder."""
    workspace = project.tool("uv").get("workspace")
    patterns = workspace.get("members") if isinstance(workspace, dict) else None
    found: dict[str, str] = {}
    for pattern in patterns if isinstance(patterns, list) else []:
        if not isinstance(pattern, str) or pattern.startswith(("/", "..")):
            continue
        try:
            matches = sorted(glob.glob(str(root / pattern)))
        except (OSError, ValueError, RecursionError):
            continue
        for match in matches:
            try:
                relative = Path(match).relative_to(root).as_posix()
            except ValueError:
                continue
            member = _load(root, relative)  # None outside the repository or without a pyproject
            if member is not None and member.name:
                found[_normal(member.name)] = relative
    return found


def _normal(name: str) -> str:
    from packaging.utils import canonicalize_name

    return str(canonicalize_name(name))


def _builds(line: str, cwd: str, members: dict[str, str]) -> list[str] | None:
    """The folders one shell line builds (``[]``: it builds nothing; None: cannot tell)."""
    words = shell_words(line)
    for i, word in enumerate(words):
        tool = word.rsplit("/", 1)[-1]
        rest = words[i + 1:]
        if tool == "uv" and _positional(rest, _VALUE_OPTIONS["uv"]) == "build":
            at = rest.index("build")
            before, after = rest[:at], rest[at + 1:]
            base = cwd
            directory = _option(before + after, ("--directory", "--project"))
            if directory is not None:
                base = _join(cwd, directory) or ""
                if not base:
                    return None
            if "--all-packages" in after or "--all" in after:
                return list(members.values()) or None
            package = _option(after, ("--package",))
            if package is not None:
                folder = members.get(_normal(package))
                return [folder] if folder else None
            source = _positional(after, _VALUE_OPTIONS["uv"])
            target = _join(base, source) if source else base
            return None if target is None else [target]
        if tool == "pyproject-build" or (tool == "build" and i >= 1 and words[i - 1] in ("-m", "run")):
            source = _positional(rest, _VALUE_OPTIONS["build"])
            target = _join(cwd, source) if source else cwd
            return None if target is None else [target]
        if tool in ("poetry", "pdm", "hatch") and "build" in rest:
            names = {"poetry": ("-C", "--directory", "-P", "--project"), "pdm": ("-p", "--project"),
                     "hatch": ()}[tool]
            directory = _option(rest, names) if names else None
            target = _join(cwd, directory) if directory else cwd
            return None if target is None else [target]
    return None


def build_folders(step: Step, members: dict[str, str]) -> list[str] | None:
    """The folders whose projects a build step builds (``.`` the root), or None when it
    builds something pubdoctor cannot place (an action, an expression, a script)."""
    if step.run is None or build_command(step) is None:
        return [] if build_command(step) is None else None
    cwd = _join(".", step.working_directory) if step.working_directory else "."
    if cwd is None:
        return None
    found: list[str] = []
    for line in shell_commands(step.run):
        words = shell_words(line)
        if words and words[0] in ("cd", "pushd") and len(words) >= 2:
            moved = _join(cwd, words[1])
            if moved is None:
                return None
            cwd = moved
            continue
        if build_command(Step(index=0, run=line, location=step.location)) is None:
            continue
        folders = _builds(line, cwd, members)
        if folders is None:
            return None
        found.extend(folders)
    return found


def _load(root: Path, folder: str) -> Project | None:
    """The project of ``root/folder``, its locations named from the repository root."""
    try:
        base = root.resolve()
        path = (root / folder).resolve()
        if not path.is_relative_to(base) or not (path / FILENAME).is_file():
            return None
        project = load_project(path)
    except (InputError, OSError, RuntimeError, ValueError):
        return None
    return replace(project, path=f"{folder}/{FILENAME}")


def _step_folders(workflow: Workflow, job: Job, step: Step, members: dict[str, str]) -> list[str]:
    folder = project_folder(workflow, job, step)
    if folder is not None:
        return [folder]
    folders: list[str] = []
    for current in (job, *needed_jobs(workflow, job)):
        for candidate in current.steps:
            built = build_folders(candidate, members)
            if built is None:
                return []  # a build pubdoctor cannot place: the root project stands
            folders.extend(built)
    folders = list(dict.fromkeys(folders))
    return [] if not folders or "." in folders else folders


def load_packages(root: Path, workflows: Workflows, project: Project) -> Packages:
    members = _members(root, project)
    packages = Packages()
    cache: dict[str, Project | None] = {}
    for item in workflows.publishing_jobs():
        for step in item.steps:
            key = (item.workflow.path, item.job.id, step.index)
            if key in packages.by_step:
                continue
            found = []
            for folder in _step_folders(item.workflow, item.job, step, members):
                if folder not in cache:
                    cache[folder] = _load(root, folder)
                if cache[folder] is not None:
                    found.append(Package(folder=folder, project=cache[folder]))  # type: ignore[arg-type]
            packages.by_step[key] = found
            for upload in _upload_folders(step):
                packages.by_upload.setdefault(upload, set()).update(
                    [p.folder for p in found] or ["."])
    return packages


def _upload_folders(step: Step) -> list[str]:
    """The folders a publish step uploads, named as `pubdoctor.sources.dist` reads them."""
    from pubdoctor.sources.dist import DEFAULT_DIR, upload_dir

    publish = step.publish
    if publish is None:
        return []
    folders = [upload_dir(p) for p in publish.packages] or [DEFAULT_DIR]
    return [f for f in folders if f is not None]


def load_packages_for(context: Any) -> Packages:
    """Context loader: the packages the workflows at the checked root publish."""
    return load_packages(context.root, context.get("workflows"), context.get("project"))
