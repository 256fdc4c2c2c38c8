"""PD100 invalid-workflow and PD102 id-token-too-wide: failing and passing examples."""

from __future__ import annotations

from conftest import at, findings

WF = ".github/workflows/release.yml"


def test_pd100_points_at_the_parser_line(write_repo) -> None:
    root = write_repo({WF: "on: push\njobs:\n  publish:\n    steps:\n    - run: a\n     bad: indent\n"})
    found = findings(root)
    assert at(found, "PD100") == [(WF, 6, 6)]  # the parser's mark: where `bad` starts


def test_pd100_passes_on_a_valid_workflow(write_repo) -> None:
    root = write_repo({WF: """
        on: push
        jobs:
          test:
            runs-on: ubuntu-latest
            steps:
              - run: pytest
    """})
    assert at(findings(root), "PD100") == []


def test_pd102_workflow_level_grant_reaching_a_build_job(write_repo) -> None:
    root = write_repo({WF: """
        on: push
        permissions:
          id-token: write
        jobs:
          build:
            runs-on: ubuntu-latest
            steps:
              - run: uv build
          publish:
            needs: build
            runs-on: ubuntu-latest
            steps:
              - uses: pypa/gh-action-pypi-publish@release/v1
    """})
    assert at(findings(root), "PD102") == [(WF, 3, 3)]


def test_pd102_job_level_grant_on_a_job_that_does_not_publish(write_repo) -> None:
    root = write_repo({WF: """
        on: push
        jobs:
          lint:
            runs-on: ubuntu-latest
            permissions:
              id-token: write
            steps:
              - run: ruff check
    """})
    assert at(findings(root), "PD102") == [(WF, 6, 7)]


def test_pd102_passes_when_only_the_publishing_job_or_an_attesting_job_has_it(write_repo) -> None:
    root = write_repo({WF: """
        on: push
        permissions: {}
        jobs:
          build:
            runs-on: ubuntu-latest
            permissions:
              id-token: write
              attestations: write
            steps:
              - run: uv build
              - uses: actions/attest-build-provenance@v2
          publish:
            needs: build
            runs-on: ubuntu-latest
            permissions:
              id-token: write
            steps:
              - uses: pypa/gh-action-pypi-publish@release/v1
    """})
    assert at(findings(root), "PD102") == []


def test_pd102_silent_on_a_pages_deployment(write_repo) -> None:
    """actions/deploy-pages requires `id-token: write` (GitHub's Pages docs)."""
    root = write_repo({WF: """
        on: push
        jobs:
          docs:
            runs-on: ubuntu-latest
            permissions:
              pages: write
              id-token: write
            steps:
              - uses: actions/configure-pages@v5
              - uses: actions/upload-pages-artifact@v3
                with: {path: site}
              - uses: actions/deploy-pages@v4
    """})
    assert at(findings(root), "PD102") == []


def test_pd102_silent_on_cloud_login_and_codecov_oidc(write_repo) -> None:
    root = write_repo({WF: """
        on: push
        jobs:
          coverage:
            runs-on: ubuntu-latest
            permissions:
              id-token: write
            steps:
              - uses: actions/checkout@v4
              - uses: codecov/codecov-action@v5
                with: {use_oidc: true}
          cloud:
            runs-on: ubuntu-latest
            permissions:
              id-token: write
            steps:
              - uses: aws-actions/configure-aws-credentials@v4
                with: {role-to-assume: arn:aws:iam::1:role/x, aws-region: eu-west-1}
    """})
    assert at(findings(root), "PD102") == []


def test_pd102_silent_when_a_step_cannot_be_read(write_repo) -> None:
    """A remote action pubdoctor does not know, or a local action that is not a readable
    composite action, may publish or use the token: the job is not judged."""
    root = write_repo({WF: """
        on: push
        jobs:
          remote:
            runs-on: ubuntu-latest
            permissions:
              id-token: write
            steps:
              - uses: octo-org/publish-pypi@v1
          local:
            runs-on: ubuntu-latest
            permissions:
              id-token: write
            steps:
              - uses: ./.github/actions/missing
    """})
    assert at(findings(root), "PD102") == []


def test_pd102_reads_a_local_composite_action(write_repo) -> None:
    """A readable composite action made only of known steps does not use the token."""
    root = write_repo({
        WF: """
            on: push
            jobs:
              test:
                runs-on: ubuntu-latest
                permissions:
                  id-token: write
                steps:
                  - uses: actions/checkout@v4
                  - uses: ./.github/actions/setup
        """,
        ".github/actions/setup/action.yml": """
            runs:
              using: composite
              steps:
                - uses: actions/setup-python@v5
                - run: pip install -e .
                  shell: bash
        """,
    })
    assert at(findings(root), "PD102") == [(WF, 6, 7)]


def test_pd102_still_reports_a_job_of_known_setup_steps(write_repo) -> None:
    root = write_repo({WF: """
        on: push
        jobs:
          build:
            runs-on: ubuntu-latest
            permissions:
              id-token: write
            steps:
              - uses: actions/checkout@v4
              - uses: astral-sh/setup-uv@v6
              - run: uv build
              - uses: actions/upload-artifact@v4
                with: {name: dist, path: dist/}
    """})
    assert at(findings(root), "PD102") == [(WF, 6, 7)]
