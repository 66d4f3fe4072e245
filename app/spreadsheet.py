"""CSV for people: every cell a spreadsheet could run as a formula is kept as text.

OWASP's list of formula triggers: a leading `=`, `+`, `-`, `@`, tab or carriage return. Such a
cell is prefixed with a single quote, which spreadsheets show as text and do not evaluate.
"""

import csv
from collections.abc import Iterable
from typing import Any, Protocol

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


class _Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


def neutralise(text: str) -> str:
    """The text, made inert for spreadsheets if it starts with a formula trigger."""
    return f"'{text}" if text.startswith(FORMULA_TRIGGERS) else text


class SafeWriter:
    """A `csv.writer` whose every cell is neutralised."""

    def __init__(self, stream: _Writable, **options: Any) -> None:
        self._writer = csv.writer(stream, **options)

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow([neutralise("" if cell is None else str(cell)) for cell in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)
