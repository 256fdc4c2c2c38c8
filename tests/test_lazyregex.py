"""`lazy_compile` behaves as `re.compile`, and compiles nothing until it is used."""

from __future__ import annotations

import re

import pytest

from pubdoctor.lazyregex import LazyPattern, lazy_compile


def test_nothing_is_compiled_before_the_first_use(monkeypatch: pytest.MonkeyPatch) -> None:
    compiled: list[str] = []
    real = re.compile
    monkeypatch.setattr(re, "compile", lambda source, flags=0: compiled.append(source) or real(source, flags))
    pattern = lazy_compile(r"(?P<word>\w+)-(\d+)")
    assert compiled == []
    assert pattern.search("x abc-12").group("word") == "abc"
    assert pattern.match("abc-1")
    assert compiled == [r"(?P<word>\w+)-(\d+)"]  # once


@pytest.mark.parametrize("flags", [0, re.IGNORECASE | re.MULTILINE])
def test_every_method_answers_as_the_compiled_pattern(flags: int) -> None:
    source = r"^(a)(b)?|X"
    lazy, real = lazy_compile(source, flags), re.compile(source, flags)
    text = "ab\nA\nxx"
    assert lazy.pattern == real.pattern and lazy.flags == real.flags
    assert lazy.groups == real.groups and lazy.groupindex == real.groupindex
    for method in ("search", "match", "fullmatch"):
        ours, theirs = getattr(lazy, method)(text), getattr(real, method)(text)
        assert (ours and ours.span()) == (theirs and theirs.span())
    assert lazy.search(text, 1) is real.search(text, 1) is None or \
        lazy.search(text, 1).span() == real.search(text, 1).span()
    assert [m.span() for m in lazy.finditer(text)] == [m.span() for m in real.finditer(text)]
    assert lazy.findall(text) == real.findall(text)
    assert lazy.split(text, 1) == real.split(text, 1)
    assert lazy.sub("-", text) == real.sub("-", text)
    assert lazy.sub(lambda m: m.group(0).upper(), text, 1) == real.sub(lambda m: m.group(0).upper(), text, 1)
    assert lazy.subn("-", text) == real.subn("-", text)
    assert lazy.compiled is lazy.compiled and lazy.compiled.pattern == source


def test_a_bad_pattern_fails_when_used() -> None:
    pattern = lazy_compile("(unclosed")
    assert isinstance(pattern, LazyPattern)
    with pytest.raises(re.error):
        pattern.search("x")


def test_module_level_patterns_are_lazy() -> None:
    """No module of pubdoctor but diagnose's scanner compiles a pattern when it is imported
    (its patterns are used by every diagnosis)."""
    import ast
    from pathlib import Path

    source = Path(__file__).resolve().parents[1] / "src" / "pubdoctor"
    eager = []
    for path in source.rglob("*.py"):
        if "diagnose" in path.parts:
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            value = getattr(node, "value", None)
            if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) \
                    and value.func.attr == "compile" and getattr(value.func.value, "id", "") == "re":
                eager.append(f"{path.relative_to(source)}:{node.lineno}")
    assert eager == []
