"""GitHub Actions ``if:`` expressions, evaluated with what is known before the run.

Rules about triggers ask questions such as "can this publish step run on a ``pull_request``
event?" or "can this job run at all?". The answer depends on the ``if:`` of the job and the
step, so this module parses GitHub's expression language (``&&``, ``||``, ``!``, ``==``,
``!=``, ``startsWith``, ``contains``...) and evaluates it against a `Scenario`: what the
event fixes in advance (``github.event_name``, the shape of ``github.ref``...). Everything
else (step outputs, inputs, variables) is `UNKNOWN`, and the three-valued logic keeps it so:
a condition is only ever decided when the known parts decide it.

The evaluator never raises: an expression it cannot parse is `UNKNOWN` as a whole.
"""

from __future__ import annotations

import re
from typing import Any, Union

from pubdoctor.lazyregex import lazy_compile


class _Unknown:
    """A value that cannot be known before the run."""

    _instance: _Unknown | None = None

    def __new__(cls) -> _Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Any = _Unknown()


class _PartlyKnown:
    __slots__ = ("prefix",)

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.prefix!r})"


class Prefix(_PartlyKnown):
    """A string known to start with ``prefix`` (``github.ref`` of a tag push: ``refs/tags/``)."""

    __slots__ = ()


class NotPrefix(_PartlyKnown):
    """A string known not to start with ``prefix`` (short names: ``github.ref_name``...)."""

    __slots__ = ()


Value = Union[str, bool, float, None, Prefix, NotPrefix, _Unknown]


class Scenario:
    """What one kind of event fixes: exact values by lower-case context path.

    A path mapped to ``None`` is null, and so is every property below it (GitHub returns
    null for a property of null). ``repository_is_self`` makes comparisons of
    ``github.repository`` / ``github.repository_owner`` with a literal true: pubdoctor checks
    the repository the workflow lives in, where such guards hold.

    (Plain classes rather than dataclasses here: creating a dataclass compiles code at
    import time, and start-up counts.)
    """

    def __init__(self, event: str, values: dict[str, Value] | None = None,
                 repository_is_self: bool = True) -> None:
        self.event = event
        self.values: dict[str, Value] = values or {}
        self.repository_is_self = repository_is_self

    def lookup(self, path: str) -> Value:
        if path in self.values:
            return self.values[path]
        parts = path.split(".")
        for end in range(len(parts) - 1, 0, -1):
            head = ".".join(parts[:end])
            if head in self.values and self.values[head] is None:
                return None
        return UNKNOWN


_SHORT_NAME = NotPrefix("refs/")


def _ref_for_filters(config: Any) -> tuple[Value, Value]:
    """``github.ref`` and ``github.ref_type`` of a ``push`` with these filters."""
    if not isinstance(config, dict):
        return Prefix("refs/"), UNKNOWN
    has_tags = "tags" in config or "tags-ignore" in config
    has_branches = "branches" in config or "branches-ignore" in config
    if has_tags and not has_branches:
        return Prefix("refs/tags/"), "tag"
    if has_branches and not has_tags:
        return Prefix("refs/heads/"), "branch"
    return Prefix("refs/"), UNKNOWN


def scenario_for(event: str, config: Any = None) -> Scenario:
    """The scenario of ``event`` as configured under ``on:`` (``config`` is its value)."""
    values: dict[str, Value] = {"github.event_name": event}
    short = {"github.ref_name": _SHORT_NAME, "github.event.release.tag_name": _SHORT_NAME,
             "github.event.workflow_run.head_branch": _SHORT_NAME,
             "github.head_ref": _SHORT_NAME, "github.base_ref": _SHORT_NAME}
    values.update(short)
    if event == "push":
        ref, ref_type = _ref_for_filters(config)
        values.update({"github.ref": ref, "github.event.ref": ref, "github.ref_type": ref_type,
                       "github.event.action": None, "github.event.release": None,
                       "github.event.pull_request": None, "github.event.workflow_run": None,
                       "github.head_ref": "", "github.base_ref": ""})
    elif event == "release":
        types = config.get("types") if isinstance(config, dict) else None
        action: Value = UNKNOWN
        if isinstance(types, list) and len(types) == 1:
            action = str(types[0])
        elif isinstance(types, str):
            action = types
        values.update({"github.ref": Prefix("refs/tags/"), "github.ref_type": "tag",
                       "github.event.action": action, "github.event.pull_request": None,
                       "github.event.workflow_run": None, "github.event.ref": None,
                       "github.head_ref": "", "github.base_ref": ""})
    elif event in ("pull_request", "pull_request_target"):
        ref = Prefix("refs/pull/") if event == "pull_request" else Prefix("refs/heads/")
        values.update({"github.ref": ref, "github.event.release": None,
                       "github.event.workflow_run": None, "github.event.ref": None,
                       "github.event.head_commit": None})
    elif event == "workflow_run":
        values.update({"github.ref": Prefix("refs/heads/"), "github.ref_type": "branch",
                       "github.event.release": None, "github.event.pull_request": None,
                       "github.event.ref": None})
    elif event == "schedule":
        values.update({"github.ref": Prefix("refs/heads/"), "github.ref_type": "branch",
                       "github.event.action": None, "github.event.release": None,
                       "github.event.pull_request": None, "github.event.workflow_run": None})
    elif event == "workflow_dispatch":
        values.update({"github.ref": Prefix("refs/"), "github.event.action": None,
                       "github.event.release": None, "github.event.pull_request": None,
                       "github.event.workflow_run": None})
    elif event == "merge_group":
        values.update({"github.ref": Prefix("refs/heads/gh-readonly-queue/"),
                       "github.ref_type": "branch", "github.event.release": None,
                       "github.event.workflow_run": None})
    elif event == "workflow_call":
        # The caller's event: nothing is known, not even the event name.
        values = {}
    else:
        values = {"github.event_name": event, **short}
    nulls = {path for path, value in values.items() if value is None}
    values = {path: value for path, value in values.items()
              if not any(path.startswith(null + ".") for null in nulls)}
    return Scenario(event=event, values=values)


# --- parsing ----------------------------------------------------------------------------

_TOKEN = lazy_compile(r"""
    \s*(?:
      (?P<str>'(?:[^']|'')*')
    | (?P<num>-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|0x[0-9a-fA-F]+)
    | (?P<op>&&|\|\||==|!=|<=|>=|[!<>()\[\],.*])
    | (?P<name>[A-Za-z_][A-Za-z0-9_-]*)
    )""", re.VERBOSE)


class _ParseError(Exception):
    pass


def _tokenize(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    position = 0
    text = text.rstrip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match or match.end() == position:
            raise _ParseError(text[position:])
        kind = match.lastgroup or ""
        tokens.append((kind, match.group(kind)))
        position = match.end()
    return tokens


class _Parser:
    """Recursive descent over GitHub's grammar; produces nested tuples."""

    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.i = 0

    def peek(self) -> str | None:
        return self.tokens[self.i][1] if self.i < len(self.tokens) else None

    def take(self, expected: str | None = None) -> tuple[str, str]:
        if self.i >= len(self.tokens):
            raise _ParseError("unexpected end")
        token = self.tokens[self.i]
        if expected is not None and token[1] != expected:
            raise _ParseError(f"expected {expected}")
        self.i += 1
        return token

    def parse(self) -> tuple[Any, ...]:
        node = self.or_()
        if self.i != len(self.tokens):
            raise _ParseError("trailing tokens")
        return node

    def or_(self) -> tuple[Any, ...]:
        node = self.and_()
        while self.peek() == "||":
            self.take()
            node = ("or", node, self.and_())
        return node

    def and_(self) -> tuple[Any, ...]:
        node = self.not_()
        while self.peek() == "&&":
            self.take()
            node = ("and", node, self.not_())
        return node

    def not_(self) -> tuple[Any, ...]:
        if self.peek() == "!":
            self.take()
            return ("not", self.not_())
        return self.compare()

    def compare(self) -> tuple[Any, ...]:
        node = self.primary()
        while self.peek() in ("==", "!=", "<", "<=", ">", ">="):
            op = self.take()[1]
            node = ("cmp", op, node, self.primary())
        return node

    def primary(self) -> tuple[Any, ...]:
        kind, text = self.take()
        if text == "(" and kind == "op":
            node = self.or_()
            self.take(")")
            return node
        if kind == "str":
            return ("lit", text[1:-1].replace("''", "'"))
        if kind == "num":
            return ("lit", float(int(text, 16)) if text.startswith("0x") else float(text))
        if kind != "name":
            raise _ParseError(text)
        lowered = text.lower()
        if lowered in ("true", "false"):
            return ("lit", lowered == "true")
        if lowered == "null":
            return ("lit", None)
        if self.peek() == "(":
            self.take()
            args: list[tuple[Any, ...]] = []
            while self.peek() != ")":
                args.append(self.or_())
                if self.peek() == ",":
                    self.take()
            self.take(")")
            return ("call", lowered, args)
        path: list[str | None] = [lowered]
        while self.peek() in (".", "["):
            if self.take()[1] == ".":
                kind, name = self.take()
                path.append(None if name == "*" else name.lower())
            else:
                inner = self.or_()
                self.take("]")
                path.append(inner[1].lower() if inner[0] == "lit" and isinstance(inner[1], str) else None)
        return ("path", path)


def parse(expression: str) -> tuple[Any, ...] | None:
    """The syntax tree of an expression (without ``${{ }}``), or None if it does not parse."""
    try:
        return _Parser(_tokenize(expression)).parse()
    except (_ParseError, ValueError, RecursionError):
        return None


# --- evaluation -------------------------------------------------------------------------

def truthy(value: Value) -> Value:
    """GitHub's truthiness, or UNKNOWN."""
    if value is UNKNOWN or isinstance(value, NotPrefix):
        return UNKNOWN
    if isinstance(value, Prefix):
        return True if value.prefix else UNKNOWN
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return value != 0
    return value != ""


def _equal(a: Value, b: Value) -> Value:
    if a is UNKNOWN or b is UNKNOWN:
        return UNKNOWN
    if isinstance(b, (Prefix, NotPrefix)) and not isinstance(a, (Prefix, NotPrefix)):
        a, b = b, a
    if isinstance(a, Prefix):
        if isinstance(b, str):
            return UNKNOWN if b.lower().startswith(a.prefix) else False
        return False if b is None or isinstance(b, bool) else UNKNOWN
    if isinstance(a, NotPrefix):
        if isinstance(b, str):
            return False if b.lower().startswith(a.prefix) else UNKNOWN
        return UNKNOWN
    if isinstance(a, str) and isinstance(b, str):
        return a.lower() == b.lower()
    if a is None or b is None:
        other = b if a is None else a
        return other is None or other == "" or other is False or other == 0
    if type(a) is type(b):
        return a == b
    return UNKNOWN


def _starts_with(a: Value, b: Value) -> Value:
    if a is UNKNOWN or not isinstance(b, str):
        return UNKNOWN
    b = b.lower()
    if isinstance(a, Prefix):
        if a.prefix.startswith(b):
            return True
        return UNKNOWN if b.startswith(a.prefix) else False
    if isinstance(a, NotPrefix):
        return False if b.startswith(a.prefix) else UNKNOWN
    if a is None:
        return b == ""
    if isinstance(a, str):
        return a.lower().startswith(b)
    return UNKNOWN


def _contains(a: Value, b: Value) -> Value:
    if isinstance(a, str) and isinstance(b, str):
        return b.lower() in a.lower()
    if a is None and isinstance(b, str):
        return b == ""
    return UNKNOWN


def _is_repository_guard(node: tuple[Any, ...]) -> bool:
    return node[0] == "path" and node[1][:2] in (["github", "repository"], ["github", "repository_owner"],
                                                 ["github", "repository_id"])


def evaluate(node: tuple[Any, ...] | None, scenario: Scenario) -> Value:
    """The value of a parsed expression in ``scenario`` (UNKNOWN when undecided)."""
    if node is None:
        return UNKNOWN
    kind = node[0]
    if kind == "lit":
        return node[1]  # type: ignore[no-any-return]
    if kind == "path":
        if None in node[1]:
            return UNKNOWN
        return scenario.lookup(".".join(node[1]))
    if kind == "not":
        value = truthy(evaluate(node[1], scenario))
        return UNKNOWN if value is UNKNOWN else not value
    if kind in ("and", "or"):
        left = truthy(evaluate(node[1], scenario))
        right = truthy(evaluate(node[2], scenario))
        decisive = kind == "or"  # True decides an `or`, False decides an `and`
        if left is decisive or right is decisive:
            return decisive
        if left is UNKNOWN or right is UNKNOWN:
            return UNKNOWN
        return not decisive
    if kind == "cmp":
        op, left_node, right_node = node[1], node[2], node[3]
        if op in ("==", "!=") and scenario.repository_is_self and (
                (_is_repository_guard(left_node) and right_node[0] == "lit")
                or (_is_repository_guard(right_node) and left_node[0] == "lit")):
            return op == "=="
        left, right = evaluate(left_node, scenario), evaluate(right_node, scenario)
        if op == "==":
            return _equal(left, right)
        if op == "!=":
            equal = _equal(left, right)
            return UNKNOWN if equal is UNKNOWN else not equal
        return UNKNOWN
    if kind == "call":
        name, args = node[1], node[2]
        values = [evaluate(a, scenario) for a in args]
        if name == "always":
            return True
        if name == "startswith" and len(values) == 2:
            return _starts_with(values[0], values[1])
        if name == "contains" and len(values) == 2:
            return _contains(values[0], values[1])
        return UNKNOWN
    return UNKNOWN


def expression_text(condition: Any) -> str | None:
    """The expression inside an ``if:`` value, or None when there is no condition.

    ``if:`` may be written with or without ``${{ }}``. A value that mixes ``${{ }}`` with
    other text is a non-empty string once rendered, which GitHub treats as true.
    """
    if condition is None:
        return None
    if isinstance(condition, bool):
        return "true" if condition else "false"
    if isinstance(condition, (int, float)):
        return str(condition)
    text = str(condition).strip()
    match = re.fullmatch(r"\$\{\{(.*)\}\}", text, re.DOTALL)
    if match and "${{" not in match.group(1):
        return match.group(1).strip()
    if "${{" in text:
        return "true"
    return text


def condition_value(conditions: list[Any], scenario: Scenario) -> Value:
    """The conjunction of several ``if:`` values (job, step...) in ``scenario``."""
    result: Value = True
    for condition in conditions:
        text = expression_text(condition)
        if text is None:
            continue
        value = truthy(evaluate(parse(text), scenario))
        if value is False:
            return False
        if value is UNKNOWN:
            result = UNKNOWN
    return result


def uses_status_function(condition: Any) -> bool:
    """Whether an ``if:`` calls ``always()``, ``failure()`` or ``cancelled()``.

    Such a job also runs when a job it needs was skipped or failed, so the conditions of the
    jobs it needs do not carry over to it.
    """
    text = expression_text(condition) or ""
    return bool(re.search(r"\b(always|failure|cancelled)\s*\(", text, re.IGNORECASE))
