"""`Project.build_specifier` reads `[build-system] requires` as `packaging.requirements` does:
the same specifier, or None, for every spelling (it only avoids importing it when it can)."""

from __future__ import annotations

import pytest
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from pubdoctor.sources.pyproject import Project

SPELLINGS = [
    "hatchling", "Hatchling", "  hatchling  ", "hatchling>=1.27", "hatchling >= 1.27, <2",
    "hatchling==1.26.*", "hatchling~=1.20", "hatchling!=1.27.0", "hatchling[extra]>=1.27",
    "hatchling; python_version >= '3.8'", "hatchling>=1.27 ; sys_platform != 'win32'",
    "hatchling (>=1.27)", "hatchling @ https://example.com/hatchling-1.27.0.tar.gz",
    "hatchling>>1", "hatchling-vcs", "hatchling_vcs>=0.3", "hatch", "hatchlingx",
    "setuptools>=61", "setuptools-scm>=8", "setuptools_scm", "SetupTools<77", "",
]


def _expected(text: str, name: str):
    try:
        parsed = Requirement(text)
    except InvalidRequirement:
        return None
    return parsed.specifier if canonicalize_name(parsed.name) == name else None


@pytest.mark.parametrize("text", SPELLINGS)
@pytest.mark.parametrize("name", ["hatchling", "setuptools"])
def test_same_answer_as_packaging(text: str, name: str) -> None:
    project = Project(path="pyproject.toml", data={"build-system": {"requires": [text]}})
    got = project.build_specifier(name)
    expected = _expected(text, name)
    assert (got is None) == (expected is None), text
    if expected is not None:
        assert str(got) == str(expected)


def test_the_first_requirement_that_names_it_counts() -> None:
    project = Project(path="pyproject.toml",
                      data={"build-system": {"requires": ["wheel", "setuptools-scm", "setuptools<77",
                                                          "setuptools>=80"]}})
    assert str(project.build_specifier("setuptools")) == "<77"
    assert Project(path="pyproject.toml", data={}).build_specifier("setuptools") is None
