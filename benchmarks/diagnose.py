"""Benchmark ``pubdoctor diagnose`` on a 200 MB job log: throughput and peak memory.

The log is generated in a temporary folder: realistic noise (GitHub timestamps, group
markers, ANSI colours, pip installs, a compiler, a pytest run with some test names that say
"error"/"failed", warnings) and, near the end, a real failure (twine's "File already exists"
wrapped over several lines). The diagnosis runs in a child process, so that its peak resident
memory (``ru_maxrss``) is measured alone; the child also reports the time of the diagnosis
itself (without the interpreter's start-up).

    python benchmarks/diagnose.py [--size-mb 200] [--keep] [--recurring]
    python benchmarks/diagnose.py --case worst --size-mb 50

``--recurring`` writes the failure after every round of noise (every 120 lines or so: tens
of thousands of times), the worst case for a scan that matches the lines around each hit.
``--case`` picks another log (``--case all`` runs each in turn, ``--runs N`` takes the median):

- ``worst``: the log of benchmarks/peers.py part 3: the failure text (twine's "File already
  exists" with its HTTPError line, a trusted publishing ``invalid-publisher`` exchange failure,
  ``##[error]Process completed with exit code 1.``) on every 4th line;
- ``other-lines``: lines that hold an anchor but match nothing, recurring: a pytest ``ERROR``
  line, an ``Uploading <file>`` line (another file each time) and twine's ``Uploading
  distributions to`` line, every 4th line, with the failure once near the end;
- ``distinct-lines``: a line that holds a pattern's anchor (``404 Not Found`` of a web server's
  access log) on every 4th line, each one different, with the failure once near the end;
- ``errors-among-lines``: ``distinct-lines`` with an application's ``ERROR`` line after every
  25th access line, so that most windows hold a word a pattern needs;
- ``errors-every-line``: the same ``ERROR`` line after every access line: every window holds
  ``error``, none the URL twine's ``404 Not Found`` comes with;
- ``errors-near-urls``: ``errors-among-lines`` with a URL on every access line: the windows
  around an error line hold all that twine's 404 pattern needs and do not match it (they are
  matched as one run each, `pubdoctor.diagnose.united`, and left out);
- ``errors-near-prefixes``: the same with an upstream's ``HTTPError: 500 ... from https://...``
  as the error line: the runs' text must then be made and searched (no block lacks how a
  match of the pattern starts);
- ``long-lines``: lines of 10 MB (text, then one of anchors only), then the failure.

The whole process is timed too (start-up included): that is the figure of issue 13.

Targets (issues 6 and 13): at least 50 MB/s, under 100 MB peak, on any log.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

FAILURE = """\
Run pypa/gh-action-pypi-publish@release/v1
Checking dist/sampleproject-4.0.0-py3-none-any.whl: PASSED
Checking dist/sampleproject-4.0.0.tar.gz: PASSED
Uploading distributions to https://upload.pypi.org/legacy/
Uploading sampleproject-4.0.0-py3-none-any.whl
\x1b[33mWARNING \x1b[0m Error during upload. Retry with the --verbose option for more details.
\x1b[31mERROR   \x1b[0m HTTPError: 400 Bad Request from https://upload.pypi.org/legacy/
         File already exists ('sampleproject-4.0.0-py3-none-any.whl', with
         blake2_256 hash
         '5a7bbaef507494a1537153ff244041fb127f06217b6aa6e316b1c7b0f27c45c0').
         See https://pypi.org/help/#file-name-reuse for more information.
##[error]Process completed with exit code 1.
"""

PACKAGES = ["numpy", "requests", "urllib3", "certifi", "idna", "charset-normalizer", "pytest",
            "pluggy", "packaging", "iniconfig", "coverage", "hypothesis", "attrs", "sortedcontainers"]


def noise_lines(rng: random.Random) -> list[str]:
    """One round of typical CI output (about 120 lines)."""
    lines = ["##[group]Run python -m pip install -e .[test]"]
    for name in rng.sample(PACKAGES, 8):
        version = f"{rng.randint(0, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 9)}"
        lines += [f"Collecting {name}>=1.0",
                  f"  Downloading {name}-{version}-py3-none-any.whl.metadata ({rng.randint(2, 90)} kB)",
                  f"  Downloading {name}-{version}-py3-none-any.whl ({rng.randint(10, 900)} kB)",
                  f"     \x1b[90m━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━\x1b[0m {rng.randint(10, 900)}.0/900.0 kB "
                  f"\x1b[31m{rng.randint(5, 60)}.1 MB/s\x1b[0m eta \x1b[36m0:00:00\x1b[0m"]
    lines += ["Installing collected packages: " + ", ".join(rng.sample(PACKAGES, 6)),
              "Successfully installed " + " ".join(f"{p}-1.{rng.randint(0, 9)}" for p in rng.sample(PACKAGES, 6)),
              "##[endgroup]",
              "gcc -pthread -Wno-unused-result -Wsign-compare -DNDEBUG -g -fwrapv -O2 -Wall -fPIC "
              "-I/opt/hostedtoolcache/Python/3.12.4/x64/include/python3.12 -c src/_speedups.c -o build/_speedups.o",
              "src/_speedups.c:120:5: warning: unused variable 'tmp' [-Wunused-variable]",
              "============================= test session starts =============================="]
    for number in range(rng.randint(70, 90)):
        module = rng.choice(["test_api", "test_cli", "test_errors", "test_io", "test_models"])
        test = rng.choice(["test_roundtrip", "test_error_message", "test_parse", "test_failed_download_retries",
                           "test_defaults", "test_exception_chain", "test_unicode"])
        result = "PASSED" if rng.random() > 0.002 else "SKIPPED (needs network)"
        lines.append(f"tests/{module}.py::{test}[{number}] {result} [{rng.randint(0, 99):3d}%]")
    lines += ["---------- coverage: platform linux, python 3.12.4-final-0 -----------",
              f"TOTAL                                  {rng.randint(900, 2000)}     {rng.randint(10, 90)}    96%",
              f"======================= {rng.randint(300, 400)} passed, 2 skipped in 12.34s ======================="]
    return lines


def make_log(path: Path, size: int, recurring: bool = False) -> int:
    rng = random.Random(6)
    second = 0
    with path.open("w", encoding="utf-8") as handle:
        failure_at = int(size * 0.97)
        written = 0
        wrote_failure = False
        while written < size:
            block = []
            for line in noise_lines(rng):
                second += 1
                block.append(f"2024-05-01T10:{second // 60 % 60:02d}:{second % 60:02d}.{rng.randint(0, 9999999):07d}Z {line}\n")
            text = "".join(block)
            handle.write(text)
            written += len(text.encode())
            if recurring or (not wrote_failure and written >= failure_at):
                text = "".join(f"2024-05-01T11:00:00.0000000Z {line}\n" for line in FAILURE.splitlines())
                handle.write(text)
                written += len(text.encode())
                wrote_failure = True
    return path.stat().st_size


def _failure_lines(second: int = 0) -> str:
    return "".join(f"2024-05-01T11:00:{second % 60:02d}.0000000Z {line}\n" for line in FAILURE.splitlines())


#: the lines between two rounds of a generated log's own lines
_NOISE = "2024-05-01T10:00:00.1234567Z Collecting demo==1.0.0 (from -r requirements.txt)\n" * 3


def _stamp(n: int) -> str:
    return f"2024-05-01T10:00:{n % 60:02d}.{n % 10_000_000:07d}Z "


def _rounds_log(path: Path, size: int, round_lines: Callable[[int], str]) -> int:
    """Rounds of `_NOISE` and ``round_lines(n)`` up to ``size``, then the failure."""
    with path.open("w", encoding="utf-8") as handle:
        written, n = 0, 0
        while written < size * 0.97:
            text = _NOISE + round_lines(n)
            handle.write(text)
            written += len(text)
            n += 1
        handle.write(_failure_lines())
    return path.stat().st_size


def make_other_lines_log(path: Path, size: int) -> int:
    """Anchor-bearing lines that match nothing, recurring, and the failure near the end."""
    others = ["tests/test_api.py::test_upload[{n}] ERROR                          [ 50%]",
              "Uploading demo_{n}-1.0.0-py3-none-any.whl",
              "Uploading distributions to https://test.pypi.org/legacy/"]
    return _rounds_log(path, size, lambda n: _stamp(n) + others[n % 3].format(n=n) + "\n")


def _access_line(n: int, url: bool = False) -> str:
    """A web server's access line for item ``n``, its request a URL when ``url``."""
    target = "https://example.org/api/items" if url else "/api/items"
    return _stamp(n) + f'INFO 127.0.0.1 "GET {target}/{n} HTTP/1.1" 404 Not Found\n'


#: What an application's error line says (``{n}``: the item)
LOOKUP_FAILED = "lookup of item {n} failed, answering 404"
UPSTREAM_FAILED = "HTTPError: 500 Internal Server Error from https://example.org/api/items/{n}"


def _with_errors(every: int, url: bool = False, error: str = LOOKUP_FAILED) -> Callable[[int], str]:
    """A round's lines: an access line, and an application's error line after every
    ``every``-th one."""

    def round_lines(n: int) -> str:
        if n % every != every - 1:
            return _access_line(n, url)
        return (_access_line(n, url) + f"2024-05-01T10:00:{n % 60:02d}.0000000Z ERROR demo.api: "
                + error.format(n=n) + "\n")

    return round_lines


def make_distinct_lines_log(path: Path, size: int) -> int:
    """A different line holding an anchor on every 4th line, and the failure near the end."""
    return _rounds_log(path, size, _access_line)


def make_errors_among_lines_log(path: Path, size: int) -> int:
    """`distinct-lines` with an application's error line after every 25th access line: the
    windows around most access lines then hold a word some pattern needs (``error``)."""
    return _rounds_log(path, size, _with_errors(25))


def make_errors_every_line_log(path: Path, size: int) -> int:
    """`distinct-lines` with an application's error line after every access line: every window
    holds a word some pattern needs (``error``), and none all that one needs."""
    return _rounds_log(path, size, _with_errors(1))


def make_errors_near_urls_log(path: Path, size: int) -> int:
    """`errors-among-lines` with a URL on every access line: the windows around an error line
    hold all that twine's ``404 Not Found`` pattern needs (``error`` and ``://``) and still
    do not match it, each one different."""
    return _rounds_log(path, size, _with_errors(25, url=True))


def make_errors_near_prefixes_log(path: Path, size: int) -> int:
    """`errors-near-urls` where the error lines are an upstream's ``HTTPError: 500 ... from
    https://...``: the windows around them hold all twine's 404 pattern needs and how its
    matches start, and still do not match it (the status is not 404 or 405)."""
    return _rounds_log(path, size, _with_errors(25, url=True, error=UPSTREAM_FAILED))


def make_long_lines_log(path: Path, size: int) -> int:
    """Lines of 10 MB: plain text, and one of anchors only; then the failure."""
    line = 10 * 1024 * 1024
    with path.open("w", encoding="utf-8") as handle:
        handle.write("2024-05-01T10:00:00.0000000Z ##[group]Run python -m build\n")
        written = 0
        while written < size - 2 * line:
            handle.write("2024-05-01T10:00:00.0000000Z " + "x" * line + "\n")
            written += line
        handle.write("2024-05-01T10:00:00.0000000Z " + "400 Bad Request " * (line // 16) + "\n")
        handle.write(_failure_lines())
    return path.stat().st_size


def make_worst_log(path: Path, size: int) -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from peers import _worst_case_log

    return _worst_case_log(path, size)


CASES = {
    "failure": lambda path, size: make_log(path, size),
    "recurring": lambda path, size: make_log(path, size, recurring=True),
    "worst": make_worst_log,
    "other-lines": make_other_lines_log,
    "distinct-lines": make_distinct_lines_log,
    "errors-among-lines": make_errors_among_lines_log,
    "errors-every-line": make_errors_every_line_log,
    "errors-near-urls": make_errors_near_urls_log,
    "errors-near-prefixes": make_errors_near_prefixes_log,
    "long-lines": make_long_lines_log,
}


CHILD = r"""
import json, resource, sys, time
from pubdoctor.diagnose import diagnose
start = time.perf_counter()
result = diagnose(sys.argv[1], engine=sys.argv[2])
elapsed = time.perf_counter() - start
print(json.dumps({"cause": result.cause.id, "seconds": elapsed,
                  "evidence": [line.number for line in result.evidence],
                  "lines": result.scan.lines}))
"""


def run_case(case: str, size_mb: int, engine: str, runs: int, keep: bool) -> bool:
    """Generate the log of ``case``, diagnose it ``runs`` times; print the medians; whether the
    targets are met."""
    folder = Path(tempfile.mkdtemp(prefix="pubdoctor-bench-"))
    log = folder / f"{case}.log"
    made = time.perf_counter()
    size = CASES[case](log, size_mb * 1024 * 1024)
    print(f"\n## {case}: generated {size / 1e6:.1f} MB in {time.perf_counter() - made:.1f}s: {log}")
    seconds: list[float] = []
    walls: list[float] = []
    peak_kb = 0
    result: dict = {}
    for _ in range(runs):
        wall = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-c", CHILD, str(log), engine], stdout=subprocess.PIPE, text=True)
        assert child.stdout is not None
        output = child.stdout.read()
        # this child's own peak memory (ru_maxrss in KiB on Linux), not the largest child so far
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        child.stdout.close()
        walls.append(time.perf_counter() - wall)
        if child.returncode:
            raise SystemExit(f"the diagnosis of {log} failed (exit {child.returncode})")
        peak_kb = max(peak_kb, usage.ru_maxrss)
        result = json.loads(output)
        seconds.append(result["seconds"])
    diagnosis, wall = statistics.median(seconds), statistics.median(walls)
    throughput, whole = size / 1e6 / diagnosis, size / 1e6 / wall
    print(f"engine: {engine}; cause: {result['cause']} (evidence lines {result['evidence']}, "
          f"{result['lines']:,} lines read)")
    print(f"diagnosis: {diagnosis:.2f}s -> {throughput:.0f} MB/s; whole process (start-up included): "
          f"{wall:.2f}s -> {whole:.0f} MB/s (medians of {runs})")
    print(f"peak memory (ru_maxrss of the child): {peak_kb / 1024:.1f} MB")
    met = whole >= 50 and peak_kb / 1024 < 100
    print(f"targets: >= 50 MB/s (whole process) and < 100 MB peak: {'OK' if met else 'BELOW TARGET'}")
    if not keep:
        log.unlink()
        folder.rmdir()
    return met


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=200)
    parser.add_argument("--keep", action="store_true", help="keep the generated log")
    parser.add_argument("--recurring", action="store_true",
                        help="the failure text after every round of noise, not once near the end")
    parser.add_argument("--case", choices=[*CASES, "all"], default=None,
                        help="the log to diagnose (default: failure, or recurring with --recurring)")
    parser.add_argument("--runs", type=int, default=1, help="runs per log (medians)")
    parser.add_argument("--engine", choices=["auto", "find"], default="auto",
                        help="block search: Aho-Corasick (auto) or one bytes.find pass per key")
    args = parser.parse_args()
    case = args.case or ("recurring" if args.recurring else "failure")
    cases = list(CASES) if case == "all" else [case]
    met = [run_case(name, args.size_mb, args.engine, args.runs, args.keep) for name in cases]
    sys.exit(0 if all(met) else 1)


if __name__ == "__main__":
    main()
