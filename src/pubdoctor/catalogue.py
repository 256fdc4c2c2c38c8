"""The rule catalogue: ``rules/<CODE>.md`` pages, shipped inside the package as well.

The pages live at the top of the repository (``rules/``). A source checkout or an editable
install reads them from there; an installed wheel, which does not carry them, falls back to
the rule's docstring and the page's URL, so ``pubdoctor rule`` always has something to say.
"""

from __future__ import annotations

import inspect
from pathlib import Path

from pubdoctor.rules import Rule


def page_text(rule: type[Rule]) -> str:
    candidates = [Path(__file__).resolve().parents[2] / "rules" / f"{rule.code}.md"]
    for path in candidates:
        if path.is_file():
            return path.read_text(encoding="utf-8")
    return f"# {rule.code} {rule.name}\n\n{inspect.getdoc(rule) or ''}\n{rule.url()}\n"
