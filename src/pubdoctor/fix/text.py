"""Edits spliced into the original text of a YAML file, located with ruamel.yaml.

ruamel.yaml's round-trip dump keeps comments, but not every byte: it re-indents sequences,
re-quotes scalars, reflows long lines and writes ``\\n`` for ``\\r\\n``. A fix must change
nothing but itself, so the file is never dumped: ruamel only says where the nodes are (the
line and column of every key and item), and each fix is a small `Edit` of the original text
(insert a line, replace a scalar, drop an entry). Everything else stays byte for byte.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pubdoctor.lazyregex import lazy_compile
from pubdoctor.records import record


#: what YAML (and ruamel's reader) counts as a line break
_BREAK = lazy_compile(r"\r\n|[\r\n\x85\u2028\u2029]")


class CannotPlace(Exception):
    """The fix cannot be placed without guessing; the message says why."""


@dataclass(frozen=True, order=True)
class Edit:
    """Replace ``text[start:end]`` with ``replacement`` (an insertion when start == end)."""

    start: int
    end: int
    replacement: str


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """``text`` with non-overlapping ``edits`` applied (from the end, so offsets stay valid)."""
    out = text
    for edit in sorted(edits, reverse=True):
        out = out[:edit.start] + edit.replacement + out[edit.end:]
    return out


def overlaps(a: Edit, b: Edit) -> bool:
    """Two edits touch the same bytes, or insert at the same place (their order would be a guess)."""
    if a.start == b.start:
        return True
    return a.start < b.end and b.start < a.end


class YamlText:
    """One YAML file: its text, its first document (round-trip, with positions), its layout."""

    def __init__(self, text: str, path: str) -> None:
        from pubdoctor.sources.yamlfile import parse_yaml

        self.text = text
        self.path = path
        self.document = parse_yaml(text, path, round_trip=True)
        self.line_starts = [0] + [m.end() for m in _BREAK.finditer(text)]
        first = _BREAK.search(text)
        self.newline = first.group() if first else "\n"

    # --- positions ---------------------------------------------------------------------

    def offset(self, line: int, col: int) -> int:
        """The text offset of a 0-based ruamel position."""
        return self.line_starts[line] + col

    def line_text(self, line: int) -> str:
        """Line ``line`` (0-based) without its line break."""
        start = self.line_starts[line]
        end = self.line_starts[line + 1] if line + 1 < len(self.line_starts) else len(self.text)
        return _BREAK.sub("", self.text[start:end])

    @property
    def line_count(self) -> int:
        return len(self.line_starts)

    # --- nodes -------------------------------------------------------------------------

    @staticmethod
    def is_flow(node: Any) -> bool:
        fa = getattr(node, "fa", None)
        return bool(fa is not None and fa.flow_style())

    @staticmethod
    def check_editable(node: Any, what: str) -> None:
        """Refuse a node shared through an anchor, or one that merges keys from another."""
        anchor = getattr(getattr(node, "anchor", None), "value", None)
        if anchor:
            raise CannotPlace(f"{what} is anchored (`&{anchor}`) and may be used elsewhere through "
                              "an alias: changing it would change those places too")
        if getattr(node, "merge", None):
            raise CannotPlace(f"{what} merges keys from an anchor (`<<:`): where the change "
                              "belongs cannot be told")

    def key_position(self, mapping: Any, key: Any) -> tuple[int, int]:
        try:
            line, col = mapping.lc.key(key)
        except (AttributeError, KeyError, TypeError):
            raise CannotPlace(f"the position of `{key}` is unknown") from None
        return int(line), int(col)

    def value_position(self, mapping: Any, key: Any) -> tuple[int, int]:
        try:
            line, col = mapping.lc.value(key)
        except (AttributeError, KeyError, TypeError):
            raise CannotPlace(f"the position of the value of `{key}` is unknown") from None
        return int(line), int(col)

    def indent_step(self, mapping: Any, default: int = 2) -> int:
        """How far this file indents a nested block mapping (from a mapping and its children)."""
        for key, value in mapping.items() if isinstance(mapping, dict) else ():
            if isinstance(value, dict) and value and not self.is_flow(value):
                try:
                    parent = self.key_position(mapping, key)
                    child = self.key_position(value, next(iter(value)))
                except CannotPlace:
                    continue
                if child[0] > parent[0] and child[1] > parent[1]:
                    return child[1] - parent[1]
        if mapping is not self.document and isinstance(self.document, dict):
            return self.indent_step(self.document, default)
        return default

    # --- scalars -----------------------------------------------------------------------

    def scalar_span(self, mapping: Any, key: Any) -> tuple[int, int]:
        """Offsets of the value of ``key`` when it is a one-line scalar (quoted or plain)."""
        line, col = self.value_position(mapping, key)
        text = self.line_text(line)
        if col >= len(text):
            raise CannotPlace(f"the value of `{key}` is not on the line of its key")
        quote = text[col]
        if quote in "'\"":
            end = _closing_quote(text, col)
            if end is None:
                raise CannotPlace(f"the value of `{key}` spans several lines")
            return self.offset(line, col), self.offset(line, end + 1)
        flow = self.is_flow(mapping)
        end = col
        while end < len(text):
            ch = text[end]
            if ch == "#" and end > col and text[end - 1] in " \t":
                break
            if flow and ch in ",}]":
                break
            end += 1
        while end > col and text[end - 1] in " \t":
            end -= 1
        if text[col] in "|>&*!":
            raise CannotPlace(f"the value of `{key}` is not a plain one-line scalar")
        return self.offset(line, col), self.offset(line, end)

    def set_scalar(self, mapping: Any, key: Any, value: str) -> Edit:
        """Replace the value of ``key`` (a one-line scalar) with ``value``, as written."""
        start, end = self.scalar_span(mapping, key)
        return Edit(start, end, value)

    # --- mappings ----------------------------------------------------------------------

    def block_end(self, mapping: Any) -> int:
        """The offset just after the last line of a block mapping's last entry.

        The mapping's lines are its key column's lines and every line indented deeper (the
        values, block scalars included); blank and comment lines after the last entry belong
        to what follows.
        """
        last_key = list(mapping)[-1]
        line, col = self.key_position(mapping, last_key)
        end_line = line
        for number in range(line + 1, self.line_count):
            content = self.line_text(number)
            stripped = content.strip()
            if not stripped or stripped.startswith("#"):
                continue
            indent = len(content) - len(content.lstrip(" "))
            if indent <= col or stripped in ("---", "...") and indent == 0:
                break
            end_line = number
        if end_line + 1 < self.line_count:
            return self.line_starts[end_line + 1]
        return len(self.text)

    def insert_lines(self, at: int, lines: list[str]) -> Edit:
        """Insert whole lines at ``at`` (a line start, or the end of the text)."""
        body = self.newline.join(lines) + self.newline
        if at == len(self.text) and self.text and not _BREAK.search(self.text[-2:]):
            body = self.newline + body[: -len(self.newline)]
        return Edit(at, at, body)

    def add_entry(self, mapping: Any, key: str, value: str | list[str], what: str,
                  before: str | None = None) -> Edit:
        """Add ``key: value`` to a mapping, or ``key:`` and the nested block ``value`` (lines
        of ``name: value``), in the mapping's own style (block or flow)."""
        return self.add_entries(mapping, [(key, value)], what, before)

    def add_entries(self, mapping: Any, entries: list[tuple[str, str | list[str]]], what: str,
                    before: str | None = None) -> Edit:
        """Add several entries at one place (see `add_entry`)."""
        self.check_editable(mapping, what)
        if self.is_flow(mapping):
            return self._add_flow_entries(mapping, entries, what)
        if not mapping:
            raise CannotPlace(f"{what} is empty: where a new entry goes cannot be told")
        _, col = self.key_position(mapping, next(iter(mapping)))
        for other in mapping:
            if self.key_position(mapping, other)[1] != col:
                raise CannotPlace(f"the keys of {what} are not aligned")
        indent = " " * col
        step = " " * self.indent_step(mapping)
        lines: list[str] = []
        for key, value in entries:
            if isinstance(value, list):
                lines += [f"{indent}{key}:"] + [f"{indent}{step}{item}" for item in value]
            else:
                lines.append(f"{indent}{key}: {value}")
        if before is not None and before in mapping:
            line, key_col = self.key_position(mapping, before)
            if self.line_text(line)[:key_col].strip() == "":
                while line > 0 and self.line_text(line - 1).strip().startswith("#") and \
                        _indent(self.line_text(line - 1)) == key_col:
                    line -= 1  # a comment above `before` stays with it
                while line > 0 and not self.line_text(line - 1).strip():
                    line -= 1  # and so does the blank line that sets it apart
                return self.insert_lines(self.line_starts[line], lines)
        return self.insert_lines(self.block_end(mapping), lines)

    def _add_flow_entries(self, mapping: Any, entries: list[tuple[str, str | list[str]]],
                          what: str) -> Edit:
        text = ", ".join(f"{key}: " + ("{" + ", ".join(value) + "}" if isinstance(value, list) else value)
                         for key, value in entries)
        start = self._flow_start(mapping, what)
        close = _matching_close(self.text, start)
        if close is None:
            raise CannotPlace(f"the end of {what} cannot be found")
        end = _content_end(self.text, start, close)
        if end is None:
            if self.text[start + 1:close].strip():
                raise CannotPlace(f"{what} holds only comments")
            return Edit(start + 1, close, text)
        return Edit(end, end, f", {text}")

    def _flow_start(self, mapping: Any, what: str) -> int:
        try:
            line, col = mapping.lc.line, mapping.lc.col
        except AttributeError:
            raise CannotPlace(f"the position of {what} is unknown") from None
        offset = self.offset(line, col)
        if self.text[offset:offset + 1] != "{":
            raise CannotPlace(f"the position of {what} is unknown")
        return offset

    def remove_entry(self, mapping: Any, key: str, what: str) -> Edit:
        """Remove ``key`` and its one-line value from a mapping with other entries."""
        self.check_editable(mapping, what)
        if len(mapping) < 2:
            raise CannotPlace(f"`{key}` is the only entry of {what}")
        if self.is_flow(mapping):
            return self._remove_flow_entry(mapping, key, what)
        line, col = self.key_position(mapping, key)
        if self.line_text(line)[:col].strip():
            raise CannotPlace(f"`{key}` shares its line with another key of {what}")
        keys = list(mapping)
        index = keys.index(key)
        next_line = self.key_position(mapping, keys[index + 1])[0] if index + 1 < len(keys) else None
        end = self.line_starts[next_line] if next_line is not None else self.block_end(mapping)
        if next_line is None or next_line != line + 1:
            for number in range(line + 1, (next_line or self.line_count)):
                if self.line_starts[number] >= end:
                    break
                if self.line_text(number).strip() and not self.line_text(number).strip().startswith("#"):
                    raise CannotPlace(f"the value of `{key}` in {what} spans several lines")
            end = self.line_starts[line + 1] if line + 1 < self.line_count else len(self.text)
        return Edit(self.line_starts[line], end, "")

    def _remove_flow_entry(self, mapping: Any, key: str, what: str) -> Edit:
        start = self._flow_start(mapping, what)
        close = _matching_close(self.text, start)
        if close is None:
            raise CannotPlace(f"the end of {what} cannot be found")
        line, col = self.key_position(mapping, key)
        key_at = self.offset(line, col)
        # the entry ends at the next top-level comma, or at the closing brace
        comma = _next_top_level(self.text, key_at, close, ",")
        if comma is not None:  # `key: v, rest` -> `rest`
            after = comma + 1
            while after < close and self.text[after] in " \t":
                after += 1
            return Edit(key_at, after, "")
        # the last entry: drop it with the comma before it
        before = self.text.rindex(",", start, key_at)
        return Edit(before, len(self.text[:close].rstrip()) , "")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _closing_quote(text: str, start: int) -> int | None:
    quote = text[start]
    i = start + 1
    while i < len(text):
        ch = text[i]
        if quote == '"' and ch == "\\":
            i += 2
            continue
        if ch == quote:
            if quote == "'" and i + 1 < len(text) and text[i + 1] == "'":
                i += 2
                continue
            return i
        i += 1
    return None


def _skip_quoted(text: str, i: int) -> int:
    """The offset after the quoted scalar starting at ``i`` (multi-line allowed)."""
    quote = text[i]
    j = i + 1
    while j < len(text):
        if quote == '"' and text[j] == "\\":
            j += 2
            continue
        if text[j] == quote:
            if quote == "'" and text[j + 1:j + 2] == "'":
                j += 2
                continue
            return j + 1
        j += 1
    return len(text)


def _matching_close(text: str, start: int) -> int | None:
    """The offset of the bracket closing the flow collection opened at ``start``."""
    depth = 0
    i = start
    while i < len(text):
        ch = text[i]
        if ch in "'\"" and (i == start or text[i - 1] in " \t,[{:\r\n"):
            i = _skip_quoted(text, i)
            continue
        if ch == "#" and i > 0 and text[i - 1] in " \t\r\n":
            newline = _BREAK.search(text, i)
            i = newline.end() if newline else len(text)
            continue
        if ch in "{[":
            depth += 1
        elif ch in "}]":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return None


def _content_end(text: str, start: int, close: int) -> int | None:
    """The offset after the last character of a flow collection's content, comments aside
    (an entry added after a ``# comment`` would be part of the comment)."""
    end = None
    i = start + 1
    while i < close:
        ch = text[i]
        if ch in "'\"" and text[i - 1] in " \t,[{:\r\n":
            i = _skip_quoted(text, i)
            end = i
            continue
        if ch == "#" and text[i - 1] in " \t\r\n":
            newline = _BREAK.search(text, i)
            i = newline.end() if newline else close
            continue
        if ch not in " \t\r\n\x85\u2028\u2029":
            end = i + 1
        i += 1
    return end


def _next_top_level(text: str, start: int, stop: int, wanted: str) -> int | None:
    depth = 0
    i = start
    while i < stop:
        ch = text[i]
        if ch in "'\"" and text[i - 1] in " \t,[{:":
            i = _skip_quoted(text, i)
            continue
        if ch in "{[":
            depth += 1
        elif ch in "}]":
            depth -= 1
        elif ch == wanted and depth == 0:
            return i
        i += 1
    return None
