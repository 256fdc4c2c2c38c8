"""What a checked repository or a log may not do to the reader's terminal.

Job and step names, commit subjects, file names, TOML strings and log lines are written by
whoever wrote the repository or the log. Printed raw, an ESC starts a control sequence that
can rewrite what the terminal shows (move the cursor, erase lines, set the window title, a
hidden OSC 8 hyperlink), BEL rings, a carriage return overwrites the line. Every string that
comes from the checked input goes through `printable` before text output, and JSON output
through `json_printable`: a control character is shown as its escape (``\\x1b``), visible
and harmless. Newlines and tabs are kept: pubdoctor's own messages use them.

Both also hide credentials in URLs (``https://__token__:pypi-...@host`` ->
``https://__token__:****@host``): an ``index-url`` or a ``repository-url`` may carry them, and
whatever message quotes the URL (a warning, a note, an input error), none is printed.
"""

from __future__ import annotations

import re

from pubdoctor.lazyregex import lazy_compile

#: C0 controls but tab and newline, DEL, C1 controls, and the bidirectional overrides and
#: isolates that reorder what is shown (U+202A-U+202E, U+2066-U+2069)
_UNPRINTABLE = lazy_compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
#: the same characters but the C0 ones, which JSON escapes already
_JSON_RAW = lazy_compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


#: ``scheme://userinfo@``: the userinfo of a URL
_USERINFO = lazy_compile(r"(?i)\b([a-z][a-z0-9+.\-]*://)([^/\s@\"'<>`]+)@")
_TOKEN_PREFIXES = ("pypi-", "ghp_", "gho_", "ghs_", "ghu_", "ghr_", "github_pat_")


def _hide_userinfo(match: re.Match[str]) -> str:
    scheme, userinfo = match.group(1), match.group(2)
    user, colon, secret = userinfo.partition(":")
    if colon and secret and secret != "****":
        return f"{scheme}{user}:****@"
    if not colon and (len(user) >= 20 or user.startswith(_TOKEN_PREFIXES)):
        return f"{scheme}****@"  # a token given as the user name
    return match.group(0)


def hide_credentials(text: str) -> str:
    """``text`` with the password (or the token standing as the user) of every URL masked."""
    return _USERINFO.sub(_hide_userinfo, text) if "@" in text else text


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _plain(text: str) -> bool:
    """Whether ``text`` holds none of `_UNPRINTABLE`'s characters, told without the pattern:
    each of them is a control or format character, which `str.isprintable` refuses, and the
    tab and the newline it refuses too are allowed (most messages need no pattern at all)."""
    return text.isprintable() or text.translate(_TAB_AND_NEWLINE).isprintable()


_TAB_AND_NEWLINE = {9: None, 10: None}


def printable(text: object) -> str:
    """``text`` with every control character shown as its escape (ESC as ``\\x1b``), and no
    credentials in its URLs."""
    text = str(text)
    return hide_credentials(text if _plain(text) else _UNPRINTABLE.sub(_escape, text))


def json_printable(document: str) -> str:
    """JSON text with the control characters it would carry raw (DEL, C1, bidi controls)
    written as ``\\uXXXX`` escapes: the same JSON value, but none of them reach a terminal.

    Only valid on JSON text: these characters can only stand inside its strings."""
    if _plain(document):
        return hide_credentials(document)
    return hide_credentials(_JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", document))
