"""gitpython is never imported: the history is read with git's plumbing (made safe), even at a
repository's top level, where the history is read."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PROBE = """
import sys
from pubdoctor.cli import main
try:
    main(["check", "--offline", sys.argv[1]])
except SystemExit:
    pass
print("GIT-IMPORTED" if "git" in sys.modules else "GIT-NOT-IMPORTED")
"""


def test_no_gitpython_for_a_folder_outside_git(write_repo) -> None:
    root: Path = write_repo({"pyproject.toml": '[project]\nname = "x"\nversion = "1.0"\n'})
    out = subprocess.run([sys.executable, "-c", PROBE, str(root)], capture_output=True, text=True,
                         cwd=root).stdout
    assert "GIT-NOT-IMPORTED" in out


def test_no_gitpython_at_a_repository_top_level(write_repo) -> None:
    root: Path = write_repo({"pyproject.toml": '[project]\nname = "x"\nversion = "1.0"\n'},
                            init_git=True)
    out = subprocess.run([sys.executable, "-c", PROBE, str(root)], capture_output=True, text=True,
                         cwd=root).stdout
    assert "GIT-NOT-IMPORTED" in out
