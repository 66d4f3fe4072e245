"""Typed cells of a tabular file: a bad value names its file, line and column."""

from datetime import date, datetime

from app.importing.errors import ImportFileError


def parse_date(value: str, fmt: str, *, file: str, line: int, column: str) -> date | None:
    """The date in `value` (time part ignored), None when blank."""
    if not value:
        return None
    try:
        return datetime.strptime(value[: len("2024-07-08")], fmt).date()
    except ValueError as exc:
        raise ImportFileError(file, line, column, f"date invalide « {value} ».") from exc


def parse_int(value: str, *, file: str, line: int, column: str) -> int | None:
    """The non-negative integer in `value`, None when blank."""
    if not value:
        return None
    if not value.isdigit():
        raise ImportFileError(file, line, column, f"nombre entier attendu, lu « {value} ».")
    return int(value)
