"""Which folders a run checks, found from any folder inside a repository (as ruff and git do).

A user runs ``pubdoctor check`` from wherever they are: the repository's top, ``src/``, or
the folder of one package of a monorepo. Two folders matter, and they need not be the same:

- the **project**: the folder whose ``pyproject.toml`` (or ``setup.py``/``setup.cfg``) is
  read, the nearest one at or above the given folder, or the given folder when it holds
  ``.github`` (a repository that publishes something built elsewhere);
- the **workflows' root**: the folder whose ``.github/workflows`` is read, the nearest one at
  or above the project, and never above the git work tree's top: GitHub only runs the
  workflows of the repository's top, so a package in a sub-folder is published by those.

The walk stops at the git work tree's top (a ``.git`` directory or file), so a checkout
inside another never borrows its parent's files. Outside git it walks up to the file
system's root, as ruff looks for its ``pyproject.toml``. Found by looking at the file system
only: no subprocess, nothing imported beyond ``pathlib``.
"""

from __future__ import annotations

from pathlib import Path

from pubdoctor.records import record


#: files that make a folder a Python project's
PROJECT_FILES = ("pyproject.toml", "setup.py", "setup.cfg")
WORKFLOWS_DIR = Path(".github") / "workflows"


@record(frozen=True, kw_only=True)
class Roots:
    """The folders a run reads, and how they were found (for ``--show-settings``)."""

    #: the folder whose pyproject.toml is read (the package)
    project: Path
    #: the folder whose .github/workflows are read (the repository's top, in a monorepo)
    workflows: Path
    #: the git work tree's top, or None outside git
    git_top: Path | None
    #: one line saying why these folders, e.g. "nearest pyproject.toml above src"
    reason: str

    @property
    def top(self) -> Path:
        """The folder repository paths are relative to: git's top, else the workflows' root."""
        return self.git_top or self.workflows


def git_top(start: Path) -> Path | None:
    """The top of the git work tree holding ``start`` (the nearest ``.git``), or None."""
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return None


def _within(start: Path, limit: Path | None) -> list[Path]:
    """``start`` and its parents, up to ``limit`` included (all of them without one)."""
    folders = []
    for folder in (start, *start.parents):
        folders.append(folder)
        if folder == limit:
            break
    return folders


def discover(path: Path) -> Roots:
    """The project and workflows' root for a run started on ``path`` (an existing folder)."""
    start = path.resolve()
    top = git_top(start)
    candidates = _within(start, top)
    project = next((folder for folder in candidates
                    if any((folder / name).is_file() for name in PROJECT_FILES)
                    or (folder / ".github").is_dir()), None)
    if project is None:  # nothing to read anywhere: the work tree's top, else the folder
        return Roots(project=top or start, workflows=top or start, git_top=top,
                     reason="no pyproject.toml, setup.py, setup.cfg or .github at or above the "
                            "given folder" + (" inside its git work tree" if top else ""))
    marker = next(name for name in (*PROJECT_FILES, ".github") if (project / name).exists())
    reason = ("the given folder" if project == start
              else f"the nearest folder above the given one with {marker}")
    workflows = next((folder for folder in _within(project, top)
                      if (folder / WORKFLOWS_DIR).is_dir()), project)
    if workflows != project:
        reason += f"; workflows from {workflows} (the nearest .github/workflows above it)"
    return Roots(project=project, workflows=workflows, git_top=top, reason=reason)
