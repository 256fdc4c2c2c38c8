"""Run settings: command-line options over ``[tool.pubdoctor]`` over defaults.

Keys in ``[tool.pubdoctor]`` use the option names with dashes (``select``, ``ignore``,
``fail-on``, ``severity``, ``offline``, ``timeout``, ``index-url``, ``remote``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pubdoctor.errors import InputError
from pubdoctor.findings import Severity


PYPI = "https://pypi.org"
TESTPYPI = "https://test.pypi.org"
#: the longest wait for the package index, in seconds
MAX_TIMEOUT = 600.0


class Publisher(BaseModel):
    """A trusted publisher as registered on the index (``[tool.pubdoctor.publisher]``).

    No index shows its registrations to tools, so the user declares what they registered and
    the PD2xx rules compare it with what the workflows will present.
    """

    model_config = ConfigDict(extra="forbid")

    owner: str
    repository: str
    workflow: str
    environment: str | None = None
    index: str = PYPI
    project: str | None = None


class Settings(BaseModel):
    """Everything a run depends on besides the repository itself."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    root: Path = Path(".")
    select: list[str] = Field(default_factory=list)
    ignore: list[str] = Field(default_factory=list)
    severity: Severity = Severity.INFO
    fail_on: Severity = Field(Severity.ERROR, alias="fail-on")
    offline: bool = False
    #: seconds; a socket refuses NaN and negative values, and overflows on huge ones
    timeout: float = Field(5.0, gt=0, le=MAX_TIMEOUT, allow_inf_nan=False)
    index_url: str | None = Field(None, alias="index-url")
    remote: str = "origin"
    publishers: list[Publisher] = Field(default_factory=list)
    #: where ``publishers`` come from: pyproject.toml, or ``--publisher`` (which replaces them)
    publisher_source: Literal["pyproject", "cli"] = "pyproject"

    def selects(self, code: str, name: str) -> bool:
        """Whether a rule is selected: by exact code, exact name or code prefix (``PD1``)."""

        if self.select and not any(selector_matches(s, code, name) for s in self.select):
            return False
        return not any(selector_matches(s, code, name) for s in self.ignore)


def selector_matches(selector: str, code: str, name: str) -> bool:
    """A ``--select``/``--ignore`` value matches a rule by code, name or code prefix (``PD1``)."""
    selector = selector.strip()
    return selector in (code, name) or (selector.upper().startswith("PD") and code.startswith(selector.upper()))


def publishers_from_table(value: object, path: str = "pyproject.toml") -> list[Publisher]:
    """``[tool.pubdoctor.publisher]`` (one table) or ``[[tool.pubdoctor.publisher]]`` (several)."""
    if value is None:
        return []
    tables = value if isinstance(value, list) else [value]
    publishers = []
    for number, table in enumerate(tables, start=1):
        if not isinstance(table, dict):
            raise InputError("[tool.pubdoctor.publisher] must be a table", path)
        try:
            publishers.append(Publisher.model_validate(table))
        except ValidationError as exc:
            error = exc.errors()[0]
            where = ".".join(str(p) for p in error["loc"])
            which = f" #{number}" if len(tables) > 1 else ""
            raise InputError(f"[tool.pubdoctor.publisher]{which}: {where}: {error['msg']}", path) from None
    return publishers


def from_table(table: dict[str, Any], path: str = "pyproject.toml") -> dict[str, Any]:
    """Validate ``[tool.pubdoctor]`` (without sub-tables) into keyword arguments for `Settings`."""
    known = {"select", "ignore", "severity", "fail-on", "offline", "timeout", "index-url", "remote"}
    values = {k: v for k, v in table.items() if not isinstance(v, (dict, list)) or k in ("select", "ignore")}
    unknown = sorted(set(values) - known)
    if unknown:
        raise InputError(f"[tool.pubdoctor]: unknown setting {unknown[0]!r}", path)
    try:
        validated = Settings.model_validate(values)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(p) for p in error["loc"])
        raise InputError(f"[tool.pubdoctor]: {where}: {error['msg']}", path) from None
    result = {name: getattr(validated, name) for name, field in Settings.model_fields.items()
              if (field.alias or name) in values}
    if "publisher" in table:
        result["publishers"] = publishers_from_table(table["publisher"], path)
    return result
