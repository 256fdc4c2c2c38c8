"""pubdoctor beside its peers, in one run: the speed targets of issue 13.

Four measurements, each printed as a table with its target:

1. ``pubdoctor check --offline`` on every project of the real-world corpus, against
   zizmor (``zizmor --offline``) and sp-repo-review on the same folder. Whole-process
   wall-clock medians of N interleaved runs (so that a drift in machine load hits all
   three alike); the ratios per project and their median over the corpus.
   Targets: at most 2x zizmor, at most 0.5x sp-repo-review (medians over the corpus).
2. 300 workflow files in one repository (the corpus's workflows, copied round-robin):
   pubdoctor against zizmor. Target: at most 2x zizmor.
3. A monorepo of 50 packages (a uv workspace whose one job builds and uploads them all),
   checked once at its top, against one check of one of its packages. Target: at most 1.5x.
4. ``pubdoctor diagnose`` on the worst case for a matcher: a 50 MB log in which the failure
   text recurs on every few lines. Throughput of the whole process (start-up included) and
   the child's peak resident memory. Targets: at least 50 MB/s, under 100 MB.

The peers are not dependencies of pubdoctor, not even for its tests: install them beside it
with ``pip install -r benchmarks/requirements-peers.txt``. A peer that is not installed is
reported as missing and its column left empty; the script then exits 2.

    python benchmarks/peers.py                 # 5 runs each
    python benchmarks/peers.py -n 11 --corpus ../shared/corpus/real-world

Like benchmarks/startup.py, the commands run with bytecode caching on, after one warm-up run.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "real-world"
TARGET_ZIZMOR = 2.0
TARGET_REPO_REVIEW = 0.5
TARGET_MB_S = 50.0
TARGET_RSS_MB = 100.0
TARGET_MONOREPO = 1.5

WORST_CASE_FAILURE = (
    "ERROR    HTTPError: 400 Bad Request from https://upload.pypi.org/legacy/\n"
    "         File already exists ('demo-1.0.0-py3-none-any.whl', with blake2_256 hash "
    "'0123456789abcdef'). See https://pypi.org/help/#file-name-reuse for more information.\n"
    "Error: Trusted publishing exchange failure: invalid-publisher\n"
    "2024-01-01T00:00:00.0000000Z ##[error]Process completed with exit code 1.\n"
)


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["NO_COLOR"] = "1"
    return env


def _tool(name: str) -> str | None:
    """A console script beside this interpreter first (a venv), else on PATH."""
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else shutil.which(name)


def _time(command: list[str], cwd: Path) -> float:
    # No `timeout=`: with one, `wait` polls with sleeps of up to 50 ms, which would round every
    # time up to the next poll.
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env=_environment(), check=False)
    return time.perf_counter() - started


def _medians(commands: dict[str, list[str] | None], cwd: Path, runs: int) -> dict[str, float]:
    """Median wall-clock seconds per command, runs interleaved, after one warm-up each."""
    present = {name: command for name, command in commands.items() if command is not None}
    for command in present.values():
        _time(command, cwd)
    times: dict[str, list[float]] = {name: [] for name in present}
    for _ in range(runs):
        for name, command in present.items():
            times[name].append(_time(command, cwd))
    return {name: statistics.median(values) for name, values in times.items()}


def _commands(pubdoctor: str, zizmor: str | None, repo_review: str | None,
              ) -> dict[str, list[str] | None]:
    return {
        "pubdoctor": [pubdoctor, "check", "--offline", "--format", "json", "."],
        "zizmor": [zizmor, "--offline", "--no-progress", "--format", "plain", "."] if zizmor else None,
        "sp-repo-review": [repo_review, "--format", "json", "."] if repo_review else None,
    }


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def _fmt(value: float | None, suffix: str = "x") -> str:
    return "-" if value is None else f"{value:.2f}{suffix}"


def bench_corpus(corpus: Path, runs: int, tools: dict[str, str | None]) -> tuple[float | None, float | None]:
    projects = sorted(p for p in corpus.iterdir() if p.is_dir())
    print(f"## check --offline on {len(projects)} corpus projects "
          f"(medians of {runs} interleaved runs, ms)")
    print(f"{'project':45} {'pubdoctor':>9} {'zizmor':>9} {'repo-rev':>9} {'/zizmor':>8} {'/repo-rev':>9}")
    to_zizmor: list[float] = []
    to_review: list[float] = []
    commands = _commands(tools["pubdoctor"] or "pubdoctor", tools["zizmor"], tools["sp-repo-review"])
    for project in projects:
        with tempfile.TemporaryDirectory() as scratch:
            # A copy: nothing the peers might write lands in the corpus, and sp-repo-review
            # sees an ordinary folder.
            work = Path(scratch) / project.name
            shutil.copytree(project, work)
            medians = _medians(commands, work, runs)
        ours = medians.get("pubdoctor")
        by_zizmor = _ratio(ours, medians.get("zizmor"))
        by_review = _ratio(ours, medians.get("sp-repo-review"))
        if by_zizmor is not None:
            to_zizmor.append(by_zizmor)
        if by_review is not None:
            to_review.append(by_review)
        print(f"{project.name[:45]:45} {_fmt(ours and ours * 1000, ''):>9} "
              f"{_fmt(medians.get('zizmor') and medians['zizmor'] * 1000, ''):>9} "
              f"{_fmt(medians.get('sp-repo-review') and medians['sp-repo-review'] * 1000, ''):>9} "
              f"{_fmt(by_zizmor):>8} {_fmt(by_review):>9}")
    median_zizmor = statistics.median(to_zizmor) if to_zizmor else None
    median_review = statistics.median(to_review) if to_review else None
    print(f"median over the corpus: {_fmt(median_zizmor)} zizmor (target <= {TARGET_ZIZMOR}x), "
          f"{_fmt(median_review)} sp-repo-review (target <= {TARGET_REPO_REVIEW}x)")
    return median_zizmor, median_review


def bench_many_workflows(corpus: Path, runs: int, tools: dict[str, str | None],
                         count: int = 300) -> float | None:
    sources = sorted(corpus.glob("*/.github/workflows/*.y*ml"))
    print(f"\n## {count} workflow files in one repository (copied round-robin from "
          f"{len(sources)} corpus workflows; medians of {runs} runs, ms)")
    if not sources:
        print("no corpus workflows")
        return None
    with tempfile.TemporaryDirectory() as scratch:
        repo = Path(scratch)
        folder = repo / ".github" / "workflows"
        folder.mkdir(parents=True)
        for index in range(count):
            source = sources[index % len(sources)]
            shutil.copyfile(source, folder / f"w{index:03d}-{source.name}")
        size = sum(p.stat().st_size for p in folder.iterdir())
        commands = _commands(tools["pubdoctor"] or "pubdoctor", tools["zizmor"], None)
        medians = _medians({k: v for k, v in commands.items() if k != "sp-repo-review"}, repo, runs)
    ratio = _ratio(medians.get("pubdoctor"), medians.get("zizmor"))
    print(f"{size / 1e6:.1f} MB of YAML: pubdoctor {_fmt(medians['pubdoctor'] * 1000, ' ms')}, "
          f"zizmor {_fmt(medians.get('zizmor') and medians['zizmor'] * 1000, ' ms')}, "
          f"ratio {_fmt(ratio)} (target <= {TARGET_ZIZMOR}x)")
    return ratio


_MEMBER = """[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "mono-{name}"
version = "1.0.{index}"
requires-python = ">=3.9"
"""
_MONOREPO_WORKFLOW = """name: release
on:
  push:
    tags: ["v*"]
jobs:
  pypi:
    runs-on: ubuntu-latest
    environment: pypi
    permissions:
      id-token: write
    steps:
      - uses: actions/checkout@v4
      - uses: astral-sh/setup-uv@v6
      - run: uv build --all-packages
      - uses: pypa/gh-action-pypi-publish@release/v1
"""


def _monorepo(repo: Path, count: int) -> None:
    """A uv workspace of ``count`` packages under ``packages/``, all built and uploaded by one
    job, committed and tagged in a real git repository."""
    (repo / ".github" / "workflows").mkdir(parents=True)
    (repo / ".github" / "workflows" / "release.yml").write_text(_MONOREPO_WORKFLOW)
    (repo / "pyproject.toml").write_text('[project]\nname = "mono"\nversion = "0"\n\n'
                                         '[tool.uv.workspace]\nmembers = ["packages/*"]\n')
    for index in range(count):
        package = repo / "packages" / f"p{index:02d}"
        (package / "src" / f"p{index:02d}").mkdir(parents=True)
        (package / "src" / f"p{index:02d}" / "__init__.py").write_text("")
        (package / "pyproject.toml").write_text(_MEMBER.format(name=f"p{index:02d}", index=index))
    for command in (["init", "-q"], ["add", "-A"],
                    ["-c", "user.name=bench", "-c", "user.email=bench@example.com",
                     "commit", "-q", "--no-gpg-sign", "-m", "feat: packages"],
                    ["tag", "v1.0.0"],
                    ["remote", "add", "origin", "https://github.com/example/mono"]):
        subprocess.run(["git", "-C", str(repo), *command], check=True, capture_output=True)


def bench_monorepo(runs: int, tools: dict[str, str | None], count: int = 50) -> float:
    """One check of a monorepo's top, which reads every package a job uploads, against one
    check of one of its packages. Target: at most 1.5x (checked as one repository, 50
    packages cost little more than one)."""
    print(f"\n## a monorepo of {count} packages (one job builds and uploads them all; "
          f"medians of {runs} runs, ms)")
    pubdoctor = tools["pubdoctor"] or "pubdoctor"
    with tempfile.TemporaryDirectory() as scratch:
        repo = Path(scratch) / "mono"
        _monorepo(repo, count)
        medians = _medians({
            "top": [pubdoctor, "check", "--offline", "--format", "json", "."],
            "one": [pubdoctor, "check", "--offline", "--format", "json", "packages/p00"],
        }, repo, runs)
    ratio = medians["top"] / medians["one"]
    print(f"the top (all {count} packages): {medians['top'] * 1000:.0f} ms; one package: "
          f"{medians['one'] * 1000:.0f} ms; ratio {ratio:.2f}x (target <= {TARGET_MONOREPO}x); "
          f"{count} runs, one per package: about {count * medians['one']:.1f} s")
    return ratio


def _worst_case_log(path: Path, size: int) -> int:
    """A log in which the failure text recurs every few lines, up to ``size`` bytes."""
    noise = "2024-01-01T00:00:00.0000000Z Collecting demo==1.0.0 (from -r requirements.txt)\n"
    block = (noise * 3 + WORST_CASE_FAILURE).encode()
    with path.open("wb") as handle:
        written = 0
        while written < size:
            handle.write(block)
            written += len(block)
    return written


def bench_diagnose(size_mb: int, tools: dict[str, str | None]) -> tuple[float, float]:
    print(f"\n## diagnose on a {size_mb} MB log whose failure text recurs on every 4th line")
    with tempfile.TemporaryDirectory() as scratch:
        log = Path(scratch) / "worst.log"
        size = _worst_case_log(log, size_mb * 1_000_000)
        command = [tools["pubdoctor"] or "pubdoctor", "diagnose", str(log)]
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        started = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       env=_environment(), check=False)
        elapsed = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    rate = size / 1e6 / elapsed
    # ru_maxrss is the largest child so far (KiB on Linux): the diagnose child is the
    # largest one this script starts only if it is larger than the earlier peers.
    rss_mb = max(peak, before) / 1024
    print(f"{size / 1e6:.0f} MB in {elapsed:.2f} s = {rate:.0f} MB/s (target >= {TARGET_MB_S:.0f}); "
          f"peak RSS {rss_mb:.0f} MB (target < {TARGET_RSS_MB:.0f}; the largest child so far)")
    return rate, rss_mb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--runs", type=int, default=5)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--workflows", type=int, default=300)
    parser.add_argument("--log-mb", type=int, default=50)
    options = parser.parse_args()
    tools = {name: _tool(name) for name in ("pubdoctor", "zizmor", "sp-repo-review")}
    missing = [name for name, path in tools.items() if path is None]
    if missing:
        print(f"not installed: {', '.join(missing)} "
              "(pip install -r benchmarks/requirements-peers.txt)", file=sys.stderr)
    if not options.corpus.is_dir():
        print(f"no corpus at {options.corpus}", file=sys.stderr)
        sys.exit(2)
    # The diagnose child first, so that ru_maxrss (the largest child so far) is its own.
    rate, rss = bench_diagnose(options.log_mb, tools)
    print()
    by_zizmor, by_review = bench_corpus(options.corpus, options.runs, tools)
    many = bench_many_workflows(options.corpus, options.runs, tools, options.workflows)
    monorepo = bench_monorepo(options.runs, tools)
    print("\n## targets")
    rows = [
        ("check vs zizmor (median)", by_zizmor, TARGET_ZIZMOR, True),
        ("check vs sp-repo-review (median)", by_review, TARGET_REPO_REVIEW, True),
        (f"{options.workflows} workflows vs zizmor", many, TARGET_ZIZMOR, True),
        ("monorepo of 50: top vs one package", monorepo, TARGET_MONOREPO, True),
        ("diagnose MB/s (worst case)", rate, TARGET_MB_S, False),
        ("diagnose peak RSS MB", rss, TARGET_RSS_MB, True),
    ]
    met_all = True
    for label, value, target, at_most in rows:
        met = value is not None and (value <= target if at_most else value >= target)
        met_all &= met
        print(f"{label:36} {_fmt(value, ''):>8}  target {'<=' if at_most else '>='} {target:g}  "
              f"{'met' if met else 'NOT met'}")
    sys.exit(0 if met_all and not missing else (2 if missing else 1))


if __name__ == "__main__":
    main()
