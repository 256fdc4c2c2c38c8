"""``pubdoctor check --show-settings``: the folders and settings a run would use, as ruff's.

Printed instead of checking, so that "why is this rule not run" and "which pyproject.toml was
read" have an answer without reading the code: every value says where it came from.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pubdoctor.context import Context


def render(context: Context, given: str, sources: dict[str, str]) -> str:
    """The settings of ``context`` as TOML-like lines; ``sources`` maps a key to its origin."""
    from pubdoctor.rules import all_rules

    settings = context.settings
    roots = context.roots
    lines = [f"given folder: {given}"]
    if roots is not None:
        lines += [
            f"project root: {settings.root} ({roots.project}; {roots.reason})",
            f"workflows root: {context.workflows_root} ({roots.workflows})",
            f"repository top: {roots.git_top if roots.git_top else '(not a git repository)'}",
        ]
    pyproject = settings.root / "pyproject.toml"
    lines.append(f"settings file: {pyproject if pyproject.is_file() else '(none)'}")
    lines.append("")
    values: list[tuple[str, object]] = [
        ("select", settings.select), ("ignore", settings.ignore + settings.ignore_cli),
        ("severity", settings.severity.value), ("fail-on", settings.fail_on.value),
        ("offline", settings.offline), ("timeout", settings.timeout),
        ("index-url", settings.index_url), ("remote", settings.remote),
    ]
    for key, value in values:
        shown = "(default: PyPI's, or the publisher's index)" if value is None else json.dumps(value)
        lines.append(f"{key} = {shown}  # {sources.get(key, 'default')}")
    where = "--publisher" if settings.publisher_source == "cli" else "pyproject.toml"
    for publisher in settings.publishers:
        env = f"@{publisher.environment}" if publisher.environment else ""
        lines.append(f"publisher = {publisher.index} {publisher.owner}/{publisher.repository}/"
                     f"{publisher.workflow}{env}  # {where}")
    rules = all_rules()
    chosen = [rule.code for rule in rules if settings.selects(rule.code, rule.name)]
    lines.append(f"rules ({len(chosen)} of {len(rules)}): {', '.join(chosen) or '(none)'}")
    return "\n".join(lines)


def show(context: Context, given: str, options: dict[str, object]) -> None:
    """Print the settings, each with where it came from, and exit 0 (``--show-settings``)."""
    import sys

    import click

    table = context.get("project").tool("pubdoctor")
    origins = {key: "command line" if value not in (None, ()) else
               "pyproject.toml" if key in table else "default" for key, value in options.items()}
    if options.get("ignore") and "ignore" in table:
        origins["ignore"] = "pyproject.toml and command line"
    click.echo(render(context, given, origins))
    sys.exit(0)
