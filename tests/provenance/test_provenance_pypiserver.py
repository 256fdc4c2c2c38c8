"""A real pypiserver (no PEP 740, no Integrity API): one note, exit 0, the PD4xx rules unchanged."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "versions"))

from conftest import run_cli  # noqa: E402
from servers import PypiServer, built_demo_fixture, pypiserver_fixture  # noqa: E402,F401 - fixtures
from test_provenance_rules import repo, workflow  # noqa: E402


def test_pypiserver_gives_one_note_and_exit_0(tmp_path: Path, pypiserver: PypiServer,
                                              built_demo: list[Path]) -> None:
    pypiserver.add(*built_demo)  # demo 1.0.0
    root = repo(tmp_path, {"release.yml": workflow()})
    result = run_cli("check", str(root), "--no-color", "--index-url", pypiserver.url, "--timeout", "60",
                     "--select", "PD2,PD401")
    assert result.exit_code == 0, result.output
    notes = [line for line in result.output.splitlines() if line.startswith("note:")]
    assert len(notes) == 1, result.output
    assert "the trusted publisher was not checked" in notes[0] and "does not serve provenance" in notes[0]
    assert result.output.splitlines()[-1] == "All checks passed!"
