"""Errors that end a run with exit code 2 and one clear line, never a traceback."""

from __future__ import annotations


class InputError(Exception):
    """Bad input the user must fix (a missing folder, an unreadable or malformed file).

    The message is printed as one line, prefixed by the file it names, and the run exits 2.
    """

    def __init__(self, message: str, path: str | None = None, line: int = 0, col: int = 0) -> None:
        super().__init__(message)
        self.path = path
        self.line = line
        self.col = col

    @property
    def message(self) -> str:
        return super().__str__()

    def __str__(self) -> str:
        message = super().__str__()
        return f"{self.path}: {message}" if self.path else message
