"""The wheel carries the rule catalogue, so an installed pubdoctor prints whole rule pages."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# what a build leaves behind or a checkout holds besides the sources
NOT_SOURCES = shutil.ignore_patterns(".git", "build", "dist", "*.egg-info", "__pycache__", ".hypothesis",
                                     ".pytest_cache", ".venv*")


def test_wheel_ships_every_rule_page(tmp_path: Path) -> None:
    # built from a copy: setuptools writes build/ and *.egg-info next to the sources, which two
    # test runs in one checkout at once would share (one removes the other's files), and a
    # stale build/ there could hand the wheel a page that no longer exists
    source = shutil.copytree(ROOT, tmp_path / "source", ignore=NOT_SOURCES)
    out = tmp_path / "dist"
    built = subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir",
                            str(out), str(source)], capture_output=True, text=True)
    assert built.returncode == 0, built.stdout + built.stderr
    [wheel] = out.glob("pubdoctor-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    pages = {p.name for p in (ROOT / "rules").glob("PD*.md")}
    assert pages and {f"pubdoctor/rule_pages/{p}" for p in pages} <= names
