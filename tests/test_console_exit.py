"""The console script (`pubdoctor.cli.run`) ends the process without the interpreter's
teardown: what it printed and its exit status must be exactly those of `main`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def script(*args: str, cwd: Path | None = None, **options: object) -> subprocess.CompletedProcess[str]:
    """``python -m pubdoctor ARGS`` (which runs `run`, as the console script does)."""
    env = {**os.environ, "NO_COLOR": "1", "PUBDOCTOR_DEBUG": ""}
    return subprocess.run([sys.executable, "-m", "pubdoctor", *args], capture_output=True,
                          text=True, env=env, cwd=cwd, timeout=120, **options)  # type: ignore[call-overload]


def in_process(*args: str) -> tuple[int, str]:
    """What `main` prints and exits with, in an interpreter that exits the ordinary way."""
    code = ("import sys\nfrom pubdoctor.cli import main\n"
            "try:\n    main(sys.argv[1:])\nexcept SystemExit as exc:\n    raise SystemExit(exc.code)\n")
    env = {**os.environ, "NO_COLOR": "1", "PUBDOCTOR_DEBUG": ""}
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          env=env, timeout=120)
    return done.returncode, done.stdout + done.stderr


def test_the_console_script_is_run() -> None:
    [command] = [e for e in entry_points(group="console_scripts") if e.name == "pubdoctor"]
    assert command.value == "pubdoctor.cli:run"


@pytest.mark.parametrize("args,status", [
    (("check", "--offline", "{broken}"), 1),
    (("check", "--offline", "--format", "json", "{broken}"), 1),
    (("check", "--offline", "{clean}"), 0),
    (("check", "--no-such-option"), 2),
    (("rule", "PD101"), 0),
    (("--version",), 0),
])
def test_output_and_status_are_main_s(tmp_path: Path, args: tuple[str, ...], status: int) -> None:
    folders = {}
    for name in ("broken", "clean"):  # outside this repository, as a user's project
        folders[name] = str(shutil.copytree(EXAMPLES / name, tmp_path / name))
    args = tuple(a.format(**folders) for a in args)
    done = script(*args)
    assert done.returncode == status
    assert in_process(*args) == (status, done.stdout + done.stderr)
    assert done.stdout or done.stderr


def test_a_reader_that_goes_away_is_no_traceback() -> None:
    """``pubdoctor rule PD101 | head -1``: no traceback, the status Python gives a closed pipe."""
    env = {**os.environ, "NO_COLOR": "1"}
    pipeline = subprocess.run(
        f"{sys.executable} -m pubdoctor rule PD101 | head -c 10 >/dev/null; echo ${{PIPESTATUS[0]}}",
        shell=True, executable="/bin/bash", capture_output=True, text=True, env=env, timeout=120)
    assert "Traceback" not in pipeline.stderr
    assert pipeline.stdout.strip().isdigit()
