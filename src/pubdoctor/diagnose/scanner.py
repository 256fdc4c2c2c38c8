"""The scan: read a log once, in blocks, and collect what the patterns match.

Most of a real log is noise (dependency installs, builds, test output). A block is searched
for the patterns' anchors with ``bytes.find`` (fast substring search in C); only the lines
around a hit are decoded, cleaned and matched, with a window of a few lines before and after,
so that messages wrapped over several lines still match. A block carries its last lines
into the next one, so a window never misses lines at a block boundary.

Memory is bounded whatever the size of the log: one block, a few matches per pattern, the
first claims, and a few lines that look like errors.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import accumulate
from typing import BinaryIO

from pubdoctor.diagnose.causes import PATTERNS, Pattern
from pubdoctor.diagnose.claims import Claims, parse_bullets, parse_rust_debug
from pubdoctor.diagnose.reader import Clean, chunks, clean, decode

#: Lines of context read before and after a hit line.
BEHIND = 4
AHEAD = 8
#: Lines read after a claims anchor (eight bullets, or a pretty-printed Rust struct).
CLAIMS_AHEAD = 12
CARRY = BEHIND + max(AHEAD, CLAIMS_AHEAD)
#: Bounds on what is kept.
MAX_MATCHES_PER_PATTERN = 3
MAX_EVIDENCE = 12
FIRST_ERRORS = 8
LAST_ERRORS = 12

_CLAIM_ANCHORS = (b"OidcTokenClaims", b"`sub`")
_UPLOAD_ANCHORS = (b"Uploading ", b"Checking dist", b"Failed to publish")
#: Words of lines that may look like errors (for an ``unknown`` answer).
_ERROR_ANCHORS = (b"rror", b"ERROR", b"ailed", b"atal", b"xception", b"Forbidden", b"Bad Request",
                  b"enied")
_ERRORISH = re.compile(
    r"\b(?:error|errors?:|failed|failure|fatal|exception|traceback|forbidden|bad request|denied)\b"
    r"|exit code [1-9]|Error\b", re.IGNORECASE)
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

#: The coarse net searched over whole blocks: short keys such that every anchor contains one.
#: Fewer keys is fewer passes over the block (the cost of the scan); a key that is common in
#: noise only costs a look at that line's anchors. Anchors no key covers are added as keys.
_KEYS = (b"OIDC", b"token", b"TOKEN", b"Token", b"ublisher", b"release", b"NO_COMMITS",
         b"etadata", b"allowed", b"already", b"400 ", b"403 ", b"commit", b"istribution",
         b"rtifact", b"redential", b"assword", b"Too ", b"bumped", b"eusable", b"rror", b"ERROR",
         b"ailed", b"local version", b"-reuse", b"pattern", b"No files", b"fork", b"pull_request",
         b"ield", b"previously", b"render", b"uthentication", b"Non-user", b"similar",
         b"configured", b"permission", b"workflow_ref", b"`sub`", b"Uploading", b"Checking",
         b"atal", b"xception", b"Forbidden", b"Bad Request", b"enied")
_ALL_ANCHORS = (*PATTERN_ANCHORS, *_CLAIM_ANCHORS, *_UPLOAD_ANCHORS, *_ERROR_ANCHORS)
KEYS = (*_KEYS, *(a for a in _ALL_ANCHORS if not any(k in a for k in _KEYS)))


@dataclass
class Line:
    """A log line as evidence: where it is (archive member, line number) and its text."""

    number: int
    text: str
    part: str | None = None
    part_index: int = 0

    def key(self) -> tuple[int, int]:
        return (self.part_index, self.number)


@dataclass
class Match:
    """One pattern matched on some lines."""

    pattern: Pattern
    lines: list[Line]
    groups: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> tuple[int, int]:
        return self.lines[0].key()

    @property
    def cause(self) -> str:
        return self.pattern.cause

    @property
    def kind(self) -> str:
        return self.pattern.kind


@dataclass
class ScanResult:
    """Everything one scan kept."""

    matches: list[Match] = field(default_factory=list)
    claims: Claims | None = None
    claims_lines: list[Line] = field(default_factory=list)
    uploads: list[tuple[Line, str]] = field(default_factory=list)
    first_errors: list[Line] = field(default_factory=list)
    last_errors: list[Line] = field(default_factory=list)
    lines: int = 0
    bytes: int = 0
    parts: list[str] = field(default_factory=list)
    undecodable: Line | None = None


class Scanner:
    """Scans the parts of one log and keeps bounded results."""

    def __init__(self) -> None:
        self.result = ScanResult()
        self._counts: dict[int, int] = {}
        self._seen: set[tuple[int, tuple[int, int]]] = set()
        self._uploads: deque[tuple[Line, str]] = deque(maxlen=16)
        self._last_raw: deque[tuple[int, str | None, int, bytes]] = deque(maxlen=64)
        self._part_index = 0
        self._part_name: str | None = None

    # --- reading ---------------------------------------------------------------------------

    def scan(self, stream: BinaryIO, name: str | None = None) -> None:
        """Scan one part (a file, or one member of a log archive)."""
        self._part_name = name
        if name is not None:
            self.result.parts.append(name)
        carry: list[bytes] = []
        first = 1  # line number of the first line of ``data``
        done = 0  # hits on lines up to this number were handled
        for block in chunks(stream):
            self.result.bytes += len(block)
            data = b"\n".join(carry) + b"\n" + block if carry else block
            carry, first, done = self._block(data, first, done, final=False)
        if carry:
            self._block(b"\n".join(carry) + b"\n", first, done, final=True)
        self._part_index += 1

    def _block(self, data: bytes, first: int, done: int, final: bool) -> tuple[list[bytes], int, int]:
        count = data.count(b"\n")
        limit = count if final else max(0, count - max(AHEAD, CLAIMS_AHEAD))
        hits = self._hits(data)
        if not hits:
            keep = count - max(0, limit - BEHIND)
            pieces = data.rsplit(b"\n", keep + 1)
            carry = pieces[-keep - 1:-1] if keep else []
        else:
            lines = data.split(b"\n")
            lines.pop()
            offsets = [0, *accumulate(len(line) + 1 for line in lines)]
            candidates = {bisect_right(offsets, position) - 1 for position in hits}
            cache: dict[int, list[Clean]] = {}
            for index in sorted(candidates):
                if first + index <= done or index >= limit:
                    continue
                kinds = _kinds(lines[index])
                if kinds:
                    self._handle(lines, index, first, kinds, cache)
            carry = lines[max(0, limit - BEHIND):]
        if final:
            self.result.lines = max(self.result.lines, first + count - 1) if self._part_index == 0 \
                else self.result.lines + count
            return [], first + count, first + count - 1
        new_first = first + count - len(carry)
        if self._part_index == 0:
            self.result.lines = new_first - 1
        return carry, new_first, first + limit - 1

    @staticmethod
    def _hits(data: bytes) -> list[int]:
        """Positions of the keys in a block (one fast substring pass per key)."""
        hits: list[int] = []
        for key in KEYS:
            position = data.find(key)
            while position >= 0:
                hits.append(position)
                position = data.find(key, position + len(key))
        return hits

    # --- one hit line ------------------------------------------------------------------------

    def _cleaned(self, lines: list[bytes], index: int, first: int,
                 cache: dict[int, list[Clean]]) -> list[Clean]:
        if index not in cache:
            text, ok = decode(lines[index])
            if not ok and self.result.undecodable is None:
                self.result.undecodable = self._line(first + index, "")
            cache[index] = clean(text)
        return cache[index]

    def _line(self, number: int, text: str) -> Line:
        return Line(number=number, text=text, part=self._part_name, part_index=self._part_index)

    def _window(self, lines: list[bytes], start: int, stop: int, first: int,
                cache: dict[int, list[Clean]]) -> list[tuple[int, Clean]]:
        window: list[tuple[int, Clean]] = []
        for index in range(max(0, start), min(len(lines), stop)):
            for piece in self._cleaned(lines, index, first, cache):
                window.append((first + index, piece))
        return window

    def _handle(self, lines: list[bytes], index: int, first: int, kinds: set[str],
                cache: dict[int, list[Clean]]) -> None:
        number = first + index
        if "pattern" in kinds:
            self._match_patterns(lines, index, first, cache)
        if "claims" in kinds and self.result.claims is None:
            self._read_claims(lines, index, first, cache)
        if "upload" in kinds:
            for piece in self._cleaned(lines, index, first, cache):
                found = _FILENAME.search(piece.text)
                if found:
                    self._uploads.append((self._line(number, piece.display), found.group("file")))
        if "error" in kinds:
            if len(self.result.first_errors) < FIRST_ERRORS:
                for piece in self._cleaned(lines, index, first, cache):
                    if _looks_like_error(piece):
                        self.result.first_errors.append(self._line(number, piece.display))
                        break
            else:
                self._last_raw.append((self._part_index, self._part_name, number, lines[index]))

    def _match_patterns(self, lines: list[bytes], index: int, first: int,
                        cache: dict[int, list[Clean]]) -> None:
        window = self._window(lines, index - BEHIND, index + AHEAD + 1, first, cache)
        starts: list[int] = []
        texts: list[str] = []
        position = 0
        for _, piece in window:
            starts.append(position)
            collapsed = " ".join(piece.text.split())
            texts.append(collapsed)
            position += len(collapsed) + 1
        joined = " ".join(texts)
        for number, pattern in enumerate(PATTERNS):
            if self._counts.get(number, 0) >= MAX_MATCHES_PER_PATTERN:
                continue
            found = pattern.compiled.search(joined)
            if not found:
                continue
            a = bisect_right(starts, found.start()) - 1
            b = bisect_right(starts, max(found.start(), found.end() - 1)) - 1
            key = (self._part_index, window[a][0])
            if (number, key) in self._seen:
                continue
            self._seen.add((number, key))
            self._counts[number] = self._counts.get(number, 0) + 1
            chosen = list(range(a, b + 1))
            back = a - 1
            while back >= 0 and a - back <= 3 and _FRAMING.search(window[back][1].text):
                chosen.insert(0, back)
                back -= 1
            evidence: list[Line] = []
            for i in chosen:
                line_number, piece = window[i]
                if piece.display and len(evidence) < MAX_EVIDENCE:
                    evidence.append(self._line(line_number, piece.display))
            if not evidence:
                continue
            groups = {k: v for k, v in found.groupdict().items() if v}
            self.result.matches.append(Match(pattern, evidence, groups))

    def _read_claims(self, lines: list[bytes], index: int, first: int,
                     cache: dict[int, list[Clean]]) -> None:
        window = self._window(lines, index, index + CLAIMS_AHEAD + 1, first, cache)
        texts = [piece.text for _, piece in window]
        values = parse_bullets(texts)
        form = "action"
        if not values:
            values = parse_rust_debug(" ".join(texts))
            form = "uv"
        if values:
            self.result.claims = Claims(values=values, form=form, line=first + index)
            shown = [self._line(n, piece.display) for n, piece in window
                     if piece.display and (form == "uv" or piece.text.lstrip().startswith(("*", "-")))]
            self.result.claims_lines = shown[:MAX_EVIDENCE]

    # --- end --------------------------------------------------------------------------------

    def finish(self) -> ScanResult:
        """The result, with the last error-looking lines decoded now (only the kept ones)."""
        last: list[Line] = []
        for part_index, part, number, raw in self._last_raw:
            text, _ = decode(raw)
            for piece in clean(text):
                if _looks_like_error(piece):
                    last.append(Line(number=number, text=piece.display, part=part, part_index=part_index))
                    break
        self.result.last_errors = last[-LAST_ERRORS:]
        self.result.uploads = list(self._uploads)
        return self.result


def _kinds(raw: bytes) -> set[str]:
    """What a line that holds a key may be: a pattern's, claims, an upload, an error."""
    kinds = set()
    for kind, anchors in (("pattern", PATTERN_ANCHORS), ("claims", _CLAIM_ANCHORS),
                          ("upload", _UPLOAD_ANCHORS), ("error", _ERROR_ANCHORS)):
        if any(anchor in raw for anchor in anchors):
            kinds.add(kind)
    return kinds


def _looks_like_error(piece: Clean) -> bool:
    if piece.annotation == "error":
        return True
    return bool(_ERRORISH.search(piece.text)) and not _NOT_ERRORISH.search(piece.text)
