"""``git`` plumbing in a subprocess, each answer read once per run.

The repository, version and history sources all ask git about the same checkout; the
``git`` source of the context is one `Git` for the checked folder that remembers what git
answered, so a question two sources ask (the URL of the remote, say) costs one process.

``git -C root`` decides the repository: the variables a hook inherits (``GIT_DIR``...)
would point elsewhere, so they are removed. Output is in the C locale, git never prompts, and
it never refreshes the index (``GIT_OPTIONAL_LOCKS=0``): a run reads the repository, never writes.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

#: variables that would make git read another repository than the one at ``-C root``
REPOSITORY_VARIABLES = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_COMMON_DIR")
TIMEOUT = 10.0


def run_git(root: Path, *args: str, timeout: float = TIMEOUT) -> subprocess.CompletedProcess[str]:
    """``git -C root ARGS``; raises `FileNotFoundError` without git, `subprocess.TimeoutExpired`."""
    env = {k: v for k, v in os.environ.items() if k not in REPOSITORY_VARIABLES}
    env["GIT_TERMINAL_PROMPT"] = "0"
    env["LC_ALL"] = "C"
    # ``git status`` and ``git describe --dirty`` refresh the index as a side effect and write
    # it back when a file's stat changed (a touched file, a fresh checkout): pubdoctor never
    # writes to the repository, so git skips every operation that needs an optional lock.
    env["GIT_OPTIONAL_LOCKS"] = "0"
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True,
                          env=env, timeout=timeout, check=False)


class Git:
    """`run_git` for one folder, answering each command line once (a run reads, never writes)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._answers: dict[tuple[str, ...], subprocess.CompletedProcess[str]] = {}

    def __call__(self, *args: str) -> subprocess.CompletedProcess[str]:
        if args not in self._answers:
            self._answers[args] = run_git(self.root, *args)
        return self._answers[args]

    def remote_url(self, remote: str) -> str | None:
        """The URL of ``remote`` with ``url.<base>.insteadOf`` applied, as ``git push`` uses it;
        None when there is no such remote (or git cannot tell)."""
        try:
            result = self("remote", "get-url", remote)
        except (OSError, subprocess.SubprocessError):
            return None
        url = result.stdout.strip()
        return url if result.returncode == 0 and url else None


def load_git_for(context: Any) -> Git:
    """Context loader: git for the checked folder."""
    return Git(context.root)
