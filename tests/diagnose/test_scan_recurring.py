"""A failure text that recurs thousands of times keeps the scan linear.

Speed itself is measured in benchmarks/peers.py; these tests pin the mechanism: a pattern that
has matched MAX_MATCHES_PER_PATTERN times retires, its anchors stop being searched from the next
block on, and a hit line is matched only against the live patterns whose anchor it holds.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from pubdoctor.diagnose import diagnose, reader
from pubdoctor.diagnose.causes import PATTERNS
from pubdoctor.diagnose.scanner import MAX_MATCHES_PER_PATTERN, Scanner

FAILURE = (
    "ERROR    HTTPError: 400 Bad Request from https://upload.pypi.org/legacy/\n"
    "         File already exists ('demo-1.0.0-py3-none-any.whl', with blake2_256 hash "
    "'0123'). See https://pypi.org/help/#file-name-reuse for more information.\n"
)


def _log(repeats: int) -> bytes:
    return ("Collecting demo==1.0.0\n" * 3 + FAILURE).encode() * repeats


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    # Many blocks, so that the rebuilt search is used within the test's log.
    monkeypatch.setattr(reader, "CHUNK_SIZE", 4096)


@pytest.mark.usefixtures("small_blocks")
def test_a_retired_pattern_is_no_longer_searched() -> None:
    scanner = Scanner()
    scanner.scan(io.BytesIO(_log(2000)))
    result = scanner.finish()
    exists = [n for n, p in enumerate(PATTERNS) if p.cause == "file-exists"]
    matched = {PATTERNS.index(m.pattern) for m in result.matches}
    retired = [n for n in matched if n not in scanner._live]
    assert retired, "a pattern that matched on every recurrence must retire"
    assert set(exists) & set(retired)
    for number in retired:
        # every anchor only this retired pattern needs is out of the automaton
        others = {a for live in scanner._live for a in PATTERNS[live].anchors}
        for anchor in PATTERNS[number].anchors:
            if not any(other in anchor or anchor in other for other in others):
                assert anchor.encode() not in scanner._finder.keys
    assert all(count <= MAX_MATCHES_PER_PATTERN for count in scanner._counts.values())


def test_only_patterns_with_an_anchor_on_the_line_are_tried() -> None:
    scanner = Scanner()
    line = b"         File already exists ('demo-1.0.0.tar.gz')."
    tried = scanner._candidates(line)
    assert tried
    assert all(any(a.encode() in line for a in PATTERNS[n].anchors) for n in tried)
    assert scanner._candidates(b"Collecting demo==1.0.0") == []


@pytest.mark.usefixtures("small_blocks")
def test_the_recurring_failure_is_still_the_cause(tmp_path: Path) -> None:
    log = tmp_path / "recurring.log"
    log.write_bytes(_log(1000) + b"Error: Process completed with exit code 1.\n")
    assert diagnose(str(log)).cause.id == "file-exists"
    assert diagnose(str(log), engine="find").cause.id == "file-exists"
