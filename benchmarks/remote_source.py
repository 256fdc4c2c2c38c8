"""How long reading the GitHub repository from the git remote takes: ``git`` subprocesses (what
`pubdoctor.sources.remote` does) against gitpython (import + ``Repo(...).remotes.origin.url``).

    python benchmarks/remote_source.py [REPEATS]

Each gitpython measure runs in a fresh interpreter, since the import is most of its cost.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def main(repeats: int = 20) -> None:
    from pubdoctor.sources.remote import load_repository

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        subprocess.run(["git", "init", "-q", str(root)], check=True)
        subprocess.run(["git", "-C", str(root), "remote", "add", "origin",
                        "git@github.com:octo-org/demo.git"], check=True)
        ours = []
        for _ in range(repeats):
            start = time.perf_counter()
            load_repository(root)
            ours.append(time.perf_counter() - start)
        code = ("import time; s = time.perf_counter(); import git; "
                f"u = git.Repo({str(root)!r}).remotes.origin.url; print(time.perf_counter() - s)")
        theirs = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                       check=True).stdout) for _ in range(max(3, repeats // 4))]
    print(f"git subprocesses (pubdoctor): median {_median_ms(ours):.1f} ms over {len(ours)} runs")
    print(f"gitpython import + Repo:       median {_median_ms(theirs):.1f} ms over {len(theirs)} runs")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
