"""The publish action's release tags shipped as data, and the tool that regenerates them."""

from __future__ import annotations

import importlib.util
import json
import subprocess
from pathlib import Path

import pytest

from pubdoctor.sources.actiontags import release_tags

TOOL = Path(__file__).resolve().parents[2] / "tools" / "publish_action_tags.py"
DATA = Path(__file__).resolve().parents[2] / "src" / "pubdoctor" / "data" / "pypi_publish_action_tags.json"
#: releases the action made that the data leaves out, and why (the tool's rule, see its docstring)
NOT_SHIPPED = {"v1.12.1": "one workflow history only pins it (sigstore-python): fewer than 2 witnesses"}


def _key(tag: str) -> tuple[int, ...]:
    return tuple(int(p) for p in tag[1:].split("."))


def test_every_release_from_v1_through_the_newest_without_gaps() -> None:
    """v1.0.0 was never released (only v1.0.0a0); from v1.1.0 on, every minor series runs
    from .0 to its last patch, in order."""
    tags = list(release_tags())
    assert tags == sorted(tags, key=_key) and tags[0] == "v1.1.0"
    newest = _key(tags[-1])
    expected = []
    for minor in range(1, newest[1] + 1):
        last = max(p for _, m, p in map(_key, tags) if m == minor)
        expected.extend(f"v1.{minor}.{patch}" for patch in range(last + 1))
    assert [t for t in expected if t not in NOT_SHIPPED] == tags
    assert {"v1.9.0", "v1.10.3", "v1.11.0", "v1.12.0", "v1.12.4"} <= set(tags)


def test_the_data_says_where_each_release_came_from() -> None:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    pinned = data["from_pins"]
    assert pinned[0] == "v1.9.0" and set(pinned) == set(data["pin_witnesses"])
    assert all(data["pin_witnesses"][t]["files"] >= 2 for t in pinned)
    assert "at least 2 files" in data["provenance"]
    assert data["tags"]["v1.12.4"] == "76f52bc884231f62b9a034ebfe128415bbaabdfc"


# -- the tool's majority rule, on pins written here ----------------------------------------------

def _tool():
    spec = importlib.util.spec_from_file_location("publish_action_tags", TOOL)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


A, B, C = "a" * 40, "b" * 40, "c" * 40
TYPO_OF_A = "a" * 38 + "ff"


def _pins(folder: Path, files: dict[str, list[tuple[str, str]]]) -> str:
    for name, pins in files.items():
        lines = [f"  - uses: pypa/gh-action-pypi-publish@{sha}  # {tag}" for sha, tag in pins]
        (folder / f"{name}.yml").write_text("steps:\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return str(folder)


@pytest.mark.parametrize("files, kept", [
    # two files agree: kept; one repeating a pin many times is still one witness
    ({"r1": [(A, "v2.0.0")], "r2": [(A, "v2.0.0")]}, {"v2.0.0": A}),
    ({"r1": [(A, "v2.0.0")] * 5}, {}),
    # a typo of the majority's SHA, and another release's commit under a stale comment: set aside
    ({"r1": [(A, "v2.0.0")], "r2": [(A, "v2.0.0")], "r3": [(TYPO_OF_A, "v2.0.0")]}, {"v2.0.0": A}),
    ({"r1": [(A, "v2.0.0")], "r2": [(A, "v2.0.0")], "r3": [(B, "v2.0.0")], "r4": [(B, "v1.9.0")],
      "r5": [(B, "v1.9.0")]}, {"v1.9.0": B, "v2.0.0": A}),
    # an unexplained disagreement, or a majority not larger than its dissent: left out
    ({"r1": [(A, "v2.0.0")], "r2": [(A, "v2.0.0")], "r3": [(C, "v2.0.0")]}, {}),
    ({"r1": [(A, "v2.0.0")], "r2": [(A, "v2.0.0")], "r3": [(TYPO_OF_A, "v2.0.0")],
      "r4": [(TYPO_OF_A, "v2.0.0")]}, {}),
])
def test_read_pins_keeps_a_documented_majority(tmp_path: Path, files, kept) -> None:
    found = _tool().read_pins([_pins(tmp_path, files)], "v1.8.0", {"v1.8.0": "d" * 40})
    assert {tag: entry["sha"] for tag, entry in found.items()} == kept


def test_regenerating_from_the_clone_and_pins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The tool end to end on a real bare repository with release tags (annotated and light)."""
    work = tmp_path / "work"
    subprocess.run(["git", "init", "-q", "-b", "main", str(work)], check=True)
    for tag in ("v1.0.0a0", "v1.1.0", "v1.2.0"):
        subprocess.run(["git", "-C", str(work), "commit", "-q", "--allow-empty", "--no-gpg-sign",
                        "-m", tag], check=True)
        subprocess.run(["git", "-C", str(work), "tag", *(["-a", "-m", tag] if tag == "v1.2.0" else []),
                        tag], check=True)
    bare = tmp_path / "action.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(work), str(bare)], check=True)
    head = subprocess.run(["git", "-C", str(work), "rev-parse", "v1.2.0^{commit}"], check=True,
                          capture_output=True, text=True).stdout.strip()
    pins = _pins(tmp_path, {"r1": [(A, "v1.3.0"), (head, "v1.2.0")], "r2": [(A, "v1.3.0")]})
    tool = _tool()
    output = tmp_path / "tags.json"
    monkeypatch.setattr(tool, "OUTPUT", output)
    assert tool.main([str(bare), "--seen", pins]) == 0
    data = json.loads(output.read_text(encoding="utf-8"))
    assert list(data["tags"]) == ["v1.1.0", "v1.2.0", "v1.3.0"]
    assert data["tags"]["v1.2.0"] == head and data["tags"]["v1.3.0"] == A
    assert data["from_pins"] == ["v1.3.0"] and data["pin_witnesses"]["v1.3.0"]["files"] == 2
