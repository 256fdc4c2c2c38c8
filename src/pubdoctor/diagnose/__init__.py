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
from pubdoctor.diagnose.github_run import RunLogReader
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
    return _decided(scanner)


def diagnose_run(reader: RunLogReader, engine: str = "auto") -> Diagnosis:
    """Diagnose the failed jobs of a workflow run, each log streamed from GitHub as it
    downloads; each job is a part of the log, named by the job (as in a log archive)."""
    import http.client

    from pubdoctor.errors import InputError

    scanner = Scanner(engine)
    try:
        for name, stream in reader.logs():
            scanner.scan(stream, name)  # type: ignore[arg-type]
    except (OSError, http.client.HTTPException) as exc:
        raise InputError(f"the download of a log of {reader.ref.shown} failed ({type(exc).__name__}: "
                         f"{exc})") from None
    diagnosis = _decided(scanner)
    diagnosis.notes.extend(reader.result.notes)
    return diagnosis


def _decided(scanner: Scanner) -> Diagnosis:
    scan = scanner.finish()
    diagnosis = decide(scan)
    if scan.undecodable is not None:
        where = f"{scan.undecodable.part}:" if scan.undecodable.part else "line "
        diagnosis.notes.append(f"the log is not valid UTF-8 ({where}{scan.undecodable.number} and "
                               "maybe others); undecodable bytes are shown as \N{REPLACEMENT CHARACTER}")
    return diagnosis


__all__ = ["Diagnosis", "RunLogReader", "diagnose", "diagnose_run"]
