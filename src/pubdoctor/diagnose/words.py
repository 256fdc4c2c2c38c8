"""Which windows of a log hold the words a pattern needs: the scanner's prefilter.

The scanner tries the patterns on a window of lines around each line that holds an anchor.
Where an anchor is common text (a web server's ``404 Not Found`` on every fourth line of a
log), cutting, decoding and cleaning every such window costs a hundred microseconds a line.
But an expression matches only a text that holds what every match of it holds: twine's
``HTTPError: 404 Not Found from https://...`` holds ``error`` and ``://`` (the pattern's
`needs`), and a pattern is tried only where one of its anchors is, so it needs the words of one
of its anchors. A window none of whose lines holds a word of a live pattern (one word stands
for each: `words_of`) can match nothing: it is not cut (`Words.holds`); nor is a window where no
live pattern finds all it needs (`Words.may_match`, before the window is decoded and cleaned).

Where many windows of a block are such, the lines whose window may match are found for the
whole block at once (`Words.centers`): where each word is, as a set of lines, is found in one
pass over the block; a window holds a word where one of its lines does, and a pattern's ask
(`block_required`: a little less than what `Words.may_match` checks, so never more windows
are left out) is met where those sets, widened by a window, meet as it asks. No window is cut
nor searched one by one. Of what a pattern asks, a part that many lines of the block hold
(more hits than the block has windows' widths: ``://`` on every access line of a web server)
is not placed on its lines, unless it is the part the fewest lines hold (`SPARING`): the lines
found are then more, never fewer (their runs are matched as a whole, `pubdoctor.diagnose.united`),
and a common word costs no step per hit. The patterns whose ask the block meets are kept
(`Centers.met`): no other can match in a window whose lines the view reads whole.

The words are looked for in the raw bytes, not in the cleaned text that the patterns read
(`reader.clean`), through a *view* of the bytes that holds every word the cleaned text holds:

- ANSI codes are removed (as clean removes them: a word coloured in two halves is whole
  again), then the control characters clean removes; ``\\r`` (a progress bar's frames: clean
  keeps the last one) becomes a space;
- ASCII letters are lower-cased, and the four letters that match an ASCII letter in any case
  (``İ ı ſ K``, for Python's ``re.IGNORECASE`` and ``str.lower``) become that letter;
- what else clean removes only shortens a line at its start (the timestamp, quote markers,
  ``##[error]``, ``Error:``) or splits it at whitespace, which loses no word of the text.

A line that clean changes otherwise is *flagged*, as if it held a word: a line longer than
MAX_TEXT (clean cuts it and adds `` [...]``) and a raw workflow command (``%0A``: clean splits
it there and decodes ``%0D`` and ``%25``). A word is a run of ASCII without whitespace, so a
word of the cleaned text is always within one line; and the view of a block is, line by line,
the view of each of its lines, so a word is found in a block's view on the lines where a
window's view finds it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from operator import itemgetter
from typing import Any

from pubdoctor.diagnose import reader
from pubdoctor.diagnose.causes import Pattern
from pubdoctor.diagnose.reader import MAX_TEXT

#: clean's ANSI expression on bytes, line by line (`reader.ANSI_IN_LINES`): removing the codes of
#: a block is removing those of each line
_ANSI = re.compile(reader.ANSI_IN_LINES.encode())
#: the colours (SGR codes) that most coloured logs hold, and no other code
_SGR = re.compile(rb"\x1b\[[0-9;]*m")
#: the bytes clean removes as control characters (ASCII only)
CONTROLS = bytes(b for b in range(128) if reader._CONTROL.match(chr(b)))
_LOWER = bytes.maketrans(bytes(range(ord("A"), ord("Z") + 1)) + b"\r",
                         bytes(range(ord("a"), ord("z") + 1)) + b" ")
#: the letters (UTF-8) that ``re.IGNORECASE`` or ``str.lower`` equate with an ASCII letter
LETTERS = (("\u0130", b"i"), ("\u0131", b"i"), ("\u017f", b"s"), ("\u212a", b"k"))
_LETTERS = tuple((letter.encode(), ascii_letter) for letter, ascii_letter in LETTERS)
#: what flags a line clean splits and decodes (in the view: lower case)
MARKS = (b"%0a",)
_WORD = re.compile(r"[!-~]+")


def view(raw: bytes) -> bytes:
    """The bytes with every word of their cleaned lines, lower-cased, and as many lines."""
    if b"\x1b" in raw or b"[?25" in raw:
        raw = strip_ansi(raw)
    folded = raw.translate(_LOWER, CONTROLS)
    if not folded.isascii():
        for letter, ascii_letter in _LETTERS:
            if letter in folded:
                folded = folded.replace(letter, ascii_letter)
    return folded


#: Words of CI logs at large: any word of an anchor would do (the anchor holds them all), and
#: a window is cut for each line near one, so another word of the anchor is taken where it has one.
COMMON = frozenset((
    "error", "errors", "failed", "failure", "upload", "uploaded", "uploading", "token", "file", "files",
    "project", "release", "request", "requests", "version", "versions", "publish", "publishing",
    "workflow", "workflows", "invalid", "allowed", "found", "python", "build", "distribution",
    "distributions", "metadata", "package", "packages", "missing", "status", "code", "with", "unable",
    "cannot", "not", "the", "for", "and", "was", "are",
))


def _rarity(word: str) -> tuple[bool, int]:
    """How rare a word may be in a log: a long one that is not common, then the longest (a short
    word is found inside many others)."""
    return len(word) >= 5 and word.strip("'`().,:") not in COMMON, len(word)


def strip_ansi(raw: bytes) -> bytes:
    """The bytes without the ANSI codes clean removes. When every ESC starts a colour (``ESC [
    1;31 m``, which clean's expression removes whole too) and no ``[?25`` is there, removing the
    colours is the same, four times faster."""
    plain, removed = _SGR.subn(b"", raw)
    if removed == raw.count(b"\x1b") and b"[?25" not in raw:
        return plain
    return _ANSI.sub(b"", raw)


def words_of(pattern: Pattern) -> tuple[str, ...]:
    """The words one of which any window a pattern matches in holds: the first of its `needs`,
    or else a word of each anchor (it is tried only where an anchor is; the one of `_rarity`);
    ``()`` if an anchor has none."""
    if pattern.needs:
        return tuple(word.lower() for word in pattern.needs[0].split("|"))
    found: list[str] = []
    for anchor in pattern.anchors:
        words = _WORD.findall(anchor.lower())
        if not words:
            return ()
        found.append(max(words, key=_rarity))
    return tuple(found)


def long_lines(data: bytes) -> list[int]:
    """The indexes of the lines of ``data`` longer than MAX_TEXT bytes, ascending.

    Such a line holds, whatever its start, a whole stretch ``[k * step, (k + 1) * step)`` of half
    MAX_TEXT: a few hundred short searches per megabyte find them (not one per line)."""
    step = MAX_TEXT // 2
    found: list[int] = []
    index = counted = 0
    line_end = -1
    for probe in range(0, len(data), step):
        if probe <= line_end or data.find(b"\n", probe, probe + step) >= 0:
            continue
        start = data.rfind(b"\n", 0, probe) + 1
        end = data.find(b"\n", probe)
        line_end = end if end >= 0 else len(data)
        if line_end - start > MAX_TEXT:
            index += data.count(b"\n", counted, start)
            counted = start
            found.append(index)
    return found


Required = tuple[tuple[tuple[bytes, ...], ...], tuple[tuple[bytes, ...], ...]]


def required(pattern: Pattern) -> Required:
    """What a window a pattern is tried in holds: every word of one of its anchors, and one word
    of each entry of its `needs`."""
    anchors = tuple(tuple(word.encode() for word in _WORD.findall(anchor.lower())) for anchor in pattern.anchors)
    needs = tuple(tuple(word.lower().encode() for word in entry.split("|")) for entry in pattern.needs)
    return anchors, needs


def block_required(pattern: Pattern) -> Required:
    """Less than `required`, looked for in a whole block at once (`Words.centers`): of each
    anchor, its rarest word only (`_rarity`: all the words of every anchor would find ``a`` and
    ``not`` on every line), and every word of each entry of its `needs`. A window that holds
    what `required` asks holds this."""
    anchors, needs = required(pattern)
    chosen = tuple((max(words, key=lambda word: _rarity(word.decode())),) if words else () for words in anchors)
    return chosen, needs


def spread(lines: int, width: int) -> int:
    """``lines`` (a set of lines, `Centers`) with line ``i`` added where a line of ``lines`` in
    ``[i, i + width)`` is: a window of ``width`` lines from line ``i`` holds one of them. (A few
    shifts, each doubling the lines covered, not one per line of the window.)"""
    covered = 1
    while covered < width:
        step = min(covered, width - covered)
        lines |= lines >> step
        covered += step
    return lines


class Centers:
    """The lines of a block around which a window may match (`Words.centers`).

    A set of lines of a block is an integer, bit ``i`` for line ``i``: made from a bytearray of
    bits in one step, and anded, ored and shifted by whole lines in one operation each. Here
    it is spelled out, a character ``0`` or ``1`` a line.

    With them, what else the block's words told: ``met``, the live patterns (by their place in
    the `Words`' patterns) whose ask the block meets (no other can match in a window of it), and
    ``view``, the block's view where it holds every word of every cleaned line (no line is
    flagged), else None."""

    def __init__(self, lines: int, count: int, met: list[int] | None = None, view: bytes | None = None) -> None:
        self._text = format(lines, f"0{count}b")[::-1] if lines > 0 else ""
        self._count = count
        self.met: list[int] = met or []
        self.view = view

    def __contains__(self, index: int) -> bool:
        return 0 <= index < len(self._text) and self._text[index] == "1"

    def runs(self) -> list[tuple[int, int]]:
        """The runs of such lines, as (first, last) line index, ascending."""
        return [(found.start(), found.end() - 1) for found in _ONES.finditer(self._text)]

    def keeping(self, runs: Iterable[tuple[int, int]]) -> Centers:
        """These lines, those of ``runs`` only (some of `runs`)."""
        lines = sum(((1 << (high + 1 - low)) - 1) << low for low, high in runs)
        return Centers(lines, self._count, self.met, self.view)


_ONES = re.compile("1+")


def _meets(text: bytes, need: Required) -> bool:
    anchors, needs = need
    return any(all(word in text for word in words) for words in anchors) \
        and all(any(word in text for word in words) for words in needs)


class Words:
    """The words of the live patterns, and where a text holds one.

    ``groups``: for each live pattern (``patterns``), the words one of which a window it may match
    in holds (`words_of`); ``build``: an Aho-Corasick automaton of byte keys, leftmost-first or
    (``overlapping``) reporting every key, or None to search with ``bytes.find``.
    """

    def __init__(self, groups: Iterable[tuple[str, ...]], patterns: Iterable[Pattern],
                 build: Callable[[list[bytes], bool], Any]) -> None:
        encoded = [tuple(word.encode() for word in group) for group in groups]
        #: a live pattern has no word: every line may hold what it matches
        self.every = not all(encoded)
        self.keys: tuple[bytes, ...] = tuple(sorted({word for group in encoded for word in group} | set(MARKS)))
        self._automaton = None if self.every else build(list(self.keys), False)
        self._every_key = None if self.every else build(list(self.keys), True)
        #: the live patterns that each word stands for, and what each of them needs (`may_match`)
        patterns = list(patterns)
        self._needs = [required(pattern) for pattern in patterns]
        self._patterns_of: dict[bytes, list[int]] = {}
        for number, group in enumerate(encoded):
            for word in group:
                self._patterns_of.setdefault(word, []).append(number)
        #: what the live patterns ask of a window in a whole block (`centers`): made when first needed
        self._patterns = patterns
        self._build = build
        self._block: _Block | None = None

    def holds(self, lines: list[bytes]) -> bool:
        """Whether one of ``lines`` (a window) holds a word or is flagged."""
        if self.every or any(len(line) > MAX_TEXT for line in lines):
            return True
        text = view(b"\n".join(lines))
        if self._automaton is not None:
            return bool(self._automaton.find_matches_as_indexes(text))
        return any(key in text for key in self.keys)

    def may_match(self, lines: list[bytes]) -> bool:
        """Whether a live pattern may match in a window (``lines``) that holds a word: it holds
        all words of one of its anchors, and what each of its needs asks (checked before the
        window is decoded and cleaned: a web server's status line near an error line that holds
        none of the URL twine's says is not matched)."""
        if self.every or any(len(line) > MAX_TEXT for line in lines):
            return True
        text = view(b"\n".join(lines))
        if any(mark in text for mark in MARKS):
            return True
        if self._every_key is not None:
            present = {self.keys[index] for index, _, _ in
                       self._every_key.find_matches_as_indexes(text, overlapping=True)}
        else:
            present = {key for key in self.keys if key in text}
        numbers = {number for word in present for number in self._patterns_of.get(word, ())}
        return any(_meets(text, self._needs[number]) for number in numbers)

    def centers(self, data: bytes, behind: int, ahead: int, count: int | None = None) -> Centers:
        """The lines of ``data`` (a block of ``count`` lines) around which a window (``behind``
        lines before the line, ``ahead`` after, as far as the block goes) may match: it holds
        what a live pattern asks (`block_required`), or a flagged line (a mark, or longer than
        MAX_TEXT).

        Where each word is is found once for the whole block, as a set of lines (`Centers`);
        the window around line ``i`` holds a word where one of those lines is in ``[i - behind,
        i + ahead]`` (`spread`), and a pattern's ask is met where those sets meet as it asks: a
        few operations on integers of one bit per line, whatever the number of lines or of
        windows (the windows are never cut nor searched one by one). Only the words of the asks
        that the whole block meets are placed on their lines."""
        if count is None:
            count = data.count(b"\n") + 1
        every = (1 << count) - 1
        if self.every:
            return Centers(every, count, list(range(len(self._patterns))))
        if self._block is None:
            self._block = _Block(self._patterns, self._build)
        text = view(data)
        hits = self._block.hits(text)
        tally = Counter(map(_NUMBER, hits))
        long = long_lines(data)
        whole = text if not long and not any(number in tally for number in range(len(MARKS))) else None
        met_asks = [number for number, (anchors, needs) in enumerate(self._block.asks)
                    if all(any(word in tally for word in entry) for entry in needs)
                    and any(all(word in tally for word in words) for words in anchors)]
        met_patterns = sorted(pattern for number in met_asks for pattern in self._block.askers[number])
        asks = [self._block.asks[number] for number in met_asks]
        # each ask's parts that are placed on their lines: its rarest, and those that fewer
        # lines hold than there are windows in the block (one held on every few lines is in
        # most windows: placing it would cost a step per hit and leave out little)
        common = max(1, count // (behind + ahead + 1)) if SPARING else None
        placed = [_placed(anchors, needs, tally, common) for anchors, needs in asks]
        wanted = {number for (anchors, needs), (anchors_placed, needs_placed) in zip(asks, placed)
                  for group in (*(anchors if anchors_placed else ()), *needs_placed) for number in group}
        wanted.update(range(len(MARKS)))
        wanted &= tally.keys()
        found = lines_of(text, _of_keys(text, hits, wanted, tally, self._block.keys), count)
        width = behind + ahead + 1
        near: dict[int, int] = {}

        def around(number: int) -> int:
            """The lines whose window holds a line that holds word ``number`` (none if none)."""
            lines = near.get(number)
            if lines is None:
                held = found.pop(number, None)
                lines = near[number] = spread(int.from_bytes(held, "little") << behind, width) if held else 0
            return lines

        total = 0
        for line in long:
            total |= 1 << line
        total = spread(total << behind, width)
        for number in range(len(MARKS)):
            total |= around(number)
        for (anchors, _), (anchors_placed, needs) in zip(asks, placed):
            met = -1  # (every line: ``-1 & x`` is ``x``)
            for entry in needs:
                either = 0
                for number in entry:
                    either |= around(number)
                met &= either
            if not anchors_placed:
                total |= met
                continue
            either = 0
            for words in anchors:
                held = met
                for number in words:
                    held &= around(number)
                either |= held
            total |= either
        return Centers(total & every, count, met_patterns, whole)


def _of_keys(text: bytes, hits: list[tuple[int, int, int]], wanted: set[int], tally: Counter[int],
             keys: tuple[bytes, ...]) -> list[tuple[int, int, int]]:
    """The ``hits`` on the ``wanted`` keys: taken from them, or, where they are few among many
    (``tally``: the hits of each key), found again in ``text`` (every occurrence, as the hits
    have them: one ``find`` each rather than a step for every hit)."""
    if not wanted:
        return []
    if sum(tally[number] for number in wanted) * 8 > len(hits):
        return [hit for hit in hits if hit[0] in wanted]
    found = []
    for number in wanted:
        key = keys[number]
        at = text.find(key)
        while at >= 0:
            found.append((number, at, at + len(key)))
            at = text.find(key, at + 1)
    return found


#: Whether the parts of an ask that many lines hold are left unplaced (`Words.centers`: the
#: lines found are then more, never fewer; False: every part placed, for tests to compare).
SPARING = True


def _placed(anchors: tuple[tuple[int, ...], ...], needs: tuple[tuple[int, ...], ...], tally: Counter[int],
            common: int | None) -> tuple[bool, tuple[tuple[int, ...], ...]]:
    """Which parts of an ask (its anchors, each of its needs) are placed on their lines: the
    rarest (by the hits of its words: at most so many lines hold it), and every part that
    ``common`` lines or fewer hold (``None``: every part). An anchor without a word is on every
    line: never placed."""
    weights = [sum(tally[number] for number in entry) for entry in needs]
    if all(anchors):
        weights.append(sum(min(tally[number] for number in words) for words in anchors))
    if not weights:
        return False, ()
    rarest = weights.index(min(weights))
    keep = [common is None or weight <= common or number == rarest for number, weight in enumerate(weights)]
    anchors_placed = bool(all(anchors) and keep[-1])
    return anchors_placed, tuple(entry for entry, kept in zip(needs, keep) if kept)


class _Block:
    """What the live patterns ask of a window (`block_required`), each distinct ask once, its
    words by their index in ``keys`` (the marks first), and an automaton of the keys that
    reports every overlapping one (or None: ``bytes.find``)."""

    def __init__(self, patterns: Iterable[Pattern], build: Callable[[list[bytes], bool], Any]) -> None:
        asked = [block_required(pattern) for pattern in patterns]
        asks = sorted(set(asked))
        #: the patterns (by their place in ``patterns``) that ask each ask
        self.askers: list[list[int]] = [[] for _ in asks]
        place = {ask: number for number, ask in enumerate(asks)}
        for number, ask in enumerate(asked):
            self.askers[place[ask]].append(number)
        self.keys: tuple[bytes, ...] = (*MARKS, *sorted(
            {word for anchors, needs in asks for group in (*anchors, *needs) for word in group} - set(MARKS)))
        number_of = {key: number for number, key in enumerate(self.keys)}
        self.asks = [(tuple(tuple(number_of[word] for word in words) for words in anchors),
                      tuple(tuple(number_of[word] for word in entry) for entry in needs)) for anchors, needs in asks]
        self._automaton = build(list(self.keys), True)

    def hits(self, text: bytes) -> list[tuple[int, int, int]]:
        """Where the keys are in ``text`` (a view), as (key index, start, end): every occurrence
        (overlapping ones too) with the automaton, one per line at least without it; in no
        particular order."""
        if self._automaton is not None:
            hits: list[tuple[int, int, int]] = self._automaton.find_matches_as_indexes(text, overlapping=True)
        else:
            hits = []
            for number, key in enumerate(self.keys):
                at = text.find(key)
                while at >= 0:
                    hits.append((number, at, at + len(key)))
                    end = text.find(b"\n", at)  # (the next line: one hit per line suffices)
                    at = text.find(key, end) if end >= 0 else -1
        return hits


def lines_of(text: bytes, hits: list[tuple[int, int, int]], count: int) -> dict[int, bytearray]:
    """For each key of ``hits`` (key index, start, end in ``text``, of ``count`` lines): the
    lines that hold it, one bit per line (bit ``i % 8`` of byte ``i // 8`` for line ``i``). The
    hits are taken in the order they start, counting the line ends from one line with a hit
    to the next."""
    size = count // 8 + 1
    found: dict[int, bytearray] = {}
    index = counted = 0
    line_end = -1
    for number, start, _ in sorted(hits, key=_START):
        if start > line_end:
            index += text.count(b"\n", counted, start)
            counted = start
            end = text.find(b"\n", start)
            line_end = end if end >= 0 else len(text)
        lines = found.get(number)
        if lines is None:
            lines = found[number] = bytearray(size)
        lines[index >> 3] |= 1 << (index & 7)
    return found


_NUMBER, _START = itemgetter(0), itemgetter(1)
