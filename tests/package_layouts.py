"""Repositories with packages below their root, as the tests of the rules that read them
(tests/rules/test_packages.py, tests/versions/test_packages_index.py) write them."""

from __future__ import annotations

WF = ".github/workflows/release.yml"
TAGS = "push:\n    tags: ['v*']"
BRANCHES = "push:\n    branches: [main]"
HATCH = """
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "{name}"
version = "{version}"
"""
SCM = """
[build-system]
requires = ["setuptools>=64", "setuptools-scm>=8"]
build-backend = "setuptools.build_meta"

[project]
name = "{name}"
dynamic = ["version"]
"""


def two_job_release(build: str, on: str = TAGS, handed_over: str = "dist/",
                    action: str = "release/v1", with_lines: str = "") -> str:
    """A build job running ``build`` that hands ``handed_over`` over as an artifact, and a
    publish job that downloads it to ``dist/`` and uploads it with the action at ``action``
    (``with_lines``: the lines of its ``with:``)."""
    with_ = f"\n        with:\n{with_lines}" if with_lines else ""
    return f"""
on:
  {on}
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
{build}
      - uses: actions/upload-artifact@v4
        with: {{name: dist, path: {handed_over}}}
  publish:
    needs: build
    runs-on: ubuntu-latest
    permissions:
      id-token: write
    steps:
      - uses: actions/download-artifact@v4
        with: {{name: dist, path: dist/}}
      - uses: pypa/gh-action-pypi-publish@{action}{with_}
"""
