"""The releases of ``pypa/gh-action-pypi-publish`` and their commits, shipped as package data.

``--fix`` (PD104) replaces an outdated SHA pin by the commit of the newest known release, and
``pubdoctor init`` pins the action the same way, without contacting GitHub. The data file is
written by ``tools/publish_action_tags.py`` from the action's repository.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

DATA_FILE = "pypi_publish_action_tags.json"


@lru_cache(maxsize=1)
def release_tags() -> dict[str, str]:
    """``{"v1.14.2": "<commit sha>", ...}``, oldest release first."""
    # a plain file beside the package (not importlib.resources, whose import costs a run ~8 ms)
    text = (Path(__file__).resolve().parents[1] / "data" / DATA_FILE).read_text(encoding="utf-8")
    tags: dict[str, str] = json.loads(text)["tags"]
    return tags


def newest_release() -> tuple[str, str]:
    """The newest known release: ``(tag, commit sha)``."""
    tags = release_tags()
    tag = next(reversed(tags))
    return tag, tags[tag]
