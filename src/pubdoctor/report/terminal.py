"""What a checked repository or a log may not do to the reader's terminal.

Job and step names, commit subjects, file names, TOML strings and log lines are written by
whoever wrote the repository or the log. Printed raw, an ESC starts a control sequence that
can rewrite what the terminal shows (move the cursor, erase lines, set the window title, a
hidden OSC 8 hyperlink), BEL rings, a carriage return overwrites the line. Every string that
comes from the checked input goes through `printable` before text output, and JSON output
through `json_printable`: a control character is shown as its escape (``\\x1b``), visible
and harmless. Newlines and tabs are kept: pubdoctor's own messages use them.
"""

from __future__ import annotations

import re

#: C0 controls but tab and newline, DEL, C1 controls, and the bidirectional overrides and
#: isolates that reorder what is shown (U+202A-U+202E, U+2066-U+2069)
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
#: the same characters but the C0 ones, which JSON escapes already
_JSON_RAW = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: object) -> str:
    """``text`` with every control character shown as its escape (ESC as ``\\x1b``)."""
    return _UNPRINTABLE.sub(_escape, str(text))


def json_printable(document: str) -> str:
    """JSON text with the control characters it would carry raw (DEL, C1, bidi controls)
    written as ``\\uXXXX`` escapes: the same JSON value, but none of them reach a terminal.

    Only valid on JSON text: these characters can only stand inside its strings."""
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", document)
