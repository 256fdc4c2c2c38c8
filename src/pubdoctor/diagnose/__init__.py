"""``pubdoctor diagnose LOG``: name the cause of a failed publish job, show the lines, give the fix.

The flow is `pubdoctor check` run backwards: `reader` opens the log (file, stdin, zip log
archive) and cleans its lines, `scanner` streams it once and matches the catalogue's
message texts (one module per cause in `causes`), `decide` picks the first failure,
`crosscheck` runs the rules behind the cause on the repository, and `render` prints it all
through `masking`.
"""

from __future__ import annotations

from typing import BinaryIO

from pubdoctor.diagnose.decide import Diagnosis, decide
from pubdoctor.diagnose.reader import open_log
from pubdoctor.diagnose.scanner import Scanner


def diagnose(spec: str, stdin: BinaryIO | None = None, engine: str = "auto") -> Diagnosis:
    """Diagnose the log named by ``spec`` (a path, or ``-`` for stdin).

    ``engine`` is how blocks are searched: ``auto`` (Aho-Corasick when ahocorasick-rs is
    installed) or ``find`` (pure Python); both find the same lines.
    """
    scanner = Scanner(engine)
    with open_log(spec, stdin=stdin) as parts:
        for part in parts:
            scanner.scan(part.stream, part.name)
    scan = scanner.finish()
    diagnosis = decide(scan)
    if scan.undecodable is not None:
        where = f"{scan.undecodable.part}:" if scan.undecodable.part else "line "
        diagnosis.notes.append(f"the log is not valid UTF-8 ({where}{scan.undecodable.number} and "
                               "maybe others); undecodable bytes are shown as \N{REPLACEMENT CHARACTER}")
    return diagnosis


__all__ = ["Diagnosis", "diagnose"]
