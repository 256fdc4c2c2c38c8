"""Every form a log comes in: timestamps, colours, raw workflow commands, pastes, archives,
stdin; and every input that is not a log gives one clear line and exit 2, no traceback."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import run_cli
from pubdoctor.diagnose import diagnose
from pubdoctor.diagnose.reader import clean

from .conftest import LOGS, diagnose_json

MESSAGE = ("OpenID Connect token retrieval failed: GitHub: missing or insufficient OIDC token "
           "permissions, the ACTIONS_ID_TOKEN_REQUEST_TOKEN environment variable was unset")


def test_timestamps_and_colours_are_removed() -> None:
    [piece] = clean("2024-01-01T00:00:00.0000000Z \x1b[31mERROR\x1b[0m    HTTPError: 400 Bad Request")
    assert piece.display == "ERROR    HTTPError: 400 Bad Request"


def test_raw_error_command_with_encoded_newlines() -> None:
    pieces = clean("::error::Trusted publishing exchange failure: %0AToken request failed%0A%0Ax %25 y")
    assert [p.text for p in pieces] == ["Trusted publishing exchange failure:", "Token request failed", "", "x % y"]
    assert pieces[0].display == "Error: Trusted publishing exchange failure:"
    assert all(p.annotation == "error" for p in pieces)


def test_web_view_markers_and_annotation_prefixes() -> None:
    assert clean("##[error]Process completed with exit code 1.")[0].display == "Error: Process completed with exit code 1."
    assert clean("##[group]Run uv publish")[0].display == "Run uv publish"
    assert clean("    Error:  Trusted publishing exchange failure:")[0].text == "Trusted publishing exchange failure:"


def test_progress_bar_frames_keep_the_last() -> None:
    assert clean("  0%|     | 0/10\r100%|#####| 10/10")[0].text == "100%|#####| 10/10"


def test_indented_paste_with_rewrapped_lines(write_log) -> None:
    words = MESSAGE.split()
    text = "".join(f"    {' '.join(words[i:i + 4])}\n" for i in range(0, len(words), 4))
    found = diagnose_json(write_log("> Error: Trusted publishing exchange failure:\n" + text))
    assert found["cause"] == "missing-id-token"


def test_quote_markers_of_a_paste_are_removed() -> None:
    assert clean("> Error: Trusted publishing exchange failure:")[0].annotation == "error"
    assert clean("> > ERROR    HTTPError: 403 Forbidden")[0].display == "ERROR    HTTPError: 403 Forbidden"
    assert clean(">")[0].display == ""
    # a Python prompt or a shell redirection is no quote
    assert clean(">>> import twine")[0].display == ">>> import twine"
    assert clean("echo x > dist/out.txt")[0].display == "echo x > dist/out.txt"


def test_quoted_twine_output_keeps_the_reason_under_its_status_line(write_log) -> None:
    # twine's reason is indented under "ERROR    HTTPError": a quote marker must not hide that
    log = write_log("> Uploading demo-1.0-py3-none-any.whl\n"
                    "> ERROR    HTTPError: 403 Forbidden from https://upload.pypi.org/legacy/\n"
                    ">          Something the index said\n")
    found = diagnose_json(log)
    assert found["cause"] == "unknown"  # a reason no pattern knows is not a bare 403 (bad-token)
    assert [e["text"] for e in found["evidence"]][-1] == "Something the index said"


def test_quoted_claims_are_read(write_log) -> None:
    log = write_log("> Error: Trusted publishing exchange failure:\n"
                    "> Token request failed: the server refused the request for the following reasons:\n>\n"
                    "> * `invalid-publisher`: valid token, but no corresponding publisher (Publisher with "
                    "matching claims was not found)\n>\n"
                    "> * `sub`: `repo:octo-org/demo:environment:pypi`\n"
                    "> * `repository`: `octo-org/demo`\n"
                    "> * `repository_owner`: `octo-org`\n"
                    "> * `job_workflow_ref`: `octo-org/demo/.github/workflows/release.yml@refs/tags/v1`\n")
    found = diagnose_json(log)
    assert found["cause"] == "publisher-mismatch"
    assert found["claims"]["publisher"] == {"owner": "octo-org", "repository": "demo",
                                            "workflow": "release.yml", "environment": "pypi"}


def test_crlf_line_endings(write_log) -> None:
    log = write_log(b"Run uv publish\r\nerror: Failed to publish `dist/x-1.0.tar.gz` to https://upload.pypi.org/legacy/\r\n"
                     b"  Caused by: Missing credentials for https://upload.pypi.org/legacy/\r\n")
    assert diagnose(str(log)).cause.id == "trusted-publishing-skipped"


def test_stdin() -> None:
    data = (LOGS / "file-exists__uv.log").read_bytes()
    assert diagnose("-", stdin=io.BytesIO(data)).cause.id == "file-exists"


def test_stdin_through_the_cli() -> None:
    from click.testing import CliRunner

    from pubdoctor.cli import cli

    data = (LOGS / "missing-id-token__uv-new.log").read_bytes()
    result = CliRunner().invoke(cli, ["diagnose", "-", "--no-repo", "--no-color"], input=data)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("cause: missing-id-token")
    assert "evidence (<stdin>):" in result.output


def github_archive(path: Path, jobs: dict[str, str], steps: bool = True) -> Path:
    """A log archive as GitHub's "Download log archive" makes it: ``N_job.txt`` for each
    job and, in older archives, ``job/N_step.txt`` with the same lines per step."""
    with zipfile.ZipFile(path, "w") as archive:
        for number, (job, text) in enumerate(jobs.items(), start=1):
            archive.writestr(f"{number}_{job}.txt", text)
            if steps:
                archive.writestr(f"{job}/1_Set up job.txt", "Current runner version: '2.319.1'\n")
                archive.writestr(f"{job}/2_Publish.txt", text)
    return path


def test_zip_log_archive(tmp_path: Path) -> None:
    stamp = "2024-05-01T10:00:00.0000000Z "
    build = "".join(stamp + line + "\n" for line in ["Run uv build", "Successfully built dist/x-1.0.tar.gz"])
    publish = "".join(stamp + line + "\n" for line in (LOGS / "file-exists__uv.log").read_text().splitlines())
    archive = github_archive(tmp_path / "logs_123.zip", {"build": build, "publish": publish})
    found = diagnose_json(archive)
    assert found["cause"] == "file-exists"
    assert {e["file"] for e in found["evidence"]} == {"2_publish.txt"}
    assert found["evidence"][0]["line"] == 3


def test_zip_archive_without_zip_suffix_and_from_stdin(tmp_path: Path) -> None:
    archive = github_archive(tmp_path / "logs", {"publish": (LOGS / "bad-token__expired.log").read_text()}, steps=False)
    assert diagnose(str(archive)).cause.id == "bad-token"
    assert diagnose("-", stdin=io.BytesIO(archive.read_bytes())).cause.id == "bad-token"


def test_zip_archive_first_failing_job_wins(tmp_path: Path) -> None:
    archive = github_archive(tmp_path / "logs.zip", {
        "release": (LOGS / "no-release-nonconventional__cz-new.log").read_text(),
        "publish": (LOGS / "empty-dist__action-warning.log").read_text(),
    })
    assert diagnose(str(archive)).cause.id == "no-release-nonconventional"


@pytest.mark.parametrize(("content", "message"), [
    (b"", "the log is empty"),
    (b"\n  \n", "the log is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
    (b"\x1f\x8b\x08\x00\x00\x00", "gzip-compressed"),
    (b"PK\x03\x04garbage that is not a zip", "not a readable zip archive"),
])
def test_bad_inputs_give_one_line_and_exit_2(write_log, content: bytes, message: str) -> None:
    log = write_log(content)
    result = run_cli("diagnose", str(log), "--no-repo")
    assert result.exit_code == 2
    assert result.output.count("\n") == 1
    assert message in result.output and str(log) in result.output
    assert "Traceback" not in result.output


def test_nonexistent_file_and_directory(tmp_path: Path) -> None:
    result = run_cli("diagnose", str(tmp_path / "missing.log"), "--no-repo")
    assert result.exit_code == 2 and "missing.log: no such file" in result.output
    result = run_cli("diagnose", str(tmp_path), "--no-repo")
    assert result.exit_code == 2 and "is a directory" in result.output


def test_non_utf8_log_is_read_with_a_note(write_log) -> None:
    text = (LOGS / "file-exists__twine3.log").read_bytes()
    log = write_log(b"Caf\xe9 \xff build\n" + text)  # Latin-1 bytes, not UTF-8
    found = diagnose_json(log)
    assert found["cause"] == "file-exists"
    assert any("not valid UTF-8" in note for note in found["notes"])


def test_a_line_without_end_and_a_huge_line(write_log) -> None:
    body = b"x" * (3 << 20) + b"\n" + (LOGS / "rate-limit__new-projects.log").read_bytes().rstrip(b"\n")
    assert diagnose(str(write_log(body))).cause.id == "rate-limit"


def test_utf16_log_as_powershell_writes_it(write_log) -> None:
    text = (LOGS / "2fa-required__poetry.log").read_text(encoding="utf-8").replace("\n", "\r\n")
    log = write_log(text.encode("utf-16"))  # with a byte-order mark
    found = diagnose_json(log)
    assert found["cause"] == "2fa-required"
    assert found["evidence"][0]["line"] == 4


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(
    st.binary(max_size=80),
    st.sampled_from([b"\n", b"\r\n", b"%0A", b"\x1b[31m", b"2024-01-01T00:00:00.0000000Z ", b"##[error]",
                     b"File already exists ('", b"* `sub`: `", b"OidcTokenClaims { sub: \"", b"Uploading x+1.whl",
                     b"ERROR    HTTPError: 400 Bad Request", b"invalid-publisher", b"PK\x03\x04"]),
), max_size=40))
def test_any_bytes_give_a_diagnosis_or_one_clear_error(chunks: list[bytes]) -> None:
    from pubdoctor.errors import InputError

    data = b"".join(chunks)
    try:
        found = diagnose("-", stdin=io.BytesIO(data))
    except InputError as exc:
        assert str(exc).startswith("<stdin>: ")
        return
    assert found.cause.id
