"""The context of one run: the folders found from the given one, the settings (defaults, then
``[tool.pubdoctor]``, then the command line) and the project they were read from.

Below the commands, so that every command (``check``, ``claims``) and the engines that run
rules on a repository (``diagnose``'s cross-check) build it the same way without calling up
into a command's module.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pubdoctor.errors import InputError

if TYPE_CHECKING:
    from pubdoctor.context import Context


def build_context(path: str, **options: object) -> Context:
    """The context of a run on ``path``, with its settings: defaults, then ``[tool.pubdoctor]``,
    then command-line options. pyproject.toml is parsed once, here: the ``project`` source
    is the document the settings were read from.
    """
    from pubdoctor.context import Context
    from pubdoctor.settings import Settings, from_table
    from pubdoctor.sources.pyproject import load_project

    from pubdoctor.roots import discover

    given = Path(path)
    try:
        exists = given.exists()
    except OSError as exc:  # a name too long for the file system
        raise InputError(f"cannot read: {exc.strerror or exc}", path) from None
    if not exists:
        raise InputError("no such directory", path)
    if not given.is_dir():
        raise InputError("not a directory (give the repository's folder)", path)
    roots = discover(given)
    root = _as_given(roots.project, given)
    project = load_project(root)
    values = from_table({k: v for k, v in project.tool("pubdoctor").items()})
    for key in ("select", "ignore"):  # a typo there is the file's, not a command-line option's
        unknown = unknown_selector(values.get(key, []))
        if unknown is not None:
            raise InputError(f"[tool.pubdoctor] {key}: {unknown!r} matches no rule "
                             "(`pubdoctor rule` lists them)", "pyproject.toml")
    for selectors in values.get("per_file_ignores", {}).values():  # per-file-ignores: the same
        unknown = unknown_selector(selectors)
        if unknown is not None:
            raise InputError(f"[tool.pubdoctor] per-file-ignores: {unknown!r} matches no rule "
                             "(`pubdoctor rule` lists them)", "pyproject.toml")
    values["root"] = root
    if roots.workflows != roots.project:
        values["workflows_root"] = _as_given(roots.workflows, given)
    # ``--select`` replaces the file's ``select`` and wins over its ``ignore`` (no less
    # specific); ``--ignore`` adds to the file's ``ignore``
    cli_select = options.pop("select", None) or []
    cli_ignore = options.pop("ignore", None) or []
    if cli_select:
        values["select"] = values["explicit"] = list(cli_select)  # type: ignore[call-overload]
    if cli_ignore:
        values["ignore_cli"] = list(cli_ignore)  # type: ignore[call-overload]
    # ``--publisher`` replaces the declarations of pyproject.toml, and says where they came from
    if not options.get("publishers"):
        options.pop("publisher_source", None)
    for key, value in options.items():
        if value not in (None, (), []):
            values[key] = value
    context = Context(Settings(**values))
    context.roots = roots
    context.provide("project", project)
    return context


def _as_given(found: Path, given: Path) -> Path:
    """A discovered folder written as the user wrote ``given``: itself when it is that folder,
    else relative to the working directory when ``given`` was relative (``..`` from ``src/``),
    so that paths in messages can be opened from where pubdoctor ran."""
    import os

    if found == given.resolve():
        return given
    if given.is_absolute():
        return found
    return Path(os.path.relpath(found))


def unknown_selector(selectors: list[str]) -> str | None:
    """The first selector that matches no rule, if any."""
    if not selectors:
        return None
    from pubdoctor.rules import all_rules
    from pubdoctor.settings import selector_matches

    rules = all_rules()
    for selector in selectors:
        if not any(selector_matches(selector, rule.code, rule.name) for rule in rules):
            return selector
    return None
