"""The wheel carries the rule catalogue, so an installed pubdoctor prints whole rule pages."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_ships_every_rule_page(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir",
                    str(tmp_path), str(ROOT)], check=True, capture_output=True)
    [wheel] = tmp_path.glob("pubdoctor-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    pages = {p.name for p in (ROOT / "rules").glob("PD*.md")}
    assert pages and {f"pubdoctor/rule_pages/{p}" for p in pages} <= names
