"""PD103 pull-request-publishing and PD108 unreachable-publish-job."""

from __future__ import annotations

import pytest

from conftest import at, findings

WF = ".github/workflows/release.yml"


def wf(body: str) -> dict[str, str]:
    return {WF: body}


def test_pull_request_publish_is_a_warning(write_repo) -> None:
    root = write_repo(wf("""
        on: [push, pull_request]
        jobs:
          publish:
            runs-on: ubuntu-latest
            permissions:
              id-token: write
            steps:
              - uses: pypa/gh-action-pypi-publish@release/v1
    """))
    found = findings(root)
    assert at(found, "PD103") == [(WF, 3, 3)]
    pd103 = [f for f in found if f["code"] == "PD103"][0]
    assert pd103["severity"] == "warning" and "`pull_request`" in pd103["message"]


def test_pull_request_target_with_trusted_publishing_is_an_error(write_repo) -> None:
    root = write_repo(wf("""
        on:
          pull_request_target:
        jobs:
          publish:
            runs-on: ubuntu-latest
            permissions:
              id-token: write
            steps:
              - run: uv publish
    """))
    found = [f for f in findings(root) if f["code"] == "PD103"]
    assert at(found, "PD103") == [(WF, 4, 3)]
    assert found[0]["severity"] == "error"
    assert "'pull_request_target' is not supported" in found[0]["message"]


@pytest.mark.parametrize("condition", [
    "startsWith(github.ref, 'refs/tags/')",
    "${{ github.event_name == 'release' }}",
    "github.event_name != 'pull_request'",
    "github.event_name == 'push' && startsWith(github.event.ref, 'refs/tags')",
    "github.ref_type == 'tag'",
    "false",
])
def test_restricting_condition_passes(write_repo, condition: str) -> None:
    root = write_repo(wf(f"""
        on: [push, pull_request, release]
        jobs:
          publish:
            if: "{condition}"
            runs-on: ubuntu-latest
            permissions:
              id-token: write
            steps:
              - uses: pypa/gh-action-pypi-publish@release/v1
    """))
    assert at(findings(root), "PD103") == []


def test_step_condition_and_needs_chain_restrict(write_repo) -> None:
    root = write_repo(wf("""
        on: [push, pull_request]
        jobs:
          gate:
            if: github.event_name == 'push'
            runs-on: ubuntu-latest
            steps: [{run: "true"}]
          publish:
            needs: gate
            runs-on: ubuntu-latest
            permissions:
              id-token: write
            steps:
              - run: uv publish --dry-run
              - if: startsWith(github.ref, 'refs/tags/')
                run: uv publish
    """))
    assert at(findings(root), "PD103") == []


def test_undecidable_condition_gets_the_benefit_of_the_doubt(write_repo) -> None:
    root = write_repo(wf("""
        on: [push, pull_request]
        jobs:
          publish:
            if: needs.setup.outputs.release == 'true'
            runs-on: ubuntu-latest
            permissions:
              id-token: write
            steps:
              - uses: pypa/gh-action-pypi-publish@release/v1
    """))
    assert at(findings(root), "PD103") == []


@pytest.mark.parametrize("on, severity", [
    ("{pull_request_target: {types: [labeled]}}", {"error"}),
    ("[pull_request, pull_request_target]", {"error"}),
    # on `pull_request` the condition may pick this repository's pull requests (a merged one,
    # say), which get a token: the benefit of the doubt stays
    ("pull_request", set()),
])
def test_undecidable_condition_on_pull_request_events_only(write_repo, on: str, severity: set[str]) -> None:
    """Every trigger is a pull-request event: a label condition only decides *which* pull
    requests publish (and build their code with an OIDC token)."""
    root = write_repo(wf(f"""
        on: {on}
        jobs:
          publish:
            if: contains(github.event.pull_request.labels.*.name, 'release')
            runs-on: ubuntu-latest
            permissions:
              id-token: write
            steps:
              - uses: pypa/gh-action-pypi-publish@release/v1
    """))
    found = [f for f in findings(root) if f["code"] == "PD103"]
    assert {f["severity"] for f in found} == severity
    if found:
        assert "every trigger of `release.yml` is a pull-request event" in found[0]["message"]


def test_false_condition_on_pull_request_events_only_passes(write_repo) -> None:
    root = write_repo(wf("""
        on: pull_request_target
        jobs:
          publish:
            if: github.event_name == 'push'
            runs-on: ubuntu-latest
            permissions:
              id-token: write
            steps:
              - uses: pypa/gh-action-pypi-publish@release/v1
    """))
    assert at(findings(root), "PD103") == []


def test_repository_guard_does_not_restrict(write_repo) -> None:
    root = write_repo(wf("""
        on: pull_request
        jobs:
          publish:
            if: github.repository == 'octo/demo'
            runs-on: ubuntu-latest
            steps:
              - uses: pypa/gh-action-pypi-publish@release/v1
                with:
                  password: ${{ secrets.PYPI_TOKEN }}
    """))
    assert at(findings(root), "PD103") == [(WF, 3, 3)]


def test_workflow_run_head_branch_never_starts_with_refs(write_repo) -> None:
    root = write_repo(wf("""
        on:
          workflow_run:
            workflows: [CI]
            types: [completed]
        jobs:
          publish:
            if: startsWith(github.event.workflow_run.head_branch, 'refs/tags/v')
            runs-on: ubuntu-latest
            permissions:
              id-token: write
            steps:
              - run: uv publish
    """))
    found = [f for f in findings(root) if f["code"] == "PD108"]
    assert at(found, "PD108") == [(WF, 7, 5)]
    assert "`github.event.workflow_run.head_branch` holds a short name" in found[0]["message"]


def test_tag_condition_on_branch_only_push(write_repo) -> None:
    root = write_repo(wf("""
        on:
          push:
            branches: [main]
          schedule:
            - cron: "0 0 * * *"
        jobs:
          publish:
            runs-on: ubuntu-latest
            permissions:
              id-token: write
            steps:
              - name: Publish
                if: startsWith(github.ref, 'refs/tags/')
                uses: pypa/gh-action-pypi-publish@release/v1
    """))
    assert at(findings(root), "PD108") == [(WF, 13, 9)]


def test_event_name_of_a_missing_trigger(write_repo) -> None:
    root = write_repo(wf("""
        on: push
        jobs:
          build:
            if: github.event_name == 'release'
            runs-on: ubuntu-latest
            steps: [{run: uv build}]
          publish:
            needs: build
            runs-on: ubuntu-latest
            permissions:
              id-token: write
            steps:
              - uses: pypa/gh-action-pypi-publish@release/v1
    """))
    assert at(findings(root), "PD108") == [(WF, 7, 3)]


@pytest.mark.parametrize("on, condition", [
    ("{push: {tags: ['v*']}}", "startsWith(github.ref, 'refs/tags/')"),
    ("[push, workflow_dispatch]", "startsWith(github.ref, 'refs/tags/')"),
    ("{release: {types: [published]}}", "github.event.action == 'published'"),
    ("{workflow_run: {workflows: [CI], types: [completed]}}",
     "github.event.workflow_run.conclusion == 'success'"),
    ("workflow_call", "startsWith(github.ref, 'refs/tags/')"),
    ("push", "failure() || startsWith(github.ref, 'refs/tags/')"),
])
def test_reachable_publish_job_passes(write_repo, on: str, condition: str) -> None:
    root = write_repo(wf(f"""
        on: {on}
        jobs:
          publish:
            if: "{condition}"
            runs-on: ubuntu-latest
            permissions:
              id-token: write
            steps:
              - uses: pypa/gh-action-pypi-publish@release/v1
    """))
    assert at(findings(root), "PD108") == []
