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
that goes on from one run's text into the next keeps both), with a few expressions over their
bytes (the timestamps, colours and controls clean removes, whitespace collapsed; `texts`),
not line by line, and exactly as the windows' texts are made (`pubdoctor.diagnose.reader.clean`,
tests/diagnose/test_united.py checks it on any lines): a line whose cleaning is not plain (a
workflow command, a quote marker, a progress bar's ``\\r``, a raw ``%0A``, a line longer than
MAX_TEXT, bytes that are not UTF-8) keeps its run, unjudged. A pattern with anchors or
lookarounds is searched without them (`relaxed`): it then asks less of the text, and matches
wherever the pattern matches.

Only the patterns whose ask the block meets (`pubdoctor.diagnose.words.Words.met`) are
searched: a pattern that matches in a window holds there what it asks, so the block does (a
line the view does not read whole is in an unjudged run). Where they are few (FEW), each is
searched in the runs' text at once; where more, only those whose anchors the text holds.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable
from itertools import accumulate

from pubdoctor.diagnose import reader
from pubdoctor.diagnose.causes import Pattern
from pubdoctor.diagnose.reader import MAX_TEXT

#: clean's timestamp, after each line end of a text (``\n`` first: the search jumps from one line
#: end to the next), with its leading whitespace within the line
assert reader._TIMESTAMP.pattern.startswith("^\\ufeff?\\s*"), "reader._TIMESTAMP changed: update united"
_TIMESTAMPS = re.compile("\n\\ufeff?[^\\S\n]*" + reader._TIMESTAMP.pattern[len("^\\ufeff?\\s*"):])
#: clean's ANSI expression, where an unterminated OSC sequence stops at the line's end
_ANSI_OSC = r"\x1b\][^\x07\x1b]*"
assert reader._ANSI.pattern.count(_ANSI_OSC) == 1, "reader._ANSI changed: update united"
_ANSI = re.compile(reader._ANSI.pattern.replace(_ANSI_OSC, r"\x1b\][^\x07\x1b\n]*"))
#: the bytes clean removes as control characters (ASCII: a UTF-8 text holds them only as such)
_CONTROLS = bytes(b for b in range(128) if reader._CONTROL.match(chr(b)))
#: a line ``unquote`` may change: a ``>`` among its first 16 characters (after a line end)
_QUOTED = re.compile(r"\n[^\n]{0,15}>")
#: ``\r`` at a line's end (clean strips it; one within a line is a progress bar's frames)
_LINE_END_CR = re.compile(r"\r+(?=\n|\Z)")
#: what clean reads otherwise at the start of a line, once the timestamp, colours and controls
#: are gone: a workflow command or an annotation word (after a line end)
_COMMANDS = ("##[", "::", "Error:", "Warning:", "Notice:")
_COMMAND = re.compile(r"\n[^\S\n]*(?:##\[|::|Error:|Warning:|Notice:)")
#: a raw workflow command's line breaks (clean splits the line there)
_BREAKS = ("%0A", "%0a")


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
            depth, end = 1, at + 1
            while depth and end < len(regex):
                token_end = _token_end(regex, end)
                depth += {"(": 1, ")": -1}.get(regex[end:token_end], 0)
                end = token_end
            token = ""
        kept.append(token)
        at = end
    return "".join(kept)


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


def texts(data: bytes, spans: list[tuple[int, int]]) -> tuple[str, list[int], set[int]]:
    """The text of the runs at ``spans`` (byte spans of whole lines of ``data``), each as the
    windows' texts are made (cleaned lines joined with single spaces), one after the other
    (joined with a space too); where each run's text starts in it; and the runs left unjudged
    (a line whose cleaning is not plain).

    Each step is one expression or one ``in`` over the text of all the runs, not one per line;
    where a step finds what clean reads otherwise, the run it is in is left unjudged."""
    unjudged: set[int] = set()
    raws: list[bytes] = []
    for number, (start, stop) in enumerate(spans):
        raw = data[start:stop]
        if raw.endswith(b"\n"):
            raw = raw[:-1]
        if len(raw) > MAX_TEXT and max(map(len, raw.split(b"\n"))) > MAX_TEXT:
            unjudged.add(number)
        raws.append(raw)
    # the first line of each run, among the lines of all of them
    firsts = list(accumulate((raw.count(b"\n") + 1 for raw in raws[:-1]), initial=0))
    raw = b"\n".join(raws)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        parts = []
        for number, part in enumerate(raws):
            try:
                parts.append(part.decode("utf-8"))
            except UnicodeDecodeError:
                parts.append("\n" * part.count(b"\n"))
                unjudged.add(number)
        text = "\n".join(parts)
    if "\r" in text:
        text = _LINE_END_CR.sub("", text)
        _mark(unjudged, firsts, text, (found.start() for found in re.finditer("\r", text)))
    if ">" in text:
        _mark(unjudged, firsts, text, (found.start() for found in _QUOTED.finditer("\n" + text)))
    text = _TIMESTAMPS.sub("\n", "\n" + text)[1:]
    if "\x1b" in text or "[?25" in text:
        text = _ANSI.sub("", text)
    if len(raw.translate(None, _CONTROLS)) != len(raw):
        text = reader._CONTROL.sub("", text)
    if any(command in text for command in _COMMANDS):
        _mark(unjudged, firsts, text, (found.start() for found in _COMMAND.finditer("\n" + text)))
    if any(mark in text for mark in _BREAKS):
        _mark(unjudged, firsts, text, (found.start() for found in re.finditer("%0[Aa]", text)))
    lines = list(map(" ".join, map(str.split, text.split("\n"))))
    ends = list(accumulate(map(len, lines)))  # line i of the joined text starts at ends[i - 1] + i
    starts = [ends[first - 1] + first if first else 0 for first in firsts]
    return " ".join(lines), starts, unjudged


def _mark(unjudged: set[int], firsts: list[int], text: str, places: Iterable[int]) -> None:
    """Add to ``unjudged`` the runs (their first lines: ``firsts``) whose lines of ``text``
    (all the runs' lines) hold ``places``."""
    for place in places:
        unjudged.add(bisect_right(firsts, text.count("\n", 0, place)) - 1)


#: Patterns that are tried on the runs' text without first looking for their anchors in it.
FEW = 4


def may_match(data: bytes, spans: list[tuple[int, int]], patterns: Iterable[int],
              candidates: Callable[[str], list[int]], catalogue: tuple[Pattern, ...]) -> list[bool]:
    """For each run (its union at ``spans``), whether a window of it may match a live pattern
    (``patterns``: their numbers in ``catalogue``; ``candidates``: the patterns whose folded
    anchors a folded text holds, as the scanner finds them in a window)."""
    if not spans:
        return []
    joined, starts, unjudged = texts(data, spans)
    keep = [number in unjudged for number in range(len(spans))]
    live = sorted(set(patterns))
    if len(live) > FEW:
        tried = set(candidates(joined.lower()))
        live = [number for number in live if number in tried]
    for number in live:
        pattern = catalogue[number]
        expression = pattern.compiled
        if not union_safe(pattern.regex):
            expression = re.compile(relaxed(pattern.regex), pattern.compiled.flags)
        for found in expression.finditer(joined):
            # (a match may go on into the next run's text: each run it holds a part of is kept)
            first = bisect_right(starts, found.start()) - 1
            last = bisect_right(starts, max(found.start(), found.end() - 1)) - 1
            for run in range(first, last + 1):
                keep[run] = True
    return keep
