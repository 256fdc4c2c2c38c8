"""The scan: read a log once, in blocks, and collect what the patterns match.

Most of a real log is noise (dependency installs, builds, test output). A block (1 MiB) is
searched once for all the patterns' anchors (`Finder`: an Aho-Corasick automaton); only the
lines around a hit are decoded, cleaned and matched, against every pattern, with a window of
a few lines before and after, so that messages wrapped over several lines still match. A block carries its last lines
into the next one (a long one cut), so a window never misses lines at a block boundary.

What a hit costs is bounded whatever recurs: a hit line is found once however many anchors it
holds; what a recurring line is (its kinds, the files an upload line names) is told once by its
text without the timestamp; a window that holds no word a live pattern needs (`words`: no
pattern can match there, however common its anchors) is not cut nor cleaned, and once a block
has many such windows, the lines whose window may match are found for the whole block at once
(`Words.centers`) and the other hits are not even looked at, nor those of a run of such lines
whose windows, matched once as one text, match nothing (`united`); a line whose windows matched
nothing new FUTILE times is skipped
before its window is cut; a pattern matched MAX_MATCHES_PER_PATTERN times leaves the automaton;
only the last upload lines (read from the end of each block back) and the last error lines of
a part are read.

Memory is bounded whatever the size of the log: one block, a few matches per pattern, the
first claims, and a few lines that look like errors.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import field
from itertools import accumulate
from operator import itemgetter
from typing import Any, BinaryIO, cast

from pubdoctor.diagnose import united
from pubdoctor.diagnose.causes import PATTERNS, Pattern
from pubdoctor.diagnose.claims import Claims, parse_bullets, parse_rust_debug
from pubdoctor.diagnose.reader import MAX_TEXT, Clean, chunks, clean, decode, indent
from pubdoctor.diagnose.words import Centers, Words, words_of
from pubdoctor.records import record

#: Lines of context read before and after a hit line.
BEHIND = 4
AHEAD = 8
#: Lines read after a claims anchor (eight bullets, or a pretty-printed Rust struct).
CLAIMS_AHEAD = 12
#: Bounds on what is kept.
MAX_MATCHES_PER_PATTERN = 3
#: Windows in a row around the same recurring line that matched nothing new before that line
#: is no longer matched.
FUTILE = 8
#: Windows of a block looked at one by one for the words of the live patterns (`Words`) that
#: held none, or not all some pattern needs, before the lines whose window may match are found
#: for the whole block at once (`Words.centers`).
PROBES = 32
#: Whether the runs of windows that may match are matched first as a whole (`united`), and
#: left out where that matches nothing (False: each window on its own, for tests to compare).
UNITED = True
MAX_EVIDENCE = 12
FIRST_ERRORS = 8
#: Lines that continue an error line (twine's indented reason from the index), shown with it.
CONTINUATION = 4
#: The first error-looking lines are looked for in the first bytes of each part only (the
#: last ones in its last blocks): test names full of "error" must not slow the whole scan.
FIRST_ERRORS_BYTES = 4 << 20
LAST_ERRORS = 12

_CLAIM_ANCHORS = (b"OidcTokenClaims", b"`sub`")
_UPLOAD_ANCHORS = (b"Uploading ", b"Checking dist", b"Failed to publish")
#: GitHub opens each step's output with ``##[group]Run <the step>``.
_STEP_ANCHORS = (b"##[group]Run ",)
#: Words of lines that may look like errors (for an ``unknown`` answer).
_ERROR_ANCHORS = (b"rror", b"ERROR", b"ailed", b"atal", b"xception", b"Forbidden", b"Bad Request",
                  b"enied", b"can't open file", b"unbound variable", b"<title>", b"command not found",
                  b"No such file or directory")
#: The key lines of failures that carry no error word: a missing script, bash's ``set -u``, the
#: HTML title of an index's answer (``<title>400 ...</title>`` in twine --verbose).
_KEY_LINES = r"can't open file|unbound variable|<title>\s*[45]\d\d\b|command not found|No such file or directory"
_ERRORISH = re.compile(
    r"\b(?:error|errors?:|failed|failure|fatal|exception|traceback|forbidden|bad request|denied)\b"
    r"|exit code [1-9]|Error\b|" + _KEY_LINES, re.IGNORECASE)
_NOT_ERRORISH = re.compile(r"\b0 errors?\b|\berrors?=0\b|continue-on-error|if-no-files-found: error", re.IGNORECASE)
_FRAMING = re.compile(r"HTTPError|HTTP Error|Caused by:|^error:|Error during upload|Upload failed"
                      r"|exchange failure|Token request failed|TrustedPublishingFailure|InvalidDistribution",
                      re.IGNORECASE)
_FILENAME = re.compile(r"(?:Uploading|Checking|Failed to publish)\s+`?(?:\S*/)?"
                       r"(?P<file>[A-Za-z0-9_.+!-]+\.(?:whl|tar\.gz|zip|egg))")


def _minimal(anchors: Iterable[str]) -> tuple[bytes, ...]:
    """The anchors without those that contain another one (a hit on the shorter suffices)."""
    unique = sorted(set(anchors), key=len)
    kept: list[str] = []
    for anchor in unique:
        if not any(k in anchor for k in kept):
            kept.append(anchor)
    return tuple(a.encode() for a in kept)


PATTERN_ANCHORS = _minimal(a for p in PATTERNS for a in p.anchors)
#: the words one of which a window must hold for each pattern to be tried in it (`Words`)
WORDS = tuple(words_of(p) for p in PATTERNS)
#: each pattern's anchors as they read in a window's joined text: whitespace collapsed, lower case
_FOLDED_ANCHORS = tuple(tuple(" ".join(a.split()).lower() for a in p.anchors) for p in PATTERNS)
#: the folded anchors, and the patterns (by number, in order) that each one guards
_FOLDED = tuple(sorted({a for anchors in _FOLDED_ANCHORS for a in anchors}))
_GUARDED = tuple(tuple(n for n, anchors in enumerate(_FOLDED_ANCHORS) if a in anchors) for a in _FOLDED)

#: Everything searched in every block; the error words only at the start of each part.
#: (The step a match is in is found by looking back from the match, not by a hit per step.)
KEYS = _minimal([*(a.decode() for a in PATTERN_ANCHORS), *(a.decode() for a in _CLAIM_ANCHORS),
                 *(a.decode() for a in _UPLOAD_ANCHORS)])
ERROR_KEYS = tuple(k for k in _ERROR_ANCHORS if k not in KEYS)


#: What the line of a hit on a key may hold (`_roles`): a pattern's anchor, a claims anchor, an
#: upload anchor, an error word (a key of the first error lines).
_MAY_PATTERN, _MAY_CLAIMS, _MAY_UPLOAD, _MAY_ERROR = 1, 2, 4, 8


def _roles(keys: tuple[bytes, ...], patterns: Iterable[bytes], claims: Iterable[bytes],
           uploads: Iterable[bytes], errors: Iterable[bytes] = ()) -> tuple[int, ...]:
    """For each key, what a line that a hit on it is reported for may hold.

    The search reports, of keys that overlap in a line, the leftmost one only; so a line that
    holds an anchor gets a hit on a key that overlaps that anchor (it shares a byte with it).
    A key that overlaps no anchor but upload anchors is then found only on lines that hold no
    anchor of a pattern nor of the claims (those get their own hits), and so on.
    """
    patterns = tuple(patterns)
    claims, uploads = tuple(claims), tuple(uploads)
    known = set(patterns)
    error_keys = set(errors)
    roles: list[int] = []
    for key in keys:
        role = _MAY_ERROR if key in error_keys else 0
        if key in known or any(_overlap(key, anchor) for anchor in patterns):
            role |= _MAY_PATTERN
        if any(_overlap(key, anchor) for anchor in claims):
            role |= _MAY_CLAIMS
        if any(_overlap(key, anchor) for anchor in uploads):
            role |= _MAY_UPLOAD
        roles.append(role)
    return tuple(roles)


def _overlap(a: bytes, b: bytes) -> bool:
    """Whether an occurrence of ``a`` and one of ``b`` in a text can share a byte."""
    return a in b or b in a or _tail_is_head(a, b) or _tail_is_head(b, a)


def _tail_is_head(a: bytes, b: bytes) -> bool:
    """Whether a proper suffix of ``a`` is a proper prefix of ``b``."""
    at = a.find(b[:1], max(1, len(a) - len(b) + 1))
    while at >= 0:
        if b.startswith(a[at:]):
            return True
        at = a.find(b[:1], at + 1)
    return False


def _automaton(keys: list[bytes] | list[str], engine: str, dfa: bool = False, every: bool = False) -> Any:
    """An ahocorasick-rs automaton of ``keys`` (bytes or text), or None with ``engine="find"``
    or where ahocorasick-rs cannot be imported: each caller then searches its own slower way.

    ``dfa``: leftmost-first matches from a DFA, for a search that needs one hit per line
    rather than every overlapping one; ``every``: a DFA that can report every overlapping key
    (twice as fast as the default NFA on a block)."""
    if engine == "find" or not keys:
        return None  # (no keys: the callers' own search finds nothing just as fast)
    try:
        import ahocorasick_rs
    except ImportError:  # pragma: no cover - depends on the platform
        return None
    try:
        options: dict[str, Any] = {}
        if dfa:
            options = {"matchkind": ahocorasick_rs.MatchKind.LeftmostFirst,
                       "implementation": ahocorasick_rs.Implementation.DFA}
        elif every:
            options = {"implementation": ahocorasick_rs.Implementation.DFA}
        if isinstance(keys[0], bytes):
            return ahocorasick_rs.BytesAhoCorasick(cast("list[bytes]", keys), **options)
        return ahocorasick_rs.AhoCorasick(cast("list[str]", keys), **options)
    except AttributeError:  # pragma: no cover - an ahocorasick-rs without these options
        return None


class Finder:
    """All positions of any of ``keys`` in a block.

    With ahocorasick-rs (a Rust Aho-Corasick automaton) the block is read once whatever the
    number of keys (200+ MB/s); without it, one ``bytes.find`` pass per key (correct, slower).
    """

    def __init__(self, keys: tuple[bytes, ...], engine: str = "auto") -> None:
        self.keys = keys
        # a DFA: built in a few ms, and twice as fast to run as the default NFA; every line
        # that holds a key gets one hit at least (a hit per line suffices)
        self._automaton = _automaton(list(keys), engine, dfa=True)

    @property
    def engine(self) -> str:
        return "aho-corasick" if self._automaton is not None else "find"

    def hits(self, data: bytes) -> list[tuple[int, int, int]]:
        """The keys found, as (key index, start, end), in the order they start (not every
        overlapping one: a hit per line suffices)."""
        if self._automaton is not None:
            return self._automaton.find_matches_as_indexes(data)  # type: ignore[no-any-return]
        hits: list[tuple[int, int, int]] = []
        for number, key in enumerate(self.keys):
            position = data.find(key)
            while position >= 0:
                hits.append((number, position, position + len(key)))
                position = data.find(key, position + len(key))
        hits.sort(key=lambda hit: hit[1])
        return hits


class _FoldedFinder:
    """The patterns whose folded anchors a window's folded text holds (overlapping anchors
    included), found in one Aho-Corasick pass, or one ``in`` per anchor without it."""

    def __init__(self, engine: str) -> None:
        self._automaton = _automaton(list(_FOLDED), engine)

    def candidates(self, folded: str) -> list[int]:
        if self._automaton is not None:
            found = {index for index, _, _ in self._automaton.find_matches_as_indexes(folded, overlapping=True)}
        else:
            found = {index for index, anchor in enumerate(_FOLDED) if anchor in folded}
        if len(found) == 1:
            return list(_GUARDED[found.pop()])
        return sorted({number for index in found for number in _GUARDED[index]})


@record
class Line:
    """A log line as evidence: where it is (archive member, line number) and its text."""

    number: int
    text: str
    part: str | None = None
    part_index: int = 0
    #: which logical line of a physical one (a raw ``::error::a%0Ab`` holds several)
    sub: int = 0

    def key(self) -> tuple[int, int, int]:
        return (self.part_index, self.number, self.sub)


@record
class Match:
    """One pattern matched on some lines."""

    pattern: Pattern
    lines: list[Line]
    groups: dict[str, str] = field(default_factory=dict)
    #: the step the lines are in (``##[group]Run ...``), when the log shows steps
    step: Line | None = None

    @property
    def key(self) -> tuple[int, int, int]:
        return self.lines[0].key()

    @property
    def cause(self) -> str:
        return self.pattern.cause

    @property
    def kind(self) -> str:
        return self.pattern.kind


@record
class ScanResult:
    """Everything one scan kept."""

    matches: list[Match] = field(default_factory=list)
    claims: Claims | None = None
    claims_lines: list[Line] = field(default_factory=list)
    uploads: list[tuple[Line, str]] = field(default_factory=list)
    first_errors: list[Line] = field(default_factory=list)
    last_errors: list[Line] = field(default_factory=list)
    #: (part index, line number) of an error line -> the first line indented under it (the
    #: reason twine prints under ``HTTPError: 403 Forbidden``), for the error lines kept above
    reasons: dict[tuple[int, int], str] = field(default_factory=dict)
    lines: int = 0
    bytes: int = 0
    parts: list[str] = field(default_factory=list)
    undecodable: Line | None = None


class Scanner:
    """Scans the parts of one log and keeps bounded results."""

    def __init__(self, engine: str = "auto") -> None:
        self.result = ScanResult()
        self._engine = engine
        self._finder = Finder(KEYS, engine)
        self._finder_errors = Finder((*KEYS, *ERROR_KEYS), engine)
        self._tail_finder = Finder(_ERROR_WORDS, engine)
        self._kind_finder = _KindFinder(_KIND_ANCHORS, engine)
        self._folded = _FoldedFinder(engine)
        #: patterns that matched MAX_MATCHES_PER_PATTERN times: their anchors are no longer
        #: searched (the finders are rebuilt at the next block), so a log where the failure
        #: text recurs thousands of times costs one automaton pass per block, not a window per hit
        self._retired: set[int] = set()
        self._futile: dict[bytes, int] = {}
        #: what a recurring line is (by its text without the timestamp), and the files it names
        #: (upload lines are read at the end of their block: `_keep_uploads`)
        self._kinds_cache: dict[bool, dict[bytes, frozenset[str]]] = {False: {}, True: {}}
        #: the bytes of the recurring lines skipped as futile, with the two lines after them: the
        #: same bytes again are skipped at once (valid while the kinds are: both are reset together)
        self._skipped: dict[bool, set[bytes]] = {False: set(), True: set()}
        self._upload_cache: dict[bytes, list[tuple[str, str]]] = {}
        #: the words of the live patterns (`Words`), and what the line of a hit on each key of
        #: ``_finder`` may hold (`_roles`): made when first needed, again after a rebuild
        self._words: Words | None = None
        #: the numbers of `words`' patterns, in its order (`Centers.met` counts places in it)
        self._words_live: list[int] = []
        self._key_roles: dict[bool, tuple[int, ...]] = {}
        self._live_anchors = PATTERN_ANCHORS
        #: whether the last block found the lines whose window may match at once (the next one
        #: starts so)
        self._dense = False
        self._stale = False
        self._counts: dict[int, int] = {}
        self._seen: set[tuple[int, tuple[int, int, int]]] = set()
        self._uploads: deque[tuple[Line, str]] = deque(maxlen=16)
        self._last: dict[tuple[int, int, int], Line] = {}
        self._tail: deque[tuple[bytes, int]] = deque(maxlen=2)
        self._part_index = 0
        self._part_name: str | None = None
        self._part_bytes = 0
        #: the steps that start in the current block (a match is in the last one before it)
        self._steps: list[Line] = []
        self._block_step: Line | None = None

    # --- reading ---------------------------------------------------------------------------

    def scan(self, stream: BinaryIO, name: str | None = None) -> None:
        """Scan one part (a file, or one member of a log archive)."""
        self._part_name = name
        if name is not None:
            self.result.parts.append(name)
        carry: list[bytes] = []
        first = 1  # line number of the first line of ``data``
        done = 0  # hits on lines up to this number were handled
        self._part_bytes = 0
        self._steps = []
        self._block_step = None
        self._dense = False
        for block in chunks(stream):
            self.result.bytes += len(block)
            self._part_bytes += len(block)
            data = b"\n".join(carry) + b"\n" + block if carry else block
            carry, first, done = self._block(data, first, done, final=False)
        if carry:
            self._block(b"\n".join(carry) + b"\n", first, done, final=True)
        self._read_tail()
        self._part_index += 1

    def _read_tail(self) -> None:
        """The last error-looking lines of this part, from its last blocks (a few MB at most).

        Only the last LAST_ERRORS are kept, so the lines are read from the last error-looking
        line back to the one where the last ones start (a line at the left margin: no line
        before it can hold it as its continuation), then forward from there as before; the
        error words are looked for in the lower-cased blocks first, not line by line.
        """
        # each candidate line's number -> (its block's lines, its index there); a line carried
        # into the next block is read from the first block that holds it
        where: dict[int, tuple[list[bytes], int]] = {}
        for data, first in self._tail:
            lines = data.split(b"\n")
            for index in _error_word_lines(data, self._tail_finder):
                where.setdefault(first + index, (lines, index))
        self._tail.clear()
        numbers = sorted(where)
        start = 0
        seen = 0
        for at in range(len(numbers) - 1, -1, -1):
            lines, index = where[numbers[at]]
            if not _ERROR_RAW.search(lines[index]):
                continue
            seen += 1
            if seen > LAST_ERRORS and indent(decode(lines[index])[0]) == 0:
                start = at
                break
        found = self._tail_errors(where, numbers[start:])
        if start and len(found) < LAST_ERRORS:
            found = self._tail_errors(where, numbers)
        for number in sorted(found)[-LAST_ERRORS:]:
            line = found[number]
            self._last[line.key()] = line

    def _tail_errors(self, where: dict[int, tuple[list[bytes], int]], numbers: list[int]) -> dict[int, Line]:
        """The error lines among ``numbers`` (ascending) and their continuations."""
        found: dict[int, Line] = {}
        for number in numbers:
            lines, index = where[number]
            first = number - index
            raw = lines[index]
            if number in found or not _ERROR_RAW.search(raw):
                continue
            text, _ = decode(raw)
            for piece in clean(text):
                if _looks_like_error(piece):
                    found[number] = self._line(number, piece.display)
                    continued = _continuation(lines, index)
                    if continued:
                        self.result.reasons[(self._part_index, number)] = continued[0][1]
                    for following, more in continued:
                        found.setdefault(first + following, self._line(first + following, more))
                    break
        return found

    def _block(self, data: bytes, first: int, done: int, final: bool) -> tuple[list[bytes], int, int]:
        """Handle the hits of one block; return the carried lines, their first number, ``done``.

        Hits on the last lines of a block wait for the next block (their window reaches into
        it); the carried lines come back at the start of the next ``data``.
        """
        count = data.count(b"\n")
        limit = count if final else max(0, count - max(AHEAD, CLAIMS_AHEAD))
        errors = self._wants_errors and self._part_bytes <= FIRST_ERRORS_BYTES
        self._tail.append((data, first))
        if self.result.undecodable is None and not data.isascii():
            try:
                data.decode("utf-8")
            except UnicodeDecodeError as exc:
                self.result.undecodable = self._line(first + data.count(b"\n", 0, exc.start), "")
        if self._stale:
            self._rebuild()
        finder = self._finder_errors if errors else self._finder
        cache: dict[int, list[Clean]] = {}
        steps: tuple[list[int], list[Line]] | None = None  # found when a hit needs them
        line_end = -1  # the end of the line of the last hit: later hits on it are skipped
        index = 0  # line index of ``counted``
        counted = 0
        futile = self._futile
        uploads: list[tuple[int, bytes, bytes]] = []  # the upload lines: where, the line, its key
        kinds_cache = self._kinds_cache[errors]
        skipped = self._skipped[errors]
        # the bytes of the lines whose hits are handled in this block: from the first line after
        # ``done`` to the line ``limit`` (lines are counted only for the hits that are handled)
        region = (_line_start(data, max(0, done - first + 1), count), _line_start(data, limit, count))
        hits = finder.hits(data)
        backward: list[tuple[int, int, int]] = []  # the hits that may be on upload lines
        if not errors and hits:
            # upload lines matter only for the files the last ones name: they are read from
            # the end of the block back (`_upload_lines`), and hits only they may be on are not
            # looked at one by one
            roles = self.key_roles(False)
            if any(roles[number] & _MAY_UPLOAD for number in set(map(itemgetter(0), hits))):
                backward = [hit for hit in hits if roles[hit[0]] & _MAY_UPLOAD]
                hits = [hit for hit in hits if roles[hit[0]] != _MAY_UPLOAD]
        # the lines whose window may match (`Words.centers`), found for the whole block once
        # PROBES windows looked at one by one could not (at once after a block that did): a hit
        # line whose window cannot is not matched, and then no longer even looked at (unless it
        # may be an error line)
        centers: Centers | None = None
        misses = PROBES if self._dense else 0
        pending = hits
        while pending:
            rest: list[tuple[int, int, int]] | None = None  # the hits left once the centers are known
            for _, position, _ in pending:
                if rest is not None:
                    break
                if position <= line_end:
                    continue
                # (searched from the last line's end: a long line with many hits costs one search)
                start = data.rfind(b"\n", line_end if line_end > 0 else 0, position) + 1
                end = data.find(b"\n", position)
                line_end = end if end >= 0 else len(data)
                if start < region[0] or start >= region[1]:
                    continue
                second = data.find(b"\n", end + 1) if end >= 0 else -1
                third = data.find(b"\n", second + 1) if second >= 0 else -1
                if third >= 0 and skipped and data[start:third] in skipped:
                    continue  # the same bytes as a line skipped below (a log without timestamps)
                raw = data[start:end]
                key = _line_key(raw)
                kinds = kinds_cache.get(key)  # a recurring line: known already
                if kinds is None:
                    kinds = _kinds(raw, errors, self._kind_finder)
                    if len(kinds_cache) < 50_000:
                        kinds_cache[key] = kinds
                if "error" in kinds and not self._wants_errors:
                    kinds = kinds - _ERROR_ONLY  # (the first errors were all found in this block)
                if not kinds:
                    continue
                if futile and kinds == _PATTERN_ONLY and end >= 0:
                    # a recurring line already known to match nothing new: skip it before its
                    # window is even cut (the same key `_match_patterns` keeps)
                    if third >= 0:
                        known = b"\n".join((key, _line_key(data[end + 1:second]), _line_key(data[second + 1:third])))
                    else:
                        known = _futile_key(data[start:len(data)].split(b"\n")[:3])
                    if futile.get(known, 0) >= FUTILE:
                        if third >= 0 and len(skipped) < 10_000:
                            skipped.add(data[start:third])
                        continue
                index += data.count(b"\n", counted, start)
                counted = start
                if kinds == _UPLOAD_ONLY:  # the line alone says which file: no window
                    if errors:
                        uploads.append((start, raw, key))
                    continue
                if "pattern" in kinds:
                    if centers is None and misses >= PROBES:
                        centers, spans = self._centers(data, count, errors)
                        after = bisect_right(pending, position, key=itemgetter(1))
                        rest = self._near_hits(data, pending[after:], spans, errors)
                    if centers is not None and index not in centers:
                        kinds = kinds - _PATTERN_ONLY
                        if not kinds or (not errors and kinds == _UPLOAD_ONLY):
                            continue
                lines, offset = _around(data, start, end)
                if "pattern" in kinds:
                    if steps is None:
                        steps = self._steps_of(data, first)
                    self._steps = steps[1]
                if not self._handle(lines, offset, first + index - offset, kinds, cache, centers is None):
                    misses += 1
                if errors and "upload" in kinds:
                    uploads.append((start, raw, key))
            pending = rest or []
        self._dense = centers is not None
        if errors and uploads:
            self._keep_uploads(data, first, reversed(uploads))
        elif backward:
            self._keep_uploads(data, first, self._upload_lines(data, backward, region))
        keep = count - max(0, limit - BEHIND)
        if final or not keep:
            carry: list[bytes] = []
        else:
            carry = data.rsplit(b"\n", keep + 1)[-keep - 1:-1]
        # the last step before the carried lines (they come back in the next block)
        boundary = len(data) - sum(len(c) + 1 for c in carry)
        self._block_step = self._step_before(steps or self._steps_of(data, first), boundary)
        # a carried line is read again with the next block: a long one is carried cut (a line
        # is matched and shown on its first MAX_TEXT characters only), so that lines of a
        # megabyte are not read a dozen times each, nor held a dozen at a time
        carry = [line if len(line) <= _CARRIED else _cut(line) for line in carry]
        if final:
            if self._part_index == 0:
                self.result.lines = first + count - 1
            else:
                self.result.lines += count
            return [], first + count, first + count - 1
        new_first = first + count - len(carry)
        if self._part_index == 0:
            self.result.lines = new_first - 1
        return carry, new_first, first + limit - 1

    def _centers(self, data: bytes, count: int, errors: bool) -> tuple[Centers, list[tuple[int, int]]]:
        """The lines of the block (of ``count`` line ends) whose window may match
        (`Words.centers`), and the spans of bytes of those lines (merged, ascending); while the
        first errors are looked for, with the lines that may look like errors."""
        centers = self.words.centers(data, BEHIND, AHEAD, count + 1)
        # the first and last lines whose hits must be looked at: those whose window (BEHIND
        # before, AHEAD after) may match, and the lines that may look like errors
        wanted = centers.runs()
        if wanted and UNITED:
            judged = self._judged(data, wanted, centers)
            if len(judged) < len(wanted):
                wanted, centers = judged, centers.keeping(judged)
        if errors and self._wants_errors:
            wanted.extend((line, line) for line in _error_word_lines(data, self._tail_finder))
            wanted.sort()
        if not wanted:
            return centers, []
        runs: list[list[int]] = []
        for low, high in wanted:
            if runs and low <= runs[-1][1] + 1:
                runs[-1][1] = max(high, runs[-1][1])
            else:
                runs.append([low, high])
        ends = list(accumulate(map(len, data.split(b"\n"))))  # line i starts at ends[i - 1] + i

        def start(line: int) -> int:
            return 0 if line <= 0 else min(len(data), ends[min(line, len(ends)) - 1] + line)

        return centers, [(start(low), start(high + 1)) for low, high in runs]

    def _judged(self, data: bytes, runs: list[tuple[int, int]], centers: Centers) -> list[tuple[int, int]]:
        """The runs of lines of the block whose windows may match (some of ``runs``, of
        ``centers``): those whose windows, matched as one text, match a live pattern (`united`).
        Only a pattern whose ask the block meets can match in a window of it, and, where the
        block's view holds every word of its lines, only one whose match may start there."""
        live = [n for n in map(self._words_live.__getitem__, centers.met)
                if self._counts.get(n, 0) < MAX_MATCHES_PER_PATTERN]
        if centers.view is not None:
            live = [n for n in live if united.may_start(centers.view, PATTERNS[n])]
        if not live:
            return []
        lines = data.split(b"\n")
        unions = [b"\n".join(lines[max(0, low - BEHIND):high + AHEAD + 1]) for low, high in runs]
        keep = united.may_match(unions, live, self._folded.candidates, PATTERNS)
        return [run for run, kept in zip(runs, keep) if kept]

    def _near_hits(self, data: bytes, hits: list[tuple[int, int, int]],
                   spans: list[tuple[int, int]], errors: bool) -> list[tuple[int, int, int]]:
        """``hits`` without those on lines that only a pattern's anchor may be on and that are not
        in ``spans``: the lines in ``spans`` are searched again (as whole lines, they get the
        same hits), the other hits are kept."""
        if not hits:
            return hits
        roles = self.key_roles(errors)
        if all(roles[number] == _MAY_PATTERN for number in set(map(itemgetter(0), hits))):
            kept = []
        else:
            kept = [hit for hit in hits if roles[hit[0]] != _MAY_PATTERN]
        after = hits[0][1]
        finder = self._finder_errors if errors else self._finder
        for begin, stop in spans:
            if stop <= after:
                continue
            for number, position, end in finder.hits(data[begin:stop]):
                position += begin
                if position >= after and roles[number] == _MAY_PATTERN:
                    kept.append((number, position, end + begin))
        kept.sort(key=itemgetter(1))
        return kept

    def _upload_lines(self, data: bytes, hits: list[tuple[int, int, int]],
                      region: tuple[int, int]) -> Iterator[tuple[int, bytes, bytes]]:
        """The upload lines (where, the line, its key) among the lines of ``hits`` that are
        handled in this block (``region``), from the last one back."""
        kinds_cache = self._kinds_cache[False]
        last = -1
        for _, position, _ in reversed(hits):
            start = data.rfind(b"\n", 0, position) + 1
            if start == last:
                continue
            last = start
            if start >= region[1]:
                continue
            if start < region[0]:
                return
            end = data.find(b"\n", position)
            raw = data[start:end]
            key = _line_key(raw)
            kinds = kinds_cache.get(key)
            if kinds is None:
                kinds = _kinds(raw, False, self._kind_finder)
            if "upload" in kinds:
                yield start, raw, key

    def _keep_uploads(self, data: bytes, first: int, latest: Iterable[tuple[int, bytes, bytes]]) -> None:
        """Keep the files the upload lines of a block name (``latest``: from the last one back):
        only the last ones are kept in the end, so the lines are read until as many files are
        named."""
        wanted = self._uploads.maxlen or 0
        chosen: list[tuple[int, list[tuple[str, str]]]] = []
        named = 0
        for start, raw, key in latest:
            files = self._upload_files(raw, key)
            if files:
                chosen.append((start, files))
                named += len(files)
                if named >= wanted:
                    break
        number, counted = first, 0
        for start, files in reversed(chosen):
            number += data.count(b"\n", counted, start)
            counted = start
            for display, file in files:
                self._uploads.append((self._line(number, display), file))

    def _upload_files(self, raw: bytes, key: bytes) -> list[tuple[str, str]]:
        """The files an upload line names, as (line shown, file name); the same line
        recurring (``key``: its text without the timestamp) is cleaned once."""
        found_files = self._upload_cache.get(key)
        if found_files is None:
            found_files = []
            text, _ = decode(raw)
            for piece in clean(text):
                found = _FILENAME.search(piece.text)
                if found:
                    found_files.append((piece.display, found.group("file")))
            if len(self._upload_cache) >= 10_000:
                self._upload_cache.clear()
            self._upload_cache[key] = found_files
        return found_files

    def _steps_of(self, data: bytes, first: int) -> tuple[list[int], list[Line]]:
        """Where the steps (``##[group]Run ...``) of a block start, and each as a `Line`: one
        forward pass, so that finding the step of every hit stays linear in the block."""
        anchor = _STEP_ANCHORS[0]
        positions: list[int] = []
        steps: list[Line] = []
        number, counted = first, 0
        at = data.find(anchor)
        while at >= 0:
            begin = data.rfind(b"\n", 0, at) + 1
            number += data.count(b"\n", counted, begin)
            counted = begin
            end = data.find(b"\n", at)
            raw = data[at + len(b"##[group]"):end if end >= 0 else len(data)]
            positions.append(at)
            steps.append(self._line(number, raw.decode("utf-8", errors="replace").strip()))
            at = data.find(anchor, at + len(anchor))
        return positions, steps

    def _step_at(self, number: int) -> Line | None:
        """The step line ``number`` is in: the last one that starts before it (the lines a
        pattern matched may be before or after the hit line its window was cut around)."""
        index = bisect_left([step.number for step in self._steps], number) - 1
        return self._steps[index] if index >= 0 else self._block_step

    def _step_before(self, steps: tuple[list[int], list[Line]], position: int) -> Line | None:
        """The step the line starting at ``position`` of the block is in: the last one that
        starts before it in the block, else the last one of the earlier blocks of this part."""
        positions, lines = steps
        index = bisect_right(positions, position - len(_STEP_ANCHORS[0])) - 1
        return lines[index] if index >= 0 else self._block_step

    def _rebuild(self) -> None:
        """The finders and the kind expressions without the anchors of retired patterns (and
        without the claims anchors once the claims are read)."""
        self._stale = False
        self._kinds_cache = {False: {}, True: {}}  # the kinds were told with the anchors of before
        self._skipped = {False: set(), True: set()}
        live = [a for n, p in enumerate(PATTERNS) if n not in self._retired for a in p.anchors]
        claims = () if self.result.claims is not None else _CLAIM_ANCHORS
        keys = _minimal([*live, *(a.decode() for a in (*claims, *_UPLOAD_ANCHORS))])
        self._finder = Finder(keys, self._engine)
        self._finder_errors = Finder((*keys, *(k for k in _ERROR_ANCHORS if k not in keys)),
                                     self._engine)
        live_anchors = _minimal(live)
        self._kind_finder = _KindFinder((("pattern", live_anchors), ("claims", claims),
                                     ("upload", _UPLOAD_ANCHORS)), self._engine)
        self._live_anchors = live_anchors
        self._words = None
        self._key_roles = {}

    @property
    def words(self) -> Words:
        """The words of the live patterns, one of which a window must hold to be matched."""
        if self._words is None:
            live = self._words_live = [n for n in range(len(PATTERNS)) if n not in self._retired]
            self._words = Words((WORDS[n] for n in live), (PATTERNS[n] for n in live),
                                build=lambda keys, every: _automaton(keys, self._engine, dfa=not every, every=every))
        return self._words

    def key_roles(self, errors: bool) -> tuple[int, ...]:
        """What the line of a hit on each key of the block's search may hold (`_roles`)."""
        roles = self._key_roles.get(errors)
        if roles is None:
            claims = () if self.result.claims is not None else _CLAIM_ANCHORS
            keys = (self._finder_errors if errors else self._finder).keys
            roles = _roles(keys, self._live_anchors, claims, _UPLOAD_ANCHORS, _ERROR_ANCHORS if errors else ())
            self._key_roles[errors] = roles
        return roles

    # --- one hit line ------------------------------------------------------------------------

    def _cleaned(self, lines: list[bytes], index: int, first: int,
                 cache: dict[int, list[Clean]]) -> list[Clean]:
        number = first + index
        if number not in cache:
            text, ok = decode(lines[index])
            if not ok and self.result.undecodable is None:
                self.result.undecodable = self._line(number, "")
            cache[number] = clean(text)
        return cache[number]

    @property
    def _wants_errors(self) -> bool:
        """Whether the first error lines (for `unknown`) are still looked for: until
        FIRST_ERRORS are kept, also in the middle of a block."""
        return len(self.result.first_errors) < FIRST_ERRORS

    def _line(self, number: int, text: str, sub: int = 0) -> Line:
        return Line(number=number, text=text, part=self._part_name, part_index=self._part_index, sub=sub)

    def _window(self, lines: list[bytes], start: int, stop: int, first: int,
                cache: dict[int, list[Clean]]) -> list[tuple[int, int, Clean]]:
        window: list[tuple[int, int, Clean]] = []
        for index in range(max(0, start), min(len(lines), stop)):
            for sub, piece in enumerate(self._cleaned(lines, index, first, cache)):
                window.append((first + index, sub, piece))
        return window

    def _handle(self, lines: list[bytes], index: int, first: int, kinds: frozenset[str],
                cache: dict[int, list[Clean]], check: bool = True) -> bool:
        """Read one hit line; False if its window was not matched for holding no word, or not
        what any live pattern needs (`Words.may_match`)."""
        number = first + index
        held = True
        if "pattern" in kinds:
            held = self._match_patterns(lines, index, first, cache, check)
        if "claims" in kinds and self.result.claims is None:
            self._read_claims(lines, index, first, cache)
        if "error" in kinds and self._wants_errors:
            shown = {line.key() for line in self.result.first_errors}
            for piece in self._cleaned(lines, index, first, cache):
                if _looks_like_error(piece):
                    if self._line(number, "").key() not in shown:
                        self.result.first_errors.append(self._line(number, piece.display))
                    continued = _continuation(lines, index)
                    if continued:
                        self.result.reasons[(self._part_index, number)] = continued[0][1]
                    for following, text in continued:
                        line = self._line(first + following, text)
                        if line.key() not in shown:
                            self.result.first_errors.append(line)
                    break
        return held

    def _match_patterns(self, lines: list[bytes], index: int, first: int,
                        cache: dict[int, list[Clean]], check: bool = True) -> bool:
        # A line that recurs (the same text, timestamps aside) and was the centre of FUTILE
        # windows in a row that matched nothing new is not matched again: a log repeating its
        # failure thousands of times stays linear, and its first occurrences are all kept.
        # (keyed by the line and the two after it, where a tool prints its reason: the same
        # ``HTTPError: 400`` followed by another reason is another line)
        key = _futile_key(lines[index:index + 3])
        if self._futile.get(key, 0) >= FUTILE:
            return True
        # a window none of whose lines holds a word of a live pattern can match nothing: it is
        # not cleaned, and does not count as futile (``check``: not known yet; see `_block`)
        window = lines[max(0, index - BEHIND):index + AHEAD + 1]
        if check and not self.words.holds(window):
            return False
        # nor is one where no live pattern finds all it needs (not futile either); both count
        # as misses, after which the windows that may match are found for the whole block
        if not self.words.may_match(window):
            return False
        before = len(self.result.matches)
        self._try_patterns(lines, index, first, cache)
        if len(self.result.matches) > before:
            self._futile.pop(key, None)
        elif key in self._futile or len(self._futile) < 100_000:
            self._futile[key] = self._futile.get(key, 0) + 1
        return True

    def _try_patterns(self, lines: list[bytes], index: int, first: int,
                      cache: dict[int, list[Clean]]) -> None:
        window = self._window(lines, index - BEHIND, index + AHEAD + 1, first, cache)
        starts: list[int] = []
        texts: list[str] = []
        position = 0
        for _, _, piece in window:
            starts.append(position)
            collapsed = " ".join(piece.text.split())
            texts.append(collapsed)
            position += len(collapsed) + 1
        joined = " ".join(texts)
        # a pattern is tried only where one of its anchors is (in the joined text, so an
        # anchor wrapped over two lines counts): the anchors of the window are found in one
        # pass, and only the patterns they guard are tried, in the patterns' order
        for number in self._folded.candidates(joined.lower()):
            if self._counts.get(number, 0) >= MAX_MATCHES_PER_PATTERN:
                continue
            pattern = PATTERNS[number]
            found = pattern.compiled.search(joined)
            if not found:
                continue
            a = bisect_right(starts, found.start()) - 1
            b = bisect_right(starts, max(found.start(), found.end() - 1)) - 1
            key = (self._part_index, window[a][0], window[a][1])
            if (number, key) in self._seen:
                continue
            self._seen.add((number, key))
            self._counts[number] = self._counts.get(number, 0) + 1
            if self._counts[number] >= MAX_MATCHES_PER_PATTERN:
                self._retired.add(number)
                self._stale = True
            chosen = list(range(a, b + 1))
            back = a - 1
            while back >= 0 and a - back <= 3 and _FRAMING.search(window[back][2].text):
                chosen.insert(0, back)
                back -= 1
            evidence: list[Line] = []
            for i in chosen:
                line_number, sub, piece = window[i]
                if piece.display and len(evidence) < MAX_EVIDENCE:
                    evidence.append(self._line(line_number, piece.display, sub))
            if not evidence:
                continue
            groups = {k: v for k, v in found.groupdict().items() if v}
            step = self._step_at(window[a][0])
            self.result.matches.append(Match(pattern, evidence, groups, step=step))

    def _read_claims(self, lines: list[bytes], index: int, first: int,
                     cache: dict[int, list[Clean]]) -> None:
        window = self._window(lines, index, index + CLAIMS_AHEAD + 1, first, cache)
        texts = [piece.text for _, _, piece in window]
        values = parse_bullets(texts)
        form = "action"
        if not values:
            values = parse_rust_debug(" ".join(texts))
            form = "uv"
        if values:
            self.result.claims = Claims(values=values, form=form, line=first + index)
            self._stale = True  # the claims anchors are no longer searched
            shown = [self._line(n, piece.display, sub) for n, sub, piece in window
                     if piece.display and (form == "uv" or piece.text.lstrip().startswith(("*", "-")))]
            self.result.claims_lines = shown[:MAX_EVIDENCE]

    # --- end --------------------------------------------------------------------------------

    def finish(self) -> ScanResult:
        """The result."""
        self.result.last_errors = [self._last[key] for key in sorted(self._last)][-LAST_ERRORS:]
        self.result.uploads = list(self._uploads)
        return self.result


_UPLOAD_ONLY = frozenset({"upload"})
_ERROR_ONLY = frozenset({"error"})
_PATTERN_ONLY = frozenset({"pattern"})


def _any_of(anchors: Iterable[bytes]) -> re.Pattern[bytes]:
    return re.compile(b"|".join(re.escape(a) for a in anchors))


_KIND_ANCHORS = (("pattern", PATTERN_ANCHORS), ("claims", _CLAIM_ANCHORS), ("upload", _UPLOAD_ANCHORS))


class _KindFinder:
    """What a line holds anchors of (a pattern's, claims, an upload): one Aho-Corasick pass
    over the line, overlapping anchors included (one expression per kind without it)."""

    def __init__(self, kinds: Iterable[tuple[str, Iterable[bytes]]], engine: str) -> None:
        of: dict[bytes, set[str]] = {}
        for kind, anchors in kinds:
            for anchor in anchors:
                of.setdefault(anchor, set()).add(kind)
        self._keys = list(of)
        self._kinds = [frozenset(of[key]) for key in self._keys]
        self._automaton = _automaton(self._keys, engine)
        by_kind: dict[str, list[bytes]] = {}
        for key, kinds_of in zip(self._keys, self._kinds):
            for kind in kinds_of:
                by_kind.setdefault(kind, []).append(key)
        self._rx = () if self._automaton is not None else tuple(
            (kind, _any_of(anchors)) for kind, anchors in by_kind.items())

    def kinds(self, raw: bytes) -> set[str]:
        if self._automaton is not None:
            found: set[str] = set()
            for index in {index for index, _, _ in self._automaton.find_matches_as_indexes(raw, overlapping=True)}:
                found |= self._kinds[index]
            return found
        return {kind for kind, rx in self._rx if rx.search(raw)}
#: A line that may look like an error, tested on the raw bytes before any decoding.
_ERROR_RAW = re.compile(rb"(?i)(?<![A-Za-z0-9_])(?:errors?|failed|failure|fatal|exception|traceback"
                        rb"|forbidden|denied)(?![A-Za-z0-9_])|bad request|exit code [1-9]|"
                        + _KEY_LINES.encode())


#: What every line `_ERROR_RAW` finds holds, lower-cased.
_ERROR_WORDS = (b"error", b"fail", b"fatal", b"exception", b"traceback", b"forbidden", b"denied",
                b"bad request", b"exit code ", b"can't open file", b"unbound variable", b"<title>",
                b"command not found", b"no such file or directory")


def _error_word_lines(data: bytes, finder: Finder) -> list[int]:
    """The indexes of the lines of ``data`` that hold an error word, in any case."""
    found: list[int] = []
    line_end = -1
    index = 0
    counted = 0
    for _, position, _ in finder.hits(data.lower()):
        if position <= line_end:
            continue
        start = data.rfind(b"\n", max(line_end, 0), position) + 1
        end = data.find(b"\n", position)
        line_end = end if end >= 0 else len(data)
        index += data.count(b"\n", counted, start)
        counted = start
        found.append(index)
    return found


def _around(data: bytes, start: int, end: int) -> tuple[list[bytes], int]:
    """The line at ``start:end`` with up to BEHIND lines before and the lookahead after it,
    split into lines, and the index of that line among them."""
    begin = start
    before = 0
    while before < BEHIND and begin > 0:
        begin = data.rfind(b"\n", 0, begin - 1) + 1
        before += 1
    stop = end
    for _ in range(max(AHEAD, CLAIMS_AHEAD)):
        following = data.find(b"\n", stop + 1)
        if following < 0:
            break
        stop = following
    return data[begin:stop].split(b"\n"), before


def _futile_key(lines: list[bytes]) -> bytes:
    """A hit line and the two after it (where a tool prints its reason), timestamps aside: what
    a recurring line that matched nothing new is remembered by."""
    return b"\n".join(_line_key(line) for line in lines[:3])


def _line_key(raw: bytes) -> bytes:
    """A line without its GitHub timestamp (what starts it with two digits, up to the first
    space): the same text at another time is the same line."""
    if raw[:2].isdigit():
        space = raw.find(b" ")
        if space >= 0:
            return raw[space + 1:]
    return raw


def _kinds(raw: bytes, errors: bool, kind_finder: _KindFinder) -> frozenset[str]:
    """What a line that holds a key may be: a pattern's, claims, an upload, an error."""
    kinds = kind_finder.kinds(raw)
    if errors and _ERROR_RAW.search(raw):
        kinds.add("error")
    return frozenset(kinds)


#: The bytes of a carried line that are kept: enough for MAX_TEXT characters and more.
_CARRIED = 4 * MAX_TEXT + 8


def _cut(line: bytes) -> bytes:
    """The first ``_CARRIED`` bytes of a line, not cutting a UTF-8 character in two."""
    end = _CARRIED
    while end > _CARRIED - 4 and 0x80 <= line[end] <= 0xBF:
        end -= 1
    return line[:end]


def _line_start(data: bytes, index: int, total: int) -> int:
    """Where line ``index`` of ``data`` starts (``len(data)`` past its last line); looked for
    from the nearer end, as the lines asked for are a few from the start or the end (``total``:
    the number of line ends in ``data``)."""
    if index <= 0:
        return 0
    if index >= total:
        return len(data)
    if index <= total - index:
        at = -1
        for _ in range(index):
            at = data.find(b"\n", at + 1)
        return at + 1
    at = len(data)
    for _ in range(total - index + 1):
        at = data.rfind(b"\n", 0, at)
    return at + 1


def _continuation(lines: list[bytes], index: int) -> list[tuple[int, str]]:
    """The lines after ``lines[index]`` indented deeper than it (its wrapped continuation),
    as (index, text shown), at most CONTINUATION of them."""
    base = indent(decode(lines[index])[0])
    found: list[tuple[int, str]] = []
    for following in range(index + 1, min(len(lines), index + 1 + CONTINUATION)):
        text, _ = decode(lines[following])
        if indent(text) <= base:
            break
        pieces = [piece.display for piece in clean(text) if piece.display]
        if not pieces:
            break
        found.append((following, pieces[0]))
    return found


def _looks_like_error(piece: Clean) -> bool:
    if piece.annotation == "error":
        return True
    return bool(_ERRORISH.search(piece.text)) and not _NOT_ERRORISH.search(piece.text)
