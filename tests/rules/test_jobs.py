"""PD105 publish-in-build-job, PD107 unchecked-artifact-upload, PD109 publish-continue-on-error,
PD111 dist-path-mismatch."""

from __future__ import annotations

import pytest

from conftest import at, findings

WF = ".github/workflows/release.yml"


@pytest.mark.parametrize("command", ["uv build", "python -m build", "pipx run build --sdist",
                                     "hatch build -t wheel", "poetry build", "python3 -m build ."])
def test_build_and_trusted_publish_in_one_job(write_repo, command: str) -> None:
    root = write_repo({WF: f"""
        on: push
        jobs:
          release:
            runs-on: ubuntu-latest
            permissions:
              id-token: write
            steps:
              - uses: actions/checkout@v4
              - run: {command}
              - uses: pypa/gh-action-pypi-publish@release/v1
    """}, name=command.replace(" ", "_"))
    found = [f for f in findings(root) if f["code"] == "PD105"]
    assert at(found, "PD105") == [(WF, 9, 9)]
    assert found[0]["severity"] == "warning"


def test_package_names_in_an_install_are_not_a_build(write_repo) -> None:
    # `pip install --upgrade pip wheel` installs wheel; the build is the later `python -m build`
    root = write_repo({WF: """
        on: push
        jobs:
          release:
            runs-on: ubuntu-latest
            permissions:
              id-token: write
            steps:
              - run: python -m pip install --upgrade pip wheel setuptools build twine
              - run: pip install hatch build && python -m build --sdist
              - uses: pypa/gh-action-pypi-publish@release/v1
          upload:
            runs-on: ubuntu-latest
            permissions:
              id-token: write
            steps:
              - run: pip3 install -U pip wheel
              - uses: pypa/gh-action-pypi-publish@release/v1
    """})
    found = [f for f in findings(root) if f["code"] == "PD105"]
    assert at(found, "PD105") == [(WF, 9, 9)]
    assert "`python -m build`" in found[0]["message"]


def test_build_action_and_token_publishing(write_repo) -> None:
    root = write_repo({WF: """
        on: push
        jobs:
          wheels:
            runs-on: ubuntu-latest
            permissions:
              id-token: write
            steps:
              - uses: hynek/build-and-inspect-python-package@v2
              - uses: pypa/gh-action-pypi-publish@release/v1
          token:
            runs-on: ubuntu-latest
            steps:
              - run: python -m build
              - uses: pypa/gh-action-pypi-publish@release/v1
                with:
                  password: ${{ secrets.PYPI_API_TOKEN }}
    """})
    assert at(findings(root), "PD105") == [(WF, 8, 9)]


def test_two_job_pattern_passes(write_repo) -> None:
    root = write_repo({WF: """
        on: push
        jobs:
          build:
            runs-on: ubuntu-latest
            steps:
              - run: uv build
              - uses: actions/upload-artifact@v4
                with:
                  name: dist
                  path: dist/
                  if-no-files-found: error
          publish:
            needs: build
            runs-on: ubuntu-latest
            permissions:
              id-token: write
            steps:
              - uses: actions/download-artifact@v4
                with:
                  name: dist
                  path: dist/
              - uses: pypa/gh-action-pypi-publish@release/v1
    """})
    found = findings(root)
    assert [f["code"] for f in found] == []


def _handoff(upload_with: str, download_with: str, publish_with: str = "") -> str:
    return f"""
        on: push
        jobs:
          build:
            runs-on: ubuntu-latest
            steps:
              - run: uv build
              - uses: actions/upload-artifact@v4
                with:
                  {upload_with}
          publish:
            needs: build
            runs-on: ubuntu-latest
            permissions:
              id-token: write
            steps:
              - uses: actions/download-artifact@v4
                with:
                  {download_with}
              - uses: pypa/gh-action-pypi-publish@release/v1
                {publish_with}
    """


def test_upload_without_if_no_files_found(write_repo) -> None:
    root = write_repo({WF: _handoff("name: dist", "name: dist")})
    found = [f for f in findings(root) if f["code"] == "PD107"]
    assert at(found, "PD107") == [(WF, 7, 9)]
    assert found[0]["severity"] == "info"


def test_upload_not_downloaded_by_the_publish_job_passes(write_repo) -> None:
    root = write_repo({WF: _handoff("name: coverage", "name: dist")})
    assert at(findings(root), "PD107") == []


def test_download_without_name_nests_the_files(write_repo) -> None:
    root = write_repo({WF: _handoff("{name: dist, path: dist/, if-no-files-found: error}",
                                    "path: dist/")})
    found = [f for f in findings(root) if f["code"] == "PD111"]
    assert at(found, "PD111") == [(WF, 19, 9)]
    assert "`dist/dist/`" in found[0]["message"]


def test_packages_dir_differs_from_download_path(write_repo) -> None:
    root = write_repo({WF: _handoff("{name: dist, path: dist/, if-no-files-found: error}",
                                    "{name: dist, path: artifacts/}",
                                    "with: {packages-dir: dist/}")})
    assert at(findings(root), "PD111") == [(WF, 20, 16)]


@pytest.mark.parametrize("download, publish", [
    ("{name: dist, path: dist}", ""),
    ("{pattern: 'dist-*', merge-multiple: true, path: dist/}", ""),
    ("{path: ., name: dist}", "with: {packages-dir: .}"),
    ("{path: out}", "with: {packages-dir: out/dist/}"),
    ("{path: '${{ env.DIR }}'}", ""),
])
def test_matching_paths_pass(write_repo, download: str, publish: str) -> None:
    root = write_repo({WF: _handoff("{name: dist, path: dist/, if-no-files-found: error}",
                                    download, publish)}, name=str(abs(hash(download + publish))))
    assert at(findings(root), "PD111") == []


def test_packages_dir_in_tmp(write_repo) -> None:
    root = write_repo({WF: """
        on: push
        jobs:
          publish:
            runs-on: ubuntu-latest
            steps:
              - uses: pypa/gh-action-pypi-publish@release/v1
                with:
                  packages-dir: /tmp/dist
                  password: ${{ secrets.PYPI_API_TOKEN }}
    """})
    assert at(findings(root), "PD111") == [(WF, 8, 11)]


def test_continue_on_error_on_the_publish_step(write_repo) -> None:
    root = write_repo({WF: """
        on: push
        jobs:
          publish:
            runs-on: ubuntu-latest
            permissions:
              id-token: write
            steps:
              - name: TestPyPI
                continue-on-error: true
                uses: pypa/gh-action-pypi-publish@release/v1
                with:
                  repository-url: https://test.pypi.org/legacy/
              - name: PyPI
                continue-on-error: true
                uses: pypa/gh-action-pypi-publish@release/v1
              - name: Lint
                continue-on-error: true
                run: ruff check
    """})
    found = [f for f in findings(root) if f["code"] == "PD109"]
    assert at(found, "PD109") == [(WF, 9, 9), (WF, 14, 9)]
    assert [f["severity"] for f in found] == ["info", "warning"]


def test_continue_on_error_on_the_job(write_repo) -> None:
    root = write_repo({WF: """
        on: push
        jobs:
          publish:
            continue-on-error: true
            runs-on: ubuntu-latest
            permissions:
              id-token: write
            steps:
              - run: uv publish
          other:
            continue-on-error: ${{ matrix.experimental }}
            runs-on: ubuntu-latest
            steps:
              - run: uv publish --token ${{ secrets.T }}
    """})
    assert at(findings(root), "PD109") == [(WF, 4, 5)]


@pytest.mark.parametrize("command", ["rye build --clean", "flit publish", "pdm publish -r testpypi",
                                     "maturin publish --skip-existing"])
def test_commands_that_build_before_they_upload(write_repo, command: str) -> None:
    # `rye build` builds; `flit publish`, `pdm publish` and `maturin publish` build the files
    # themselves before uploading them, so the build runs with the publishing job's token
    root = write_repo({WF: f"""
        on: push
        jobs:
          release:
            runs-on: ubuntu-latest
            permissions:
              id-token: write
            steps:
              - uses: actions/checkout@v4
              - run: {command}
              - uses: pypa/gh-action-pypi-publish@release/v1
    """}, name=command.split()[0])
    found = [f for f in findings(root) if f["code"] == "PD105"]
    assert at(found, "PD105") == [(WF, 9, 9)]
    assert f"`{' '.join(command.split()[:2])}`" in found[0]["message"]


def test_pdm_publish_no_build_is_not_a_build(write_repo) -> None:
    root = write_repo({WF: """
        on: push
        jobs:
          release:
            runs-on: ubuntu-latest
            permissions:
              id-token: write
            steps:
              - uses: actions/download-artifact@v4
                with:
                  name: dist
                  path: dist/
              - run: pdm publish --no-build
    """})
    assert at(findings(root), "PD105") == []


def test_maturin_action_publish_builds_and_uploads(write_repo) -> None:
    root = write_repo({WF: """
        on: push
        jobs:
          release:
            runs-on: ubuntu-latest
            permissions:
              id-token: write
            steps:
              - uses: actions/checkout@v4
              - uses: PyO3/maturin-action@v1
                with:
                  command: publish
                  args: --skip-existing
          upload:
            runs-on: ubuntu-latest
            permissions:
              id-token: write
            steps:
              - uses: actions/download-artifact@v4
              - uses: PyO3/maturin-action@v1
                with:
                  command: upload
                  args: --non-interactive --skip-existing wheels-*/*
    """})
    found = [f for f in findings(root) if f["code"] == "PD105"]
    assert at(found, "PD105") == [(WF, 9, 9)]
    assert "`PyO3/maturin-action@v1`" in found[0]["message"]


def test_pd105_does_not_contradict_pd101_on_a_job_without_the_token(write_repo) -> None:
    """PD101 says the job cannot get a token; PD105 must not say the build runs with one."""
    root = write_repo({WF: """
        on: push
        permissions:
          contents: read
        jobs:
          publish:
            runs-on: ubuntu-latest
            steps:
              - run: pipx run build
              - uses: pypa/gh-action-pypi-publish@release/v1
    """})
    found = findings(root)
    assert {f["code"] for f in found} >= {"PD101", "PD105"}
    pd105 = next(f for f in found if f["code"] == "PD105")
    assert "run with `id-token: write`" not in pd105["message"]
    assert "will run with the `id-token: write` the job needs to publish" in pd105["message"]
    assert "PD101" in pd105["message"]
