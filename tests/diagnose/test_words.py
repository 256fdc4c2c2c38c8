"""The scanner's prefilter (`pubdoctor.diagnose.words`): a window is matched only where one of
its lines holds a word of a live pattern, and that never loses a match.

Each part of the argument is pinned here: a pattern's declared `needs` are held by every text
its expression matches (derived from the expression's parse tree, not from examples); the view
of the raw bytes holds every word of the cleaned text (clean's every change: colours, control
characters, progress bars, timestamps, quotes, workflow commands, the letters that match ASCII
ones in any case); the lines found for a whole block are the ones found window by window; and
every hand-written and corpus log gives the same matches with the filter as without it.
"""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pubdoctor.diagnose import diagnose, reader
from pubdoctor.diagnose import scanner as scanner_module
from pubdoctor.diagnose.causes import PATTERNS
from pubdoctor.diagnose.causes.base import Pattern
from pubdoctor.diagnose.reader import MAX_TEXT, clean, decode
from pubdoctor.diagnose.scanner import AHEAD, BEHIND, WORDS, Scanner, _overlap, _tail_is_head
from pubdoctor.diagnose import words as words_module
from pubdoctor.diagnose.words import LETTERS, Words, block_required, long_lines, strip_ansi, view, words_of

if sys.version_info >= (3, 11):
    from re import _constants as sre  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
else:  # pragma: no cover - Python 3.10
    import sre_constants as sre
    import sre_parse

LOGS = Path(__file__).parent / "logs"
CORPUS = Path("/work/shared/corpus/logs")

# --- what an expression needs: derived from its parse tree --------------------------------------

#: a requirement on the text a match covers: ("word", w) holds w; ("all", [...]); ("any", [...])
Need = tuple
_TRUE: Need = ("all", [])
_LIMIT = 64


def _words(text: str) -> list[str]:
    return re.findall(r"[!-~]+", text)


def _of_exact(strings: set[str]) -> Need:
    return ("any", [("all", [("word", w) for w in _words(s)]) for s in sorted(strings)])


def _node(op: object, av: object) -> tuple[set[str] | None, Need]:
    """The strings a node matches (when few and known, lower-cased) and what it needs."""
    if op is sre.LITERAL:
        char = chr(av).lower()  # type: ignore[arg-type]
        return {char if char.isascii() else " "}, _TRUE
    if op is sre.IN:
        chars = {chr(v).lower() for o, v in av if o is sre.LITERAL} if all(  # type: ignore[union-attr]
            o is sre.LITERAL for o, _ in av) else None  # type: ignore[union-attr]
        if chars and len(chars) <= 4 and all(c.isascii() for c in chars):
            return chars, _TRUE
        return None, _TRUE
    if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
        return {""}, _TRUE  # zero-width: the text it looks at is not the match's
    if op is sre.SUBPATTERN:
        return _sequence(av[-1])  # type: ignore[index]
    if op is getattr(sre, "ATOMIC_GROUP", object()):
        return _sequence(av)
    if op is sre.BRANCH:
        found = [_sequence(branch) for branch in av[1]]  # type: ignore[index]
        exact: set[str] | None = set()
        for strings, _ in found:
            exact = None if strings is None or exact is None else exact | strings
        if exact is not None and len(exact) > _LIMIT:
            exact = None
        return exact, ("any", [need for _, need in found])
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", object())):
        low, high, item = av  # type: ignore[misc]
        if low == 0:
            return None, _TRUE
        strings, need = _sequence(item)
        return (strings if low == high == 1 else None), need
    return None, _TRUE  # anything else (a class, a backreference): needs nothing, matches anything


def _sequence(items: object) -> tuple[set[str] | None, Need]:
    run: set[str] = {""}
    exact = True
    needs: list[Need] = []
    for op, av in items:  # type: ignore[attr-defined]
        strings, need = _node(op, av)
        if strings is not None and len(run) * len(strings) <= _LIMIT:
            run = {a + b for a in run for b in strings}
            continue
        exact = False
        needs.append(_of_exact(run))
        if strings is None:
            needs.append(need)
            run = {""}
        else:
            run = strings
    needs.append(_of_exact(run))
    return (run if exact else None), ("all", needs)


def needs_of(regex: str) -> Need:
    """What every match of ``regex`` (case-insensitive) holds."""
    return _sequence(sre_parse.parse(regex, re.IGNORECASE))[1]


def held(need: Need, words: tuple[str, ...]) -> bool:
    """Whether a text that meets ``need`` holds one of ``words`` (lower case)."""
    kind, value = need
    if kind == "word":
        return any(word in value.lower() for word in words)
    if kind == "all":
        return any(held(part, words) for part in value)
    return bool(value) and all(held(part, words) for part in value)


def test_the_derivation_of_what_an_expression_needs() -> None:
    assert held(needs_of(r"(?:HTTPError:\s*|HTTP Error\s*)40[45]"), ("error",))
    assert held(needs_of(r"(?:HTTPError:\s*|status code\s+|HTTP Error\s+)403"), ("error", "status"))
    assert not held(needs_of(r"(?:HTTPError:\s*|status code\s+)403"), ("error",))
    assert not held(needs_of(r"(?:HTTPError)?\s*403"), ("error",))
    assert not held(needs_of(r"HTTP\s*Error"), ("httperror",))  # may be wrapped over two lines
    assert held(needs_of(r"HTTP\s*Error"), ("error",))
    assert held(needs_of(r"\b413\b.{0,20}(?:Entity Too Large|Payload Too Large)"), ("large",))
    assert not held(needs_of(r"(?:a|b)+c?"), ("a",))
    assert held(needs_of(r"x(?=error)?(?:ERROR){2,}"), ("error",))
    assert not held(needs_of(r"(?=error)x"), ("error",))  # a lookahead is not the match


@pytest.mark.parametrize("pattern", [p for p in PATTERNS if p.needs], ids=lambda p: f"{p.cause}:{p.needs}")
def test_every_match_of_a_pattern_holds_what_it_needs(pattern: Pattern) -> None:
    need = needs_of(pattern.regex)
    for entry in pattern.needs:
        assert held(need, tuple(entry.split("|"))), entry


def test_the_words_of_a_pattern_are_its_needs_or_words_of_each_of_its_anchors() -> None:
    for pattern in PATTERNS:
        words = words_of(pattern)
        assert words, f"{pattern.regex!r} has no word: the filter would let every window through"
        if pattern.needs:
            assert words == tuple(w.lower() for w in pattern.needs[0].split("|"))
            continue
        assert len(words) == len(pattern.anchors)
        for word, anchor in zip(words, pattern.anchors):
            assert word.isascii() and len(word.split()) == 1 and word in anchor.lower()


def test_a_need_is_a_word() -> None:
    with pytest.raises(ValueError, match="without whitespace"):
        Pattern("file-exists", "x", ("x",), needs=("two words",))
    with pytest.raises(ValueError, match="ASCII"):
        Pattern("file-exists", "x", ("x",), needs=("é",))
    with pytest.raises(ValueError, match="ASCII"):
        Pattern("file-exists", "x", ("x",), needs=("error|",))


def test_a_window_is_matched_only_where_a_pattern_finds_all_it_needs() -> None:
    words = Scanner().words
    status = b'127.0.0.1 "GET /x HTTP/1.1" 404 Not Found'
    assert words.holds([status, b"ERROR app: the request raised an error"])
    assert not words.may_match([status, b"ERROR app: the request raised an error"])  # no URL
    assert words.may_match([b"ERROR    HTTPError: 404 Not Found from https://upload.pypi.org/legacy/"])
    assert words.may_match([b"HTTPError: 404 Not", b"Found from https://upload.pypi.org/legacy/"])  # wrapped
    assert words.may_match([status, b"error: x%0Ay"])  # a line clean splits: not read by words


# --- the view holds every word of the cleaned text -----------------------------------------------

_FOLD = {ord(letter): ascii_letter.decode() for letter, ascii_letter in LETTERS}


def _cleaned_words(raw: bytes) -> set[str]:
    """The words of a line as the patterns read it, lower-cased as the matching compares them."""
    text, _ = decode(raw)
    words: set[str] = set()
    for piece in clean(text):
        folded = "".join(c.lower() if c.isascii() else c for c in piece.text).translate(_FOLD)
        words.update(_words(folded))
        words.update(_words(piece.text.lower()))  # (``str.lower``: what the anchors are found in)
    return words


def _flagged_line(raw: bytes) -> bool:
    return len(raw) > MAX_TEXT or b"%0a" in view(raw)


_FRAGMENTS = [b"HTTP", b"Error", b"error:", b"404", b"Not", b" ", b"  ", b"\t", b"\x1b[31m", b"\x1b[0m",
              b"\x1b[1;31m", b"\x1b]8;;https://x.org/\x07", b"\x1b]8;;", b"\x1b\\", b"\x1bM", b"[?25l", b"[?25",
              b"\r", b"\x00", b"\x07", b"\x7f", b"\x0b", b"%0A", b"%0D", b"%25", b"%", "\u0130".encode(),
              "\u0131".encode(), "\u017f".encode(), "\u212a".encode(), "\u00e9".encode(), b"\xff", b"\xc4",
              b"##[error]", b"::error file=a.py::", b"> ", b">", b"2024-01-01T00:00:00.0000000Z ", b"Error: ",
              b"Warning:", b"##[group]", b"\xef\xbb\xbf", b"S", b"k", b"i", b"'", b"`", b"."]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=14))
def test_the_view_holds_every_word_of_the_cleaned_line(parts: list[bytes]) -> None:
    raw = b"".join(parts)
    if _flagged_line(raw):
        return
    seen = view(raw)
    for word in _cleaned_words(raw):
        assert word.encode() in seen, (raw, word)


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from([b"\x1b[31m", b"\x1b[0m", b"\x1b[1;31m", b"\x1b[", b"\x1b", b"m", b"31", b";", b"[",
                                 b"[?25l", b"?25h", b"\x1b]8;;x\x07", b"\x1b\\", b"a", b"\n", b"\x1bM"]), max_size=12))
def test_colours_alone_are_removed_as_clean_removes_them(parts: list[bytes]) -> None:
    raw = b"".join(parts)
    assert strip_ansi(raw) == words_module._ANSI.sub(b"", raw)


def test_the_view_in_examples() -> None:
    raw = b"2024-01-01T00:00:00.0000000Z \x1b[31mERROR\x1b[0m HTTP\x1b[1mError\x1b[0m: 404 N\x00ot Found\r"
    assert view(raw) == b"2024-01-01t00:00:00.0000000z error httperror: 404 not found "
    assert view("\u017fTATUS \u212aEY \u0130D".encode()) == b"status key id"
    assert view(b"a\x1b]8;;https://x.org/\nb") == b"a8;;https://x.org/\nb"  # an OSC stops at the line
    assert len(view(b"a\nb\r\nc\x1b[0m\n").split(b"\n")) == 4


def test_lines_clean_changes_otherwise_are_flagged() -> None:
    words = Words([("error",)], [PATTERNS[0]], build=lambda keys, every: None)
    assert words.holds([b"::error::HTTP%0DError%0Areason"])  # clean joins the halves: flagged
    assert words.holds([b"x" * (MAX_TEXT + 1)])
    assert not words.holds([b"x" * MAX_TEXT, b"404 Not Found"])
    assert words.holds([b"404 Not Found", b"ERR\x1b[0mOR"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([0, 1, 5, 2047, 2048, 2049, 4095, 4096, 4097, 4098, 9000]), max_size=12),
       st.booleans())
def test_long_lines_are_all_found(lengths: list[int], final_newline: bool) -> None:
    data = b"\n".join(b"x" * n for n in lengths) + (b"\n" if final_newline else b"")
    expected = [i for i, line in enumerate(data.split(b"\n")) if len(line) > MAX_TEXT]
    assert long_lines(data) == expected


_LINES = [b"Collecting demo==1.0.0", b'127.0.0.1 "GET /x HTTP/1.1" 404 Not Found', b"ERROR    HTTPError: 404",
          b"x" * (MAX_TEXT + 1), b"::error::a%0Ab", b"\x1b[31mERR\x1b[0mOR", b"", b"token", b"\xc5\xbftatus",
          b"from https://upload.pypi.org/legacy/", b"HTTP\x1b[1mErr\x1b[0mor: 403 Forbidden", b"400 Bad Request",
          b"Caused by: Upload failed with status code 404", b"File already exists", b"\x1b[33m413\x1b[0m Too Large"]


def _asked(words: Words, window: list[bytes]) -> bool:
    """Whether a window meets what `Words.centers` asks of it, read window by window: a
    flagged line, or all that a live pattern asks (`block_required`) in the window's view."""
    if any(len(line) > MAX_TEXT for line in window):
        return True
    text = view(b"\n".join(window))
    return any(mark in text for mark in words_module.MARKS) or any(
        words_module._meets(text, block_required(pattern)) for pattern in PATTERNS)


@pytest.mark.parametrize("sparing", [False, True])
@pytest.mark.parametrize("engine", ["auto", "find"])
@settings(max_examples=200, deadline=None)
@given(lines=st.lists(st.sampled_from(_LINES), max_size=60))
def test_the_centers_of_a_block_are_the_windows_that_meet_an_ask(engine: str, sparing: bool, lines: list[bytes]) -> None:
    # every line of the block, the first and last ones included, against its window cut and
    # searched alone; and never a window the window-by-window filter would match left out.
    # Sparing (the parts of an ask that many lines hold left unplaced), the lines are more.
    words = Scanner(engine).words
    data = b"\n".join(lines)
    split = data.split(b"\n")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(words_module, "SPARING", sparing)
        centers = words.centers(data, BEHIND, AHEAD)
        assert centers.runs() == words.centers(data, BEHIND, AHEAD, len(split)).runs()
    for number in range(len(split)):
        window = split[max(0, number - BEHIND):number + AHEAD + 1]
        if sparing:
            assert number in centers or not _asked(words, window), (number, window)
        else:
            assert (number in centers) == _asked(words, window), (number, window)
        if words.may_match(window):
            assert number in centers
    assert -1 not in centers and len(split) not in centers


@settings(max_examples=200, deadline=None)
@given(lines=st.lists(st.sampled_from(_LINES), max_size=60))
def test_the_patterns_a_block_meets_are_all_that_may_match_in_its_windows(lines: list[bytes]) -> None:
    words = Scanner().words
    data = b"\n".join(lines)
    split = data.split(b"\n")
    met = set(words.centers(data, BEHIND, AHEAD).met)
    for number in range(len(split)):
        text = view(b"\n".join(split[max(0, number - BEHIND):number + AHEAD + 1]))
        for place, pattern in enumerate(PATTERNS):
            if words_module._meets(text, words_module.required(pattern)):
                assert place in met, (pattern.cause, text)


def test_a_part_of_an_ask_that_many_lines_hold_is_not_placed(monkeypatch: pytest.MonkeyPatch) -> None:
    # twine's 404 asks for error and :// near its anchor's word (found): in a block where every
    # fourth line holds :// and found, and one in a hundred error, only error is placed
    words = _one("wrong-upload-url", "404 Not Found")
    lines = []
    for n in range(400):
        lines += [b"Collecting demo==1.0.0"] * 3 + [b'"GET https://x.org/%d HTTP/1.1" 404 Not Found' % n]
        if n % 25 == 24:
            lines.append(b"ERROR app: lookup failed")
    data = b"\n".join(lines)
    placed: list[set[bytes]] = []
    lines_of = words_module.lines_of
    monkeypatch.setattr(words_module, "lines_of", lambda text, hits, count: placed.append(
        {words._block.keys[hit[0]] for hit in hits}) or lines_of(text, hits, count))
    sparing = words.centers(data, BEHIND, AHEAD)
    monkeypatch.setattr(words_module, "SPARING", False)
    every = words.centers(data, BEHIND, AHEAD)
    assert placed == [{b"error"}, {b"error", b"found", b"://"}]
    # here every window that holds error holds the others too: the same lines
    assert sparing.runs() == every.runs() and len(every.runs()) == 16


def _one(cause: str, anchor: str) -> Words:
    pattern = next(p for p in PATTERNS if p.cause == cause and anchor in p.anchors)
    return Words([words_of(pattern)], [pattern], build=lambda keys, every: None)


def _centers(words: Words, lines: dict[int, bytes], count: int = 30) -> list[int]:
    data = b"\n".join(lines.get(number, b"Collecting demo==1.0.0") for number in range(count))
    centers = words.centers(data, BEHIND, AHEAD)
    return [number for number in range(-5, count + 5) if number in centers]


def test_the_centers_of_a_block_in_examples() -> None:
    words = _one("wrong-upload-url", "404 Not Found")  # 404 Not Found (found), and error and ://
    status, error, url = b'"GET /x HTTP/1.1" 404 Not Found', b"ERROR app: lookup failed", b"see https://x.org/"
    # all three within a window: the lines whose window (4 before, 8 after) holds the three
    assert _centers(words, {4: error, 8: status, 12: url}) == [4, 5, 6, 7, 8]
    assert _centers(words, {0: error, 8: status, 16: url}) == []  # never all three in 13 lines
    assert _centers(words, {4: error, 8: status}) == []  # no URL
    # on the first and the last line of the block, one line holding all: as far as windows reach
    assert _centers(words, {0: error + b" " + status + b" " + url}) == [0, 1, 2, 3, 4]
    assert _centers(words, {29: error + b" " + status + b" " + url}) == list(range(21, 30))
    # a coloured word, split by its colour, and the letters that match ASCII ones in any case
    assert _centers(words, {10: b"\x1b[31mERR\x1b[0mOR " + status + b" https:\x1b[0m//x"}) == list(range(2, 15))
    # a line clean splits or cuts is as if it held every word
    assert _centers(words, {10: b"::error::a%0Ab"}) == list(range(2, 15))
    assert _centers(words, {10: b"x" * (MAX_TEXT + 1)}) == list(range(2, 15))
    assert _centers(words, {}) == []


@settings(max_examples=300, deadline=None)
@given(st.lists(st.booleans(), max_size=80), st.integers(1, 20))
def test_spread_is_a_window_over_the_lines(lines: list[bool], width: int) -> None:
    bits = sum(1 << number for number, held in enumerate(lines) if held)
    spread = words_module.spread(bits, width)
    for number in range(len(lines) + width):
        assert bool(spread >> number & 1) == any(lines[number:number + width])
    assert words_module.Centers(bits, len(lines)).runs() == [
        (found.start(), found.end() - 1) for found in re.finditer("1+", "".join("01"[held] for held in lines))]


# --- the filter changes nothing that is found --------------------------------------------------------


def _matches(data: bytes, engine: str = "auto") -> list[tuple[str, int, str, tuple[int, ...]]]:
    scanner = Scanner(engine)
    scanner.scan(io.BytesIO(data))
    result = scanner.finish()
    return [(m.cause, m.pattern.priority, m.pattern.regex, tuple(line.number for line in m.lines))
            for m in result.matches]


def _all_logs() -> list[Path]:
    corpus = sorted(CORPUS.glob("*.log")) if CORPUS.is_dir() else []
    return sorted(LOGS.glob("*.log")) + corpus


@pytest.mark.parametrize("log", _all_logs(), ids=lambda p: p.name)
def test_the_filter_finds_what_every_window_finds(log: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = log.read_bytes()
    # the log also after many status lines of a web server: the lines that hold a word are
    # then found for the whole block at once
    noisy = b'INFO 127.0.0.1 "GET /x HTTP/1.1" 404 Not Found\n' * 400 + data
    found = _matches(data)
    found_noisy = _matches(noisy)
    monkeypatch.setattr(scanner_module, "PROBES", 0)  # for the whole block from the start
    assert [_matches(data), _matches(noisy)] == [found, found_noisy]
    monkeypatch.setattr(scanner_module, "WORDS", tuple(() for _ in PATTERNS))  # every window
    monkeypatch.setattr(scanner_module, "UNITED", False)  # each on its own (`united`)
    assert _matches(data) == found
    # A window without a word does not count as futile (a recurring line is skipped only after
    # FUTILE windows that held a word matched nothing new): among recurring lines, the windows
    # skipped differ, so every window is compared with every window that holds a word there.
    monkeypatch.setattr(scanner_module, "FUTILE", 10**9)
    every = [_matches(noisy), _matches(noisy, "find")]
    monkeypatch.undo()
    monkeypatch.setattr(scanner_module, "FUTILE", 10**9)
    assert [_matches(noisy), _matches(noisy, "find")] == every


@pytest.mark.usefixtures("small_blocks")
@pytest.mark.parametrize("log", sorted(LOGS.glob("*.log")), ids=lambda p: p.name)
def test_the_filter_finds_what_every_window_finds_across_blocks(log: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # blocks of 4 KB: the lines with words found for one block, the next one starting so, the
    # windows and the hits cut at block boundaries
    access = b"".join(b'INFO 127.0.0.1 "GET /x/%d HTTP/1.1" 404 Not Found\n' % n for n in range(300))
    data = access + log.read_bytes() + access
    monkeypatch.setattr(scanner_module, "FUTILE", 10**9)
    found = _matches(data)
    monkeypatch.setattr(scanner_module, "WORDS", tuple(() for _ in PATTERNS))
    monkeypatch.setattr(scanner_module, "UNITED", False)
    assert _matches(data) == found


@pytest.mark.parametrize("colour", [False, True])
def test_a_window_without_a_word_is_not_matched_and_the_failure_among_them_is_found(
        tmp_path: Path, colour: bool) -> None:
    access = [f'2024-05-01T10:00:00.0000000Z INFO 127.0.0.1 "GET /api/items/{n} HTTP/1.1" 404 Not Found\n'
              for n in range(20_000)]
    failure = ("Uploading distributions to https://upload.pypi.org/legacy/\n"
               "ERROR    HTTPError: 404 Not Found from https://upload.pypi.org/legacy/\n")
    if colour:  # the colours split the word the pattern needs in two (the view joins it again)
        access = [line.replace("404", "\x1b[33m404\x1b[0m") for line in access]
        failure = failure.replace("ERROR    HTTPError", "\x1b[31mERROR\x1b[0m    HTTP\x1b[1mErr\x1b[0mor")
    log = tmp_path / "access.log"
    log.write_text("".join(access[:15_000]) + failure + "".join(access[15_000:]), encoding="utf-8")
    scanner = Scanner()
    with log.open("rb") as stream:
        scanner.scan(stream)
    # only the windows that hold the failure's line were matched (one matched in vain counts as
    # futile): not one per access line
    assert len(scanner._futile) <= BEHIND + AHEAD + 1
    assert [(m.cause, m.lines[0].number) for m in scanner.finish().matches] == [("wrong-upload-url", 15_002)]
    diagnosis = diagnose(str(log))
    assert diagnosis.cause.id == "wrong-upload-url"
    assert [line.number for line in diagnosis.evidence] == [15_002]


@pytest.mark.usefixtures("small_blocks")
def test_the_centers_find_a_failure_wherever_the_blocks_cut_it(monkeypatch: pytest.MonkeyPatch) -> None:
    # blocks of 4 KB (about 80 access lines) read by their centers from the start: the failure
    # (coloured, wrapped over three lines) at the start and at every place across the first two
    # block boundaries, its words on the first or last lines of a block or carried into the next
    access = [b'INFO 127.0.0.1 "GET /x/%d HTTP/1.1" 404 Not Found\n' % n for n in range(220)]
    failure = b"\x1b[31mERR\x1b[0mOR    HTTPError: 404 Not\n\nFound from https://upload.pypi.org/legacy/\n"
    monkeypatch.setattr(scanner_module, "FUTILE", 10**9)
    for before in [*range(4), *range(60, 100), *range(140, 175)]:
        data = b"".join(access[:before]) + failure + b"".join(access[before:])
        monkeypatch.setattr(scanner_module, "PROBES", 0)
        found = _matches(data)
        assert ("wrong-upload-url", before + 1) in [(cause, lines[0]) for cause, _, _, lines in found], before
        monkeypatch.setattr(scanner_module, "WORDS", tuple(() for _ in PATTERNS))  # every window
        monkeypatch.setattr(scanner_module, "UNITED", False)
        assert _matches(data) == found, before
        monkeypatch.setattr(scanner_module, "WORDS", WORDS)
        monkeypatch.setattr(scanner_module, "UNITED", True)


def test_windows_that_hold_a_word_but_not_all_a_pattern_needs_are_left_by_blocks(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # an application's error line after every web server's 404: every window holds ``error``
    # but none the URL twine's 404 has; after PROBES such windows, the block's lines are read
    # by their centers, not window by window
    lines = []
    for n in range(5_000):
        lines.append(b'INFO 127.0.0.1 "GET /x/%d HTTP/1.1" 404 Not Found\n' % n)
        lines.append(b"ERROR app: lookup of item %d failed\n" % n)
    lines.insert(6_001, b"ERROR    HTTPError: 404 Not Found from https://upload.pypi.org/legacy/\n")
    calls = []
    may_match = Words.may_match
    monkeypatch.setattr(Words, "may_match", lambda self, window: calls.append(1) or may_match(self, window))
    scanner = Scanner()
    scanner.scan(io.BytesIO(b"".join(lines)))
    assert [(m.cause, m.lines[0].number) for m in scanner.finish().matches] == [("wrong-upload-url", 6_002)]
    assert scanner_module.PROBES <= len(calls) <= scanner_module.PROBES + BEHIND + AHEAD + 1


@pytest.mark.usefixtures("small_blocks")
def test_upload_lines_that_also_hold_an_anchor_are_read_for_both() -> None:
    # uv's "Failed to publish" names the file and starts a failure: past the first errors, the
    # upload lines are read from the end of each block back, the others one by one
    lines = [f"Uploading demo_{n}-1.0.0-py3-none-any.whl\n" for n in range(3_000)]
    failure = ("error: Failed to publish `dist/demo-1.0.0.tar.gz` to https://upload.pypi.org/legacy/\n"
               "  Caused by: Upload failed with status code 404 Not Found\n")
    data = ("Error: one\n" * 8 + "".join(lines) + failure + "x\n" * 20).encode()
    scanner = Scanner()
    scanner.scan(io.BytesIO(data))
    result = scanner.finish()
    assert result.uploads[-1][1] == "demo-1.0.0.tar.gz"
    assert result.uploads[-2][1] == "demo_2999-1.0.0-py3-none-any.whl"
    assert [m.cause for m in result.matches] == ["wrong-upload-url"]


# --- keys that can share a byte -----------------------------------------------------------------------


@settings(max_examples=500, deadline=None)
@given(st.text("ab", min_size=1, max_size=6), st.text("ab", min_size=1, max_size=6))
def test_overlap_is_whether_two_occurrences_can_share_a_byte(first: str, second: str) -> None:
    a, b = first.encode(), second.encode()
    brute = any(a[i:] == b[:len(a) - i] for i in range(1, len(a)) if len(a) - i < len(b))
    assert _tail_is_head(a, b) == brute
    # every text where both may occur close: one after the other, or the second starting in the first
    texts = [a, b] + [a[:k] + b for k in range(len(a) + 1)] + [b[:k] + a for k in range(len(b) + 1)]
    shared = any(
        text.find(a, i) == i and text.find(b, j) == j and max(i, j) < min(i + len(a), j + len(b))
        for text in texts for i in range(len(text)) for j in range(len(text)))
    assert _overlap(a, b) == shared
