"""Benchmark ``pubdoctor diagnose`` on a 200 MB job log: throughput and peak memory.

The log is generated in a temporary folder: realistic noise (GitHub timestamps, group
markers, ANSI colours, pip installs, a compiler, a pytest run with some test names that say
"error"/"failed", warnings) and, near the end, a real failure (twine's "File already exists"
wrapped over several lines). The diagnosis runs in a child process, so that its peak resident
memory (``ru_maxrss``) is measured alone; the child also reports the time of the diagnosis
itself (without the interpreter's start-up).

    python benchmarks/diagnose.py [--size-mb 200] [--keep] [--recurring]

``--recurring`` writes the failure after every round of noise (every 120 lines or so: tens
of thousands of times), the worst case for a scan that matches the lines around each hit.

Targets (issues 6 and 13): at least 50 MB/s, under 100 MB peak, on either log.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=200)
    parser.add_argument("--keep", action="store_true", help="keep the generated log")
    parser.add_argument("--recurring", action="store_true",
                        help="the failure text after every round of noise, not once near the end")
    parser.add_argument("--engine", choices=["auto", "find"], default="auto",
                        help="block search: Aho-Corasick (auto) or one bytes.find pass per key")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="pubdoctor-bench-"))
    log = folder / "job.log"
    made = time.perf_counter()
    size = make_log(log, args.size_mb * 1024 * 1024, args.recurring)
    print(f"generated {size / 1e6:.1f} MB in {time.perf_counter() - made:.1f}s: {log}")
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    wall = time.perf_counter()
    output = subprocess.run([sys.executable, "-c", CHILD, str(log), args.engine], check=True, capture_output=True,
                            text=True).stdout
    wall = time.perf_counter() - wall
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result = json.loads(output)
    throughput = size / 1e6 / result["seconds"]
    print(f"engine: {args.engine}" + (" (the failure recurs after every round of noise)"
                                       if args.recurring else ""))
    print(f"cause: {result['cause']} (evidence lines {result['evidence']}, {result['lines']:,} lines read)")
    print(f"diagnosis: {result['seconds']:.2f}s -> {throughput:.0f} MB/s "
          f"(process wall time {wall:.2f}s, {size / 1e6 / wall:.0f} MB/s)")
    print(f"peak memory (ru_maxrss of the child): {peak_kb / 1024:.1f} MB"
          + (f" (an earlier child: {before / 1024:.1f} MB)" if before else ""))
    verdict = "OK" if throughput >= 50 and peak_kb / 1024 < 100 else "BELOW TARGET"
    print(f"targets: >= 50 MB/s and < 100 MB peak: {verdict}")
    if not args.keep:
        log.unlink()
        folder.rmdir()


if __name__ == "__main__":
    main()
