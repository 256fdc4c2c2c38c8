"""Opening a job log in any form a user has it, and cleaning its lines.

Forms: a text file (UTF-8, or UTF-16 with a byte-order mark as PowerShell writes it), ``-``
for stdin, or a ``.zip`` log archive from GitHub's "Download log archive" (recognised by its
content, whatever its name). The text may carry GitHub's timestamps
(``2024-01-01T00:00:00.0000000Z ``), ANSI colours, raw workflow commands
(``::error::...%0A...``), the web view's ``##[error]`` markers, or the indentation and the
``> `` quote markers of a paste in an issue or a pull request. Nothing is read whole:
`chunks` yields blocks of complete lines, so a 200 MB log costs a few megabytes of memory.
"""

from __future__ import annotations

import io
import re
import shutil
import struct
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO, cast

from pubdoctor.errors import InputError
from pubdoctor.records import record

#: Bytes read at a time; a block is extended to the end of its last line.
CHUNK_SIZE = 1 << 20
#: A "line" longer than this (a minified blob, a binary) is cut into pieces.
MAX_LINE = 1 << 20
#: The sniffed start of the input, to tell text, zip and binary apart.
_SNIFF = 8192
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")


@record
class Part:
    """One text stream of the input: the file itself, or one log file of a zip archive."""

    name: str | None
    stream: BinaryIO


def _is_binary(head: bytes) -> bool:
    return b"\x00" in head


@contextmanager
def open_log(spec: str, stdin: BinaryIO | None = None) -> Iterator[list[Part]]:
    """The parts of the log named by ``spec`` (a path, or ``-`` for stdin).

    Raises `InputError` (exit 2, one line naming the input) for a missing, unreadable,
    empty or binary input.
    """
    shown = "<stdin>" if spec == "-" else spec
    if spec == "-":
        source = stdin if stdin is not None else sys.stdin.buffer
        head = source.read(_SNIFF)
        if head.startswith(_ZIP_MAGIC):
            # zipfile needs to seek: spool stdin to a temporary file (a real one: before
            # Python 3.11 a SpooledTemporaryFile has no ``seekable()``, which zipfile calls).
            with tempfile.TemporaryFile() as spool:
                spool.write(head)
                shutil.copyfileobj(source, spool, 1 << 20)
                spool.seek(0)
                with _zip_parts(spool, shown) as parts:  # type: ignore[arg-type]
                    yield parts
            return
        stream: BinaryIO = _Prefixed(head, source)  # type: ignore[assignment]
        if head.startswith(_UTF16_BOMS):
            yield [Part(None, cast(BinaryIO, _Utf16(stream)))]
            return
        _check_head(head, shown)
        yield [Part(None, stream)]
        return
    path = Path(spec)
    try:
        if path.is_dir():
            raise InputError("is a directory, expected a log file or a .zip log archive", shown)
        handle = path.open("rb")
    except InputError:
        raise
    except FileNotFoundError:
        raise InputError("no such file", shown) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", shown) from None
    with handle:
        try:
            head = handle.read(_SNIFF)
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror or exc}", shown) from None
        if head.startswith(_ZIP_MAGIC):
            handle.seek(0)
            with _zip_parts(handle, shown) as parts:
                yield parts
            return
        handle.seek(0)
        if head.startswith(_UTF16_BOMS):
            yield [Part(None, cast(BinaryIO, _Utf16(handle)))]
            return
        _check_head(head, shown)
        yield [Part(None, handle)]


_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


class _Utf16(io.RawIOBase):
    """A UTF-16 stream (what PowerShell's ``>`` writes) read as UTF-8, a block at a time."""

    def __init__(self, stream: BinaryIO) -> None:
        self._text = io.TextIOWrapper(stream, encoding="utf-16", errors="replace", newline="")
        self._pending = b""

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:  # type: ignore[override]
        while size < 0 or len(self._pending) < size:
            text = self._text.read(CHUNK_SIZE if size < 0 else max(size // 2, 1))
            if not text:
                break
            self._pending += text.encode("utf-8")
        if size < 0:
            data, self._pending = self._pending, b""
        else:
            data, self._pending = self._pending[:size], self._pending[size:]
        return data


def _check_head(head: bytes, shown: str) -> None:
    if not head.strip():
        raise InputError("the log is empty: copy the failed job's log (or use \"Download log "
                         "archive\" on the run's page) and try again", shown)
    if head.startswith(b"\x1f\x8b"):
        raise InputError("gzip-compressed: unpack it first (gunzip), or pass the .zip log archive", shown)
    if _is_binary(head):
        raise InputError("binary file (it contains NUL bytes), expected a text log or a .zip log "
                         "archive", shown)


class _Prefixed(io.RawIOBase):
    """A stream whose first bytes were already read (sniffed) from another stream."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:  # type: ignore[override]
        if self._head:
            if size < 0 or size >= len(self._head):
                data, self._head = self._head, b""
                more = self._rest.read(-1 if size < 0 else size - len(data))
                return data + (more or b"")
            data, self._head = self._head[:size], self._head[size:]
            return data
        return self._rest.read(size) or b""


def _entry_order(name: str) -> tuple[int, str, int, str]:
    """GitHub names logs ``N_job.txt`` (whole job) and ``job/N_step.txt``; order by N."""
    folder, _, base = name.rpartition("/")
    number = re.match(r"(\d+)_", base)
    return (name.count("/"), folder, int(number.group(1)) if number else 1 << 30, base)


@contextmanager
def _zip_parts(handle: BinaryIO, shown: str) -> Iterator[list[Part]]:
    """The log files of a GitHub log archive, in the order the jobs and steps ran.

    An archive holds each job's whole log at the top (``1_publish.txt``) and, in older
    archives, the same lines again per step in a folder (``publish/3_Upload.txt``); the
    top-level files are read when present, the step files only otherwise.
    """
    entries = _entry_count(handle)
    if entries > MAX_ENTRIES:
        raise InputError(f"the zip archive holds {entries:,} files, more than a log archive "
                         f"(one per job and step; pubdoctor reads up to {MAX_ENTRIES:,})", shown)
    try:
        archive = zipfile.ZipFile(handle)
        infos = [i for i in archive.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise InputError(f"not a readable zip archive: {exc}", shown) from None
    texts = [i for i in infos if i.filename.lower().endswith((".txt", ".log"))] or infos
    top = [i for i in texts if "/" not in i.filename]
    chosen = sorted(top or texts, key=lambda i: _entry_order(i.filename))
    if not chosen:
        raise InputError("the zip archive holds no log files", shown)
    streams: list[Part] = []
    try:
        with archive:
            for info in chosen:
                streams.append(Part(info.filename, cast(BinaryIO, _Entry(archive, info, shown))))
            yield streams
    finally:
        for part in streams:
            part.stream.close()


#: A GitHub log archive holds a file per job and per step: far fewer than this.
MAX_ENTRIES = 10_000


def _entry_count(handle: BinaryIO) -> int:
    """The number of entries the archive's end record announces (0 when it cannot tell):
    read before zipfile parses a central directory of a million entries."""
    try:
        record = zipfile._EndRecData(handle)  # type: ignore[attr-defined]
        handle.seek(0)
    except (OSError, ValueError, AttributeError, struct.error):
        return 0
    return int(record[4]) if record else 0


class _Entry(io.RawIOBase):
    """One file of a log archive, opened when first read (not all at once), whose read errors
    (a bad CRC, corrupt or truncated data, encryption) become one line naming the entry."""

    def __init__(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo, shown: str) -> None:
        self._archive, self._info, self._shown = archive, info, shown
        self._handle: Any = None

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:  # type: ignore[override]
        import lzma
        import zlib

        try:
            if self._handle is None:
                self._handle = self._archive.open(self._info)
            return bytes(self._handle.read(size))
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError,
                zlib.error, lzma.LZMAError, ValueError) as exc:
            from pubdoctor.diagnose.masking import mask

            raise InputError(f"cannot read {mask(self._info.filename)!r} in the archive: {exc}",
                             self._shown) from None

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
        super().close()


def chunks(stream: BinaryIO, size: int | None = None) -> Iterator[bytes]:
    """Blocks of complete lines (each ends with ``\\n``), about ``size`` bytes each."""
    size = size or CHUNK_SIZE
    limit = max(MAX_LINE, size)
    carry = b""
    while True:
        block = stream.read(size)
        if not block:
            if carry:
                yield carry + b"\n"
            return
        if carry:
            block = carry + block
            carry = b""
        cut = block.rfind(b"\n")
        if cut < 0:
            if len(block) >= limit:
                yield block + b"\n"
            else:
                carry = block
            continue
        if cut + 1 < len(block):
            carry = block[cut + 1:]
            block = block[:cut + 1]
        yield block


# --- cleaning one line -------------------------------------------------------------------------

_TIMESTAMP = re.compile(r"^\ufeff?\s*\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z ?")
#: Markdown quote markers (``> ``, nested ``> > ``) of a log pasted in an issue or a PR body;
#: one space after each ``>`` belongs to the marker, the rest is the log's own indentation.
#: ``>`` must be followed by a space or end the line (a ``>>>`` prompt is no quote).
_QUOTE = re.compile(r"^\ufeff?(?:[ \t]{0,3}>(?: |$))+")
_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]|\[\?25[lh]")
#: the same expression for a text of many lines, removing what it removes from each line: an
#: OSC sequence left open stops at its line's end (clean reads one line at a time)
ANSI_IN_LINES = _ANSI.pattern.replace(r"\x1b\][^\x07\x1b]*", r"\x1b\][^\x07\x1b\n]*")
assert ANSI_IN_LINES != _ANSI.pattern
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_COMMAND = re.compile(r"^##\[(?P<raw>error|warning|notice|debug|group|endgroup|command|section)\]"
                      r"|^::(?P<cmd>error|warning|notice|debug)(?:\s[^:]*)?::")
_ANNOTATION = re.compile(r"^(?P<word>Error|Warning|Notice):\s+(?=\S)")
_DISPLAY_WORD = {"error": "Error: ", "warning": "Warning: ", "notice": "Notice: "}
_PADDING = re.compile(r" {10,}")
#: A logical line is matched and shown up to this length (a minified blob is not a message).
MAX_TEXT = 4096


@record
class Clean:
    """One logical line: how it is shown, and the text the patterns read."""

    display: str
    text: str
    annotation: str | None = None  # "error", "warning", "notice" when GitHub marks it


def decode(raw: bytes) -> tuple[str, bool]:
    """A line's text, and whether it was valid UTF-8 (invalid bytes become U+FFFD)."""
    try:
        return raw.decode("utf-8"), True
    except UnicodeDecodeError:
        return raw.decode("utf-8", errors="replace"), False


def indent(line: str) -> int:
    """How far a log line is indented, once GitHub's timestamp and colours are gone.

    twine (rich logging) prints the index's reason on the lines after ``ERROR    HTTPError:
    ...``, indented under the message; a line indented deeper than an error line continues it.
    """
    line = _TIMESTAMP.sub("", unquote(line), count=1)
    if "\x1b" in line or "[?25" in line:
        line = _ANSI.sub("", line)
    return len(line) - len(line.lstrip(" \t"))


def unquote(line: str) -> str:
    """``line`` without the Markdown quote markers of a paste (``> ERROR ...`` -> ``ERROR ...``).

    A log quoted in an issue keeps its own indentation after the marker, so twine's reason
    stays indented under its status line."""
    if ">" not in line[:16]:
        return line
    return _QUOTE.sub("", line, count=1)


def clean(line: str) -> list[Clean]:
    """The logical lines of one log line, without timestamp, colours and markers.

    A workflow command printed raw (``::error::a%0Ab``) holds several lines in one; each
    becomes its own logical line.
    """
    if len(line) > MAX_TEXT:
        line = line[:MAX_TEXT] + " [...]"
    line = _TIMESTAMP.sub("", unquote(line.rstrip("\r\n")), count=1)
    if "\x1b" in line or "[?25" in line:
        line = _ANSI.sub("", line)
    if "\r" in line:  # progress bars redraw with \r: what the user saw is the last frame
        frames = [frame for frame in line.split("\r") if frame.strip()]
        line = frames[-1] if frames else ""
    line = _CONTROL.sub("", line)
    pieces = [line]
    if "%0A" in line or "%0a" in line:
        pieces = re.split(r"%0[Aa]", line)
        pieces = [p.replace("%0D", "").replace("%0d", "").replace("%25", "%") for p in pieces]
    result: list[Clean] = []
    annotation: str | None = None
    for number, piece in enumerate(pieces):
        stripped = piece.strip()
        text = stripped
        display = stripped
        if number == 0:
            command = _COMMAND.match(text)
            if command:
                kind = command.group("raw") or command.group("cmd")
                text = text[command.end():].strip()
                if kind in _DISPLAY_WORD:
                    annotation = kind
                    display = _DISPLAY_WORD[kind] + text
                else:
                    display = text
            word = _ANNOTATION.match(text)
            if word:
                annotation = annotation or word.group("word").lower()
                text = text[word.end():]
        if "          " in display:  # rich pads columns (a logger's file:line) with long runs
            display = _PADDING.sub("  ", display)
        result.append(Clean(display=display, text=text, annotation=annotation))
    return result
