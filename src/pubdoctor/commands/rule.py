"""``pubdoctor rule [CODE]``: list the rules, or print one rule's catalogue page."""

from __future__ import annotations

import click


@click.command()
@click.argument("code", required=False)
def rule(code: str | None) -> None:
    """List every rule, or explain the rule CODE (a code such as PD101 or a name)."""
    from pubdoctor.rules import all_rules, find_rule

    if code is None:
        rules = all_rules()
        width = max(len(item.name) for item in rules)
        for item in rules:
            click.echo(f"{item.code}  {item.name:<{width}}  {item.severity.value:<8} {item.summary()}")
        return
    found = find_rule(code)
    if found is None:
        raise click.UsageError(f"no rule {code!r}; `pubdoctor rule` lists them")
    from pubdoctor.catalogue import page_text

    click.echo(page_text(found))
