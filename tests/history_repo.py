"""Real git repositories for the history tests: commits, tags, merges, clones."""

from __future__ import annotations

import textwrap
from pathlib import Path

from conftest import git


def init(root: Path, files: dict[str, str] | None = None) -> Path:
    """``git init`` ``root`` (branch main) and write ``files`` (dedented) without committing."""
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "commit.gpgsign", "false")
    git(root, "config", "tag.gpgsign", "false")
    for rel, content in (files or {}).items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return root


def commit(root: Path, message: str, tag: str | None = None, annotated: bool = False) -> str:
    """Commit everything (empty commits allowed) and return the sha; tag it if asked."""
    git(root, "add", "-A")
    git(root, "commit", "-q", "--allow-empty", "--no-gpg-sign", "-m", message)
    sha = git(root, "rev-parse", "HEAD").strip()
    if tag:
        if annotated:
            git(root, "tag", "-a", tag, "-m", f"release {tag}")
        else:
            git(root, "tag", tag)
    return sha


def repo(root: Path, files: dict[str, str], history: list[str | tuple[str, str]]) -> Path:
    """A repository with ``files`` in the first commit and one commit per ``history`` item
    (a message, or ``(message, tag)``)."""
    init(root, files)
    for item in history:
        message, tag = (item, None) if isinstance(item, str) else item
        commit(root, message, tag)
    return root


PSR = """
    [project]
    name = "demo"
    version = "1.0.0"

    [tool.semantic_release]
    commit_parser = "conventional"
"""
