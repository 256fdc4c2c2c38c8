"""Run settings: command-line options over ``[tool.pubdoctor]`` over defaults.

Keys in ``[tool.pubdoctor]`` use the option names with dashes (``select``, ``ignore``,
``fail-on``, ``severity``, ``offline``, ``timeout``, ``index-url``, ``remote``), and the
``publisher`` table(s). Every run reads them, so they are checked by the small typed table of
keys below rather than by a pydantic model, whose machinery would cost more start-up than the
whole check (the test suite still validates `Settings` with pydantic: `pubdoctor.validation`).
An unknown key or a wrong type is an `InputError` naming the key: exit 2, one line.
"""

from __future__ import annotations

import math
from dataclasses import field
from pathlib import Path
from typing import Any, Literal, Optional

from pubdoctor.errors import InputError
from pubdoctor.findings import Severity
from pubdoctor.records import record


PYPI = "https://pypi.org"
TESTPYPI = "https://test.pypi.org"
#: the longest wait for the package index, in seconds
MAX_TIMEOUT = 600.0


@record(kw_only=True)
class Publisher:
    """A trusted publisher as registered on the index (``[tool.pubdoctor.publisher]``).

    No index shows its registrations to tools, so the user declares what they registered and
    the PD2xx rules compare it with what the workflows will present.
    """

    owner: str
    repository: str
    workflow: str
    environment: str | None = None
    index: str = PYPI
    project: str | None = None


@record(kw_only=True)
class Settings:
    """Everything a run depends on besides the repository itself."""

    #: the project's folder (its pyproject.toml), found from the given one (`pubdoctor.roots`)
    root: Path = Path(".")
    #: the folder whose .github/workflows are read, when not ``root`` (a monorepo's top)
    workflows_root: Optional[Path] = None
    #: the rules to run: ``--select``'s, else the file's ``select`` (empty: every rule)
    select: list[str] = field(default_factory=list)
    #: the file's ``ignore``: a ``--select`` at least as specific wins over it
    ignore: list[str] = field(default_factory=list)
    #: ``--select``'s selectors, which run a rule the file ignores (the command line wins)
    explicit: list[str] = field(default_factory=list)
    #: ``--ignore``'s selectors, added to the file's and beaten by nothing
    ignore_cli: list[str] = field(default_factory=list)
    severity: Severity = Severity.INFO
    fail_on: Severity = Severity.ERROR
    offline: bool = False
    #: seconds; a socket refuses NaN and negative values, and overflows on huge ones
    timeout: float = 5.0
    index_url: str | None = None
    remote: str = "origin"
    publishers: list[Publisher] = field(default_factory=list)
    #: where ``publishers`` come from: pyproject.toml, or ``--publisher`` (which replaces them)
    publisher_source: Literal["pyproject", "cli"] = "pyproject"
    #: ``per-file-ignores``: glob of repository paths -> rule codes, names or prefixes
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # the command line gives severities as their names and the folder as a string
        self.severity = Severity(self.severity)
        self.fail_on = Severity(self.fail_on)
        self.root = Path(self.root)

    def selects(self, code: str, name: str) -> bool:
        """Whether a rule is selected: by exact code, exact name or code prefix (``PD1``).

        As in ruff, the command line wins over the file, and the more specific selector wins
        between a file's ``ignore`` and ``--select``: ``--select PD105`` runs PD105 although
        the file ignores it, ``--select PD1`` keeps a file's ``ignore = ["PD105"]``.
        """
        if self.select and not any(selector_matches(s, code, name) for s in self.select):
            return False
        if any(selector_matches(s, code, name) for s in self.ignore_cli):
            return False
        ignored = [specificity(s) for s in self.ignore if selector_matches(s, code, name)]
        if not ignored:
            return True
        forced = [specificity(s) for s in self.explicit if selector_matches(s, code, name)]
        return bool(forced) and max(forced) >= max(ignored)

    def explicitly_selected(self, code: str, name: str) -> bool:
        """Whether ``--select`` names this rule itself (by code or name, not by a prefix)."""
        return any(specificity(s) == EXACT and selector_matches(s, code, name)
                   for s in self.explicit)


#: the specificity of a selector naming one rule (a prefix's is its length: PD1 < PD10)
EXACT = 100


def specificity(selector: str) -> int:
    """How precisely a selector names rules: a code or a name beats any prefix."""
    selector = selector.strip()
    if selector.upper().startswith("PD") and len(selector) < 5:
        return len(selector)
    return EXACT


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
        which = f" #{number}" if len(tables) > 1 else ""
        if not isinstance(table, dict):
            raise InputError(f"[tool.pubdoctor.publisher]{which} must be a table (or an array of "
                             f"tables), not {_toml_type(table)}", path)
        unknown = sorted(set(table) - set(_PUBLISHER_KEYS))
        if unknown:
            raise InputError(f"[tool.pubdoctor.publisher]{which}: unknown key {unknown[0]!r} "
                             f"(known: {', '.join(_PUBLISHER_KEYS)})", path)
        values: dict[str, Any] = {}
        for key, required in _PUBLISHER_KEYS.items():
            if key not in table:
                if required:
                    raise InputError(f"[tool.pubdoctor.publisher]{which}: {key}: missing (owner, "
                                     "repository and workflow are required)", path)
                continue
            if not isinstance(table[key], str):
                raise InputError(f"[tool.pubdoctor.publisher]{which}: {key}: must be a string, "
                                 f"not {_toml_type(table[key])}", path)
            values[key] = table[key]
        publishers.append(Publisher(**values))
    return publishers


#: the keys of a publisher declaration, and whether each is required
_PUBLISHER_KEYS = {"owner": True, "repository": True, "workflow": True, "environment": False,
                   "index": False, "project": False}


def _toml_type(value: object) -> str:
    """How TOML calls a value's type, for an error message."""
    names = {bool: "a boolean", int: "an integer", float: "a float", str: "a string",
             list: "an array", dict: "a table"}
    return next((name for kind, name in names.items() if isinstance(value, kind)), "a date or time")


def _severity(key: str, value: object) -> Severity:
    if isinstance(value, str) and value.lower() in {s.value for s in Severity}:
        return Severity(value.lower())
    got = repr(value) if isinstance(value, (str, int, float)) else _toml_type(value)
    raise ValueError(f"must be one of 'info', 'warning', 'error' (a string), not {got}")


def _selectors(key: str, value: object) -> list[str]:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    raise ValueError("must be an array of rule codes, names or prefixes (strings), not "
                     + ("an array with something other than a string" if isinstance(value, list)
                        else _toml_type(value)))


def _flag(key: str, value: object) -> bool:
    if isinstance(value, bool):
        return value
    raise ValueError(f"must be true or false, not {_toml_type(value)}")


def _seconds(key: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"must be a number of seconds, not {_toml_type(value)}")
    if not (math.isfinite(value) and 0 < value <= MAX_TIMEOUT):
        raise ValueError(f"must be more than 0 and at most {MAX_TIMEOUT:g} seconds, not {value!r}")
    return float(value)


def _text(key: str, value: object) -> str:
    if isinstance(value, str):
        return value
    raise ValueError(f"must be a string, not {_toml_type(value)}")


def _url(key: str, value: object) -> str:
    """An index URL is checked here, so that a refused one names pyproject.toml."""
    from pubdoctor.indexurl import REFUSED, is_allowed_url

    text = _text(key, value)
    if not is_allowed_url(text):
        raise ValueError(f"{text!r}: {REFUSED}")
    return text.strip()


#: ``[tool.pubdoctor]`` key -> (`Settings` field, how its value is checked)
_SETTING_KEYS = {
    "select": ("select", _selectors),
    "ignore": ("ignore", _selectors),
    "severity": ("severity", _severity),
    "fail-on": ("fail_on", _severity),
    "offline": ("offline", _flag),
    "timeout": ("timeout", _seconds),
    "index-url": ("index_url", _url),
    "remote": ("remote", _text),
}


def _per_file_ignores(key: str, value: object) -> dict[str, list[str]]:
    """``per-file-ignores = {".github/workflows/docs.yml" = ["PD102"]}``: glob -> selectors."""
    if not isinstance(value, dict):
        raise ValueError(f"must be a table of path globs to arrays of rules, not {_toml_type(value)}")
    return {str(glob): _selectors(key, selectors) for glob, selectors in value.items()}


_SETTING_KEYS["per-file-ignores"] = ("per_file_ignores", _per_file_ignores)


def _commit_types(key: str, value: object) -> list[str]:
    """Read by the commit-msg hook; checked here so that a check run catches a wrong one."""
    if isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value):
        return list(value)
    kind = "an array with something other than a non-empty string" if isinstance(value, list) \
        else _toml_type(value)
    return _wrong("an array of commit types (strings such as \"feat\")", kind)


def _wrong(expected: str, got: str) -> Any:
    raise ValueError(f"must be {expected}, not {got}")


#: keys read by other parts of pubdoctor, checked here too: key -> validator
_OTHER_KEYS = {"commit-types": _commit_types}
#: every key ``[tool.pubdoctor]`` may hold
KNOWN_KEYS = (*_SETTING_KEYS, "publisher", *_OTHER_KEYS)


def from_table(table: dict[str, Any], path: str = "pyproject.toml") -> dict[str, Any]:
    """Validate ``[tool.pubdoctor]`` into keyword arguments for `Settings`.

    Every key must be known, whatever its value (a misspelt array or table is as much a typo
    as a misspelt string), and of the type its reader expects: ``publisher`` (a table or an
    array of tables), ``commit-types`` (the commit-msg hook's), and the settings.
    """
    result: dict[str, Any] = {}
    for key, value in table.items():
        if key not in KNOWN_KEYS:
            raise InputError(f"[tool.pubdoctor]: unknown setting {key!r}{_did_you_mean(key)} "
                             f"(known: {', '.join(KNOWN_KEYS)})", path)
        if key == "publisher":
            continue
        try:
            if key in _OTHER_KEYS:
                _OTHER_KEYS[key](key, value)
                continue
            name, validate = _SETTING_KEYS[key]
            result[name] = validate(key, value)
        except ValueError as exc:
            raise InputError(f"[tool.pubdoctor]: {key}: {exc}", path) from None
    if "publisher" in table:
        result["publishers"] = publishers_from_table(table["publisher"], path)
    return result


def _did_you_mean(key: str) -> str:
    import difflib

    close = difflib.get_close_matches(key.lower(), KNOWN_KEYS, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""
