"""YAML with positions: ruamel.yaml's round-trip loader, made safe for any input.

Every mapping and sequence ruamel returns knows the line and column of its keys and items;
`key_location` and `node_location` turn those 0-based positions into `Location` objects.
"""

from __future__ import annotations

from typing import Any

from pubdoctor.errors import InputError
from pubdoctor.findings import Location


def parse_yaml(text: str, shown: str, problems: list[InputError] | None = None) -> Any:
    """The first non-empty document of ``text``, or raise `InputError` with the parser's line.

    GitHub reads a single document; a file with ``---`` separators is read up to the first
    document that holds something. GitHub refuses a mapping with a duplicate key; here the
    duplicate is appended to ``problems`` (when given) and the file is read again keeping the
    first occurrence (ruamel's choice), so that the rest of the file can still be checked.
    """
    from ruamel.yaml import YAML
    from ruamel.yaml.constructor import DuplicateKeyError

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
