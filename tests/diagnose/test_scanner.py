"""The streaming scan: windows across block boundaries, both search engines, bounded memory."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from pubdoctor.diagnose import diagnose, reader

from .conftest import LOGS

WRAPPED = [
    "ERROR    HTTPError: 400 Bad Request from https://upload.pypi.org/legacy/",
    "         File already exists ('demo-1.0-py3-none-any.whl', with",
    "         blake2_256 hash",
    "         '00ff00ff').",
    "         See https://pypi.org/help/#file-name-reuse for more information.",
]


@pytest.mark.parametrize("noise_lines", [0, 1, 5, 17, 18, 19, 20, 21, 40])
def test_message_across_block_boundaries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, noise_lines: int) -> None:
    # 64-byte blocks: the wrapped message and its window straddle several blocks
    monkeypatch.setattr(reader, "CHUNK_SIZE", 64)
    noise = [f"noise line {i:04d} ........................" for i in range(noise_lines)]
    log = tmp_path / "job.log"
    log.write_text("\n".join([*noise, *WRAPPED, "Error: Process completed with exit code 1."]) + "\n")
    for engine in ("auto", "find"):
        found = diagnose(str(log), engine=engine)
        assert found.cause.id == "file-exists"
        assert [line.number for line in found.evidence] == list(range(noise_lines + 1, noise_lines + 6))
        assert found.facts["file"] == "demo-1.0-py3-none-any.whl"
        assert found.scan is not None and found.scan.lines == noise_lines + 6


@pytest.mark.parametrize("log", sorted(LOGS.glob("*.log")), ids=lambda p: p.stem)
def test_engines_agree(log: Path) -> None:
    fast, slow = diagnose(str(log), engine="auto"), diagnose(str(log), engine="find")
    assert fast.cause.id == slow.cause.id
    assert [line.key() for line in fast.evidence] == [line.key() for line in slow.evidence]


def test_line_numbers_count_every_line(tmp_path: Path) -> None:
    log = tmp_path / "job.log"
    log.write_text("x\n" * 100_000 + "Caused by: Missing credentials for https://upload.pypi.org/legacy/\n")
    found = diagnose(str(log))
    assert [line.number for line in found.evidence] == [100_001]


def test_memory_stays_bounded_on_a_big_log(tmp_path: Path) -> None:
    """A 16 MB log holding a failure every megabyte keeps a few MB (speed and the 200 MB
    figure are measured by benchmarks/diagnose.py, not here)."""
    log = tmp_path / "big.log"
    block = "".join(f"2024-01-01T00:00:00.0000000Z tests/test_x.py::test_error_{i} PASSED\n" for i in range(15_000))
    failure = (LOGS / "file-exists__twine7.log").read_text()
    with log.open("w") as handle:
        while handle.tell() < 16 << 20:
            handle.write(block + failure)
    tracemalloc.start()
    found = diagnose(str(log))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert found.cause.id == "file-exists"
    assert found.scan is not None and len(found.scan.matches) <= 30
    assert peak < 12 << 20
