"""A failure text that recurs thousands of times keeps the scan linear.

Speed itself is measured in benchmarks/peers.py; these tests pin the mechanism: a pattern that
has matched MAX_MATCHES_PER_PATTERN times retires, its anchors stop being searched from the next
block on, and a pattern is tried only where one of its anchors is.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from pubdoctor.diagnose import diagnose, reader
from pubdoctor.diagnose import scanner as scanner_module
from pubdoctor.diagnose.causes import PATTERNS
from pubdoctor.diagnose.scanner import MAX_MATCHES_PER_PATTERN, Scanner

FAILURE = (
    "ERROR    HTTPError: 400 Bad Request from https://upload.pypi.org/legacy/\n"
    "         File already exists ('demo-1.0.0-py3-none-any.whl', with blake2_256 hash "
    "'0123'). See https://pypi.org/help/#file-name-reuse for more information.\n"
)


def _log(repeats: int) -> bytes:
    return ("Collecting demo==1.0.0\n" * 3 + FAILURE).encode() * repeats


@pytest.mark.usefixtures("small_blocks")
def test_a_retired_pattern_is_no_longer_searched() -> None:
    scanner = Scanner()
    scanner.scan(io.BytesIO(_log(2000)))
    result = scanner.finish()
    exists = [n for n, p in enumerate(PATTERNS) if p.cause == "file-exists"]
    matched = {PATTERNS.index(m.pattern) for m in result.matches}
    retired = [n for n in matched if n in scanner._retired]
    assert retired, "a pattern that matched on every recurrence must retire"
    assert set(exists) & set(retired)
    live = [n for n in range(len(PATTERNS)) if n not in scanner._retired]
    for number in retired:
        # every anchor only this retired pattern needs is out of the automaton
        others = {a for n in live for a in PATTERNS[n].anchors}
        for anchor in PATTERNS[number].anchors:
            if not any(other in anchor or anchor in other for other in others):
                assert anchor.encode() not in scanner._finder.keys
    assert all(count <= MAX_MATCHES_PER_PATTERN for count in scanner._counts.values())


@pytest.mark.usefixtures("small_blocks")
def test_the_recurring_failure_is_still_the_cause(tmp_path: Path) -> None:
    log = tmp_path / "recurring.log"
    log.write_bytes(_log(1000) + b"Error: Process completed with exit code 1.\n")
    assert diagnose(str(log)).cause.id == "file-exists"
    assert diagnose(str(log), engine="find").cause.id == "file-exists"


# --- what the fast paths skip (a line known to match nothing new, upload lines, the tail) ---------

LOGS = Path(__file__).parent / "logs"
#: the failure text of benchmarks/peers.py part 3: twine's refusal, an exchange failure line that no
#: pattern matches alone, the job's end
RECURRING = (
    "Collecting demo==1.0.0\n"
    "ERROR    HTTPError: 400 Bad Request from https://upload.pypi.org/legacy/\n"
    "         File already exists ('demo-1.0.0-py3-none-any.whl', with blake2_256 hash '0123'). "
    "See https://pypi.org/help/#file-name-reuse for more information.\n"
    "Error: Trusted publishing exchange failure: invalid-publisher\n"
    "2024-01-01T00:00:00.0000000Z ##[error]Process completed with exit code 1.\n"
)


def _scan(data: bytes) -> Scanner:
    scanner = Scanner()
    scanner.scan(io.BytesIO(data))
    scanner.finish()
    return scanner


def _found(scanner: Scanner) -> list[tuple[str, int]]:
    return [(m.cause, m.lines[0].number) for m in scanner.result.matches]


@pytest.mark.usefixtures("small_blocks")
def test_a_different_failure_after_10000_recurrences_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    # the recurring lines soon match nothing new and are skipped; the action's full message
    # after them is matched, and what is found is what a scan that skips nothing finds
    data = RECURRING.encode() * 10_000 + (LOGS / "publisher-mismatch__action-v1.8.log").read_bytes()
    scanner = _scan(data)
    assert scanner._futile, "the recurring lines must have been found futile"
    assert [n for cause, n in _found(scanner) if cause == "publisher-mismatch" and n > 50_000]
    monkeypatch.setattr(scanner_module, "FUTILE", 10**9)
    assert _found(_scan(data)) == _found(scanner)


@pytest.mark.usefixtures("small_blocks")
def test_the_same_line_with_another_reason_after_it_is_matched(monkeypatch: pytest.MonkeyPatch) -> None:
    # the HTTPError line recurs 10,000 times with "File already exists" under it; under the
    # same line, a reason that holds no anchor of its own (a classifier) is another failure
    data = RECURRING.encode() * 10_000 + (LOGS / "invalid-metadata__warehouse-field.log").read_bytes()
    scanner = _scan(data)
    assert [n for cause, n in _found(scanner) if cause == "invalid-metadata" and n > 50_000]
    monkeypatch.setattr(scanner_module, "FUTILE", 10**9)
    assert _found(_scan(data)) == _found(scanner)


@pytest.mark.usefixtures("small_blocks")
def test_a_step_after_many_recurrences_is_the_step_of_the_failure_in_it() -> None:
    data = (b"##[group]Run python -m build\n" + RECURRING.encode() * 5_000
            + b"##[endgroup]\n##[group]Run pypa/gh-action-pypi-publish@release/v1\n"
            + (LOGS / "invalid-metadata__warehouse-field.log").read_bytes())
    scanner = _scan(data)
    late = [m for m in scanner.result.matches if m.cause == "invalid-metadata"]
    assert late and late[0].step is not None
    assert late[0].step.text == "Run pypa/gh-action-pypi-publish@release/v1"
    assert late[0].step.number == 5_000 * 5 + 3
    exists = [m for m in scanner.result.matches if m.cause == "file-exists"]
    assert exists and all(m.step is not None and m.step.text == "Run python -m build" for m in exists)


@pytest.mark.usefixtures("small_blocks")
def test_the_last_uploads_of_thousands_are_kept_with_their_line_numbers() -> None:
    lines = [f"2024-01-01T00:00:{n % 60:02d}.0000000Z Uploading demo_{n}-1.0.0-py3-none-any.whl\n"
             if n % 3 == 0 else "Uploading distributions to https://upload.pypi.org/legacy/\n"
             for n in range(6_000)]
    scanner = _scan("".join(lines).encode())
    uploads = scanner.result.uploads
    assert len(uploads) == 16
    expected = [(n + 1, f"demo_{n}-1.0.0-py3-none-any.whl") for n in range(6_000) if n % 3 == 0][-16:]
    assert [(line.number, name) for line, name in uploads] == expected


@pytest.mark.usefixtures("small_blocks")
def test_the_last_error_lines_are_read_from_the_end_of_a_long_part() -> None:
    # every line looks like an error, some with twine's indented reason under them
    lines: list[str] = []
    for n in range(3_000):
        lines.append(f"ERROR    HTTPError: 503 Service Unavailable (attempt {n})\n")
        if n % 2:
            lines.append(f"         the index said no ({n})\n")
    scanner = _scan("".join(lines).encode())
    numbers = [line.number for line in scanner.result.last_errors]
    assert numbers == list(range(len(lines) - 11, len(lines) + 1))
    last_error = len(lines) - 1  # the last error line; its reason is the line after it
    assert scanner.result.reasons[(0, last_error)] == "the index said no (2999)"


def test_long_lines_keep_the_line_numbers_and_the_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # lines longer than a block are carried cut into the next block: the numbers stay right
    monkeypatch.setattr(reader, "CHUNK_SIZE", 64 * 1024)
    long_line = "2024-01-01T00:00:00.0000000Z " + "é 400 Bad Request, " * 10_000 + "\n"
    body = long_line * 30 + FAILURE
    log = tmp_path / "long.log"
    log.write_text(body, encoding="utf-8")
    result = diagnose(str(log))
    assert result.cause.id == "file-exists"
    assert [line.number for line in result.evidence][:2] == [31, 32]


def test_error_lines_past_the_first_ones_are_not_read_one_by_one(monkeypatch: pytest.MonkeyPatch) -> None:
    # the first error lines are kept (FIRST_ERRORS): the error lines after them in the same
    # block are not cut one by one any more, and what is kept is the same
    data = b"".join(b"ERROR app: lookup of item %d failed\n" % n for n in range(20_000))
    cut = []
    around = scanner_module._around
    monkeypatch.setattr(scanner_module, "_around", lambda *args: cut.append(1) or around(*args))
    scanner = Scanner()
    scanner.scan(io.BytesIO(data))
    result = scanner.finish()
    assert [line.number for line in result.first_errors] == list(range(1, scanner_module.FIRST_ERRORS + 1))
    assert [line.number for line in result.last_errors] == list(range(20_001 - scanner_module.LAST_ERRORS, 20_001))
    assert len(cut) == scanner_module.FIRST_ERRORS
