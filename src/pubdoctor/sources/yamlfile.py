"""YAML with positions: ruamel.yaml, made safe for any input.

Every mapping and sequence returned knows the line and column of its keys and items;
`key_location` and `node_location` turn those 0-based positions into `Location` objects.

Reading needs positions, not round-trip: where ruamel.yaml's C parser (``ruamel.yaml.clib``,
installed with ruamel.yaml on CPython) is available, the document is composed by it (libyaml,
about ten times faster than the pure-Python round-trip parser) and built into the same
position-carrying maps and lists (`_build`). Anything that path does not reproduce exactly
(a duplicate key, a merge key, a custom tag, a complex key, a syntax error and its message) is
read again by the round-trip parser, which stays the reference.
"""

from __future__ import annotations

import re
from typing import Any

from pubdoctor.errors import InputError
from pubdoctor.findings import Location
from pubdoctor.lazyregex import lazy_compile


#: Limits on what a YAML file may make of itself: nesting depth, aliases, and the number of
#: values once every alias is expanded. No workflow comes near them; an alias bomb (each
#: anchor holding the previous one nine times, merge keys of aliases) or a self-referencing
#: anchor passes them within a few hundred bytes, and would otherwise take minutes and
#: gigabytes. GitHub expands anchors to read a workflow, and refuses one it cannot expand.
MAX_DEPTH = 64
MAX_ALIASES = 10_000
MAX_EXPANDED = 200_000

#: an anchor (``&name``, not shell's ``&&``) and an alias (``*name``, not a lone glob ``*``)
_ANCHOR = lazy_compile(r"(?:^|[\s\[{,:-])&[^\s\[\]{},&]")
_ALIAS = lazy_compile(r"(?:^|[\s\[{,:-])\*[^\s\[\]{},*]")


def check_limits(text: str, shown: str) -> None:
    """Raise `InputError` naming the file if its YAML passes `MAX_DEPTH`, `MAX_ALIASES` or
    `MAX_EXPANDED`; cheap for a file without anchors or deep flow nesting (most files), which
    cannot pass them (the 2 MB read limit bounds block nesting)."""
    if text.count("[") + text.count("{") > MAX_DEPTH:
        depth = 0
        for match in re.finditer(r"[\[\]{}]", text):  # an estimate (brackets in strings count)
            depth = depth + 1 if match.group() in "[{" else max(depth - 1, 0)
            if depth > MAX_DEPTH:
                # the parser on the text up to there tells (ruamel's scanner is quadratic in
                # the flow depth: the whole of a deep file would take seconds)
                _scan_events(text[:match.end()], shown)
                break
    if _ANCHOR.search(text) and _ALIAS.search(text):
        _scan_events(text, shown)


def _event_parser() -> Any:
    """libyaml through ruamel.yaml.clib when it is there (the events are the same objects, with
    their anchors and marks, a tenth of the time, and no scanner quadratic in flow depth),
    else ruamel's own parser."""
    from ruamel.yaml import YAML

    fast = YAML(typ="safe", pure=False)
    return fast if getattr(fast.Parser, "__name__", "") == "CParser" else YAML(typ="rt", pure=True)


def _scan_events(text: str, shown: str) -> None:
    """Walk the parser's events (no objects built), counting depth, aliases and the expanded
    size of every anchor, and stop at the first limit passed."""
    from ruamel.yaml.error import YAMLError
    from ruamel.yaml.events import (AliasEvent, CollectionEndEvent, CollectionStartEvent,
                                    DocumentStartEvent, ScalarEvent)

    def refuse(why: str, event: Any) -> InputError:
        mark = getattr(event, "start_mark", None)
        return InputError(why, shown, line=mark.line + 1 if mark else 0,
                          col=mark.column + 1 if mark else 0)

    sizes: dict[str, int] = {}
    stack: list[list[Any]] = []  # [expanded size, anchor] of each open collection
    aliases = 0
    try:
        for event in _event_parser().parse(text):
            if isinstance(event, DocumentStartEvent):
                stack, sizes = [], {}
            elif isinstance(event, CollectionStartEvent):
                if len(stack) >= MAX_DEPTH:
                    raise refuse(f"the YAML nests deeper than {MAX_DEPTH} levels", event)
                stack.append([1, event.anchor])
            elif isinstance(event, (ScalarEvent, AliasEvent, CollectionEndEvent)):
                size = 1
                if isinstance(event, AliasEvent):
                    aliases += 1
                    if aliases > MAX_ALIASES:
                        raise refuse(f"the YAML holds more than {MAX_ALIASES:,} aliases (an alias "
                                     "bomb?), not expanded", event)
                    if any(frame[1] == event.anchor for frame in stack):
                        raise refuse(f"the anchor `&{event.anchor}` is used inside itself: it "
                                     "cannot be expanded", event)
                    size = sizes.get(event.anchor, 1)
                elif isinstance(event, CollectionEndEvent):
                    if stack:
                        size, anchor = stack.pop()
                        if anchor:
                            sizes[anchor] = size
                elif event.anchor:
                    sizes[event.anchor] = 1
                if stack:
                    stack[-1][0] += size
                    if stack[-1][0] > MAX_EXPANDED:
                        raise refuse(f"the YAML expands to more than {MAX_EXPANDED:,} values "
                                     "once its aliases are expanded (an alias bomb?), not "
                                     "expanded", event)
    except (YAMLError, RecursionError):
        return  # the loader says what is wrong, with its line


def parse_yaml(text: str, shown: str, problems: list[InputError] | None = None, *,
               round_trip: bool = False) -> Any:
    """The first non-empty document of ``text``, or raise `InputError` with the parser's line.

    GitHub reads a single document; a file with ``---`` separators is read up to the first
    document that holds something. GitHub refuses a mapping with a duplicate key; here the
    duplicate is appended to ``problems`` (when given) and the file is read again keeping the
    first occurrence (ruamel's choice), so that the rest of the file can still be checked.
    ``round_trip`` skips the fast path: ``--fix`` needs what only the round-trip parser keeps
    (anchors, flow style).
    """
    from ruamel.yaml import YAML
    from ruamel.yaml.constructor import DuplicateKeyError

    check_limits(text, shown)
    fast = _UNSURE if round_trip else _first_document_fast(text)
    if fast is not _UNSURE:
        return fast
    if problems is not None:
        strict = YAML(typ="rt", pure=True)
        try:
            return _first_document(strict, text, shown)
        except DuplicateKeyError as exc:
            mark = exc.problem_mark
            problem = (exc.problem or "duplicate key").split(" with value")[0]
            problems.append(InputError(f"{problem}; GitHub refuses a mapping with a duplicate key",
                                       shown, line=mark.line + 1 if mark else 0,
                                       col=mark.column + 1 if mark else 0))
    yaml = YAML(typ="rt", pure=True)
    yaml.allow_duplicate_keys = True
    return _first_document(yaml, text, shown)


def _first_document(yaml: Any, text: str, shown: str) -> Any:
    from ruamel.yaml.constructor import DuplicateKeyError
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        for document in yaml.load_all(text):
            if document is not None:
                return document
    except DuplicateKeyError:
        raise
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = exc.problem or exc.context or "malformed YAML"
        raise InputError(f"invalid YAML: {problem}{where}", shown,
                         line=mark.line + 1 if mark else 0, col=mark.column + 1 if mark else 0) from None
    except (YAMLError, ValueError, TypeError, RecursionError) as exc:
        raise InputError(f"invalid YAML: {exc}".splitlines()[0], shown) from None
    return None


class _Unsure:
    """The fast path cannot reproduce the round-trip parser's answer: read it the slow way."""


_UNSURE: Any = _Unsure()
_SCALAR_TAGS = {"tag:yaml.org,2002:" + t for t in ("str", "int", "float", "bool", "null")}
_STR_TAG = "tag:yaml.org,2002:str"
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"


class _Fallback(Exception):
    """Raised inside `_build` for what only the round-trip parser handles."""


def _first_document_fast(text: str) -> Any:
    """The first non-empty document, composed by libyaml; `_UNSURE` when that cannot be exact."""
    try:
        from ruamel.yaml import YAML
        from ruamel.yaml.constructor import SafeConstructor
    except ImportError:  # pragma: no cover - ruamel.yaml is a dependency
        return _UNSURE
    yaml = YAML(typ="safe", pure=False)
    if getattr(yaml.Parser, "__name__", "") != "CParser":
        return _UNSURE  # no ruamel.yaml.clib on this interpreter
    yaml.Resolver = _resolver_class()
    try:
        constructor = SafeConstructor(loader=yaml)
        for node in yaml.compose_all(text):
            if node is None:
                continue
            document = _Builder(constructor, text).build(node)
            if document is not None:
                return document
        return None
    except RecursionError:
        return _UNSURE
    except Exception:  # noqa: BLE001 - any error: the round-trip parser says it its way
        return _UNSURE


_RESOLVER: Any = None


def _resolver_class() -> Any:
    """ruamel.yaml's resolver, asking for the YAML version (and its table of implicit tags)
    once per document, not per scalar.

    The resolver looks the version up for every plain scalar, through two attribute lookups
    that fail under the C parser (which keeps no Python scanner) before it falls back to the
    loader's version: half of the time of a parse went there. Under the C parser the answer
    is the same for every scalar of a load, so the first answer is kept.
    """
    global _RESOLVER
    if _RESOLVER is None:
        from ruamel.yaml.resolver import VersionedResolver

        class OnceVersionedResolver(VersionedResolver):  # type: ignore[misc]
            _version: Any = None

            _resolvers: Any = None

            @property
            def processing_version(self) -> Any:
                if self._version is None:
                    self._version = VersionedResolver.processing_version.fget(self)  # type: ignore[attr-defined]
                return self._version

            @property
            def versioned_resolver(self) -> Any:
                if self._resolvers is None:
                    self._resolvers = VersionedResolver.versioned_resolver.fget(self)  # type: ignore[attr-defined]
                return self._resolvers

        _RESOLVER = OnceVersionedResolver
    return _RESOLVER


class _Builder:
    """Builds a composed node graph into the maps and lists the round-trip loader returns.

    An alias is the same object as its anchor (as ruamel builds it), so a document of
    aliases of aliases stays small here; `plain` bounds its expansion.
    """

    def __init__(self, constructor: Any, text: str) -> None:
        self._constructor = constructor
        self._lines = text.splitlines()
        self._built: dict[int, Any] = {}

    def build(self, node: Any) -> Any:
        known = self._built.get(id(node))
        if known is not None:
            return known
        kind = type(node).__name__
        tag = node.tag  # a property that formats the tag anew on every read: read it once
        if kind == "ScalarNode":
            if tag == _STR_TAG:
                return node.value  # what the constructor returns for a string, without its calls
            if tag not in _SCALAR_TAGS:
                raise _Fallback
            return self._constructor.construct_object(node, deep=True)
        from ruamel.yaml.comments import CommentedSeq

        if kind == "SequenceNode":
            if tag != _SEQ_TAG:
                raise _Fallback
            sequence = CommentedSeq()
            self._built[id(node)] = sequence
            sequence._yaml_set_line_col(node.start_mark.line, node.start_mark.column)
            for index, item in enumerate(node.value):
                sequence.append(self.build(item))
                sequence._yaml_set_idx_line_col(index, [item.start_mark.line, item.start_mark.column])
            return sequence
        if kind != "MappingNode" or tag != _MAP_TAG:
            raise _Fallback
        mapping = PositionedMap()
        self._built[id(node)] = mapping
        mapping._yaml_set_line_col(node.start_mark.line, node.start_mark.column)
        for key_node, value_node in node.value:
            if type(key_node).__name__ != "ScalarNode":
                raise _Fallback  # a complex key
            key_tag = key_node.tag
            if key_tag == _STR_TAG:
                key = key_node.value
            elif key_tag in _SCALAR_TAGS:
                key = self.build(key_node)
            else:
                raise _Fallback  # a merge key `<<`
            if key in mapping:
                raise _Fallback  # a duplicate key: the round-trip path reports it
            mapping[key] = self.build(value_node)
            mapping._yaml_set_kv_line_col(key, [key_node.start_mark.line, key_node.start_mark.column,
                                                value_node.start_mark.line, value_node.start_mark.column])
            if type(value_node).__name__ == "ScalarNode":
                comment = self._comment_after(value_node)
                if comment:
                    mapping.trailing_comments[key] = comment
        return mapping

    def _comment_after(self, node: Any) -> str | None:
        """The comment that ends the line a scalar value ends on (``uses: a@sha  # v1.2.3``)."""
        end = node.end_mark
        if node.start_mark.line != end.line or end.line >= len(self._lines):
            return None
        rest = self._lines[end.line][end.column:].strip()
        return rest if rest.startswith("#") else None


def _comments_base() -> Any:
    from ruamel.yaml.comments import CommentedMap

    return CommentedMap


class PositionedMap(_comments_base()):  # type: ignore[misc]
    """A round-trip map built by the fast path: also holds each scalar value's end-of-line comment."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.trailing_comments: dict[Any, str] = {}


def trailing_comment(mapping: Any, key: Any) -> str | None:
    """The end-of-line comment after ``key: value``, from either parser (``# v1.2.3``)."""
    comments = getattr(mapping, "trailing_comments", None)
    if comments is not None:
        return comments.get(key)
    try:
        token = mapping.ca.items.get(key)
        comment = token[2] if token else None
    except (AttributeError, IndexError, TypeError):
        return None
    value = str(getattr(comment, "value", "") or "")
    return value if value.startswith("#") else None


def node_location(node: Any, path: str) -> Location:
    """The position of a mapping or sequence node (line 1 when it has none)."""
    lc = getattr(node, "lc", None)
    if lc is None or lc.line is None:
        return Location(path=path, line=1, col=1)
    return Location(path=path, line=lc.line + 1, col=lc.col + 1)


def key_location(mapping: Any, key: Any, path: str) -> Location:
    """The position of ``key`` in ``mapping``; the mapping's own when ruamel has none (merged keys)."""
    lc = getattr(mapping, "lc", None)
    if lc is not None:
        try:
            line, col = lc.key(key)
            return Location(path=path, line=line + 1, col=col + 1)
        except (KeyError, TypeError, AttributeError):
            pass
    return node_location(mapping, path)


def value_location(mapping: Any, key: Any, path: str) -> Location:
    """The position of the value of ``key`` (where a wrong value should be pointed at)."""
    lc = getattr(mapping, "lc", None)
    if lc is not None:
        try:
            line, col = lc.value(key)
            return Location(path=path, line=line + 1, col=col + 1)
        except (KeyError, TypeError, AttributeError):
            pass
    return key_location(mapping, key, path)


def item_location(sequence: Any, index: int, path: str) -> Location:
    lc = getattr(sequence, "lc", None)
    if lc is not None:
        try:
            line, col = lc.item(index)
            return Location(path=path, line=line + 1, col=col + 1)
        except (KeyError, IndexError, TypeError, AttributeError):
            pass
    return node_location(sequence, path)


def plain(node: Any, _depth: int = 0) -> Any:
    """A copy with plain dicts, lists and scalars (aliases resolved): no ruamel type in the models."""
    if _depth > 50:
        return None
    if isinstance(node, dict):
        return {str(k) if not isinstance(k, bool) else k: plain(v, _depth + 1) for k, v in node.items()}
    if isinstance(node, (list, tuple)):
        return [plain(v, _depth + 1) for v in node]
    if isinstance(node, bool) or node is None or isinstance(node, (int, float)):
        return node
    return str(node)
