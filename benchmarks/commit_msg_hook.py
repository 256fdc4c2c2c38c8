"""Start-up of the ``pubdoctor-commit-msg`` hook against ``python -c pass``.

The hook runs on every commit, so it must cost little more than starting Python. Target:
the median run is at most 3x the median of ``python -c pass`` (the same interpreter). The
cold-cache case (pyproject.toml just edited: tomllib is loaded) is shown, not judged.

    python benchmarks/commit_msg_hook.py [--runs 40]
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
TARGET = 3.0
PSR = ('[tool.semantic_release]\n[tool.semantic_release.commit_parser_options]\n'
       'allowed_tags = ["feat", "fix", "docs"]\n')


def median_seconds(command: list[str], cwd: Path, runs: int, env: dict[str, str] | None = None,
                   cold: Path | None = None) -> float:
    """Median wall time; with ``cold``, that file (the hook's cache) is removed before each run."""
    subprocess.run(command, cwd=cwd, capture_output=True, env=env)  # warm the OS and .pyc files
    times = []
    for _ in range(runs):
        if cold is not None and cold.exists():
            cold.unlink()
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, capture_output=True, env=env)
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
        env = {**os.environ, "XDG_CACHE_HOME": str(folder / "cache")}
        cache = folder / "cache" / "pubdoctor" / "commit-types.tsv"
        worst = 0.0
        cases = (
            ("no commit types configured", None, None),
            ("[tool.semantic_release], cached", PSR, None),
            ("[tool.semantic_release], cold cache", PSR, cache),
        )
        for label, pyproject, cold in cases:
            if pyproject:
                (folder / "pyproject.toml").write_text(pyproject)
            seconds = median_seconds([str(hook), str(message)], folder, args.runs, env, cold)
            ratio = seconds / baseline
            if cold is None:
                worst = max(worst, ratio)
            print(f"hook, {label:<38} median {seconds * 1000:6.1f} ms  = {ratio:.2f}x"
                  + ("  (once per edit of pyproject.toml)" if cold else ""))
    verdict = "OK" if worst <= TARGET else "OVER TARGET"
    print(f"worst ratio {worst:.2f}x (target <= {TARGET:.0f}x): {verdict}")
    return 0 if worst <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
