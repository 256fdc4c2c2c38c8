"""The rule catalogue: ``rules/<CODE>.md`` pages, shipped inside the package as well.

The pages live at the top of the repository (``rules/``). A source checkout or an editable
install reads them from there; the build copies them into the wheel as
``pubdoctor/rule_pages/`` (see setup.py). If neither is there, the rule's docstring and the
page's URL stand in, so ``pubdoctor rule`` always has something to say.
"""

from __future__ import annotations

import inspect
from pathlib import Path

from pubdoctor.rules import Rule


def page_text(rule: type[Rule]) -> str:
    here = Path(__file__).resolve()
    candidates = [here.parents[2] / "rules" / f"{rule.code}.md",
                  here.parent / "rule_pages" / f"{rule.code}.md"]
    for path in candidates:
        if path.is_file():
            return path.read_text(encoding="utf-8")
    return f"# {rule.code} {rule.name}\n\n{inspect.getdoc(rule) or ''}\n{rule.url()}\n"
