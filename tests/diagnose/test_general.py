"""The matchers are built from the catalogue's texts, not from one log: logs of other tool
versions, other wrappings and other layouts, never seen before, are diagnosed too."""

from __future__ import annotations

import pytest

from pubdoctor.diagnose import diagnose

CASES = [
    # twine <= 3, requests' HTTPError wording, all on one line
    ("file-exists", "HTTPError: 400 Client Error: File already exists. See https://pypi.org/help/#file-name-reuse "
                    "for more information. for url: https://upload.pypi.org/legacy/"),
    # poetry
    ("file-exists", "HTTP Error 400: File already exists. See https://pypi.org/help/#file-name-reuse for more "
                    "information. | b'<html>\\n <head>\\n  <title>400 File already exists.'"),
    # pdm (rich traceback tail)
    ("file-exists", "[PublishError]: 400 Client Error: File already exists ('demo-1.0.tar.gz', with blake2_256 hash "
                    "'00ff'). See https://test.pypi.org/help/#file-name-reuse for more information."),
    # twine wrapped at a different column
    ("file-exists", "ERROR    HTTPError: 400 Bad Request from https://upload.pypi.org/legacy/\n"
                    "         File already\n         exists ('demo-1.0.tar.gz', with blake2_256 hash\n"
                    "         '00ff'). See https://pypi.org/help/#file-name-reuse for more information."),
    # maturin
    ("file-exists", "💥 maturin failed\n  Caused by: Failed to upload the wheel with status 400: File already exists."),
    # uv new wording of the trusted publishing failure
    ("publisher-mismatch", "error: Failed to obtain token for trusted publishing\n  Caused by: Server returned error "
                           "code 422 Unprocessable Entity, is trusted publishing correctly configured?\nResponse: "
                           "{\"errors\":[{\"code\":\"invalid-publisher\",\"description\":\"valid token, but no "
                           "corresponding publisher (Missing claim 'job_workflow_ref')\"}]}"),
    # the job_workflow_ref reason, alone in a paste
    ("publisher-mismatch", "The job_workflow_ref claim does not match, expecting one of ['o/r/.github/workflows/a.yml'], "
                           "got 'o/r/.github/workflows/b.yml@refs/heads/main'"),
    ("missing-id-token", "Error: Trusted publishing exchange failure:\n"
                         "OpenID Connect token retrieval failed: GitHub: missing or insufficient OIDC token "
                         "permissions, the ACTIONS_ID_TOKEN_REQUEST_URL environment variable was unset"),
    ("missing-id-token", "pdm publish\n[PublishError]: Failed to get OIDC token: ACTIONS_ID_TOKEN_REQUEST_URL not set"),
    # uv's status line alone (a paste that cut the response body)
    ("publisher-mismatch", "error: Failed to obtain token for trusted publishing\n  Caused by: PyPI returned error "
                           "code 422 Unprocessable Entity, is trusted publishing correctly configured?"),
    ("trusted-publishing-skipped", "twine.exceptions.NonInteractive: Credential not found for password."),
    ("local-version", "HTTP Error 400: The use of local versions in <Version('1.0+local')> is not allowed. See "
                      "https://packaging.python.org/specifications/core-metadata for more information."),
    ("local-version", "HTTPError: 400 Bad Request from https://upload.pypi.org/legacy/\n'0.1.dev1+g1a2b3c4' is an "
                      "invalid value for Version. Error: Can't use PEP 440 local versions."),
    ("invalid-metadata", "InvalidDistribution: Metadata is missing required fields: Name, Version.\nMake sure the "
                         "distribution includes the files where those fields are specified, and is using a supported "
                         "Metadata-Version: 1.0, 1.1, 1.2, 2.0, 2.1, 2.2, 2.3."),
    ("description-render", "ERROR    `long_description` has syntax errors in markup and would not be rendered on PyPI."),
    ("invalid-metadata", "400 'foo bar' is an invalid value for Name. Error: Start and end with a letter or numeral "
                         "containing only ASCII numeric and '.', '_' and '-'. See "
                         "https://packaging.python.org/specifications/core-metadata for more information."),
    ("no-release-nonconventional", "[NO_COMMITS_TO_BUMP]\nThe commits found are not elegible to be bumped"),
    ("no-release-nonconventional", "No commits found since the last release!"),
    ("already-released", "No release will be made, 2.0.1 has already been released!"),
    ("not-allowed-project", "403 The user 'alice' isn't allowed to upload to project 'numpy'. See "
                            "https://pypi.org/help/#project-name for more information."),
    ("bad-token", "HTTP Error 403: Invalid or non-existent authentication information. See "
                  "https://pypi.org/help/#invalid-auth for more information."),
    ("2fa-required", "User 'bob' does not have two-factor authentication enabled. Please enable two-factor "
                     "authentication before attempting to upload to PyPI."),
    ("rate-limit", "HTTP Error 429: Too many new projects created"),
    ("empty-dist", "ERROR    InvalidDistribution: Cannot find file (or expand pattern): 'dist/*'"),
    ("empty-dist", "Error: Unable to download artifact(s): Artifact not found for name: dist"),
    ("pending-publisher", "HTTPError: 400 Bad Request\nNon-user identities cannot create new projects. This was "
                          "probably caused by successfully using a pending publisher"),
    ("reusable-workflow", "Warning: The claims in this token suggest that the calling workflow is a reusable workflow."),
    # the same warning rendered as Markdown (a PR body) and copied: the ** markers are gone
    ("reusable-workflow", "Reusable workflows are not currently supported by PyPI's Trusted Publishing\n"
                          "functionality, and are subject to breakage."),
    # warehouse's macaroon caveats behind "Invalid API Token: ...": the wrong token for this project
    ("not-allowed-project", "ERROR    HTTPError: 403 Forbidden from https://upload.pypi.org/legacy/\n"
                            "         Invalid API Token: project-scoped token is not valid for project: 'demo'"),
    ("not-allowed-project", "Upload failed with status code 403 Forbidden. Server says: 403 Invalid API Token: "
                            "OIDC scoped token is not valid for project 'demo'"),
    ("bad-token", "ERROR    HTTPError: 403 Forbidden from https://upload.pypi.org/legacy/\n"
                  "         Invalid API Token: token is expired"),
    # the new causes, in the wordings of other tools and versions
    ("name-not-allowed", "HTTP Error 400: The name 'reqeusts' is too similar to an existing project. See "
                         "https://pypi.org/help/#project-name for more information."),
    ("name-not-allowed", "[PublishError]: 400 Client Error: The name 'pip' isn't allowed. See "
                         "https://test.pypi.org/help/#project-name for more information."),
    ("description-render", "[PublishError]: 400 Client Error: The description failed to render for "
                           "'text/markdown'. See https://pypi.org/help/#description-content-type for more information."),
    ("file-too-large", "HTTPError: 400 Client Error: File too large. Limit for project 'bigwheel' is 60 MB. See "
                       "https://pypi.org/help/#file-size-limit for url: https://upload.pypi.org/legacy/"),
    ("wrong-upload-url", "twine.exceptions.InvalidPyPIUploadURL: It appears you're trying to upload to pypi.org "
                         "but have an invalid URL. You probably want one of these two URLs: "
                         "https://upload.pypi.org/legacy/ or https://test.pypi.org/legacy/."),
    ("wrong-upload-url", "HTTPError: 405 Client Error: Method Not Allowed for url: https://test.pypi.org/simple/"),
    ("attestations", "DEBUG Upload error response: {\"message\": \"Invalid attestations supplied during upload: "
                     "Could not verify the uploaded artifact using the included attestation: Verification failed: "
                     "subject does not match distribution digest\"}"),
    ("build-failed", "* Building wheel...\nERROR Backend subprocess exited when trying to invoke build_wheel"),
    ("build-failed", "  × Failed to build `/home/runner/work/demo/demo`\n  ├─▶ The build backend returned an error\n"
                     "  ╰─▶ Call to `hatchling.build.build_wheel` failed (exit status: 1)"),
    ("stray-dist-file", "Error: Attestation generation failure: The following paths look like distributions but "
                        "are not actually files: /github/workspace/dist/demo-1.0-py3-none-any.whl"),
    # git refusing to make (or push) a tag that exists: the release tool made no new version
    ("no-release-nonconventional", "fatal: tag 'v1.4.0' already exists"),
    ("no-release-nonconventional", " ! [rejected]        v1.4.0 -> v1.4.0 (already exists)\n"
                                   "error: failed to push some refs to 'https://github.com/o/r'\n"
                                   "hint: Updates were rejected because the tag already exists in the remote."),
]


@pytest.mark.parametrize(("cause", "text"), CASES, ids=[f"{c}-{i}" for i, (c, _) in enumerate(CASES)])
def test_unseen_log(tmp_path, cause: str, text: str) -> None:
    log = tmp_path / "job.log"
    noise = "".join(f"2024-01-01T00:00:{i:02d}.0000000Z Collecting package{i}\n" for i in range(30))
    stamped = "".join(f"2024-01-01T00:01:00.0000000Z {line}\n" for line in text.splitlines())
    log.write_text(noise + stamped + "##[error]Process completed with exit code 1.\n", encoding="utf-8")
    assert diagnose(str(log)).cause.id == cause
