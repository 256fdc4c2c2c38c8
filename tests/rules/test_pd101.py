"""PD101 missing-id-token: every way a publishing job can end up without an OIDC token."""

from __future__ import annotations

from conftest import at, findings

PUBLISH_STEP = """
    steps:
      - uses: actions/download-artifact@v4
      - uses: pypa/gh-action-pypi-publish@release/v1
"""


def workflow(body: str) -> dict[str, str]:
    return {".github/workflows/release.yml": body}


def test_no_permissions_anywhere(write_repo) -> None:
    root = write_repo(workflow("""
        on: push
        jobs:
          publish:
            runs-on: ubuntu-latest
            steps:
              - uses: pypa/gh-action-pypi-publish@release/v1
    """))
    found = findings(root)
    assert at(found, "PD101") == [(".github/workflows/release.yml", 3, 3)]
    assert "no `permissions` block" in found[0]["message"]


def test_job_permissions_replace_workflow_grant(write_repo) -> None:
    root = write_repo(workflow("""
        on: push
        permissions:
          id-token: write
        jobs:
          publish:
            runs-on: ubuntu-latest
            permissions:
              contents: read
            steps:
              - uses: pypa/gh-action-pypi-publish@release/v1
    """))
    found = findings(root)
    assert at(found, "PD101") == [(".github/workflows/release.yml", 7, 5)]
    assert "replace the workflow-level ones" in found[0]["message"]


def test_id_token_given_to_another_job(write_repo) -> None:
    root = write_repo(workflow("""
        on: push
        jobs:
          build:
            runs-on: ubuntu-latest
            permissions:
              id-token: write
            steps:
              - run: uv build
          publish:
            needs: build
            runs-on: ubuntu-latest
            steps:
              - uses: pypa/gh-action-pypi-publish@release/v1
    """))
    found = findings(root)
    assert at(found, "PD101") == [(".github/workflows/release.yml", 9, 3)]
    assert "granted to job `build` instead" in [f for f in found if f["code"] == "PD101"][0]["message"]


def test_read_all_does_not_grant(write_repo) -> None:
    root = write_repo(workflow("""
        on: push
        permissions: read-all
        jobs:
          publish:
            runs-on: ubuntu-latest
            steps:
              - run: uv publish
    """))
    assert at(findings(root), "PD101") == [(".github/workflows/release.yml", 4, 3)]


def test_caller_of_reusable_workflow_does_not_grant(write_repo) -> None:
    root = write_repo({
        ".github/workflows/release.yml": """
            on: push
            jobs:
              call:
                permissions:
                  contents: read
                uses: ./.github/workflows/publish.yml
        """,
        ".github/workflows/publish.yml": """
            on: workflow_call
            jobs:
              upload:
                runs-on: ubuntu-latest
                permissions:
                  id-token: write
                steps:
                  - uses: pypa/gh-action-pypi-publish@release/v1
        """,
    })
    found = findings(root)
    assert at(found, "PD101") == [(".github/workflows/release.yml", 4, 5)]
    assert "calling job `call`" in found[0]["message"]


def test_granted_passes(write_repo) -> None:
    for perms in ("write-all", "{id-token: write, contents: read}"):
        root = write_repo(workflow(f"""
            on: push
            jobs:
              publish:
                runs-on: ubuntu-latest
                permissions: {perms}
                steps:
                  - uses: pypa/gh-action-pypi-publish@release/v1
        """), name=perms[:5])
        assert at(findings(root), "PD101") == []


def test_token_publishing_needs_no_oidc(write_repo) -> None:
    root = write_repo(workflow("""
        on: push
        jobs:
          publish:
            runs-on: ubuntu-latest
            steps:
              - uses: pypa/gh-action-pypi-publish@release/v1
                with:
                  password: ${{ secrets.PYPI_API_TOKEN }}
              - run: twine upload dist/*
                env:
                  TWINE_PASSWORD: ${{ secrets.PYPI_API_TOKEN }}
    """))
    assert at(findings(root), "PD101") == []


def test_caller_grant_reaches_called_job(write_repo) -> None:
    root = write_repo({
        ".github/workflows/release.yml": """
            on: push
            jobs:
              call:
                permissions:
                  id-token: write
                uses: ./.github/workflows/publish.yml
        """,
        ".github/workflows/publish.yml": """
            on: workflow_call
            jobs:
              upload:
                runs-on: ubuntu-latest
                steps:
                  - run: uv publish --trusted-publishing always
        """,
    })
    assert at(findings(root), "PD101") == []


def test_upload_inside_a_repository_script_is_followed(write_repo) -> None:
    # `bash ./bin/publish-pypi` runs `uv publish`: the job publishes (so its `id-token: write`
    # is needed), and a job running the same script without the grant cannot get a token
    root = write_repo({
        "bin/publish-pypi": "#!/usr/bin/env bash\nset -eux\nuv build\nuv publish\n",
        "scripts/notes.sh": "echo nothing to upload here\n",
        ".github/workflows/release.yml": """
            on: push
            jobs:
              release:
                runs-on: ubuntu-latest
                permissions:
                  id-token: write
                steps:
                  - uses: actions/checkout@v4
                  - run: bash ./bin/publish-pypi
              rerun:
                runs-on: ubuntu-latest
                steps:
                  - run: |
                      sh scripts/notes.sh
                      ./bin/publish-pypi
              other:
                runs-on: ubuntu-latest
                permissions:
                  id-token: write
                steps:
                  - run: bash ./scripts/notes.sh && bash ./missing.sh
        """,
    })
    found = findings(root)
    assert at(found, "PD101") == [(".github/workflows/release.yml", 10, 3)]
    assert at(found, "PD102") == [(".github/workflows/release.yml", 19, 7)]


def test_upload_inside_a_local_composite_action_is_followed(write_repo) -> None:
    # a composite action's steps run in the calling job: its upload needs the job's grant
    root = write_repo({
        ".github/actions/publish/action.yml": """
            name: publish
            inputs:
              index:
                default: https://upload.pypi.org/legacy/
            runs:
              using: composite
              steps:
                - uses: actions/download-artifact@v4
                  with:
                    name: dist
                    path: dist
                - uses: pypa/gh-action-pypi-publish@release/v1
                  with:
                    repository-url: ${{ inputs.index }}
        """,
        ".github/actions/lint/action.yaml": """
            runs:
              using: composite
              steps:
                - run: ruff check
                  shell: bash
        """,
        ".github/workflows/release.yml": """
            on: push
            jobs:
              publish:
                runs-on: ubuntu-latest
                steps:
                  - uses: ./.github/actions/publish
              lint:
                runs-on: ubuntu-latest
                permissions:
                  id-token: write
                steps:
                  - uses: ./.github/actions/lint
        """,
    })
    found = findings(root)
    assert at(found, "PD101") == [(".github/workflows/release.yml", 3, 3)]
    assert at(found, "PD102") == [(".github/workflows/release.yml", 10, 7)]


def test_maturin_action_upload_without_id_token(write_repo) -> None:
    # `PyO3/maturin-action` with `command: upload` runs `maturin upload`, which uses trusted
    # publishing when it has no token
    workflow = """
        on:
          push:
            tags: ['*']
        jobs:
          release:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/download-artifact@v4
              - uses: PyO3/maturin-action@v1
                with:
                  command: upload
                  args: --non-interactive --skip-existing wheels-*/*
    """
    root = write_repo({".github/workflows/CI.yml": workflow})
    assert at(findings(root), "PD101") == [(".github/workflows/CI.yml", 5, 3)]
    granted = workflow.replace("runs-on: ubuntu-latest", "runs-on: ubuntu-latest\n"
                               "                permissions:\n                  id-token: write")
    root = write_repo({".github/workflows/CI.yml": granted}, name="granted")
    assert at(findings(root), "PD101") == []
