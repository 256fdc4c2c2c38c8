"""Dependencies point one way: commands over engines over sources.

Read from the sources' import statements (function-level ones included: a lazy import is
still a dependency), so a new import that calls up into ``commands/`` or closes a circle
between the settings and the sources fails here rather than in a review.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "pubdoctor"


def module_of(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> Iterator[str]:
    """Every pubdoctor module ``path`` imports, at any depth of the file."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module.startswith("pubdoctor"):
                yield node.module
        elif isinstance(node, ast.Import):
            yield from (a.name for a in node.names if a.name.startswith("pubdoctor"))


GRAPH = {module_of(path): set(imports(path)) for path in SRC.rglob("*.py")}


def reachable(start: str) -> set[str]:
    seen: set[str] = set()
    todo = [start]
    while todo:
        for target in GRAPH.get(todo.pop(), ()):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def test_nothing_below_the_commands_imports_them() -> None:
    upward = {module: sorted(t for t in targets if t.startswith("pubdoctor.commands"))
              for module, targets in GRAPH.items()
              if not module.startswith(("pubdoctor.commands", "pubdoctor.cli", "pubdoctor.__main__"))}
    assert {m: t for m, t in upward.items() if t} == {}


def test_the_settings_and_the_index_source_are_no_circle() -> None:
    from_settings = reachable("pubdoctor.settings")
    assert not {m for m in from_settings if m.startswith("pubdoctor.sources")}
    assert "pubdoctor.context" not in from_settings
    assert "pubdoctor.indexurl" in from_settings
    assert "pubdoctor.settings" not in reachable("pubdoctor.indexurl")


def test_one_home_for_build_context() -> None:
    homes = [module for module, path in ((module_of(p), p) for p in SRC.rglob("*.py"))
             if "def build_context(" in path.read_text(encoding="utf-8")]
    assert homes == ["pubdoctor.runcontext"]
    assert not any(t.startswith("pubdoctor.commands") for t in reachable("pubdoctor.runcontext"))
