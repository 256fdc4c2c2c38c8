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
