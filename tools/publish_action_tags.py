"""Regenerate ``src/pubdoctor/data/pypi_publish_action_tags.json`` from a clone of
``pypa/gh-action-pypi-publish``.

``pubdoctor check --fix`` (PD104) and ``pubdoctor init`` pin the action by the commit SHA of
a release, with its ``# vX.Y.Z`` comment, without contacting GitHub: they read the release
tags and their commits from this file. Run it after a new release of the action:

    git clone --bare https://github.com/pypa/gh-action-pypi-publish /tmp/pypi-publish.git
    python tools/publish_action_tags.py /tmp/pypi-publish.git [--seen FOLDER ...]

Only full release tags (``vX.Y.Z``) are kept; an annotated tag is resolved to its commit.
When the clone at hand is older than the action's newest releases (a stored snapshot),
``--seen FOLDER`` adds the releases newer than its last tag from the pins of real workflows
under FOLDER (``pypa/gh-action-pypi-publish@<sha> # vX.Y.Z``). Each ``.yml``/``.yaml`` file
counts as one independent witness (write one file per repository: the distinct pins found in
its workflows' history), however often it repeats a pin.

Pins in the wild hold mistakes: a comment left at the old version when the SHA was bumped
(or the reverse), a mistyped SHA. So a release's commit is a documented majority, not
unanimity: the SHA named for a version by at least ``MIN_WITNESSES`` files is kept when every
other SHA named for that version is explained, being either the commit of another release
(known from the clone or itself a kept majority: a stale comment) or a clear typo of the
majority's SHA (at most ``TYPO_DISTANCE`` characters differ), and the majority has more
witnesses than all those dissenters together. Any other disagreement, or too few witnesses,
leaves the version out. The file says where each entry came from (``provenance``,
``from_pins``) and, per pinned release, how many files agreed and which dissents were set aside
(``pin_witnesses``).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

OUTPUT = Path(__file__).resolve().parent.parent / "src/pubdoctor/data/pypi_publish_action_tags.json"
_RELEASE = re.compile(r"^v(\d+)\.(\d+)\.(\d+)$")


def read_tags(git_dir: str) -> dict[str, str]:
    """``{tag: commit SHA}`` of the release tags, oldest release first."""
    out = subprocess.run(
        ["git", "--git-dir", git_dir, "for-each-ref", "refs/tags",
         "--format=%(refname:short) %(objectname) %(*objectname)"],
        check=True, capture_output=True, text=True).stdout
    tags: dict[str, str] = {}
    for line in out.splitlines():
        name, sha, *peeled = line.split()
        if _RELEASE.match(name):
            tags[name] = peeled[0] if peeled else sha  # an annotated tag points at a tag object
    ordered = sorted(tags, key=_key)
    return {name: tags[name] for name in ordered}


_PIN = re.compile(r"pypa/gh-action-pypi-publish@([0-9a-f]{40})[ \t]*#[ \t]*(v\d+\.\d+\.\d+)\b")


def _key(tag: str) -> tuple[int, ...]:
    return tuple(int(p) for p in _RELEASE.match(tag).groups())  # type: ignore[union-attr]


#: how many independent files must name a release's commit
MIN_WITNESSES = 2
#: at most this many characters of a dissenting SHA may differ from the majority's to be a typo
TYPO_DISTANCE = 2


def _witnesses(folders: list[str]) -> dict[str, dict[str, set[str]]]:
    """``{tag: {sha: files naming it}}`` over every workflow file under ``folders``."""
    seen: dict[str, dict[str, set[str]]] = {}
    for folder in folders:
        for path in sorted(Path(folder).rglob("*.y*ml")):
            try:
                text = path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            for sha, tag in _PIN.findall(text):
                seen.setdefault(tag, {}).setdefault(sha, set()).add(str(path))
    return seen


def _typo(sha: str, of: str) -> bool:
    return len(sha) == len(of) and sum(a != b for a, b in zip(sha, of)) <= TYPO_DISTANCE


def read_pins(folders: list[str], newer_than: str,
              known: dict[str, str] | None = None) -> dict[str, dict[str, object]]:
    """``{tag: {"sha", "witnesses", "set_aside"}}`` of the releases newer than ``newer_than``
    pinned in workflows under ``folders`` whose commit a documented majority names (see the
    module docstring); ``known`` holds the releases of the clone (their commits explain a
    stale comment)."""
    seen = _witnesses(folders)
    majority: dict[str, tuple[str, int]] = {}
    for tag, shas in seen.items():
        sha, files = max(shas.items(), key=lambda item: (len(item[1]), item[0]))
        if len(files) >= MIN_WITNESSES:
            majority[tag] = (sha, len(files))
    releases = set((known or {}).values()) | {sha for sha, _ in majority.values()}
    kept: dict[str, dict[str, object]] = {}
    for tag in sorted(seen, key=_key):
        if _key(tag) <= _key(newer_than) or tag not in majority:
            continue
        sha, count = majority[tag]
        dissent = {other: len(files) for other, files in seen[tag].items() if other != sha}
        if not all(other in releases or _typo(other, sha) for other in dissent):
            continue
        if dissent and count <= sum(dissent.values()):
            continue
        kept[tag] = {"sha": sha, "witnesses": count,
                     "set_aside": {other: ("another release's commit" if other in releases
                                           else "a typo") for other in sorted(dissent)}}
    return kept


def main(argv: list[str]) -> int:
    if not argv or argv[0].startswith("-"):
        print(__doc__, file=sys.stderr)
        return 2
    folders = [argv[i + 1] for i, a in enumerate(argv[:-1]) if a == "--seen"]
    tags = read_tags(argv[0])
    last = next(reversed(tags)) if tags else None
    pinned = read_pins(folders, last, tags) if folders and last else {}
    tags.update({tag: str(entry["sha"]) for tag, entry in pinned.items()})
    data: dict[str, object] = {
        "action": "pypa/gh-action-pypi-publish",
        "provenance": (f"releases up to {last}: the tags of a clone of the action's repository "
                       "(annotated tags resolved to their commits); releases in from_pins: SHA pins "
                       "with a `# vX.Y.Z` comment in the history of public workflows, one file per "
                       f"repository, each kept when at least {MIN_WITNESSES} files name that commit "
                       "and every other commit named for the version is another release's (a stale "
                       f"comment) or a typo of it (at most {TYPO_DISTANCE} characters differ), and "
                       "outnumbered (tools/publish_action_tags.py)"),
        "tags": tags,
        "from_pins": sorted(pinned, key=_key),
        "pin_witnesses": {tag: {"files": entry["witnesses"], "set_aside": entry["set_aside"]}
                          for tag, entry in pinned.items()},
    }
    OUTPUT.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"{OUTPUT.name}: {len(tags)} releases, newest {next(reversed(tags))}; from pins: "
          + ", ".join(f"{t} ({e['witnesses']} files)" for t, e in pinned.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
