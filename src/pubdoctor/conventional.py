"""A Conventional Commits 1.0.0 parser: small, exact, and standard library only.

https://www.conventionalcommits.org/en/v1.0.0/#specification. `parse` returns a
`ConventionalCommit` or raises `NotConventional` naming the numbered rule of the
specification that the message breaks, so a user can look it up.

This module is imported by the commit-msg hook, whose start-up time matters: it must stay
free of pydantic, gitpython and click.
"""

from __future__ import annotations

import re

from pubdoctor.lazyregex import lazy_compile

SPEC_URL = "https://www.conventionalcommits.org/en/v1.0.0/#specification"

#: The rules of the specification that a parser can check, by their number in the spec.
RULES: dict[int, str] = {
    1: "Commits MUST be prefixed with a type, which consists of a noun, feat, fix, etc., followed "
       "by the OPTIONAL scope, OPTIONAL !, and REQUIRED terminal colon and space.",
    4: "A scope MAY be provided after a type. A scope MUST consist of a noun describing a section "
       "of the codebase surrounded by parenthesis, e.g., fix(parser):",
    5: "A description MUST immediately follow the colon and space after the type/scope prefix.",
    6: "A longer commit body MAY be provided after the short description. The body MUST begin one "
       "blank line after the description.",
    13: "If included in the type/scope prefix, breaking changes MUST be indicated by a ! "
        "immediately before the :.",
}

# type: a noun (letters, digits, hyphen; no spaces); scope: anything but parentheses/newlines.
_HEADER = lazy_compile(
    r"(?P<type>[A-Za-z][A-Za-z0-9_-]*)"
    r"(?:\((?P<scope>[^()\r\n]*)\))?"
    r"(?P<bang>!)?"
    r": (?P<description>.*)\Z"
)
# A footer: a word token (``-`` for spaces) or BREAKING CHANGE, then ``: `` or `` #``.
_FOOTER = lazy_compile(r"(?P<token>BREAKING CHANGE|[A-Za-z][A-Za-z0-9-]*)(?P<sep>: | #)(?P<value>.*)\Z")
_BREAKING_TOKENS = ("BREAKING CHANGE", "BREAKING-CHANGE")


class _Record:
    """A small immutable value class (no dataclasses: importing them costs the hook 6 ms)."""

    __slots__: tuple[str, ...] = ()

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def _values(self) -> tuple:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self._values() == other._values()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__name__}({fields})"


class Footer(_Record):
    """A footer (``Token: value`` or ``Token #value``)."""

    __slots__ = ("token", "value")
    token: str
    value: str

    def __init__(self, token: str, value: str) -> None:
        object.__setattr__(self, "token", token)
        object.__setattr__(self, "value", value)

    @property
    def is_breaking(self) -> bool:
        # Rule 15: tokens are case-insensitive, except BREAKING CHANGE, which MUST be uppercase.
        return self.token in _BREAKING_TOKENS


class ConventionalCommit(_Record):
    """A parsed message. ``type`` is kept as written; compare with ``type.lower()`` per rule 15."""

    __slots__ = ("type", "scope", "bang", "description", "body", "footers")
    type: str
    scope: str | None
    bang: bool
    description: str
    body: str
    footers: tuple[Footer, ...]

    def __init__(self, type: str, description: str, scope: str | None = None,  # noqa: A002
                 bang: bool = False, body: str = "", footers: tuple[Footer, ...] = ()) -> None:
        setter = object.__setattr__
        setter(self, "type", type)
        setter(self, "scope", scope)
        setter(self, "bang", bang)
        setter(self, "description", description)
        setter(self, "body", body)
        setter(self, "footers", footers)

    @property
    def breaking(self) -> bool:
        """A breaking change: ``!`` before the colon, or a BREAKING CHANGE footer (rules 11-13, 16)."""
        return self.bang or any(f.is_breaking for f in self.footers)

    @property
    def header(self) -> str:
        scope = f"({self.scope})" if self.scope is not None else ""
        return f"{self.type}{scope}{'!' if self.bang else ''}: {self.description}"

    def footer(self, token: str) -> str | None:
        """The value of the first footer called ``token`` (case-insensitive), if any."""
        for item in self.footers:
            if item.token.lower() == token.lower():
                return item.value
        return None


class NotConventional(ValueError):
    """The message is not a Conventional Commit; ``rule`` is the number of the rule it breaks."""

    def __init__(self, problem: str, rule: int) -> None:
        super().__init__(problem)
        self.problem = problem
        self.rule = rule

    @property
    def rule_text(self) -> str:
        return RULES[self.rule]


def _diagnose_header(header: str) -> NotConventional:
    """Why ``header`` does not match: the most specific rule it breaks."""
    if not header.strip():
        return NotConventional("the message is empty", 1)
    prefix, colon, rest = header.partition(":")
    if not colon:
        return NotConventional("there is no `type: ` prefix (no colon in the first line)", 1)
    head = prefix
    if "(" in head or ")" in head:
        match = re.fullmatch(r"([A-Za-z][A-Za-z0-9_-]*)(!?)\((.*)\)(!?)", head)
        if match is None:
            return NotConventional(f"the scope in `{prefix}:` is not a noun in parentheses "
                                   "right after the type", 4)
        if match.group(2):
            return NotConventional(f"the `!` in `{prefix}:` must come after the scope, right "
                                   "before the colon", 13)
        if not match.group(3).strip():
            return NotConventional(f"the scope in `{prefix}:` is empty", 4)
        if match.group(3) != match.group(3).strip() or "(" in match.group(3):
            return NotConventional(f"the scope in `{prefix}:` is not a noun in parentheses", 4)
    elif not re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*!?", head):
        if re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*!?\s+", head):
            return NotConventional(f"there is a space before the colon in `{prefix}:`", 1)
        return NotConventional(f"`{prefix}` is not a type (a single word such as feat or fix)", 1)
    if not rest.startswith(" "):
        return NotConventional(f"the colon after `{prefix}` must be followed by a space", 1)
    if not rest.strip():
        return NotConventional("the description after the colon is empty", 5)
    return NotConventional("the description must follow the colon and a single space", 5)


def _split_footers(lines: list[str]) -> tuple[list[str], tuple[Footer, ...]]:
    """Body lines and footers from the lines after the header's blank line.

    The footer section is the trailing run of paragraphs whose first line is a footer
    (``Token: value`` or ``Token #value``); inside it, a line that is not a footer continues
    the value of the previous one (rule 10).
    """
    starts = [i for i, line in enumerate(lines) if line.strip() and (i == 0 or not lines[i - 1].strip())]
    footer_start = len(lines)
    for start in reversed(starts):
        if _FOOTER.match(lines[start]):
            footer_start = start
        else:
            break
    footers: list[list[str]] = []
    for line in lines[footer_start:]:
        match = _FOOTER.match(line)
        if match:
            footers.append([match.group("token"), match.group("value")])
        elif footers:
            footers[-1][1] += "\n" + line
    body = lines[:footer_start]
    while body and not body[-1].strip():
        body.pop()
    return body, tuple(Footer(token, value.strip("\n")) for token, value in footers)


def parse(message: str) -> ConventionalCommit:
    """Parse a commit message (already stripped of comments, as git stores it)."""
    lines = message.replace("\r\n", "\n").strip("\n").split("\n")
    header = lines[0]
    match = _HEADER.match(header)
    if match is None:
        raise _diagnose_header(header)
    description = match.group("description")
    if not description.strip():
        raise NotConventional("the description after the colon is empty", 5)
    if description != description.lstrip():
        raise NotConventional("the description must follow the colon and a single space", 5)
    scope = match.group("scope")
    if scope is not None and (not scope.strip() or scope != scope.strip()):
        raise NotConventional(f"the scope `({scope})` is empty or padded with spaces", 4)
    rest = lines[1:]
    if rest and rest[0].strip():
        raise NotConventional("the second line is not blank: the body must begin one blank "
                              "line after the description", 6)
    body_lines, footers = _split_footers(rest[1:]) if rest else ([], ())
    return ConventionalCommit(
        type=match.group("type"),
        scope=scope,
        bang=bool(match.group("bang")),
        description=description.rstrip(),
        body="\n".join(body_lines).strip("\n"),
        footers=footers,
    )


def try_parse(message: str) -> ConventionalCommit | None:
    try:
        return parse(message)
    except NotConventional:
        return None
