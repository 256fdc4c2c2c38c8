"""Start-up of the ``pubdoctor-commit-msg`` hook against ``python -c pass``.

The hook runs on every commit, so it must cost little more than starting Python. Target:
the median run is at most 3x the median of ``python -c pass`` (the same interpreter).

    python benchmarks/commit_msg_hook.py [--runs 40]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
TARGET = 3.0


def median_seconds(command: list[str], cwd: Path, runs: int) -> float:
    subprocess.run(command, cwd=cwd, capture_output=True)  # warm the file cache and .pyc files
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    hook = BIN / "pubdoctor-commit-msg"
    if not hook.exists():
        print(f"{hook} not found: install pubdoctor in this environment first", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        message = folder / "COMMIT_EDITMSG"
        message.write_text("feat(hook): check commit messages\n\nBody.\n\nRefs: #4\n"
                           "# Please enter the commit message for your changes.\n")
        baseline = median_seconds([sys.executable, "-c", "pass"], folder, args.runs)
        print(f"python -c pass                              median {baseline * 1000:6.1f} ms  (n={args.runs})")
        worst = 0.0
        for label, pyproject in (("no commit types configured", None),
                                 ("[tool.semantic_release] in pyproject", "[tool.semantic_release]\n"
                                  "[tool.semantic_release.commit_parser_options]\n"
                                  'allowed_tags = ["feat", "fix", "docs"]\n')):
            if pyproject:
                (folder / "pyproject.toml").write_text(pyproject)
            seconds = median_seconds([str(hook), str(message)], folder, args.runs)
            ratio = seconds / baseline
            worst = max(worst, ratio)
            print(f"hook, {label:<38} median {seconds * 1000:6.1f} ms  = {ratio:.2f}x")
    verdict = "OK" if worst <= TARGET else "OVER TARGET"
    print(f"worst ratio {worst:.2f}x (target <= {TARGET:.0f}x): {verdict}")
    return 0 if worst <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
