"""What a cause and a log pattern are.

A `Cause` is one entry of the diagnose vocabulary (``DESIGN.md``): what happened, the fix,
and the rules whose findings would have predicted it. A `Pattern` is one message text from
the failure catalogue (``failure-messages.md``), as a regular expression run on a few
consecutive log lines joined with single spaces (so text that a tool or a paste wrapped over
several lines still matches), guarded by *anchors*: short literals, at least one of which
must appear verbatim in a line before the expression is tried. Anchors make the scan fast
(plain substring search over megabytes) and keep the expressions honest: every anchor is a
piece of a documented message, never a word of one log.

Where an anchor is common text that is no failure by itself (an HTTP status line such as
``404 Not Found`` in a web server's access log), a pattern also says what it *needs*: words
that any text it matches holds (``error`` of ``HTTPError``, and ``://`` of the URL after it).
The scanner tries a pattern only around lines that hold what it needs (`pubdoctor.diagnose.words`),
so a log of a million such status lines is not matched window by window;
tests/diagnose/test_words.py checks each of these words against the expression itself.
"""

from __future__ import annotations

import functools
import re
from typing import Literal

from pubdoctor.records import record

#: ``error``: a failure that ends the job. ``hint``: a warning that explains a later failure
#: (it wins over the failures listed in ``explains``). ``fallback``: a weak sign used only
#: when nothing else matched. ``fact``: not a cause, a detail that refines the fix.
Kind = Literal["error", "hint", "fallback", "fact"]


@record(frozen=True)
class Cause:
    """One cause of the diagnose vocabulary."""

    id: str
    summary: str
    fix: str
    rules: tuple[str, ...] = ()


@record(frozen=True)
class Pattern:
    """One documented message that shows a cause (or a fact) in a log."""

    cause: str
    regex: str
    anchors: tuple[str, ...]
    kind: Kind = "error"
    #: where two causes claim the same lines, the higher priority (the more specific text) wins
    priority: int = 1
    #: the variant this message shows, said to the user next to the cause's summary
    detail: str = ""
    #: a fix that replaces the cause's fix for this variant
    fix: str = ""
    #: for hints: the causes of later failures that this warning explains
    explains: frozenset[str] = frozenset()
    #: the tool that prints this message, for the evidence heading
    tool: str = ""
    #: said after the detail when the match has the groups it names (``{problem}``): what the
    #: log says exactly (the README line that does not render, the URL that was refused)
    more: str = ""
    #: for a status line (``403 Forbidden``): counts only when the index gave no reason
    bare: bool = False
    #: what every text the expression matches holds, in any case: each entry a word (ASCII, no
    #: whitespace) or words one of which it holds (``"error|status"``); only for patterns whose
    #: anchors are common text (see the module's docstring)
    needs: tuple[str, ...] = ()

    def said(self, groups: dict[str, str]) -> str:
        """`more` filled with the match's groups, or ``""`` when a group it names is missing."""
        if not self.more:
            return ""
        try:
            return self.more.format(**groups)
        except (KeyError, IndexError, ValueError):
            return ""

    @property
    def compiled(self) -> re.Pattern[str]:
        """The expression, compiled when first tried: most runs try a few patterns of the
        hundred, and compiling them all would cost a diagnosis tens of milliseconds."""
        return _compile(self.regex)

    def __post_init__(self) -> None:
        if not self.anchors:
            raise ValueError(f"pattern {self.regex!r} of {self.cause} has no anchor")
        for word in (word for entry in self.needs for word in entry.split("|")):
            if not word or not word.isascii() or len(word.split()) != 1 or word != word.strip():
                raise ValueError(f"pattern {self.regex!r} of {self.cause} needs {word!r}: "
                                 "a word of ASCII without whitespace")


@functools.lru_cache(maxsize=None)
def _compile(regex: str) -> re.Pattern[str]:
    return re.compile(regex, re.IGNORECASE)


def sp(text: str) -> str:
    """A message text as a regex where every run of spaces may be any run of whitespace.

    Joined log lines have single spaces, but a tool or a paste may have wrapped a sentence
    anywhere, and rich's logging pads lines with spaces. Markdown backticks and ``**`` bold
    markers are optional: a message rendered as Markdown (a PR body, the run's summary) and then
    copied loses them.
    """
    words = (re.escape(word).replace("`", "`?").replace(r"\*\*", r"(?:\*\*)?") for word in text.split())
    return r"\s+".join(words)
