"""`record`: a `dataclasses.dataclass` whose ``__repr__``, ``__eq__`` and ``__hash__`` are
shared functions rather than code generated for each class.

Why: pubdoctor runs as a pre-commit hook, and a check defines some fifty dataclasses at
start-up. ``dataclass`` writes the source of every method it adds and compiles it with
``exec`` (about 0.2 ms a method on Python 3.10-3.12): a third of a check's own start-up went
into compiling methods that a run mostly never calls. Only ``__init__`` (and a frozen class's
``__setattr__``) is still generated, by ``dataclass`` itself, and a class that is not frozen
gets it when it is first instantiated: half of the classes a check defines never are. A class
without a docstring is given a short one: `dataclass` would write it from
``inspect.signature``, which tokenizes every annotation (more than all the rest together).

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
from dataclasses import dataclass, field, fields
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


def _first_init(cls: type) -> Callable[..., None]:
    """An ``__init__`` that has `dataclass` make the class's real one on the first call (half
    of the classes a run defines are never instantiated in it), then hands over to it."""

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        real = cls.__dict__["__init__"]
        if real is __init__:
            real = _dataclass_init(cls)
            cls.__init__ = real  # type: ignore[misc]
        real(self, *args, **kwargs)

    __init__.__qualname__ = f"{cls.__qualname__}.__init__"
    return __init__


def _dataclass_init(cls: type) -> Callable[..., None]:
    """The ``__init__`` `dataclass` writes for ``cls``'s fields (made on a class of the same
    fields, defaults and ``__post_init__``: the code is dataclass's own)."""
    namespace: dict[str, Any] = {"__module__": cls.__module__, "__qualname__": cls.__qualname__,
                                 "__doc__": cls.__doc__, "__annotations__": {}}
    for item in fields(cls):
        namespace["__annotations__"][item.name] = item.type
        namespace[item.name] = field(default=item.default, default_factory=item.default_factory,
                                     init=item.init, kw_only=item.kw_only)
    if hasattr(cls, "__post_init__"):
        namespace["__post_init__"] = cls.__post_init__
    shell = dataclass(type(cls.__name__, (), namespace), repr=False, eq=False)
    return shell.__init__  # type: ignore[no-any-return]


def record(cls: type[T] | None = None, /, *, kw_only: bool = False,
           frozen: bool = False) -> Any:
    """``@record`` / ``@record(kw_only=True, frozen=True)``: see the module's docstring."""

    def wrap(klass: type[T]) -> type[T]:
        own = set(klass.__dict__)
        if not klass.__doc__:
            # `dataclass` writes a docstring for a class without one from
            # `inspect.signature`, which tokenizes annotations: the dearest step of all
            klass.__doc__ = f"{klass.__qualname__}: a record."
        # a frozen class's __init__ is made at once: made later, it would bring two more
        # generated methods (the frozen __setattr__ and __delattr__) with it
        made: type[T] = dataclass(klass, kw_only=kw_only, frozen=frozen, repr=False, eq=False,
                                  init=frozen and "__init__" not in own)
        if not frozen and "__init__" not in own:
            made.__init__ = _first_init(made)  # type: ignore[misc]
        shared: dict[str, Callable[..., Any] | None] = {"__repr__": _repr, "__eq__": _eq}
        if "__eq__" not in own:
            # as `dataclass`: eq without frozen makes a class unhashable
            shared["__hash__"] = _hash if frozen else None
        for name, function in shared.items():
            if name not in own:
                setattr(made, name, function)
        return made

    return wrap if cls is None else wrap(cls)
