"""The bundled examples behave as README.md says: the README's first command must not lie."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pubdoctor", *args], capture_output=True, text=True)


def test_broken_example_fails_with_the_documented_findings(tmp_path: Path) -> None:
    root = tmp_path / "broken"
    shutil.copytree(EXAMPLES / "broken", root)
    result = run("check", "--offline", "--format", "json", str(root))
    assert result.returncode == 1, result.stderr
    found = {(f["code"], f["location"]["path"], f["location"]["line"])
             for f in json.loads(result.stdout)["findings"]}
    assert ("PD101", ".github/workflows/release.yml", 11) in found
    assert ("PD202", "pyproject.toml", 13) in found
    assert "Traceback" not in result.stderr


def test_clean_example_passes(tmp_path: Path) -> None:
    root = tmp_path / "clean"
    shutil.copytree(EXAMPLES / "clean", root)
    result = run("check", "--offline", str(root))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith("All checks passed!")


def test_readme_first_command_output_matches() -> None:
    """The output README.md shows for the broken example is what pubdoctor prints in the repo."""
    readme = (EXAMPLES.parent / "README.md").read_text(encoding="utf-8")
    shown = readme.split("The first command prints (and exits 1):\n\n```text\n", 1)[1].split("```", 1)[0]
    result = subprocess.run([sys.executable, "-m", "pubdoctor", "check", "--offline", "--no-color",
                             "examples/broken"], capture_output=True, text=True, cwd=EXAMPLES.parent)
    assert result.returncode == 1
    finding_lines = [line for line in result.stdout.splitlines() if not line.startswith("note:")]
    assert [line for line in shown.splitlines() if not line.startswith("note:")] == finding_lines
