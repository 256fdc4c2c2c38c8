"""PD112 foreign-publish-option."""

from __future__ import annotations

from conftest import at, findings

WF = ".github/workflows/release.yml"


def test_twine_options_given_to_uv_and_uv_options_given_to_twine(write_repo) -> None:
    root = write_repo({WF: """
        on: push
        jobs:
          publish:
            runs-on: ubuntu-latest
            permissions:
              id-token: write
            steps:
              - run: uv publish --repository https://test.pypi.org/legacy/ dist/*
              - run: |
                  twine upload --publish-url=https://test.pypi.org/legacy/ dist/*
    """})
    found = [f for f in findings(root) if f["code"] == "PD112"]
    assert at(found, "PD112") == [(WF, 8, 9), (WF, 9, 9)]
    assert "--publish-url URL" in found[0]["fix"] and "--repository-url URL" in found[1]["fix"]


def test_own_options_pass(write_repo) -> None:
    root = write_repo({WF: """
        on: push
        jobs:
          publish:
            runs-on: ubuntu-latest
            permissions:
              id-token: write
            steps:
              - run: uv publish --publish-url https://test.pypi.org/legacy/ --check-url https://test.pypi.org/simple/
              - run: twine upload --repository-url https://test.pypi.org/legacy/ --skip-existing dist/*
              - run: echo "uv publish --repository is wrong" # not an upload command line
    """})
    assert at(findings(root), "PD112") == []
