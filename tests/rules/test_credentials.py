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


def test_user_from_a_shell_variable_is_read_through_the_step_env(write_repo) -> None:
    root = write_repo({WF: """
        on: push
        jobs:
          account:
            runs-on: ubuntu-latest
            steps:
              - env:
                  POETRY_TOKEN_USER: ${{ secrets.POETRY_USER }}
                  POETRY_TOKEN: ${{ secrets.POETRY_PASSWORD }}
                run: poetry publish --build -u $POETRY_TOKEN_USER -p $POETRY_TOKEN
          unknown:
            runs-on: ubuntu-latest
            steps:
              - run: poetry publish --build -u "$PYPI_USER" -p "$PYPI_PASS"
    """})
    found = findings(root)
    # the first names an account and a password through its env; the second's values are
    # set elsewhere (GITHUB_ENV, a script): `$PYPI_USER` is not the literal user name
    assert at(found, "PD106") == [(WF, 6, 9)]
    assert "user from `POETRY_USER`" in [f for f in found if f["code"] == "PD106"][0]["message"]
    assert at(found, "PD110") == [(WF, 13, 9)]


def test_user_secret_with_a_secret_not_named_as_a_password_is_a_token(write_repo) -> None:
    # hatch's own variable names mirrored as secrets: HATCH_INDEX_AUTH holds a token as often
    # as a password, so nothing says this is an account
    root = write_repo({WF: """
        on: push
        jobs:
          deploy:
            runs-on: ubuntu-latest
            steps:
              - env:
                  HATCH_INDEX_AUTH: ${{ secrets.HATCH_INDEX_AUTH }}
                  HATCH_INDEX_USER: ${{ secrets.HATCH_INDEX_USER }}
                run: hatch publish
    """})
    found = findings(root)
    assert at(found, "PD106") == []
    assert at(found, "PD110") == [(WF, 6, 9)]


def test_hatch_repository_names_main_and_test_are_pypi_and_testpypi(write_repo) -> None:
    # `hatch publish` takes `main` (PyPI, its default) or `test` (TestPyPI) as repository names
    root = write_repo({WF: """
        on: push
        env:
          HATCH_INDEX_USER: __token__
          HATCH_INDEX_REPO: main
          HATCH_INDEX_AUTH: ${{ secrets.PYPI_TOKEN }}
        jobs:
          release:
            runs-on: ubuntu-latest
            steps:
              - run: hatch publish
              - run: hatch publish -r test -a "${{ secrets.TEST_PYPI_TOKEN }}"
              - run: hatch publish -r https://pypi.example.com/ -a "${{ secrets.CORP }}"
    """})
    assert at(findings(root), "PD110") == [(WF, 10, 9), (WF, 11, 9)]


def test_upload_in_a_make_target_is_followed(write_repo) -> None:
    # `make publish` runs the Makefile's recipe, with the step's env (confetta's workflow)
    root = write_repo({
        "Makefile": "PROJECT_NAME=demo\n\n.PHONY: publish\nrelease: build publish\n\n"
                    "build:\n\tpython3 -m build\n\npublish:\n\t@twine upload dist/*\n\n"
                    "docs:\n\tmkdocs build\n",
        WF: """
            on: push
            jobs:
              publish:
                runs-on: ubuntu-latest
                steps:
                  - env:
                      TWINE_USERNAME: __token__
                      TWINE_PASSWORD: ${{ secrets.PYPI_TOKEN }}
                    run: make build && make publish
              release:
                runs-on: ubuntu-latest
                steps:
                  - run: make release TWINE_PASSWORD=x
              docs:
                runs-on: ubuntu-latest
                steps:
                  - run: make docs
                  - run: make -C other publish
        """,
    })
    found = findings(root)
    assert at(found, "PD110") == [(WF, 6, 9)]
    assert "the secret `PYPI_TOKEN`" in [f for f in found if f["code"] == "PD110"][0]["message"]
    # `release` reaches the upload through its prerequisite `publish`, with no password in
    # its env: twine then tries trusted publishing, which the job cannot get a token for
    assert at(found, "PD101") == [(WF, 10, 3)]


def test_maturin_action_upload_with_a_token(write_repo) -> None:
    # the release job `maturin generate-ci github` writes: the action runs `maturin upload`
    root = write_repo({WF: """
        on: push
        jobs:
          release:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/download-artifact@v4
              - name: Publish to PyPI
                uses: PyO3/maturin-action@v1
                env:
                  MATURIN_PYPI_TOKEN: ${{ secrets.PYPI_API_TOKEN }}
                with:
                  command: upload
                  args: --non-interactive --skip-existing wheels-*/*
          build:
            runs-on: ubuntu-latest
            steps:
              - uses: PyO3/maturin-action@v1
                env:
                  MATURIN_PYPI_TOKEN: ${{ secrets.PYPI_API_TOKEN }}
                with:
                  args: --release --out dist
    """})
    found = [f for f in findings(root) if f["code"] == "PD110"]
    assert at(found, "PD110") == [(WF, 9, 9)]
    assert "with maturin" in found[0]["message"] and "`PYPI_API_TOKEN`" in found[0]["message"]


CALLED = ".github/workflows/upload.yml"
UPLOAD = """
    on:
      workflow_call:
        inputs:
          index:
            type: string
            default: {default}
        secrets:
          user:
          password:
    jobs:
      upload:
        runs-on: ubuntu-latest
        steps:
          - env:
              TWINE_USERNAME: ${{{{ secrets.user }}}}
              TWINE_PASSWORD: ${{{{ secrets.password }}}}
            run: twine upload --repository ${{{{ inputs.index }}}} dist/*
"""


def caller(with_: str) -> str:
    return f"""
        on: push
        jobs:
          deploy:
            uses: ./{CALLED}
            with: {with_}
            secrets:
              user: ${{{{ secrets.PYPI_USERNAME }}}}
              password: ${{{{ secrets.PYPI_PASSWORD }}}}
    """


def test_index_from_a_called_workflows_inputs(write_repo) -> None:
    """`inputs.index` is `testpypi` from one caller and the default `pypi` from the other."""
    root = write_repo({CALLED: UPLOAD.format(default="pypi"),
                       WF: caller("{index: testpypi}"),
                       ".github/workflows/main.yml": caller("{}")})
    assert at(findings(root), "PD106") == [(CALLED, 14, 9)]


def test_called_workflow_inputs_that_name_another_index_or_are_unknown(write_repo) -> None:
    # every caller names a private index: not PyPI, passwords may be fine there
    root = write_repo({CALLED: UPLOAD.format(default="pypi"), WF: caller("{index: nexus}")},
                      name="private")
    assert at(findings(root), "PD106") == []
    # an expression in a caller: the index is unknown
    root = write_repo({CALLED: UPLOAD.format(default="pypi"),
                       WF: caller("{index: '${{ vars.INDEX }}'}")}, name="expression")
    assert at(findings(root), "PD106") == []
    # no local caller: other repositories' callers cannot be read
    root = write_repo({CALLED: UPLOAD.format(default="pypi")}, name="uncalled")
    assert at(findings(root), "PD106") == []
