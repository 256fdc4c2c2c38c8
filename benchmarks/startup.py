"""Start-up benchmark: ``pubdoctor check --offline examples/clean`` against its dependencies.

The floor is what any run must pay: starting Python and importing click, ruamel.yaml,
pydantic and packaging. Both commands run with bytecode caching on (``PYTHONDONTWRITEBYTECODE``
is removed from their environment), as after ``pip install``: the warm-up run writes the
``.pyc`` files of an editable checkout, so neither side pays for compiling sources. The target is a check within 1.5x of that floor. Both commands run
N times each, interleaved (so drifts in machine load hit both alike), and the medians and
their ratio are printed.

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
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FLOOR = [sys.executable, "-c", "import click, ruamel.yaml, pydantic, packaging.version"]
#: For context: ``import pydantic`` is lazy, and defining one model loads the rest of it.
MODEL_FLOOR = [sys.executable, "-c", "import os; os.environ['PYDANTIC_DISABLE_PLUGINS'] = '__all__'\n"
               "import click, ruamel.yaml, packaging.version\n"
               "from pydantic import BaseModel\nclass Model(BaseModel):\n    x: int = 0\nModel()"]
TARGET = 1.5


def check_command() -> list[str]:
    """The installed console script next to this interpreter, else ``python -m pubdoctor``."""
    script = Path(sys.executable).with_name("pubdoctor")
    if script.exists():
        return [str(script), "check", "--offline", "examples/clean"]
    found = shutil.which("pubdoctor")
    if found:
        return [found, "check", "--offline", "examples/clean"]
    return [sys.executable, "-m", "pubdoctor", "check", "--offline", "examples/clean"]


ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {"NO_COLOR": "1"}


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
    check = check_command()
    for command in (FLOOR, MODEL_FLOOR, check):  # warm the file cache and the .pyc files
        timed(command)
    times: dict[str, list[float]] = {"floor": [], "model": [], "check": []}
    for _ in range(args.runs):
        times["floor"].append(timed(FLOOR))
        times["model"].append(timed(MODEL_FLOOR))
        times["check"].append(timed(check))
    floor, model, median = (statistics.median(times[k]) for k in ("floor", "model", "check"))
    ratio = median / floor
    shown = " ".join(Path(check[0]).name if i == 0 else a for i, a in enumerate(check))
    print(f"floor  import click, ruamel.yaml, pydantic, packaging.version : {floor * 1000:7.1f} ms")
    print(f"model  the same, and one pydantic model built (no plugins)   : {model * 1000:7.1f} ms"
          f"  ({model / floor:.2f}x floor)")
    print(f"check  {shown:<55}: {median * 1000:7.1f} ms")
    print(f"ratio  check / floor: {ratio:.2f} (target <= {TARGET}), median of {args.runs} runs each")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
