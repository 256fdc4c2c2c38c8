"""The catalogue in rules/ and the rule registry stay in step: one page per rule, same title."""

from __future__ import annotations

from pathlib import Path

import pytest

from pubdoctor.rules import all_rules

CATALOGUE = Path(__file__).resolve().parents[1] / "rules"
SECTIONS = ("## What it does", "## Why it breaks publishing", "## Example", "## Use instead",
            "## Fix", "## In a failed log", "## References")


def test_every_rule_has_a_page_and_every_page_a_rule() -> None:
    pages = {p.stem for p in CATALOGUE.glob("PD*.md")}
    assert pages == {rule.code for rule in all_rules()}


def test_codes_and_names_are_unique() -> None:
    rules = all_rules()
    assert len({r.code for r in rules}) == len(rules)
    assert len({r.name for r in rules}) == len(rules)


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.code)
def test_page_title_and_sections(rule) -> None:
    text = (CATALOGUE / f"{rule.code}.md").read_text(encoding="utf-8")
    assert text.splitlines()[0] == f"# {rule.code} {rule.name}"
    positions = [text.find(section) for section in SECTIONS]
    assert all(p > 0 for p in positions), f"{rule.code}.md lacks a section of {SECTIONS}"
    assert positions == sorted(positions), f"{rule.code}.md has its sections out of order"


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.code)
def test_rule_has_a_docstring_summary_and_kebab_name(rule) -> None:
    assert rule.summary().endswith(".")
    assert rule.name == rule.name.lower() and " " not in rule.name and "_" not in rule.name


def test_each_rule_reads_the_sources_its_signature_names() -> None:
    """`Rule.sources` reads ``check``'s code, not `inspect.signature` (start-up): the same names."""
    import inspect

    for rule in all_rules():
        expected = [p for p in inspect.signature(rule.check).parameters if p != "self"]
        assert rule.sources() == expected, rule.code
