"""Copies the rule catalogue (``rules/*.md``) into the built package as ``pubdoctor/rule_pages/``.

The pages live at the top of the repository, where users and reviewers read them; a wheel
carries a copy so that ``pubdoctor rule CODE`` prints the whole page once installed.
Everything else about the build is in pyproject.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithCatalogue(build_py):
    def run(self) -> None:
        super().run()
        source = Path(__file__).resolve().parent / "rules"
        target = Path(self.build_lib) / "pubdoctor" / "rule_pages"
        target.mkdir(parents=True, exist_ok=True)
        for page in sorted(source.glob("PD*.md")):
            shutil.copyfile(page, target / page.name)


setup(cmdclass={"build_py": BuildWithCatalogue})
