"""The commit types each release tool reads, and the types a project configured.

Shared by the release-tool source (PD301/PD302) and the commit-msg hook, so that both agree
on what a project allows. Standard library only, and only ``typing``-free code: the hook
imports it on every commit.
"""

from __future__ import annotations

# python-semantic-release, ConventionalCommitParserOptions (v8 to v10; the same in v7's
# ``parser_angular_*`` defaults).
PSR_MINOR = ("feat",)
PSR_PATCH = ("fix", "perf")
PSR_ALLOWED = ("feat", "fix", "perf", "build", "chore", "ci", "docs", "style", "refactor", "test")

# commitizen's cz_conventional_commits rule.
CZ_TYPES = ("build", "ci", "docs", "feat", "fix", "perf", "refactor", "style", "test", "chore",
            "revert", "bump")


def strings(value: object, default: tuple[str, ...]) -> tuple[str, ...]:
    """A list of strings, or v7's comma-separated string, else ``default``."""
    if isinstance(value, str):
        parts = tuple(p.strip() for p in value.split(",") if p.strip())
        return parts or default
    if isinstance(value, (list, tuple)):
        return tuple(str(v) for v in value if isinstance(v, (str, int)))
    return default


def psr_allowed(table: dict) -> tuple[str, ...]:
    options = table.get("commit_parser_options")
    options = options if isinstance(options, dict) else {}
    return strings(options.get("allowed_tags", table.get("parser_angular_allowed_types")), PSR_ALLOWED)


def configured_types(data: dict) -> tuple[tuple[str, ...] | None, str]:
    """The types a parsed pyproject.toml allows and where from; None when any type goes.

    ``[tool.pubdoctor] commit-types`` first, then python-semantic-release's allowed tags
    (its conventional/angular parser), then commitizen's conventional types.
    """
    tool = data.get("tool")
    tool = tool if isinstance(tool, dict) else {}
    own = tool.get("pubdoctor")
    if isinstance(own, dict) and isinstance(own.get("commit-types"), list):
        return tuple(str(t) for t in own["commit-types"]), "[tool.pubdoctor] commit-types"
    psr = tool.get("semantic_release")
    if isinstance(psr, dict) and str(psr.get("commit_parser", "conventional")) in (
            "conventional", "angular", "semantic_release.history.angular_parser"):
        return psr_allowed(psr), "[tool.semantic_release] (python-semantic-release)"
    cz = tool.get("commitizen")
    if isinstance(cz, dict) and cz.get("name", "cz_conventional_commits") == "cz_conventional_commits":
        return CZ_TYPES, "[tool.commitizen] (commitizen)"
    return None, ""
