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
under FOLDER (``pypa/gh-action-pypi-publish@<sha> # vX.Y.Z``), each kept only when every
pin of that version names the same commit; the file says where each entry came from.
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


def read_pins(folders: list[str], newer_than: str) -> dict[str, str]:
    """``{tag: SHA}`` of releases newer than ``newer_than`` pinned in workflows under ``folders``,
    each only when all its pins agree."""
    seen: dict[str, set[str]] = {}
    for folder in folders:
        for path in Path(folder).rglob("*.y*ml"):
            try:
                text = path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            for sha, tag in _PIN.findall(text):
                seen.setdefault(tag, set()).add(sha)
    return {tag: next(iter(shas)) for tag, shas in sorted(seen.items(), key=lambda i: _key(i[0]))
            if len(shas) == 1 and _key(tag) > _key(newer_than)}


def main(argv: list[str]) -> int:
    if not argv or argv[0].startswith("-"):
        print(__doc__, file=sys.stderr)
        return 2
    folders = [argv[i + 1] for i, a in enumerate(argv[:-1]) if a == "--seen"]
    tags = read_tags(argv[0])
    pinned = read_pins(folders, next(reversed(tags))) if folders and tags else {}
    tags.update(pinned)
    data = {"action": "pypa/gh-action-pypi-publish", "tags": tags,
            "from_pins": sorted(pinned, key=_key)}
    OUTPUT.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"{OUTPUT.name}: {len(tags)} releases, newest {next(reversed(tags))}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
