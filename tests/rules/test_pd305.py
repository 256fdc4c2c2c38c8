"""PD305 missing-contents-write: a release tool's job cannot write the tag or the release."""

from __future__ import annotations

from conftest import at, findings

WF = ".github/workflows/release.yml"


def pd305(write_repo, body: str, name: str = "repo") -> list[dict]:
    root = write_repo({WF: body}, name=name)
    return [f for f in findings(root, "--select", "PD305") if f["code"] == "PD305"]


def test_workflow_permissions_read_only(write_repo) -> None:
    found = pd305(write_repo, """
        on: push
        permissions:
          contents: read
        jobs:
          release:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
                with:
                  fetch-depth: 0
              - uses: python-semantic-release/python-semantic-release@v9
                with:
                  github_token: ${{ secrets.GITHUB_TOKEN }}
    """)
    assert at(found, "PD305") == [(WF, 2, 1)]
    assert found[0]["severity"] == "error" and "`contents: write`" in found[0]["message"]


def test_release_please_needs_pull_requests_too(write_repo) -> None:
    found = pd305(write_repo, """
        on: push
        jobs:
          release-please:
            runs-on: ubuntu-latest
            permissions:
              contents: write
            steps:
              - uses: googleapis/release-please-action@v4
                with:
                  release-type: python
    """)
    assert at(found, "PD305") == [(WF, 5, 5)]
    assert "`pull-requests: write`" in found[0]["message"]
    assert "`contents: write`" not in found[0]["message"]


def test_default_permissions_are_only_info(write_repo) -> None:
    found = pd305(write_repo, """
        on: push
        jobs:
          release:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
              - run: |
                  cz bump --yes
                  git push --follow-tags
    """)
    assert at(found, "PD305") == [(WF, 3, 3)]
    assert found[0]["severity"] == "info"


def test_granted_or_own_token_passes(write_repo) -> None:
    assert pd305(write_repo, """
        on: push
        permissions:
          contents: write
        jobs:
          release:
            runs-on: ubuntu-latest
            steps:
              - uses: python-semantic-release/python-semantic-release@v9
    """, "granted") == []
    assert pd305(write_repo, """
        on: push
        jobs:
          release:
            runs-on: ubuntu-latest
            permissions: {}
            steps:
              - id: app-token
                uses: actions/create-github-app-token@v1
              - uses: googleapis/release-please-action@v4
                with:
                  token: ${{ steps.app-token.outputs.token }}
    """, "app") == []
    assert pd305(write_repo, """
        on: push
        permissions:
          contents: read
        jobs:
          release:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
                with:
                  token: ${{ secrets.RELEASE_PAT }}
              - run: cz bump --yes && git push --follow-tags
    """, "pat") == []


def test_bump_without_push_writes_nothing(write_repo) -> None:
    assert pd305(write_repo, """
        on: push
        permissions:
          contents: read
        jobs:
          check:
            runs-on: ubuntu-latest
            steps:
              - run: cz bump --dry-run --yes
              - run: semantic-release version --no-push
    """) == []


def test_psr_action_that_neither_pushes_nor_releases(write_repo) -> None:
    """Like python-semantic-release's own build job: version computed, nothing written."""
    assert pd305(write_repo, """
        on: workflow_call
        permissions: {}
        jobs:
          build:
            runs-on: ubuntu-latest
            steps:
              - uses: python-semantic-release/python-semantic-release@v10
                with:
                  github_token: ""
                  push: false
                  tag: false
                  vcs_release: false
    """) == []
