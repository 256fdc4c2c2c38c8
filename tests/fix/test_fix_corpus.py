"""``--fix`` on every real-world repository of the shared corpus: it never crashes, what it
writes still parses, the fixed rules find less, only lines are added or changed in place, and a
second run changes nothing."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest

from conftest import SHARED, check, codes

CORPUS = SHARED / "corpus" / "real-world"
REPOS = sorted(p.name for p in CORPUS.iterdir() if (p / ".github" / "workflows").is_dir()) \
    if CORPUS.is_dir() else []
FIXABLE = {"PD101", "PD102", "PD104", "PD107", "PD303", "PD305"}


def _workflows(root: Path) -> dict[str, bytes]:
    folder = root / ".github" / "workflows"
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file() and not p.is_symlink()}


@pytest.mark.skipif(not REPOS, reason="../shared/corpus/real-world is not here")
@pytest.mark.parametrize("name", REPOS)
def test_fix_on_a_real_repository(tmp_path: Path, name: str) -> None:
    root = tmp_path / name
    shutil.copytree(CORPUS / name, root, symlinks=True)
    before_files = _workflows(root)
    before = [c for c in codes(root) if c in FIXABLE]
    result = check(root, "--fix")
    assert result.exit_code in (0, 1), result.output
    after = [c for c in codes(root) if c in FIXABLE]  # codes() fails on a file that no longer parses
    assert len(after) <= len(before)
    fixed_files = _workflows(root)
    for file, data in fixed_files.items():
        old = before_files[file].decode("utf-8", "replace").splitlines(keepends=True)
        new = data.decode("utf-8", "replace").splitlines(keepends=True)
        removed = [line for line in difflib.ndiff(old, new) if line.startswith("- ")]
        # a fix changes a value in place or removes one `id-token: write` (PD102)
        assert len(removed) <= len([line for line in difflib.ndiff(old, new) if line.startswith("+ ")]) \
            or all("id-token" in line for line in removed), (file, removed)
    check(root, "--fix")
    assert _workflows(root) == fixed_files
