"""PD106 password-publishing and PD110 api-token-publishing."""

from __future__ import annotations

from conftest import at, findings

WF = ".github/workflows/release.yml"


def test_username_and_password_secrets(write_repo) -> None:
    root = write_repo({WF: """
        on: workflow_dispatch
        jobs:
          deploy:
            runs-on: ubuntu-latest
            steps:
              - name: Build and publish
                env:
                  TWINE_USERNAME: ${{ secrets.PYPI_USERNAME }}
                  TWINE_PASSWORD: ${{ secrets.PYPI_PASSWORD }}
                run: |
                  python -m build
                  python -m twine upload dist/*
    """})
    found = findings(root)
    assert at(found, "PD106") == [(WF, 7, 9)]
    assert at(found, "PD110") == []
    assert "no longer supported" in [f for f in found if f["code"] == "PD106"][0]["message"]


def test_literal_account_name_on_the_action(write_repo) -> None:
    root = write_repo({WF: """
        on: push
        jobs:
          publish:
            runs-on: ubuntu-latest
            steps:
              - uses: pypa/gh-action-pypi-publish@release/v1
                with:
                  user: octocat
                  password: ${{ secrets.PYPI_PASSWORD }}
    """})
    assert at(findings(root), "PD106") == [(WF, 8, 11)]


def test_api_token_is_info(write_repo) -> None:
    root = write_repo({WF: """
        on: push
        jobs:
          publish:
            runs-on: ubuntu-latest
            steps:
              - uses: pypa/gh-action-pypi-publish@release/v1
                with:
                  user: __token__
                  password: ${{ secrets.PYPI_API_TOKEN }}
              - run: poetry config pypi-token.pypi "${{ secrets.PYPI_TOKEN }}"
              - run: poetry publish
    """})
    found = findings(root)
    assert at(found, "PD106") == []
    assert at(found, "PD110") == [(WF, 9, 11), (WF, 11, 9)]
    assert {f["severity"] for f in found if f["code"] == "PD110"} == {"info"}


def test_token_stored_in_a_user_secret_is_a_token(write_repo) -> None:
    root = write_repo({WF: """
        on: push
        jobs:
          publish:
            runs-on: ubuntu-latest
            steps:
              - run: twine upload dist/*
                env:
                  TWINE_USERNAME: ${{ secrets.PYPI_USER }}
                  TWINE_PASSWORD: ${{ secrets.PYPI_TOKEN }}
    """})
    found = findings(root)
    assert at(found, "PD106") == []
    assert at(found, "PD110") == [(WF, 7, 9)]


def test_private_index_and_trusted_publishing_pass(write_repo) -> None:
    root = write_repo({WF: """
        on: push
        jobs:
          publish:
            runs-on: ubuntu-latest
            permissions:
              id-token: write
            steps:
              - uses: pypa/gh-action-pypi-publish@release/v1
              - run: twine upload --repository-url https://pypi.example.com/ dist/*
                env:
                  TWINE_USERNAME: deploy
                  TWINE_PASSWORD: ${{ secrets.PASSWORD }}
    """})
    found = findings(root)
    assert at(found, "PD106") == [] and at(found, "PD110") == []


def test_secret_expression_inline_in_the_command_is_one_word(write_repo) -> None:
    # `${{ secrets.X }}` has spaces, but GitHub substitutes it before the shell splits words
    root = write_repo({WF: """
        on: push
        jobs:
          publish:
            runs-on: ubuntu-latest
            steps:
              - run: |
                  pip install twine
                  twine upload --username __token__ --password ${{ secrets.PYPI_TOKEN }} dist/*
              - run: uv publish -t "${{ secrets.UV_PUBLISH_TOKEN }}"
    """})
    found = [f for f in findings(root) if f["code"] == "PD110"]
    assert at(found, "PD110") == [(WF, 6, 9), (WF, 9, 9)]
    assert "the secret `PYPI_TOKEN`" in found[0]["message"]
    assert "the secret `UV_PUBLISH_TOKEN`" in found[1]["message"]
