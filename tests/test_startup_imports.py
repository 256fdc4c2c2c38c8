"""What an offline check imports: the start-up budget, held by a check rather than a timer.

`benchmarks/startup.py` measures the time; these tests say which modules must stay out of an
offline run so that the figure holds: pydantic (about 65 ms for its first model), gitpython
(about 70 ms) and the network, archive and HTML modules are for runs that need them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
#: top-level packages and modules an offline check of a project without dist/ never needs
HEAVY = ("pydantic", "pydantic_core", "git", "gitdb", "urllib.request", "http.client", "ssl",
         "zipfile", "tarfile", "html.parser", "json", "packaging.utils", "packaging.tags")

PROBE = """
import sys
from pubdoctor.cli import main
try:
    main(sys.argv[1:])
except SystemExit as exc:
    status = exc.code
print(status, " ".join(sorted(sys.modules)), file=sys.stderr)
"""


def imported_by(*args: str, cwd: Path | None = None,
                env: dict[str, str] | None = None) -> tuple[int, set[str]]:
    """Run pubdoctor in a fresh interpreter: its exit status and every module it imported."""
    env = {**{k: v for k, v in os.environ.items() if k != "PUBDOCTOR_VALIDATE"},  # as users run it
           **(env or {})}
    result = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True,
                            cwd=cwd, env=env, check=False)
    status, modules = result.stderr.strip().splitlines()[-1].split(" ", 1)
    return int(status), set(modules.split())


def heavy(modules: set[str]) -> set[str]:
    return {m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY)}


@pytest.mark.parametrize("example,status", [("clean", 0), ("broken", 1)])
def test_offline_check_of_a_folder_imports_no_heavy_module(tmp_path: Path, example: str,
                                                           status: int) -> None:
    root = tmp_path / example  # outside any git repository
    shutil.copytree(EXAMPLES / example, root)
    code, modules = imported_by("check", "--offline", str(root))
    assert code == status
    assert heavy(modules) == set()
    assert "pubdoctor.rules.versions" in modules  # every rule family was loaded and ran


def test_offline_check_of_the_bundled_example_imports_no_heavy_module() -> None:
    """The benchmark's own command: examples/clean inside this repository's checkout."""
    code, modules = imported_by("check", "--offline", str(EXAMPLES / "clean"))
    assert code == 0
    assert heavy(modules) == set()


def test_json_output_needs_json_only(tmp_path: Path) -> None:
    root = tmp_path / "clean"
    shutil.copytree(EXAMPLES / "clean", root)
    code, modules = imported_by("check", "--offline", "--format", "json", str(root))
    assert code == 0
    assert heavy(modules) == {"json"} | {m for m in modules if m.startswith("json.")}


def test_a_folder_outside_any_repository_starts_no_git(tmp_path: Path) -> None:
    """No checkout, no git process (a `git` on PATH that leaves a mark never runs), and not
    even `subprocess` is imported (`gitcli.Git` answers as git would there), unless the
    dependencies bring it themselves (click's `uuid` imports `platform`, which imports it on
    Python 3.10)."""
    root = tmp_path / "broken"
    shutil.copytree(EXAMPLES / "broken", root)
    tools = tmp_path / "bin"
    tools.mkdir()
    mark = tmp_path / "git-ran"
    fake = tools / "git"
    fake.write_text(f"#!/bin/sh\ntouch {mark}\nexit 128\n", encoding="utf-8")
    fake.chmod(0o755)
    path = f"{tools}{os.pathsep}{os.environ.get('PATH', '')}"
    code, modules = imported_by("check", "--offline", str(root), env={"PATH": path})
    assert code == 1
    assert "pubdoctor.sources.gitcli" in modules  # the git source was asked, and answered
    assert not mark.exists()
    floor = subprocess.run([sys.executable, "-c", "import sys, click, ruamel.yaml, packaging.version; "
                            "print('subprocess' in sys.modules)"], capture_output=True, text=True,
                           check=True).stdout.strip()
    if floor == "False":
        assert "subprocess" not in modules
