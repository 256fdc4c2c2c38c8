"""`record`: a `dataclasses.dataclass` whose ``__repr__``, ``__eq__`` and ``__hash__`` are
shared functions rather than code generated for each class.

Why: pubdoctor runs as a pre-commit hook, and a check defines some fifty dataclasses at
start-up. ``dataclass`` writes the source of every method it adds and compiles it with
``exec`` (about 0.2 ms a method on Python 3.10-3.12): a third of a check's own start-up went
into compiling methods that a run mostly never calls. A frozen record's ``__setattr__`` and
``__delattr__`` are shared too. Only ``__init__`` is still generated, from a few lines of
source (`_make_init`, a quarter of the cost of dataclass's generation), when the class is
first instantiated: half of the classes a check defines never are. A class without a
docstring is given a short one: `dataclass` would write it from ``inspect.signature``, which
tokenizes every annotation (more than all the rest together).

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
from dataclasses import MISSING, FrozenInstanceError, dataclass, field, fields
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:  # type checkers read a record as the dataclass it is (PEP 681)
    from typing_extensions import dataclass_transform
else:  # and at run time nothing is imported for it
    def dataclass_transform(**_: Any) -> Callable[[T], T]:
        return lambda decorated: decorated

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


def _first_init(cls: type, frozen: bool) -> Callable[..., None]:
    """An ``__init__`` that makes the class's real one on the first call (half of the classes
    a run defines are never instantiated in it), then hands over to it."""

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        real = cls.__dict__["__init__"]
        if real is __init__:
            real = _make_init(cls, frozen)
            cls.__init__ = real  # type: ignore[misc]
        real(self, *args, **kwargs)

    __init__.__qualname__ = f"{cls.__qualname__}.__init__"
    return __init__


def _make_init(cls: type, frozen: bool) -> Callable[..., None]:
    """The ``__init__`` `dataclass` would write for ``cls``'s fields, compiled from a few lines.

    The same parameters (in field order, keyword-only ones after ``*``), defaults, default
    factories (a field with ``init=False`` gets its default too), ``__post_init__`` call, and
    a frozen class's ``object.__setattr__``; without dataclass's own generation, which costs
    four times the compilation of the function itself."""
    names: dict[str, Any] = {"__object_setattr": object.__setattr__, "__factory": _FACTORY}
    positional: list[str] = []
    keyword: list[str] = []
    body: list[str] = []
    for item in fields(cls):
        if item.default is not MISSING:
            names[f"__default_{item.name}"] = item.default
            default, value = f"__default_{item.name}", item.name
        elif item.default_factory is not MISSING:
            names[f"__make_{item.name}"] = item.default_factory
            default = "__factory"
            value = f"__make_{item.name}() if {item.name} is __factory else {item.name}"
        else:
            default, value = "", item.name
        if item.init:
            parameter = f"{item.name}={default}" if default else item.name
            (keyword if item.kw_only else positional).append(parameter)
        elif default:
            value = (f"__default_{item.name}" if item.default is not MISSING
                     else f"__make_{item.name}()")
        else:
            continue  # no init and no default: dataclass leaves the attribute unset too
        body.append(f"    __object_setattr(self, {item.name!r}, {value})" if frozen
                    else f"    self.{item.name} = {value}")
    if hasattr(cls, "__post_init__"):
        body.append("    self.__post_init__()")
    parameters = ", ".join(["self", *positional, *(["*", *keyword] if keyword else [])])
    source = f"def __init__({parameters}):\n" + ("\n".join(body) or "    pass") + "\n"
    exec(compile(source, f"<record {cls.__qualname__}>", "exec"), names)  # noqa: S102 - our own source
    init: Callable[..., None] = names["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return init


#: the default of a parameter whose field has a default factory ("not given")
_FACTORY = type("_Factory", (), {"__repr__": lambda self: "<factory>"})()


def _frozen_setattr(self: Any, name: str, value: Any) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self: Any, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")


@dataclass_transform(kw_only_default=False, frozen_default=False, field_specifiers=(field,))
def record(cls: type[T] | None = None, /, *, kw_only: bool = False,
           frozen: bool = False) -> Any:
    """``@record`` / ``@record(kw_only=True, frozen=True)``: see the module's docstring."""

    def wrap(klass: type[T]) -> type[T]:
        own = set(klass.__dict__)
        if not klass.__doc__:
            # `dataclass` writes a docstring for a class without one from
            # `inspect.signature`, which tokenizes annotations: the dearest step of all
            klass.__doc__ = f"{klass.__qualname__}: a record."
        made: type[T] = dataclass(klass, kw_only=kw_only, repr=False, eq=False, init=False)
        if "__init__" not in own:
            made.__init__ = _first_init(made, frozen)  # type: ignore[method-assign]
        shared: dict[str, Callable[..., Any] | None] = {"__repr__": _repr, "__eq__": _eq}
        if frozen:
            shared.update(__setattr__=_frozen_setattr, __delattr__=_frozen_delattr)
        if "__eq__" not in own:
            # as `dataclass`: eq without frozen makes a class unhashable
            shared["__hash__"] = _hash if frozen else None
        for name, function in shared.items():
            if name not in own:
                setattr(made, name, function)
        return made

    return wrap if cls is None else wrap(cls)
