"""Start-up benchmark: ``pubdoctor check --offline examples/clean`` against its dependencies.

The floor is what any run must pay: starting Python and importing click, ruamel.yaml,
pydantic and packaging. The target is a check within 1.5x of that floor. Both commands run
with bytecode caching on (``PYTHONDONTWRITEBYTECODE`` is removed from their environment), as
after ``pip install``: the warm-up run writes the ``.pyc`` files of an editable checkout, so
neither side pays for compiling sources. Every command runs N times, interleaved (so drifts
in machine load hit them alike), and the medians and their ratio to the floor are printed.

For context, two more lines (no target): the floor plus one pydantic model (``import
pydantic`` is lazy; the first model loads the rest of it, which is why an offline check
builds no pydantic model), and a check of a copy of the example made a git repository at its
top, tagged and with a remote, where the history rules read the tags and commits with git's
plumbing (made safe against the repository's configuration).

    python benchmarks/startup.py            # 20 runs each
    python benchmarks/startup.py -n 50
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FLOOR = [sys.executable, "-c", "import click, ruamel.yaml, pydantic, packaging.version"]
MODEL_FLOOR = [sys.executable, "-c", "import os; os.environ['PYDANTIC_DISABLE_PLUGINS'] = '__all__'\n"
               "import click, ruamel.yaml, packaging.version\n"
               "from pydantic import BaseModel\nclass Model(BaseModel):\n    x: int = 0\nModel()"]
TARGET = 1.5
GIT_ENV = {"GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.invalid",
           "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.invalid",
           "GIT_CONFIG_NOSYSTEM": "1"}


def pubdoctor() -> list[str]:
    """The installed console script next to this interpreter, else ``python -m pubdoctor``."""
    script = Path(sys.executable).with_name("pubdoctor")
    if script.exists():
        return [str(script)]
    found = shutil.which("pubdoctor")
    if found:
        return [found]
    return [sys.executable, "-m", "pubdoctor"]


def tagged_repository(folder: Path) -> Path:
    """A copy of examples/clean as a git repository of its own: one commit, tag v1.0.0, a remote."""
    repo = folder / "demo"
    shutil.copytree(ROOT / "examples" / "clean", repo)
    env = {**os.environ, **GIT_ENV}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "feat: first release"],
                 ["tag", "v1.0.0"], ["remote", "add", "origin", "https://github.com/octo-org/demo.git"]):
        subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)
    return repo


ENV = {k: v for k, v in os.environ.items()
       if k not in ("PYTHONDONTWRITEBYTECODE", "PUBDOCTOR_VALIDATE")} | {"NO_COLOR": "1"}


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV)
    elapsed = time.perf_counter() - start
    if result.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed: {result.stderr.decode()}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--runs", type=int, default=20, help="runs of each command")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        commands = {
            "floor": FLOOR,
            "check": [*pubdoctor(), "check", "--offline", "examples/clean"],
            "model": MODEL_FLOOR,
            "repository": [*pubdoctor(), "check", "--offline", str(tagged_repository(Path(tmp)))],
        }
        for command in commands.values():  # warm the file cache and the .pyc files
            timed(command)
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, command in commands.items():
                times[name].append(timed(command))
    median = {name: statistics.median(values) for name, values in times.items()}
    floor = median["floor"]
    ratio = median["check"] / floor
    print(f"floor       import click, ruamel.yaml, pydantic, packaging.version : {floor * 1000:7.1f} ms")
    print(f"check       pubdoctor check --offline examples/clean               : "
          f"{median['check'] * 1000:7.1f} ms  ({ratio:.2f}x floor, target <= {TARGET})")
    print(f"context     the floor and one pydantic model built                 : "
          f"{median['model'] * 1000:7.1f} ms  ({median['model'] / floor:.2f}x floor)")
    print(f"context     check --offline of the example as a tagged repository  : "
          f"{median['repository'] * 1000:7.1f} ms  ({median['repository'] / floor:.2f}x floor; "
          "git reads its history)")
    print(f"medians of {args.runs} interleaved runs each")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
