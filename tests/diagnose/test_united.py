"""The runs of windows matched as a whole (`pubdoctor.diagnose.united`): a run is left out only
where no window of it can match, and that never loses a match.

The argument's parts are pinned here: the text of the runs, made with a few expressions over
all their lines, is the text the windows are made of (clean's every change, on any lines); the
expressions it relies on are the ones without anchors and lookarounds (read from their parse
tree); a match in a window is found in its run; and logs give the same matches with runs left
out as with every window matched on its own (tests/diagnose/test_words.py compares the corpus).
"""

from __future__ import annotations

import io
import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pubdoctor.diagnose import scanner as scanner_module
from pubdoctor.diagnose import united
from pubdoctor.diagnose.causes import PATTERNS
from pubdoctor.diagnose.causes.base import Pattern
from pubdoctor.diagnose.reader import MAX_TEXT, clean, decode
from pubdoctor.diagnose.scanner import AHEAD, BEHIND, Scanner
from pubdoctor.diagnose.united import relaxed, texts, union_safe
from pubdoctor.diagnose.words import MARKS, long_lines, view

if sys.version_info >= (3, 11):
    from re import _constants as sre  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
else:  # pragma: no cover - Python 3.10
    import sre_constants as sre
    import sre_parse


def _window_text(lines: list[bytes]) -> str:
    """A window's text as `Scanner._try_patterns` makes it: each line decoded and cleaned, each
    logical line's whitespace collapsed, all joined with single spaces."""
    return " ".join(" ".join(piece.text.split()) for line in lines for piece in clean(decode(line)[0]))


# --- the text of the runs is the windows' text --------------------------------------------------------

_FRAGMENTS = st.sampled_from([
    "2024-05-01T10:00:00.1234567Z ", "2024-05-01T10:00:00Z", " \t2024-05-01T10:00:00.1Z  ", "\ufeff",
    "\ufeff2024-05-01T10:00:00.0000000Z ", "ERROR", "HTTPError: 404 Not Found from https://x.org/legacy/",
    "File already exists", " ", "  ", "\t", "\u00a0", "\u2003", "\x0b", "\x1c", "\x00", "\x7f", "\x1b[31m",
    "\x1b[0m", "\x1b]8;;https://x\x07", "\x1b]0;title", "\x1b[?25l", "[?25h", "\r", "\r\r", "%0A", "%0a",
    "%25", ">", "> ", "  > ", "->", "::error::", "::error file=a::", "##[error]", "##[group]", "::",
    "Error: ", "Error:", "Warning: x", "Notice:  y", "error: ", "é", "İ", "\u2028", "\x85", "a", "word",
    "\ue000", "\x01", "\xff",
])


def _line() -> st.SearchStrategy[bytes]:
    text = st.lists(_FRAGMENTS, max_size=6).map("".join)
    plain = text.map(lambda t: t.encode("utf-8"))
    broken = text.map(lambda t: t.encode("utf-8").replace("\xff".encode(), b"\xff"))
    return st.one_of(plain, broken)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(_line(), min_size=1, max_size=5), min_size=1, max_size=4))
def test_the_text_of_each_run_is_the_text_of_its_lines_as_a_window_has_it(runs: list[list[bytes]]) -> None:
    data = b"".join(b"".join(line + b"\n" for line in run) for run in runs) + b"tail\n"
    spans, at = [], 0
    for run in runs:
        size = sum(len(line) + 1 for line in run)
        spans.append((at, at + size))
        at += size
    joined, bounds, unjudged = texts([data[a:b] for a, b in spans])
    assert len(bounds) == len(runs)
    if b"\x01" in data:  # (the separator: no run is judged)
        assert unjudged == set(range(len(runs)))
        return
    # each run's text, and a space before and after a separator between one and the next
    assert all(joined[end:start] == " \x01 " for (_, end), (start, _) in zip(bounds, bounds[1:]))
    pieces = [joined[start:end] for start, end in bounds]
    for number, (run, piece) in enumerate(zip(runs, pieces)):
        if number not in unjudged:
            assert piece == _window_text(run), run


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_FRAGMENTS.map(lambda t: t.encode("utf-8")), max_size=4).map(b"".join), min_size=1,
                max_size=8), st.integers(1, 3), st.sampled_from([b"", b" ", b"  ", b"1", b"\n"]))
def test_the_text_of_runs_whose_lines_all_start_with_githubs_timestamp(
        lines: list[bytes], cut: int, odd: bytes) -> None:
    # (then each line is cut after the timestamp: the same text as clean's expression leaves)
    stamped = [b"2024-05-01T10:00:%02d.%07dZ " % (n % 60, n) + line for n, line in enumerate(lines)]
    if odd != b"\n":  # one line's timestamp another way, or none
        stamped[-1] = stamped[-1][:28] + odd + stamped[-1][29:]
    runs = [stamped[:cut], stamped[cut:]] if cut < len(stamped) else [stamped]
    joined, bounds, unjudged = texts([b"\n".join(run) + b"\n" for run in runs])
    for number, (run, (start, end)) in enumerate(zip(runs, bounds)):
        if number not in unjudged:
            assert joined[start:end] == _window_text(run), run


def test_the_text_of_the_runs_in_examples() -> None:
    lines = [b"2024-05-01T10:00:00.1234567Z \x1b[31mERROR\x1b[0m    HTTPError: 404 Not",
             b"2024-05-01T10:00:00.1234567Z",
             b"2024-05-01T10:00:00.1234567Z          Found from https://upload.pypi.org/legacy/\r"]
    data = b"\n".join(lines) + b"\nnext\n"
    joined, bounds, unjudged = texts([data[:-5], data[-5:]])
    assert joined == "ERROR HTTPError: 404 Not  Found from https://upload.pypi.org/legacy/ \x01 next"
    assert (bounds, unjudged) == ([(0, joined.index(" \x01")), (joined.index("next"), len(joined))], set())


def test_a_block_that_holds_the_separator_leaves_every_run_unjudged() -> None:
    data = b"one\x01\ntwo\n"
    assert texts([data[:5], data[5:]])[2] == {0, 1}
    assert united.may_match([data[:5], data[5:]], [0], lambda text: [0], PATTERNS) == [True, True]


@pytest.mark.parametrize("line", [
    b"::error::File already exists", b"##[error]File already exists", b"Error: File already exists",
    b"2024-05-01T10:00:00Z   Warning: x", b"> quoted log", b"a%0Ab", b"frame\rlast", b"\xff\xfe",
    b"x" * (MAX_TEXT + 1),
])
def test_a_line_clean_reads_otherwise_leaves_its_run_unjudged(line: bytes) -> None:
    data = b"plain one\n" + line + b"\nplain two\n"
    first = len(b"plain one\n")
    spans = [(0, first), (first, first + len(line) + 1), (first + len(line) + 1, len(data))]
    assert texts([data[a:b] for a, b in spans])[2] == {1}


# --- the expressions a run is judged with --------------------------------------------------------------


def _has_anchor_or_lookaround(tree: object) -> bool:
    for op, av in tree:  # type: ignore[attr-defined]
        if op is sre.AT and av not in (sre.AT_BOUNDARY, sre.AT_NON_BOUNDARY):
            return True
        if op in (sre.ASSERT, sre.ASSERT_NOT):
            return True
        if op is sre.SUBPATTERN and _has_anchor_or_lookaround(av[-1]):
            return True
        if op is sre.BRANCH and any(_has_anchor_or_lookaround(branch) for branch in av[1]):
            return True
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and _has_anchor_or_lookaround(av[2]):
            return True
    return False


_EXPRESSIONS = [p.regex for p in PATTERNS] + [
    r"^a", r"a$", r"\Aa", r"a\Z", r"(?=a)b", r"a(?!b)", r"(?<=a)b", r"(?<!a)b", r"[$^]x", r"[^$]x",
    r"\^x\$", r"[\]^]x", r"a\bb", r"(?:x|^y)", r"(x(?!y))+",
]


@pytest.mark.parametrize("regex", _EXPRESSIONS)
def test_an_expression_is_union_safe_when_its_parse_tree_has_no_anchor_nor_lookaround(regex: str) -> None:
    assert union_safe(regex) == (not _has_anchor_or_lookaround(sre_parse.parse(regex)))
    # and without them, it is
    assert not _has_anchor_or_lookaround(sre_parse.parse(relaxed(regex)))
    assert re.compile(relaxed(regex)).groupindex == re.compile(regex).groupindex


def test_the_catalogue_has_expressions_of_both_kinds() -> None:
    unsafe = {p.cause for p in PATTERNS if not union_safe(p.regex)}
    assert unsafe and len(unsafe) < len({p.cause for p in PATTERNS})
    # escaped and classed parentheses do not close a lookaround
    assert relaxed(r"a(?!b(?:c|\)d)|[)(]e)f^$\Ag\Z(?<=h)") == "afg"


_TEXTS = st.lists(st.sampled_from([
    "Trusted publishing exchange failure", ":", " ", "OpenID Connect token retrieval failed", "No release",
    "will be made", ",", "1.0.0", "has already been released", "HTTPError:", "404", "Not Found", "from",
    "https://upload.pypi.org/legacy/", "https://pypi.org/pypi/x/json", "Caused by:", "Upload failed with status code",
    "Failed to publish", "`dist/x.whl`", "to", "x", "\n",
]), max_size=12).map("".join)


@settings(max_examples=500, deadline=None)
@given(st.sampled_from([p for p in PATTERNS if not union_safe(p.regex)]), _TEXTS)
def test_the_relaxed_expression_matches_wherever_the_expression_does(pattern: Pattern, text: str) -> None:
    found = pattern.compiled.search(text)
    if found:
        assert re.compile(relaxed(pattern.regex), pattern.compiled.flags).search(text, found.start())


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_a_match_in_a_window_is_a_match_in_its_run(data: st.DataObject) -> None:
    # a window's text is a part of its run's text with a space (or nothing) on each side: a
    # union-safe expression that matches it matches the run's text
    pattern = data.draw(st.sampled_from(PATTERNS))
    expression = re.compile(relaxed(pattern.regex), pattern.compiled.flags)
    words = st.sampled_from(["a", "x", "Not", "Found", "error", "404", "from", "https://x.org/legacy/",
                             "HTTPError:", "'f-1.0.tar.gz'", "(", ")", ".", "", "is"])
    pieces = data.draw(st.lists(words, min_size=1, max_size=12))
    before = data.draw(st.lists(words, max_size=4))
    after = data.draw(st.lists(words, max_size=4))
    window = " ".join(pieces)
    run = " ".join([*before, window, *after])
    if pattern.compiled.search(window):
        assert expression.search(run)


@pytest.mark.parametrize(("regex", "expected"), [
    (r"(?:HTTPError:\s*|HTTP Error\s*)40[45]", {"httperror:", "http error"}),
    (r"(?:Failed to publish\s+x\s+)?Caused by:", {"failed to publish", "caused by:"}),
    (r"(?:fatal:\s*)?tag '(?P<tag>[^']+)'|\[rejected\]", {"fatal:", "tag '", "[rejected]"}),
    (r"\b413\b[^\n]{0,20}Too", {"413"}), (r"ab?c", {"a"}), (r"ab+c", {"ab"}), (r"ab{2}c", {"ab"}),
    (r"a\.b\sc", {"a.b"}), (r"x|Y", {"x", "y"}), (r"(?P<n>Ab)c", {"ab"}), (r"File \"x", {'file "x'}),
    (r"a?b", None), (r"[^.]{0,160}\. See", None), (r"(?i)abc", None), (r"(?:a|)b", None), (r"x|\s+y", None),
    (r"(?:ab){0,2}c", None), (r"\w+: unbound", None), (r".{0,3}x", None), (r"é", None),
])
def test_the_prefixes_of_an_expression(regex: str, expected: set[str] | None) -> None:
    assert united.prefixes(regex) == (None if expected is None else frozenset(expected))


_MIXED = st.lists(st.sampled_from([
    "HTTPError: ", "httperror:", "HTTP Error 404", "http error", "404", "405 ", "Not Found", "from ",
    "https://x.org/legacy/", "for url: ", "Caused by: ", "Upload failed with status code 404", "Failed to publish",
    " `x.whl` to ", "File already exists", "fatal: ", "tag 'v1' already exists", "[rejected] a -> b (already exists)",
    "Too Many Requests", "429", " ", "x", ".", "'", "(", ")", "Error: ", "Cannot use PEP 440 local versions",
    "invalid-publisher", ": valid token, but no corresponding publisher", "No release will be made",
]), max_size=10).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(PATTERNS), _MIXED)
def test_every_match_starts_with_a_prefix(pattern: Pattern, text: str) -> None:
    regex = relaxed(pattern.regex)
    starts = united.prefixes(regex)
    if starts is None:
        return
    expression = re.compile(regex, pattern.compiled.flags)
    for at in range(len(text)):
        found = expression.match(text, at)
        if found:
            assert any(text[at:].lower().startswith(start) for start in starts), (regex, text[at:])


_PIECES = st.sampled_from([
    "HTTP", "Error:", "HTTPError:", " ", "\t", "\u00a0", "\u2003", "\r", "\x1b[31m", "\x1b[0m", "\x00",
    "2024-05-01T10:00:00.1234567Z ", "::error::", "##[error]", "> ", "Error: ", "Http", "error", "404",
    " Not Found from https://x.org/legacy/", "Caused", "by:", "Upload failed with status code 404", "File",
    "already exists", "Too Many", "Requests", "429", "The name 'x' is invalid", "tag", "'v1'", "fatal:",
    "\u0130", "\u212a", "\xff", "x",
])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(_PIECES, max_size=5).map("".join), min_size=1, max_size=6))
def test_a_pattern_whose_prefixes_the_view_lacks_matches_nowhere_in_the_block(lines: list[str]) -> None:
    # the block's lines cleaned and joined as one window: a pattern that `may_start` rules out
    # in the block's view does not match there
    raw = [line.encode("utf-8").replace("\xff".encode(), b"\xff") for line in lines]
    data = b"\n".join(raw)
    if long_lines(data) or any(mark in view(data) for mark in MARKS):
        return  # (a flagged line: the scanner does not ask)
    text = _window_text(raw)
    for pattern in PATTERNS:
        if not united.may_start(view(data), pattern):
            assert not re.compile(relaxed(pattern.regex), pattern.compiled.flags).search(text), (pattern.regex, text)


def test_may_start_in_examples() -> None:
    wrong_url = next(p for p in PATTERNS if p.cause == "wrong-upload-url" and "404 Not Found" in p.anchors)
    assert not united.may_start(view(b'"GET https://x.org/1 HTTP/1.1" 404 Not Found\nERROR app'), wrong_url)
    assert united.may_start(view(b"ERROR    HTTPError: 404"), wrong_url)
    assert united.may_start(view(b"a HTTP\n2024-05-01T10:00:00Z Error 404"), wrong_url)  # over two lines
    assert united.may_start(view(b"a HTTP\xc2\xa0Error 404"), wrong_url)  # (no-break space)
    assert united.may_start(view(b"\x1b[31mHTTP\x1b[0mError: 404"), wrong_url)


def test_the_catalogue_mostly_has_prefixes() -> None:
    assert sum(united.prefixes(relaxed(p.regex)) is not None for p in PATTERNS) > 0.9 * len(PATTERNS)


def _pattern(regex: str, anchors: tuple[str, ...]) -> Pattern:
    return Pattern("file-exists", regex, anchors)


def _judge(lines: list[bytes], runs: list[tuple[int, int]], patterns: tuple[Pattern, ...]) -> list[bool]:
    data = b"".join(line + b"\n" for line in lines)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    spans = [(starts[low], starts[high + 1]) for low, high in runs]
    folded = [{" ".join(a.split()).lower() for a in p.anchors} for p in patterns]

    def candidates(text: str) -> list[int]:
        return [n for n, anchors in enumerate(folded) if any(a in text for a in anchors)]

    return united.may_match([data[a:b] for a, b in spans], range(len(patterns)), candidates, patterns)


@pytest.mark.parametrize("accent", [b"", " é".encode()])
def test_a_run_is_kept_where_a_live_pattern_matches_it_or_it_is_unjudged(accent: bytes) -> None:
    # (an ASCII text is searched where the expressions' prefixes are, another one through)
    lines = [b"one 404 Not Found" + accent, b"two", b"HTTPError: 404 Not", b"Found from https://x/legacy/",
             b"three 404 Not Found", b"::error::four 404 Not Found", b"five"]
    wrong_url = _pattern(r"HTTPError:\s*404 Not Found from https?://\S+", ("404 Not Found",))
    assert _judge(lines, [(0, 1), (2, 3), (4, 4), (5, 6)], (wrong_url,)) == [False, True, False, True]
    # a match across two runs (an expression that reads the separator as any other character)
    # keeps both: each run is kept where a match may hold a part of it
    across = _pattern(r"HTTPError:\s*404 Not\W+Found", ("404 Not",))
    assert _judge(lines, [(0, 2), (3, 4)], (across,)) == [True, True]
    assert _judge(lines, [(0, 2), (3, 4)], (wrong_url,)) == [False, False]
    # not a live pattern: no run is kept but the unjudged one
    assert united.may_match([lines[0] + b"\n"], [], lambda text: [0], (wrong_url,)) == [False]


def test_a_pattern_with_a_lookaround_judges_runs_without_it() -> None:
    lines = [b"Trusted publishing exchange failure:", b"OpenID Connect token retrieval failed", b"x", b"y"]
    lookahead = _pattern(r"Trusted publishing exchange failure(?!:?\s*OpenID)", ("exchange failure",))
    assert not union_safe(lookahead.regex)
    # the run's text does not match (the reason follows), but a window that ends on the first
    # line would: the run is kept
    assert _judge(lines, [(0, 1), (2, 3)], (lookahead,)) == [True, False]


# --- in the scan ----------------------------------------------------------------------------------


def _near_urls_log(count: int, failure_at: int) -> bytes:
    lines = []
    for n in range(count):
        lines.append(b'2024-05-01T10:00:00.0000000Z INFO 127.0.0.1 "GET https://example.org/items/%d HTTP/1.1"'
                     b" 404 Not Found\n" % n)
        if n % 25 == 24:
            lines.append(b"2024-05-01T10:00:00.0000000Z ERROR demo.api: lookup of item %d failed\n" % n)
        if n == failure_at:
            lines.append(b"2024-05-01T10:00:00.0000000Z ERROR    HTTPError: 404 Not Found from "
                         b"https://upload.pypi.org/simple/\n")
    return b"".join(lines)


def _scan(data: bytes) -> tuple[list[tuple[str, int]], int]:
    tried = 0
    try_patterns = Scanner._try_patterns

    def counting(self: Scanner, *args: object) -> None:
        nonlocal tried
        tried += 1
        try_patterns(self, *args)  # type: ignore[arg-type]

    scanner = Scanner()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Scanner, "_try_patterns", counting)
        scanner.scan(io.BytesIO(data))
    return [(m.cause, m.lines[0].number) for m in scanner.finish().matches], tried


def test_windows_that_hold_all_a_pattern_needs_and_do_not_match_are_left_by_runs(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # a web server's 404 with a URL, and an application's error line now and then: the windows
    # around each error line hold all twine's 404 pattern needs and do not match it
    data = _near_urls_log(8_000, 6_000)
    found, tried = _scan(data)
    failure_line = data.split(b"\n").index(next(line for line in data.split(b"\n") if b"HTTPError" in line)) + 1
    assert failure_line == 6_001 + 6_000 // 25 + 1
    assert found == [("wrong-upload-url", failure_line)]
    # the windows matched one by one: the probes, and those around the failure's line
    assert tried <= scanner_module.PROBES + 2 * (BEHIND + AHEAD + 1)
    monkeypatch.setattr(scanner_module, "UNITED", False)
    assert _scan(data)[0] == found  # the same match when every window is matched
    assert _scan(data)[1] > 500


@pytest.mark.usefixtures("small_blocks")
def test_runs_find_a_failure_wherever_the_blocks_cut_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scanner_module, "PROBES", 0)
    monkeypatch.setattr(scanner_module, "FUTILE", 10**9)
    for failure_at in range(20, 120, 7):
        data = _near_urls_log(160, failure_at)
        found = _scan(data)[0]
        monkeypatch.setattr(scanner_module, "UNITED", False)
        assert _scan(data)[0] == found, failure_at
        monkeypatch.setattr(scanner_module, "UNITED", True)
        assert any(cause == "wrong-upload-url" for cause, _ in found), failure_at
