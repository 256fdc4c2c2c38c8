"""`record`: a `dataclasses.dataclass` whose ``__repr__``, ``__eq__`` and ``__hash__`` are
shared functions rather than code generated for each class.

Why: pubdoctor runs as a pre-commit hook, and a check defines some fifty dataclasses at
start-up. ``dataclass`` writes the source of every method it adds and compiles it with
``exec`` (about 0.2 ms a method on Python 3.10-3.12): a third of a check's own start-up went
into compiling ``__repr__`` and ``__eq__`` methods that a run mostly never calls. Only
``__init__`` (and a frozen class's ``__setattr__``) is still generated.

A record is a real dataclass: `dataclasses.fields`, `dataclasses.replace`, `dataclasses.asdict`
and pydantic's validation of dataclasses read it as they read any other. Its repr, equality
and hash behave as ``dataclass``'s own (the fields with ``repr=True`` / ``compare=True``, in
order; equal only to an instance of the very same class; unhashable unless frozen). A method
of these names written in the class body is kept. ``order=True`` is not offered (it needs
``eq``): use ``dataclass`` for the few classes that sort.
"""

from __future__ import annotations

import reprlib
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any, TypeVar

T = TypeVar("T")

#: the names of a record class's fields that take part in its repr and in its comparisons
_REPR: dict[type, tuple[str, ...]] = {}
_COMPARE: dict[type, tuple[str, ...]] = {}


def _names(cls: type, table: dict[type, tuple[str, ...]], flag: str) -> tuple[str, ...]:
    names = table.get(cls)
    if names is None:
        names = table[cls] = tuple(f.name for f in fields(cls) if getattr(f, flag))
    return names


@reprlib.recursive_repr()
def _repr(self: Any) -> str:
    shown = ", ".join(f"{name}={getattr(self, name)!r}"
                      for name in _names(type(self), _REPR, "repr"))
    return f"{type(self).__qualname__}({shown})"


def _key(self: Any) -> tuple[Any, ...]:
    return tuple(getattr(self, name) for name in _names(type(self), _COMPARE, "compare"))


def _eq(self: Any, other: object) -> bool:
    if other.__class__ is not self.__class__:
        return NotImplemented
    return _key(self) == _key(other)


def _hash(self: Any) -> int:
    return hash(_key(self))


def record(cls: type[T] | None = None, /, *, kw_only: bool = False,
           frozen: bool = False) -> Any:
    """``@record`` / ``@record(kw_only=True, frozen=True)``: see the module's docstring."""

    def wrap(klass: type[T]) -> type[T]:
        own = set(klass.__dict__)
        made: type[T] = dataclass(klass, kw_only=kw_only, frozen=frozen, repr=False, eq=False)
        shared: dict[str, Callable[..., Any] | None] = {"__repr__": _repr, "__eq__": _eq}
        if "__eq__" not in own:
            # as `dataclass`: eq without frozen makes a class unhashable
            shared["__hash__"] = _hash if frozen else None
        for name, function in shared.items():
            if name not in own:
                setattr(made, name, function)
        return made

    return wrap if cls is None else wrap(cls)
