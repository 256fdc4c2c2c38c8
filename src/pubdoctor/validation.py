"""pydantic checks the records against their annotations: in the tests, and on request.

The records pubdoctor builds itself (settings, workflows, jobs, steps, claims, history,
findings...) are dataclasses, because an offline run must start fast: a pydantic model costs
about 65 ms of start-up before the first one is built, more than the whole check. A dataclass
checks nothing when it is built, though, so a YAML integer could slip into a ``str`` field
and surface later as a confusing error. With ``PUBDOCTOR_VALIDATE=1`` in the environment,
every source a run loads, the settings and the report are validated by pydantic in strict
mode against the annotations they declare; a record that does not hold what its annotations
say raises `pydantic.ValidationError` naming the field. The test suite runs with it on
(tests/conftest.py), so every test checks every record it makes.
"""

from __future__ import annotations

import dataclasses
import os
import sys
from typing import Any

ENV = "PUBDOCTOR_VALIDATE"


def enabled() -> bool:
    """Whether ``PUBDOCTOR_VALIDATE`` asks for validation (any value but empty or ``0``)."""
    return os.environ.get(ENV, "") not in ("", "0")


def validate(value: Any) -> None:
    """Check a record, or each record of a list, against its annotations (strict mode).

    Values that are not records (the git helper, a plain list of strings) pass unchecked.
    """
    for item in value if isinstance(value, list) else [value]:
        if _is_record(type(item)):
            _adapter(type(item)).validate_python(item)


def _is_record(cls: type) -> bool:
    return cls.__module__.startswith("pubdoctor.") and (
        dataclasses.is_dataclass(cls) or (issubclass(cls, tuple) and hasattr(cls, "_fields")))


#: one pydantic TypeAdapter per record class, built on first use
_ADAPTERS: dict[type, Any] = {}


def _adapter(cls: type) -> Any:
    if cls in _ADAPTERS:
        return _ADAPTERS[cls]
    from pydantic import ConfigDict, TypeAdapter

    config = ConfigDict(strict=True, revalidate_instances="always", arbitrary_types_allowed=True)
    # a record's fields may hold records of other modules: configure every one loaded so far
    for module in [m for name, m in list(sys.modules.items()) if name.startswith("pubdoctor.")]:
        for record in vars(module).values():
            if isinstance(record, type) and dataclasses.is_dataclass(record) \
                    and record.__module__ == module.__name__:
                record.__pydantic_config__ = config  # type: ignore[attr-defined]
    _ADAPTERS[cls] = TypeAdapter(cls)
    return _ADAPTERS[cls]
