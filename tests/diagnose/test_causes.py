"""Hand-written logs (tests/diagnose/logs), one or more per cause, composed from the catalogue's
message texts of each tool and version: each is diagnosed to the cause its name gives."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pubdoctor.diagnose import diagnose
from pubdoctor.diagnose.causes import CAUSES, PATTERNS

from .conftest import LOGS, diagnose_json, diagnose_text, expected_cause

HAND_LOGS = sorted(LOGS.glob("*.log"))


@pytest.mark.parametrize("log", HAND_LOGS, ids=lambda p: p.stem)
def test_hand_written_log(log: Path) -> None:
    diagnosis = diagnose(str(log))
    assert diagnosis.cause.id == expected_cause(log)
    if diagnosis.known:
        assert diagnosis.evidence


def test_every_cause_has_hand_written_logs() -> None:
    covered = {expected_cause(p) for p in HAND_LOGS}
    assert covered == set(CAUSES)


def test_every_pattern_compiles() -> None:
    # the expressions are compiled when first tried (start-up): a broken one must still fail here
    for pattern in PATTERNS:
        assert pattern.compiled.pattern == pattern.regex
        assert pattern.compiled.flags & re.IGNORECASE


def test_first_failure_wins_over_what_follows_from_it() -> None:
    found = diagnose_json(LOGS / "no-release-nonconventional__then-empty-dist.log")
    assert found["cause"] == "no-release-nonconventional"
    assert [e["line"] for e in found["evidence"]] == [2, 3]
    assert found["also"] == ["empty-dist"]


def test_warning_that_explains_the_failure_names_the_cause() -> None:
    found = diagnose_json(LOGS / "reusable-workflow__warning-then-refused.log")
    assert found["cause"] == "reusable-workflow"
    lines = [e["line"] for e in found["evidence"]]
    assert lines[0] == 2 and 19 in lines  # the warning, and the refusal it explains
    assert found["claims"]["reusable_workflow"] is True
    assert found["claims"]["publisher"]["workflow"] == "publish.yml"


def test_more_specific_message_wins_on_the_same_lines() -> None:
    # the older local-version refusal ends with the core-metadata link of metadata refusals
    found = diagnose_json(LOGS / "local-version__2017.log")
    assert found["cause"] == "local-version"


def test_bare_400_is_a_local_version_only_with_a_plus_in_the_file(write_log) -> None:
    log = write_log("Uploading sampleproject-0.1.0-py3-none-any.whl\n"
                    "ERROR    HTTPError: 400 Bad Request from https://test.pypi.org/legacy/\n"
                    "         Bad Request\n")
    assert diagnose(str(log)).cause.id == "unknown"
    found = diagnose_json(LOGS / "local-version__testpypi-bare-400.log")
    assert found["cause"] == "local-version"
    assert found["evidence"][0] == {"line": 2, "text": "Uploading sampleproject-0.1.dev3+g9f8e7d6-py3-none-any.whl"}


def test_already_released_is_not_a_commit_format_problem() -> None:
    found = diagnose_json(LOGS / "already-released__psr.log")
    assert found["cause"] == "already-released"
    assert found["evidence"] == [{"line": 3, "text": "No release will be made, 1.2.3 has already been released!"}]


def test_fork_pull_request_gets_its_own_fix() -> None:
    found = diagnose_json(LOGS / "missing-id-token__action-fork-pr.log")
    assert found["cause"] == "missing-id-token"
    assert "forks" in found["fix"] and "pull_request" in found["fix"]
    assert "fork" in found["facts"]


def test_pending_publisher_on_an_existing_project_gets_its_own_fix() -> None:
    found = diagnose_json(LOGS / "pending-publisher__project-exists.log")
    assert found["cause"] == "pending-publisher"
    assert "already exists" in found["fix"]


def test_unknown_lists_the_lines_that_look_like_errors() -> None:
    found = diagnose_json(LOGS / "unknown__server-error.log")
    assert found["cause"] == "unknown"
    assert found["rule"] is None
    assert [e["line"] for e in found["evidence"]] == [4, 5, 6]
    text = diagnose_text(LOGS / "unknown__server-error.log", "--no-repo")
    assert "cause: unknown: none of the known publishing failures shows in this log" in text
    assert "lines that look like errors" in text
    assert "503 Service Unavailable" in text


def test_unknown_says_so_when_nothing_looks_like_an_error(write_log) -> None:
    found = diagnose_json(write_log("Run actions/checkout@v4\nSyncing repository: octo/sample\n"))
    assert found["cause"] == "unknown"
    assert found["evidence"] == []
    assert any("looks like an error" in note for note in found["notes"])


def test_file_exists_reports_the_file() -> None:
    found = diagnose_json(LOGS / "file-exists__twine7.log")
    assert found["cause"] == "file-exists"
    assert found["facts"]["file"] == "sampleproject-4.0.0-py3-none-any.whl"
    assert [e["line"] for e in found["evidence"]] == [3, 4, 5, 6, 7, 8]
    assert found["evidence"][2]["text"].startswith("File already exists ('sampleproject-4.0.0")


def test_claims_that_show_a_reusable_workflow_name_it() -> None:
    found = diagnose_json(LOGS / "reusable-workflow__claims-only.log")
    assert found["cause"] == "reusable-workflow"
    assert [e["line"] for e in found["evidence"]] == [4, 10, 11]
    assert found["also"][0] == "publisher-mismatch"
    assert found["claims"]["publisher"]["workflow"] == "_publish.yml"


@pytest.mark.parametrize(("log", "command"), [
    ("no-release-nonconventional__cz-new.log", "cz --no-raise 21 bump"),
    ("no-release-nonconventional__psr-v10.log", "semantic-release version --patch"),
    ("no-release-nonconventional__release-please.log", "Release-As:"),
])
def test_no_release_fix_names_the_tool_in_the_log(log: str, command: str) -> None:
    found = diagnose_json(LOGS / log)
    assert command in found["fix"]
    others = {"cz --no-raise 21 bump", "semantic-release version --patch", "Release-As:"} - {command}
    assert not any(other in found["fix"] for other in others)


def test_a_refused_name_gets_no_token_advice() -> None:
    for log in ("name-not-allowed__too-similar-uv.log", "name-not-allowed__stdlib-twine.log"):
        found = diagnose_json(LOGS / log)
        assert found["cause"] == "name-not-allowed"
        assert "No token" in found["fix"] and "API token" not in found["fix"]
    assert "standard-library" in diagnose_json(LOGS / "name-not-allowed__stdlib-twine.log")["detail"]


def test_the_user_not_allowed_on_a_project_is_not_a_refused_name() -> None:
    found = diagnose_json(LOGS / "not-allowed-project__token.log")
    assert found["cause"] == "not-allowed-project"


def test_description_render_names_the_readme_problem_the_log_shows() -> None:
    found = diagnose_json(LOGS / "description-render__twine-check-problem.log")
    assert found["cause"] == "description-render"
    assert 'line 12: Error: Unknown target name: "installation"' in found["detail"]
    assert "twine check" in found["fix"] and "readme = " in found["fix"]


def test_file_too_large_points_at_the_limit_request() -> None:
    found = diagnose_json(LOGS / "file-too-large__twine.log")
    assert found["cause"] == "file-too-large"
    assert "100 MB" in found["detail"]
    assert "https://github.com/pypi/support" in found["fix"] and "smaller" in found["fix"]
    assert "delete files of old releases" in diagnose_json(LOGS / "file-too-large__project-size-uv.log")["fix"]


def test_password_uploads_say_pypi_stopped_accepting_them() -> None:
    found = diagnose_json(LOGS / "bad-token__password.log")
    assert found["cause"] == "bad-token"
    assert "stopped accepting" in found["detail"]


def test_bad_token_fix_says_a_repository_secret_overrides_the_organisation_one() -> None:
    found = diagnose_json(LOGS / "bad-token__expired.log")
    assert "overrides the organisation's" in found["fix"]


def test_build_failure_comes_before_the_empty_dist_it_causes() -> None:
    found = diagnose_json(LOGS / "build-failed__unbound-variable-then-empty-dist.log")
    assert found["cause"] == "build-failed"
    assert found["evidence"] == [{"line": 5, "text": "/home/runner/work/_temp/4f6a1c2e.sh: line 2: OUT_DIR: "
                                                     "unbound variable"}]
    assert "`OUT_DIR`" in found["detail"]
    assert found["also"] == ["empty-dist"]
    found = diagnose_json(LOGS / "build-failed__no-setup-py.log")
    assert "python -m build" in found["fix"]


def test_a_stray_file_is_not_an_empty_dist(write_log) -> None:
    found = diagnose_json(LOGS / "stray-dist-file__twine-upload.log")
    assert found["cause"] == "stray-dist-file"
    assert "`requirements.txt`" in found["detail"]
    # after the action's MISSING DISTS warning the folder held nothing else: empty-dist
    log = write_log("Warning: It looks like there are no Python distribution packages to publish in the "
                    "directory 'dist/'. Please verify that they are in place should you face this problem.\n"
                    "Checking dist/artifact: ERROR    InvalidDistribution: Unknown distribution format: 'artifact'\n")
    assert diagnose_json(log)["cause"] == "empty-dist"


def test_wrong_upload_url_names_the_url(write_log) -> None:
    found = diagnose_json(LOGS / "wrong-upload-url__pypi-legacy.log")
    assert found["cause"] == "wrong-upload-url"
    assert "HTTP 404 from https://pypi.org/legacy/" in found["detail"]
    assert "https://test.pypi.org/simple/" in diagnose_json(LOGS / "wrong-upload-url__uv-simple.log")["detail"]
    # a version check against the JSON API that got a 404 is no upload
    log = write_log("requests.exceptions.HTTPError: 404 Client Error: Not Found for url: "
                    "https://pypi.org/pypi/sampleproject/json\n")
    assert diagnose_json(log)["cause"] == "unknown"


def test_attestations(write_log) -> None:
    found = diagnose_json(LOGS / "attestations__already-attested.log")
    assert found["cause"] == "attestations"
    assert "attestations: false" in found["fix"]
    found = diagnose_json(LOGS / "attestations__build-config-uri.log")
    assert found["cause"] == "attestations"
    assert "publish.yml @ octo-org/sampleproject" in found["detail"]
    assert "top-level workflow" in found["fix"]


def test_reusable_workflow_warning_explains_a_refused_attestation(write_log) -> None:
    log = write_log("Warning: The claims in this token suggest that the calling workflow is a reusable workflow.\n"
                    "ERROR    HTTPError: 400 Bad Request from https://upload.pypi.org/legacy/\n"
                    "         Invalid attestations supplied during upload: Could not verify the uploaded\n"
                    "         artifact using the included attestation: Verification failed\n")
    found = diagnose_json(log)
    assert found["cause"] == "reusable-workflow"
    assert found["also"] == ["attestations"]


def test_reusable_workflow_of_another_repository_can_never_match() -> None:
    found = diagnose_json(LOGS / "reusable-workflow__warning-then-refused.log")
    assert found["cause"] == "reusable-workflow"
    assert found["facts"]["called-repository"] == "octo-org/shared-workflows"
    assert "can never match" in found["fix"]
    assert "register the reusable workflow's file name" not in found["fix"]


def test_reusable_workflow_of_the_same_repository_is_registered(write_log) -> None:
    found = diagnose_json(LOGS / "reusable-workflow__claims-only.log")
    assert "called-repository" not in found["facts"]
    assert found["fix"].startswith("register the reusable workflow's file name")
    text = (LOGS / "reusable-workflow__warning-then-refused.log").read_text(encoding="utf-8")
    found = diagnose_json(write_log(text.replace("octo-org/shared-workflows/", "octo-org/sampleproject/")))
    assert "called-repository" not in found["facts"]
    assert found["fix"].startswith("register the reusable workflow's file name")


@pytest.mark.parametrize("text", [
    "Error: Trusted publishing exchange failure: \nToken request failed: the server refused the request for "
    "the following reasons:\n",
    "This generally indicates a trusted publisher configuration error, but could\nalso indicate an internal "
    "error on GitHub or PyPI's part.\n",
    "Error: Trusted publishing exchange failure: \n",
    "Traceback (most recent call last):\n  File \"/app/oidc-exchange.py\", line 290, in <module>\n"
    "KeyError: 'errors'\n",
])
def test_the_actions_generic_lines_after_a_refused_token(write_log, text: str) -> None:
    found = diagnose_json(write_log(text))
    assert found["cause"] == "publisher-mismatch"
    assert "the log does not show" in found["detail"] or "the log shows only" in found["detail"]


@pytest.mark.parametrize("text", [
    "Error: Trusted publishing exchange failure: \nToken request failed: the index produced an unexpected\n"
    "503 response.\n",
    "Error: Trusted publishing exchange failure: \naudience retrieval failed: repository at "
    "pypi.example.org does not indicate trusted publishing support\n",
])
def test_the_actions_other_exchange_failures_are_no_publisher_mismatch(write_log, text: str) -> None:
    assert diagnose_json(write_log(text))["cause"] == "unknown"


def test_a_generic_line_yields_to_the_reason_the_index_gave(write_log) -> None:
    log = write_log("Error: Trusted publishing exchange failure: \n"
                    "Token request failed: the server refused the request for the following reasons:\n\n"
                    "* `invalid-pending-publisher`: valid token, but project already exists\n")
    assert diagnose_json(log)["cause"] == "pending-publisher"


def test_cannot_find_file_with_the_pattern_on_the_next_line(write_log) -> None:
    log = write_log("ERROR    InvalidDistribution: Cannot find file (or expand pattern):\n"
                    "         'artifacts/natcap.invest*'\n")
    assert diagnose_json(log)["cause"] == "empty-dist"
    log = write_log("ERROR    InvalidDistribution: Cannot find file (or expand pattern):\n")
    assert diagnose_json(log)["cause"] == "empty-dist"


def test_unknown_shows_the_key_lines(write_log) -> None:
    log = write_log("Run ./release.sh\n"
                    "python3: can't open file '/work/x/make_release.py'\n"
                    "         <title>400 The server could not comply with the request</title>\n"
                    "Done\n")
    texts = [e["text"] for e in diagnose_json(log)["evidence"]]
    assert texts == ["python3: can't open file '/work/x/make_release.py'",
                     "<title>400 The server could not comply with the request</title>"]
