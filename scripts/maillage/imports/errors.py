"""The error a national file gets when it cannot be read: French, with its line."""

from __future__ import annotations


class ImportFileError(Exception):
    """A wrong, truncated or garbled national file (exit status 1, nothing written)."""

    def __init__(self, file: str, line: int, message: str) -> None:
        self.file = file
        self.line = line
        self.message = message
        where = f"{file}, ligne {line}" if line else file
        super().__init__(f"{where} : {message}")


class ImportUsageError(Exception):
    """Wrong options or configuration (exit status 2)."""
