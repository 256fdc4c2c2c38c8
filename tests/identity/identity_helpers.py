"""Helpers of the identity tests: real git repositories with a remote, and workflow texts."""

from __future__ import annotations

import textwrap
from pathlib import Path

from conftest import git

PUBLISH_JOB = """
on:
  push:
    tags: ["v*"]
jobs:
  publish:
    runs-on: ubuntu-latest
    environment: pypi
    permissions:
      id-token: write
    steps:
      - uses: pypa/gh-action-pypi-publish@release/v1
"""

def make_repo(root: Path, files: dict[str, str], remote: str | None = "https://github.com/octo-org/demo.git",
              name: str = "origin") -> Path:
    """Write ``files`` (dedented) under ``root``, ``git init`` it and add the remote."""
    root.mkdir(parents=True, exist_ok=True)
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    if remote is not None:
        git(root, "remote", "add", name, remote)
    return root


def declared(workflow: str = "release.yml", owner: str = "octo-org", repository: str = "demo",
             environment: str | None = "pypi", name: str = "demo", **extra: str) -> str:
    """A pyproject.toml with ``[project]`` on lines 1-3 and the publisher table from line 5.

    Lines: 5 ``[tool.pubdoctor.publisher]``, 6 owner, 7 repository, 8 workflow, 9 environment
    (when given), then ``extra`` keys.
    """
    lines = ["[project]", f'name = "{name}"', 'version = "1.0"', "",
             "[tool.pubdoctor.publisher]", f'owner = "{owner}"', f'repository = "{repository}"',
             f'workflow = "{workflow}"']
    if environment is not None:
        lines.append(f'environment = "{environment}"')
    lines.extend(f'{key} = "{value}"' for key, value in extra.items())
    return "\n".join(lines) + "\n"
