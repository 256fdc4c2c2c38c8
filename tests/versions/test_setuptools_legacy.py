"""Versions kept where setuptools reads them without pyproject.toml's help: ``setup(version=)``
in setup.py (read with ast, never executed) and ``[metadata] version`` in setup.cfg."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import findings
from pubdoctor.context import SourceUnavailable
from pubdoctor.sources.pyproject import load_project
from pubdoctor.sources.version import load_version

SETUPTOOLS = '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n'


def version_of(root: Path):
    return load_version(load_project(root), root)


def test_setup_py_literal_version_without_pyproject(write_repo) -> None:
    root = write_repo({"setup.py": """
        import os
        from setuptools import setup

        if os.environ.get("NEVER_RUN"):
            raise SystemExit("setup.py is never executed")
        setup(
            name="demo",
            version="1.4.2",
        )
    """})
    found = version_of(root)
    assert (found.text, found.origin, found.source) == ("1.4.2", "file", "setup.py (`version=`)")
    assert (found.location.path, found.location.line, found.location.col) == ("setup.py", 8, 13)


def test_setup_py_version_from_a_top_level_name(write_repo) -> None:
    root = write_repo({"pyproject.toml": SETUPTOOLS, "setup.py": """
        import setuptools
        VERSION = "2.0.0"
        setuptools.setup(name="demo", version=VERSION)
    """})
    found = version_of(root)
    assert (found.text, found.location.line) == ("2.0.0", 2)


def test_setup_py_wins_over_setup_cfg(write_repo) -> None:
    root = write_repo({"setup.py": 'from setuptools import setup\nsetup(version="1.0.1")\n',
                       "setup.cfg": "[metadata]\nname = demo\nversion = 0.9\n"})
    assert version_of(root).text == "1.0.1"


@pytest.mark.parametrize("cfg, files, expected", [
    ("[metadata]\nname = demo\nversion = 3.1.0\n", {}, ("3.1.0", "setup.cfg", 3)),
    ("[metadata]\nversion = attr: demo.__version__\n", {"src/demo/__init__.py": '__version__ = "0.5"\n'},
     ("0.5", "src/demo/__init__.py", 1)),
    ("[metadata]\nversion = file: VERSION\n", {"VERSION": "2.2.2\n"}, ("2.2.2", "VERSION", 1)),
])
def test_setup_cfg_version(write_repo, cfg: str, files: dict, expected: tuple) -> None:
    root = write_repo({"setup.py": "from setuptools import setup\nsetup()\n", "setup.cfg": cfg, **files})
    found = version_of(root)
    assert (found.text, found.location.path, found.location.line) == expected


@pytest.mark.parametrize("setup_py", [
    'from setuptools import setup\nsetup(version=get_version())\n',
    'from setuptools import setup\nsetup(use_scm_version=True)\n',
    'setup(version=\n',
])
def test_a_version_setup_py_computes_is_unknown(write_repo, setup_py: str) -> None:
    root = write_repo({"setup.py": setup_py, "setup.cfg": "[metadata]\nversion = 1.0\n"})
    with pytest.raises(SourceUnavailable, match="setup.py is not a literal"):
        version_of(root)


def test_another_backend_does_not_read_setup_py(write_repo) -> None:
    root = write_repo({"pyproject.toml": '[build-system]\nbuild-backend = "hatchling.build"\n'
                                         '[project]\nname = "demo"\ndynamic = ["version"]\n',
                       "setup.py": 'from setuptools import setup\nsetup(version="1.0")\n'})
    with pytest.raises(SourceUnavailable, match="cannot tell"):
        version_of(root)


def test_a_setup_py_local_version_is_reported(write_repo) -> None:
    root = write_repo({"setup.py": 'from setuptools import setup\nsetup(name="demo", version="1.0+local")\n'})
    found = [f for f in findings(root) if f["code"] == "PD402"]
    assert [(f["location"]["path"], f["location"]["line"]) for f in found] == [("setup.py", 2)]
