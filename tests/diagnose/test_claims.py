"""The token's claims, as the action (v1.8 and later) and uv (one line and ``{:#?}``) print
them, and what the trusted publisher on the index must say."""

from __future__ import annotations

from pubdoctor.diagnose.claims import Claims, parse_bullets, parse_rust_debug, workflow_file

from .conftest import LOGS, diagnose_json, diagnose_text


def test_action_v1_8_bullets_without_workflow_ref_and_environment() -> None:
    found = diagnose_json(LOGS / "publisher-mismatch__action-v1.8.log")
    claims = found["claims"]
    assert claims["form"] == "action"
    assert claims["line"] == 16
    assert set(claims["claims"]) == {"sub", "repository", "repository_owner", "repository_owner_id",
                                     "job_workflow_ref", "ref"}
    # no environment claim: the sub claim (ref:...) says there was none
    assert claims["publisher"] == {"owner": "octo-org", "repository": "sampleproject",
                                   "workflow": "publish.yml", "environment": "(none)"}
    assert claims["reusable_workflow"] is False


def test_action_later_bullets_with_environment_and_timestamps() -> None:
    found = diagnose_json(LOGS / "publisher-mismatch__action-v1.12-environment.log")
    assert found["claims"]["claims"]["workflow_ref"].endswith("release.yml@refs/tags/v4.0.0")
    assert found["claims"]["publisher"] == {"owner": "octo-org", "repository": "sampleproject",
                                            "workflow": "release.yml", "environment": "pypi"}


def test_missing_environment_claim_is_none() -> None:
    values = parse_bullets(["* `sub`: `repo:o/r:ref:refs/heads/main`", "* `environment`: `MISSING`",
                            "* `job_workflow_ref`: `o/r/.github/workflows/ci.yml@refs/heads/main`"])
    claims = Claims(values=values)
    assert claims.publisher()["environment"] == "(none)"
    assert claims.publisher()["workflow"] == "ci.yml"


def test_environment_from_sub_when_the_claim_is_not_printed() -> None:
    claims = Claims(values={"sub": "repo:o/r:environment:release", "repository": "o/r"})
    assert claims.publisher() == {"owner": "o", "repository": "r", "workflow": "(not in the log)",
                                  "environment": "release"}


def test_uv_pretty_debug_dump() -> None:
    found = diagnose_json(LOGS / "publisher-mismatch__uv-new-pretty.log")
    assert found["claims"]["form"] == "uv"
    assert found["claims"]["publisher"] == {"owner": "octo-org", "repository": "sampleproject",
                                            "workflow": "uv-release.yaml", "environment": "(none)"}


def test_uv_one_line_debug_dump() -> None:
    found = diagnose_json(LOGS / "publisher-mismatch__uv-old-one-line.log")
    assert found["claims"]["publisher"] == {"owner": "octo-org", "repository": "sampleproject",
                                            "workflow": "cd.yml", "environment": "release"}


def test_uv_optional_fields_and_escapes() -> None:
    values = parse_rust_debug('Token claims: OidcTokenClaims { sub: "repo:o/r:ref:refs/tags/v1", '
                              'repository: "o/r", environment: None, workflow_ref: Some("o/r/.github/'
                              'workflows/a \\"b\\".yml@refs/tags/v1") }')
    assert values["environment"] == "MISSING"
    assert values["workflow_ref"] == 'o/r/.github/workflows/a "b".yml@refs/tags/v1'


def test_reusable_workflow_from_the_claims() -> None:
    claims = Claims(values={"workflow_ref": "o/r/.github/workflows/release.yml@refs/tags/v1",
                            "job_workflow_ref": "o/shared/.github/workflows/pypi.yml@refs/heads/main"})
    assert claims.reusable
    assert claims.workflow == "pypi.yml" and claims.caller_workflow == "release.yml"


def test_workflow_file_is_the_basename_before_the_at() -> None:
    assert workflow_file("o/r/.github/workflows/release.yml@refs/tags/v1.0") == "release.yml"
    assert workflow_file(None) is None


def test_text_output_prints_the_publisher_field_by_field() -> None:
    text = diagnose_text(LOGS / "publisher-mismatch__action-v1.12-environment.log", "--no-repo")
    assert "claims (line 17, the action): the trusted publisher on the index must say" in text
    assert "  owner:             octo-org\n" in text
    assert "  repository name:   sampleproject\n" in text
    assert "  workflow name:     release.yml\n" in text
    assert "  environment name:  pypi\n" in text


def test_without_claims_in_the_log_points_at_pubdoctor_claims() -> None:
    found = diagnose_json(LOGS / "publisher-mismatch__twine-optional-claim.log")
    assert found["claims"] is None
    assert any("`pubdoctor claims`" in note for note in found["notes"])
