"""Which runs of windows may match, each run matched once as a whole: the scanner's last filter.

Where many windows of a block hold what a pattern needs (`pubdoctor.diagnose.words`: twine's
``HTTPError: 404 Not Found from https://...`` needs ``error`` and ``://``, and an application's
error lines among a web server's access lines hold both), matching them one by one costs what
cutting, cleaning and searching each window costs, a hundred microseconds or more. But the
windows around a run of such lines (`Words.centers`) overlap, and together they are one stretch
of lines, the run's *union*. A pattern that matches a window's text matches the union's text:

- the window's text is the cleaned lines of the window joined with single spaces, and the
  union's text is the same lines and more, joined the same way, so the window's text is a part
  of the union's text with a space (or nothing) on each side;
- an expression without anchors (``^``, ``$``, ``\\A``, ``\\Z``) and without lookarounds matches
  the same part of a text wherever the part is (``\\b`` sees a space or nothing at both ends:
  neither is a word character); `union_safe` tells such an expression;
- the union's text holds every anchor the window's does, so the pattern is a candidate there.

So where no live pattern matches a run's union, no window of the run can match, and the run is
left out. The texts of all the runs of a block are made at once, one after the other (a match
that goes on from one run's text into the next keeps both), with a few expressions and
replacements over their bytes (the timestamps, colours and controls clean removes, whitespace collapsed; `texts`),
not line by line, and exactly as the windows' texts are made (`pubdoctor.diagnose.reader.clean`,
tests/diagnose/test_united.py checks it on any lines): a line whose cleaning is not plain (a
workflow command, a quote marker, a progress bar's ``\\r``, a raw ``%0A``, a line longer than
MAX_TEXT, bytes that are not UTF-8) keeps its run, unjudged. A pattern with anchors or
lookarounds is searched without them (`relaxed`): it then asks less of the text, and matches
wherever the pattern matches.

Only the patterns whose ask the block meets (`pubdoctor.diagnose.words.Centers.met`) are
searched: a pattern that matches in a window holds there what it asks, so the block does (a
line the view does not read whole is in an unjudged run). Nor is a pattern whose match cannot
start in the block (`may_start`: every match starts with one of a few literals, `prefixes`, and
the block's view holds none of them as a match's text would have it); where no pattern is left,
the runs' text is not even made. Where the patterns left are few (FEW), each is searched in the
runs' text at once; where more, only those whose anchors the text holds. In an ASCII text, an
expression is tried only where its prefixes are (a case-insensitive search cannot skip ahead).
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator

from pubdoctor.diagnose import reader
from pubdoctor.diagnose.causes import Pattern
from pubdoctor.diagnose.reader import MAX_TEXT
from pubdoctor.diagnose.words import CONTROLS

#: clean's timestamp, after each line end of a text (``\n`` first: the search jumps from one line
#: end to the next), with its leading whitespace within the line
assert reader._TIMESTAMP.pattern.startswith("^\\ufeff?\\s*"), "reader._TIMESTAMP changed: update united"
_TIMESTAMPS = re.compile("\n\\ufeff?[^\\S\n]*" + reader._TIMESTAMP.pattern[len("^\\ufeff?\\s*"):])
#: clean's ANSI expression, line by line
_ANSI = re.compile(reader.ANSI_IN_LINES)
#: a line ``unquote`` may change: a ``>`` among its first 16 characters (after a line end)
_QUOTED = re.compile(r"\n[^\n]{0,15}>")
#: ``\r`` at a line's end (clean strips it; one within a line is a progress bar's frames)
_LINE_END_CR = re.compile(r"\r+(?=\n|\Z)")
#: what clean reads otherwise at the start of a line, once the timestamp, colours and controls
#: are gone: a workflow command or an annotation word (after a line end)
_COMMAND = re.compile(r"\n[^\S\n]*(?:##\[|::|Error:|Warning:|Notice:)")


_LOOKAROUNDS = ("(?=", "(?!", "(?<=", "(?<!")


def union_safe(regex: str) -> bool:
    """Whether an expression matches a part of a text wherever the part is: it holds no anchor
    (``^``, ``$``, ``\\A``, ``\\Z``) and no lookaround."""
    return relaxed(regex) == regex


@functools.lru_cache(maxsize=None)
def relaxed(regex: str) -> str:
    """The expression without its anchors (``^``, ``$``, ``\\A``, ``\\Z``) and lookarounds: it
    matches wherever the expression matches (each asks less of the text), and anywhere a part
    of a text it matches is (`union_safe`). Read from its source: escapes and character classes
    are skipped whole (a ``^`` that negates a class is no anchor), a lookaround to its closing
    parenthesis."""
    kept: list[str] = []
    at = 0
    while at < len(regex):
        end = _token_end(regex, at)
        token = regex[at:end]
        if token in ("^", "$", "\\A", "\\Z"):
            token = ""
        elif regex.startswith(_LOOKAROUNDS, at):
            end, token = _group_end(regex, at), ""
        kept.append(token)
        at = end
    return "".join(kept)


@functools.lru_cache(maxsize=None)
def prefixes(regex: str) -> frozenset[str] | None:
    """Texts (lower case, ASCII) one of which starts every match of ``regex`` in any case, or
    None where that is not known. Read from its source: a branch of a top-level alternation
    starts with its first characters that are literal and not optional, or with a group's own
    prefixes (with what follows it too, where the group may be absent); ``\\b`` asks no
    character. (So a case-insensitive search may look for these texts first: the expression is
    then tried only where one of them is.)"""
    found: set[str] = set()
    for branch in _branches(regex):
        starts = _branch_prefixes(branch)
        if not starts:
            return None
        found |= starts
    return frozenset(found)


def may_start(view: bytes, pattern: Pattern) -> bool:
    """Whether a match of ``pattern`` may start in a text whose lines' view (`pubdoctor.diagnose.
    words.view`, of lines none of which is flagged: `Centers.view`) is ``view``: where its (relaxed) expression
    has `prefixes`, the view holds one of them as a match's text would put it there.

    A prefix without a space is within one cleaned line, so in the view of that line (it holds
    every word of it, and the prefix is a part of one). A prefix with spaces may be spread over
    lines (the windows' texts join lines with a space): its first word then ends a word of a
    line, so the view holds it followed by whitespace, a line end, or a byte of a character that
    is not ASCII (which may be whitespace to clean)."""
    starts = prefixes(relaxed(pattern.regex))
    if starts is None:
        return True
    for start in starts:
        start = start.lstrip(" ")
        if " " not in start:
            if start.encode() in view:
                return True
        elif _first_word(start.split(" ", 1)[0]).search(view):
            return True
    return False


@functools.lru_cache(maxsize=None)
def _first_word(word: str) -> re.Pattern[bytes]:
    return re.compile(re.escape(word.encode()) + rb"(?:[\s\x80-\xff]|\Z)")


def _branches(regex: str) -> list[str]:
    """The top-level alternatives of ``regex``."""
    branches, depth, start, at = [], 0, 0, 0
    while at < len(regex):
        end = _token_end(regex, at)
        token = regex[at:end]
        depth += {"(": 1, ")": -1}.get(token, 0)
        if token == "|" and depth == 0:
            branches.append(regex[start:at])
            start = end
        at = end
    return [*branches, regex[start:]]


_OPTIONAL = ("?", "*", "{0")
_LITERAL_ESCAPES = frozenset("\\.^$*+?{}[]()|/-'\"` #:,@!%&=<>~;_")


def _branch_prefixes(branch: str) -> set[str] | None:
    literal: list[str] = []
    at = 0
    while at < len(branch):
        end = _token_end(branch, at)
        token = branch[at:end]
        if token in ("\\b", "\\B") and not literal:
            at = end
            continue
        if token == "(":
            close = _group_end(branch, at)
            optional = branch.startswith(_OPTIONAL, close)
            if literal:
                break
            inner = branch[at + 1:close - 1]
            if inner.startswith("?:"):
                inner = inner[2:]
            elif inner.startswith("?P<"):
                inner = inner[inner.index(">") + 1:]
            elif inner.startswith("?"):
                return None
            starts = prefixes(inner)
            if starts is None:
                return None
            if not optional:
                return set(starts)
            rest = _branch_prefixes(branch[close + (1 if branch[close:close + 1] in "?*" else 0):]) \
                if not branch.startswith("{0", close) else None
            return None if rest is None else set(starts) | rest
        if len(token) == 1 and token not in ".^$*+?{}[]()|\\":
            char = token
        elif len(token) == 2 and token[0] == "\\" and token[1] in _LITERAL_ESCAPES:
            char = token[1]
        else:
            break
        if not char.isascii() or branch.startswith(_OPTIONAL, end):
            break
        literal.append(char.lower())
        if branch.startswith(("+", "{"), end):
            break
        at = end
    return {"".join(literal)} if literal else None


def _group_end(regex: str, at: int) -> int:
    """Where the group that opens at ``at`` ends (after its closing parenthesis)."""
    depth, end = 0, at
    while end < len(regex):
        token_end = _token_end(regex, end)
        depth += {"(": 1, ")": -1}.get(regex[end:token_end], 0)
        end = token_end
        if depth == 0:
            break
    return end


def _token_end(regex: str, at: int) -> int:
    """Where the token of ``regex`` at ``at`` ends: an escape, a whole character class, or one
    character."""
    if regex[at] == "\\":
        return at + 2
    if regex[at] != "[":
        return at + 1
    at += 1
    if regex[at:at + 1] == "^":
        at += 1
    if regex[at:at + 1] == "]":  # a ``]`` first in a class is one of its characters
        at += 1
    while at < len(regex) and regex[at] != "]":
        at += 2 if regex[at] == "\\" else 1
    return at + 1


def texts(unions: list[bytes]) -> tuple[str, list[tuple[int, int]], set[int]]:
    """The text of the runs (their ``unions``: whole lines, the last one's line end or not), each
    as the windows' texts are made (cleaned lines joined with single spaces), one after the
    other (with a separator between two); where each run's text is in it (start, end); and the
    runs left unjudged (a line whose cleaning is not plain).

    Each step is one expression, one replacement or one ``in`` over the text of all the runs,
    not one per line; where a step finds what clean reads otherwise, the run it is in is left
    unjudged. (Runs that hold the separator leave every run unjudged.)"""
    unjudged: set[int] = set()
    raws: list[bytes] = []
    for number, raw in enumerate(unions):
        if raw.endswith(b"\n"):
            raw = raw[:-1]
        if len(raw) > MAX_TEXT and max(map(len, raw.split(b"\n"))) > MAX_TEXT:
            unjudged.add(number)
        raws.append(raw)
    raw = (b"\n" + _SEPARATOR + b"\n").join(raws)
    if raw.count(_SEPARATOR) != len(raws) - 1:
        return "", [(0, 0)] * len(raws), set(range(len(raws)))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        parts = []
        for number, part in enumerate(raws):
            try:
                parts.append(part.decode("utf-8"))
            except UnicodeDecodeError:
                parts.append("")
                unjudged.add(number)
        text = "\n\x01\n".join(parts)
    if "\r" in text:
        text = _LINE_END_CR.sub("", text)
        _mark(unjudged, text, (found.start() for found in re.finditer("\r", text)))
    if ">" in text:
        _mark(unjudged, text, (found.start() for found in _QUOTED.finditer("\n" + text)))
    text = _without_timestamps(text, len(raws) - 1)
    if "\x1b" in text or "[?25" in text:
        text = _ANSI.sub("", text)
    if len(raw.translate(None, CONTROLS)) != len(raw) - len(raws) + 1:  # (the separators)
        text = _CONTROL.sub("", text)
    # (one search from line end to line end, not one per command word)
    _mark(unjudged, text, (found.start() for found in _COMMAND.finditer("\n" + text)))
    if "%0" in text:
        _mark(unjudged, text, (found.start() for found in re.finditer("%0[Aa]", text)))
    if text.isascii():
        # the whitespace left is spaces and tabs (controls are gone, a run with a \r is not
        # judged): each run of it becomes one space, and none is left at a line's ends
        text = text.replace("\t", " ")
        while "  " in text:
            text = text.replace("  ", " ")
        joined = text.replace("\n ", "\n").replace(" \n", "\n").strip(" ").replace("\n", " ")
    else:
        joined = " ".join(map(" ".join, map(str.split, text.split("\n"))))
    separators = _separators(joined)
    return joined, list(zip([0, *(at + 2 for at in separators)], [*(at - 1 for at in separators), len(joined)])), \
        unjudged


#: What is put between two runs' lines: a line of one control character that clean removes (so
#: that no line holds it once cleaned) and that no other step changes.
_SEPARATOR = b"\x01"
#: clean's control characters but the separator
_CONTROL = re.compile(reader._CONTROL.pattern.replace("\\x00-\\x08", "\\x00\\x02-\\x08"))
assert _CONTROL.pattern != reader._CONTROL.pattern, "reader._CONTROL changed: update united"


#: GitHub's timestamp as it starts each line of a job's log, its digits as ``0``
_STAMP = b"0000-00-00T00:00:00.0000000Z "
_ZEROS = bytes.maketrans(b"123456789", b"000000000")


def _without_timestamps(text: str, separators: int) -> str:
    """``text`` (lines, ``separators`` of them a separator) without the timestamp clean removes
    at the start of each line. Where every line starts with GitHub's own (29 characters: what
    clean's expression removes there), each is cut after it; else the expression removes each."""
    lines = text.split("\n")
    heads = "".join([line[:29] for line in lines if line != "\x01"]).encode()
    if heads.translate(_ZEROS) == _STAMP * (len(lines) - separators):
        return "\n".join([line if line == "\x01" else line[29:] for line in lines])
    return _TIMESTAMPS.sub("\n", "\n" + text)[1:]


def _separators(text: str) -> list[int]:
    found: list[int] = []
    at = text.find("\x01")
    while at >= 0:
        found.append(at)
        at = text.find("\x01", at + 1)
    return found


def _mark(unjudged: set[int], text: str, places: Iterable[int]) -> None:
    """Add to ``unjudged`` the runs of ``text`` (their lines, separated) that hold ``places``."""
    separators = _separators(text)
    for place in places:
        unjudged.add(bisect_right(separators, place))


#: Patterns that are tried on the runs' text without first looking for their anchors in it.
FEW = 4


def may_match(unions: list[bytes], patterns: Iterable[int], candidates: Callable[[str], list[int]],
              catalogue: tuple[Pattern, ...]) -> list[bool]:
    """For each run (its ``unions``: the lines of its windows), whether a window of it may match
    a live pattern (``patterns``: their numbers in ``catalogue``; ``candidates``: the patterns
    whose folded anchors a folded text holds, as the scanner finds them in a window)."""
    if not unions:
        return []
    joined, bounds, unjudged = texts(unions)
    starts = [start for start, _ in bounds]
    keep = [number in unjudged for number in range(len(unions))]
    live = sorted(set(patterns))
    if len(live) > FEW:
        tried = set(candidates(joined.lower()))
        live = [number for number in live if number in tried]
    lowered = joined.lower() if joined.isascii() else None  # (the same places in an ASCII text)
    for number in live:
        pattern = catalogue[number]
        expression = pattern.compiled
        regex = pattern.regex if union_safe(pattern.regex) else relaxed(pattern.regex)
        if regex != pattern.regex:
            expression = re.compile(regex, pattern.compiled.flags)
        for start, end in _matches(expression, regex, joined, lowered):
            # (a match may go on into the next run's text: each run it holds a part of is kept)
            first = bisect_right(starts, start) - 1
            last = bisect_right(starts, max(start, end - 1)) - 1
            for run in range(first, last + 1):
                keep[run] = True
    return keep


def _matches(expression: re.Pattern[str], regex: str, text: str, lowered: str | None) -> Iterator[tuple[int, int]]:
    """Where ``expression`` matches in ``text``: every match that starts at a place where one of
    its `prefixes` is (in ``lowered``, the text in lower case, when it is ASCII), or else each
    match of one search through it. (A case-insensitive expression cannot skip ahead to a
    literal: trying it where its prefixes are is many times faster, unless they are common.)"""
    starts = prefixes(regex) if lowered is not None else None
    if lowered is None or starts is None or sum(lowered.count(start) for start in starts) > len(text) // 64:
        for found in expression.finditer(text):
            yield found.start(), found.end()
        return
    places: set[int] = set()
    for start in starts:
        at = lowered.find(start)
        while at >= 0:
            places.add(at)
            at = lowered.find(start, at + 1)
    for place in sorted(places):
        tried = expression.match(text, place)
        if tried:
            yield tried.start(), tried.end()
