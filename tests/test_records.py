"""`record` behaves as `dataclass` does: the same repr, equality and hash, read as a dataclass
by `dataclasses` and by pydantic; only the way its methods are made differs."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import pydantic
import pytest

from pubdoctor.records import record


def _pair(**options):
    """The same class body, made by `dataclass` and by `record`."""

    def body(decorate, extra):
        @decorate(**options, **extra)
        class Point:
            x: int
            y: int = 0
            tags: tuple[str, ...] = ()
            cache: dict[str, int] = field(default_factory=dict, repr=False, compare=False)

        return Point

    return body(dataclass, {}), body(record, {})


@pytest.mark.parametrize("options", [{}, {"kw_only": True}, {"frozen": True},
                                     {"frozen": True, "kw_only": True}])
def test_same_behaviour_as_dataclass(options) -> None:
    made_by_dataclass, made_by_record = _pair(**options)
    for cls in (made_by_dataclass, made_by_record):
        a = cls(x=1, y=2, tags=("t",), cache={"k": 1})
        b = cls(x=1, y=2, tags=("t",), cache={"other": 2})
        c = cls(x=1, y=3)
        assert a == b and a != c  # `cache` is not compared
        assert a != (1, 2, ["t"])
        assert dataclasses.is_dataclass(a)
        assert [f.name for f in dataclasses.fields(cls)] == ["x", "y", "tags", "cache"]
        assert dataclasses.replace(a, y=5).y == 5
        assert dataclasses.asdict(a) == {"x": 1, "y": 2, "tags": ("t",), "cache": {"k": 1}}
    ours = made_by_record(x=1, y=2, tags=("t",))
    theirs = made_by_dataclass(x=1, y=2, tags=("t",))
    assert repr(ours).split("(", 1)[1] == repr(theirs).split("(", 1)[1] == "x=1, y=2, tags=('t',))"
    if options.get("frozen"):
        assert hash(made_by_record(x=1)) == hash(made_by_record(x=1, cache={"k": 2}))
        assert hash(made_by_record(x=1, tags=("t",))) == hash(made_by_dataclass(x=1, tags=("t",)))
        with pytest.raises(dataclasses.FrozenInstanceError):
            ours.x = 2  # type: ignore[misc]
    else:
        with pytest.raises(TypeError):
            hash(ours)


def test_another_class_with_the_same_fields_is_not_equal() -> None:
    @record
    class A:
        x: int

    @record
    class B:
        x: int

    assert A(1) != B(1)
    assert A(1) == A(1)


def test_methods_written_in_the_class_are_kept() -> None:
    @record(frozen=True)
    class Named:
        name: str

        def __repr__(self) -> str:
            return f"<{self.name}>"

        def __eq__(self, other: object) -> bool:
            return isinstance(other, Named) and other.name.lower() == self.name.lower()

        def __hash__(self) -> int:
            return hash(self.name.lower())

    assert repr(Named("A")) == "<A>"
    assert Named("A") == Named("a") and hash(Named("A")) == hash(Named("a"))


def test_a_recursive_repr_does_not_loop() -> None:
    @record
    class Node:
        children: list[object] = field(default_factory=list)

    node = Node()
    node.children.append(node)
    assert repr(node).endswith("(children=[...])")


def test_pydantic_validates_a_record() -> None:
    @record(kw_only=True)
    class Item:
        name: str
        count: int = 0

    adapter = pydantic.TypeAdapter(Item)
    adapter.validate_python(Item(name="x", count=1))
    with pytest.raises(pydantic.ValidationError):
        adapter.validate_python({"name": "x", "count": "many"})


@pytest.mark.parametrize("frozen", [False, True])
def test_init_behaves_as_dataclass_s(frozen: bool) -> None:
    """A record gets an __init__ as dataclass writes it when it is first made: the same
    defaults, factories, keyword-only fields, __post_init__ and errors, frozen or not."""

    def body(decorate):
        @decorate(kw_only=True, frozen=frozen)
        class Base:
            name: str
            items: list[str] = field(default_factory=list)
            seen: int = field(default=0, init=False)
            made: list[str] = field(default_factory=list, init=False)

            def __post_init__(self) -> None:
                object.__setattr__(self, "seen", len(self.items))

        @decorate(frozen=frozen)
        class Child(Base):
            extra: int = 1

        return Base, Child

    for Base, Child in (body(dataclass), body(record)):
        assert Base(name="m").made == [] and Base(name="m").made is not Base(name="m").made
        if frozen:
            with pytest.raises(dataclasses.FrozenInstanceError):
                del Base(name="d").name
        made = Child(name="x", items=["a", "b"], extra=3)
        assert (made.name, made.items, made.seen, made.extra) == ("x", ["a", "b"], 2, 3)
        assert Base(name="y").items == [] and Base(name="y").items is not Base(name="y").items
        assert Child(2, name="z").extra == 2  # Child's own field is positional
        with pytest.raises(TypeError):
            Base("positional")  # keyword-only
        with pytest.raises(TypeError):
            Base()  # `name` is required
        with pytest.raises(TypeError):
            Base(name="x", seen=3)  # not an __init__ field
        assert dataclasses.replace(made, extra=5).extra == 5


@pytest.mark.parametrize("frozen", [False, True])
def test_no_signature_is_computed_for_a_docstring(monkeypatch: pytest.MonkeyPatch,
                                                  frozen: bool) -> None:
    """`dataclass` gives a class without a docstring one made by `inspect.signature` (which
    tokenizes the annotations: the dearest part of defining a class); a record never asks."""
    import inspect

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("inspect.signature was called")

    monkeypatch.setattr(inspect, "signature", refuse)

    @record(frozen=frozen)
    class Point:
        x: int
        y: int = 0

    assert Point(1) == Point(1, 0)  # the __init__ made on first use asks nothing either
    assert Point.__doc__


def test_a_docstring_written_in_the_class_is_kept() -> None:
    @record
    class Point:
        """Where a finding is."""

        x: int

    assert Point.__doc__ == "Where a finding is."
