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


def test_unknown_shows_the_reason_twine_prints_under_the_error(write_log) -> None:
    # twine (rich logging) prints the index's reason indented under `ERROR    HTTPError: ...`;
    # for a refusal pubdoctor does not know, that reason is what the user needs to read.
    log = write_log("Uploading sampleproject-1.0.0-py3-none-any.whl\n"
                    "WARNING  Error during upload. Retry with the --verbose option for more details.\n"
                    "ERROR    HTTPError: 400 Bad Request from https://upload.pypi.org/legacy/\n"
                    "         Some refusal pubdoctor has no cause for, wrapped by rich\n"
                    "         over a second line.\n"
                    "Error: Process completed with exit code 1.\n")
    found = diagnose_json(log)
    assert found["cause"] == "unknown"
    assert [line["line"] for line in found["evidence"]] == [2, 3, 4, 5, 6]
    assert found["evidence"][2]["text"] == "Some refusal pubdoctor has no cause for, wrapped by rich"


def test_continuation_stops_at_a_line_not_indented_deeper(write_log) -> None:
    log = write_log("    ERROR: something failed\n"
                    "    next step output\n"
                    "        deeper, but after the break\n")
    found = diagnose_json(log)
    assert [line["line"] for line in found["evidence"]] == [1]


def test_timestamps_do_not_count_as_indentation(write_log) -> None:
    log = write_log("2024-03-01T10:11:12.1234567Z ERROR    HTTPError: 400 Bad Request from https://upload.pypi.org/legacy/\n"
                    "2024-03-01T10:11:12.1234568Z          An unknown reason.\n"
                    "2024-03-01T10:11:12.1234569Z Done\n")
    found = diagnose_json(log)
    assert [line["text"] for line in found["evidence"]] == [
        "ERROR    HTTPError: 400 Bad Request from https://upload.pypi.org/legacy/", "An unknown reason."]


def test_twine_empty_password_warning_explains_the_refusal(write_log) -> None:
    log = write_log("Uploading distributions to https://upload.pypi.org/legacy/\n"
                    "WARNING  Your password is empty. Did you enter it correctly?\n"
                    "WARNING  See https://twine.readthedocs.io/#entering-credentials for more information.\n"
                    "Uploading sampleproject-1.0.0-py3-none-any.whl\n"
                    "ERROR    HTTPError: 403 Forbidden from https://upload.pypi.org/legacy/\n"
                    "         Invalid or non-existent authentication information. See\n"
                    "         https://pypi.org/help/#invalid-auth for more information.\n")
    found = diagnose_json(log)
    assert found["cause"] == "bad-token"
    assert "empty password" in found["detail"] and "****" not in found["detail"]
    assert found["fix"].startswith("check that the secret exists")
    lines = [line["line"] for line in found["evidence"]]
    assert lines[0] == 2 and 6 in lines  # the warning, and the refusal it explains


def test_masking_leaves_every_summary_detail_and_fix_readable() -> None:
    # everything diagnose prints goes through the mask; words like "password: the secret" in
    # pubdoctor's own texts would come out as "password: ****"
    from pubdoctor.diagnose.causes import CAUSES, PATTERNS
    from pubdoctor.diagnose.masking import mask

    texts = [t for p in PATTERNS for t in (p.detail, p.fix) if t]
    texts += [t for c in CAUSES.values() for t in (c.summary, c.fix)]
    assert [t for t in texts if mask(t) != t] == []


def test_two_factor_refusal_without_a_hyphen(write_log) -> None:
    # warehouse's security policies say "two factor" (no hyphen), behind a bare 403 Forbidden
    for reason in ("You must enable two factor authentication to upload",
                   "You must enable two factor authentication to manage other settings",
                   "You must enable two factor authentication."):
        log = write_log("ERROR    HTTPError: 403 Forbidden from https://upload.pypi.org/legacy/\n"
                        f"         {reason}\n")
        found = diagnose_json(log)
        assert found["cause"] == "2fa-required", reason
        assert "no two-factor" in found["detail"]


def test_a_403_with_a_reason_no_pattern_knows_is_not_called_a_bad_token(write_log) -> None:
    # the bare-403 fallback is for a status without a reason; a reason pubdoctor does not know
    # is shown as unknown rather than guessed
    log = write_log("ERROR    HTTPError: 403 Forbidden from https://upload.pypi.org/legacy/\n"
                    "         A reason the index may add some day.\n")
    found = diagnose_json(log)
    assert found["cause"] == "unknown"
    assert found["evidence"][1]["text"] == "A reason the index may add some day."


def test_a_403_whose_reason_is_only_the_status_is_still_bare(write_log) -> None:
    log = write_log("ERROR    HTTPError: 403 Forbidden from https://test.pypi.org/legacy/\n"
                    "         Forbidden\n")
    found = diagnose_json(log)
    assert found["cause"] == "bad-token"


def test_a_400_with_a_reason_is_no_local_version_even_with_a_plus(write_log) -> None:
    log = write_log("Uploading sampleproject-0.1.dev3+g9f8e7d6-py3-none-any.whl\n"
                    "ERROR    HTTPError: 400 Bad Request from https://test.pypi.org/legacy/\n"
                    "         A reason that no pattern knows.\n")
    assert diagnose_json(log)["cause"] == "unknown"


def test_field_newer_than_the_declared_metadata_version_blames_the_backend(write_log) -> None:
    # packaging.metadata's refusal, as warehouse returns it through uv and hatch
    for line in ("  Caused by: Upload failed with status code 400 Bad Request. Server says: 400 "
                 "license-file introduced in metadata version 2.4, not 2.1. See "
                 "https://packaging.python.org/specifications/core-metadata for more information.",
                 "Error uploading to repository: https://upload.pypi.org/legacy/ - Client error '400 "
                 "license-expression introduced in metadata version 2.4, not 2.3. See "
                 "https://packaging.python.org/specifications/core-metadata for more information.'"):
        found = diagnose_json(write_log(line + "\n"))
        assert found["cause"] == "invalid-metadata"
        assert found["detail"] == "the build backend wrote a field newer than the Metadata-Version it declared"
        assert found["fix"].startswith("upgrade the build backend")


def test_uv_status_line_with_a_reason_no_pattern_knows_is_unknown(write_log) -> None:
    log = write_log("error: Failed to publish `dist/sampleproject-1.0.0-py3-none-any.whl` to https://upload.pypi.org/legacy/\n"
                    "  Caused by: Upload failed with status code 403 Forbidden. Server says: 403 A reason "
                    "the index may add some day.\n")
    assert diagnose_json(log)["cause"] == "unknown"
    bare = write_log("  Caused by: Upload failed with status code 403 Forbidden. Server says: 403 Forbidden\n")
    assert diagnose_json(bare)["cause"] == "bad-token"
