"""``pubdoctor check --offline --select PD3`` on 10,000 commits since the last tag vs 100.

Only the commits since the last release tag are read, in one ``git log`` call, so the run
on 10,000 commits must stay under 2x the run on 100 (target). The repositories are built
with ``git fast-import`` (seconds, not minutes): 2,000 commits before the tag ``v1.0.0``
(never read), then N commits after it, mostly conventional with one free-form message in
every 250 (so PD301 has something to report) and a ``[tool.semantic_release]`` pyproject.

    python benchmarks/history_scale.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
TARGET = 2.0
BEFORE_TAG = 2_000
PYPROJECT = b'[project]\nname = "demo"\nversion = "1.0.0"\n\n[tool.semantic_release]\ncommit_parser = "conventional"\n'
TYPES = ("feat", "fix", "docs", "chore", "refactor", "test", "ci", "perf")


def _data(payload: bytes) -> bytes:
    return b"data %d\n%s\n" % (len(payload), payload)


def build(root: Path, since_tag: int) -> None:
    """A repository with BEFORE_TAG commits, the tag v1.0.0, then ``since_tag`` commits."""
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True, env=env)
    chunks: list[bytes] = []
    stamp = 1_700_000_000
    for number in range(1, BEFORE_TAG + since_tag + 1):
        if number % 250 == 0:
            message = b"Update things %d" % number
        else:
            kind = TYPES[number % len(TYPES)].encode()
            message = b"%s(core): change number %d\n\nA body line for change %d.\n" % (kind, number, number)
        chunks.append(b"commit refs/heads/main\nmark :%d\n" % number)
        chunks.append(b"committer Bench <bench@example.invalid> %d +0000\n" % (stamp + number))
        chunks.append(_data(message))
        if number == 1:
            chunks.append(b"M 644 inline pyproject.toml\n" + _data(PYPROJECT))
        chunks.append(b"M 644 inline counter.txt\n" + _data(b"%d\n" % number))
        if number == BEFORE_TAG:
            chunks.append(b"reset refs/tags/v1.0.0\nfrom :%d\n\n" % number)
    subprocess.run(["git", "fast-import", "--quiet"], cwd=root, input=b"".join(chunks), check=True, env=env)
    subprocess.run(["git", "checkout", "-q", "main"], cwd=root, check=True, env=env)


def median_seconds(root: Path, runs: int) -> tuple[float, str]:
    command = [str(BIN / "pubdoctor"), "check", "--offline", "--select", "PD3", "--no-color", str(root)]
    first = subprocess.run(command, capture_output=True, text=True)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True)
        times.append(time.perf_counter() - start)
    summary = (first.stdout.strip().splitlines() or [""])[-1]
    return statistics.median(times), summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    results: dict[int, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for count in (100, 10_000):
            root = Path(tmp) / f"repo-{count}"
            start = time.perf_counter()
            build(root, count)
            built = time.perf_counter() - start
            seconds, summary = median_seconds(root, args.runs)
            results[count] = seconds
            print(f"{count:>6,} commits since v1.0.0 (built in {built:4.1f} s): median "
                  f"{seconds * 1000:7.1f} ms (n={args.runs})  [{summary}]")
    ratio = results[10_000] / results[100]
    verdict = "OK" if ratio < TARGET else "OVER TARGET"
    print(f"10,000 / 100 = {ratio:.2f}x (target < {TARGET:.0f}x): {verdict}")
    return 0 if ratio < TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
