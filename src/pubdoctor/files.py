"""Reading repository files defensively.

A repository can hold anything under ``.github/workflows``: a binary, a 50 MB file, a
symlink loop, a file in another encoding. Every read goes through `read_text`, which turns
each of those into an `InputError` naming the file instead of a traceback or a hang.
"""

from __future__ import annotations

import os
from pathlib import Path

from pubdoctor.errors import InputError

#: Larger files are refused: no real workflow or pyproject.toml comes near this.
MAX_TEXT_BYTES = 2 * 1024 * 1024


def display_path(path: Path, root: Path) -> str:
    """The path as findings show it: relative to the checked repository when inside it."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def relative_display(path: Path, start: Path) -> str:
    """``path`` relative to ``start`` even when outside it (``../../.github/workflows/x.yml``)."""
    import os

    return Path(os.path.relpath(path, start)).as_posix()


def read_text(path: Path, shown: str | None = None, limit: int = MAX_TEXT_BYTES) -> str:
    """Read a UTF-8 text file, or raise `InputError` saying why it cannot be read."""
    name = shown or str(path)
    try:
        size = path.stat().st_size
    except RuntimeError as exc:  # symlink loop on some Python versions
        raise InputError(f"cannot read: {exc}", name) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", name) from None
    if not path.is_file():
        raise InputError("not a regular file", name)
    if size > limit:
        raise InputError(f"file is too large ({size:,} bytes; the limit is {limit:,})", name)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", name) from None
    if b"\x00" in data:
        raise InputError("binary file (contains NUL bytes), expected text", name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not valid UTF-8 (byte {exc.start}): save it as UTF-8", name) from None
    return text


def is_loop_or_broken(path: Path) -> bool:
    """True for a dangling symlink or one in a loop (``os.stat`` fails on both)."""
    try:
        os.stat(path)
    except (OSError, RuntimeError):
        return True
    return False
