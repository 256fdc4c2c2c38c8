"""Regressions found by field-testing diagnose on real pasted logs (not in ../shared).

Each log here is hand-written from the tool's message text, in the shape the real pastes had
(cut, wrapped, indented), never copied from one of them.
"""

from __future__ import annotations

from pubdoctor.diagnose import diagnose

from .conftest import diagnose_json


def test_local_version_refusal_cut_after_the_version(write_log) -> None:
    # A paste (or a wrapped annotation) that ends right after the version still names it:
    # warehouse refuses only versions with a `+local` segment.
    log = write_log("ERROR    HTTPError: 400 Bad Request from https://test.pypi.org/legacy/\n"
                    "         400 The use of local versions in\n"
                    "         <Version('2.0.1.dev3+g0a1b2c3')> is not all\n")
    found = diagnose_json(log)
    assert found["cause"] == "local-version"
    assert found["facts"]["version"] == "2.0.1.dev3+g0a1b2c3"


def test_local_version_full_sentences_still_match(write_log) -> None:
    for version in ("'1.4.0+dirty'", "<Version('1.4.0+dirty')>"):
        log = write_log(f"400 The use of local versions in {version} is not allowed.\n")
        found = diagnose_json(log)
        assert found["cause"] == "local-version"
        assert found["facts"]["version"] == "1.4.0+dirty"


def test_the_words_alone_without_a_local_version_are_no_refusal(write_log) -> None:
    log = write_log("docs: explain that the use of local versions in releases is refused\n")
    assert diagnose(str(log)).cause.id == "unknown"
