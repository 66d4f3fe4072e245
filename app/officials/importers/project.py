"""The project's own CSV (data/deputies.csv, senators.csv, ministers.csv): reader and writer."""

import csv
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from app.importing.cells import parse_date, parse_int
from app.importing.errors import ImportFileError
from app.importing.tabular import read_table
from app.officials.importers.records import OfficialRecord, civility, department_code

COLUMNS = (
    "source_id", "civility", "first_name", "last_name", "group_code", "group_name",
    "department_code", "department_name", "circonscription", "portfolio", "email", "phone",
    "mandate_start",
)  # fmt: skip
PROJECT_FIELDS = frozenset(COLUMNS) - {"source_id"}
FILE_NAMES = {"deputy": "deputies.csv", "senator": "senators.csv", "minister": "ministers.csv"}


def parse_project(path: Path | bytes, *, name: str | None = None) -> list[OfficialRecord]:
    """One of the project's CSVs, also as re-saved by a French spreadsheet (`;`, cp1252, BOM)."""
    table = read_table(path, required=COLUMNS, name=name)
    records = []
    for line, row in table.rows():
        if not row["source_id"]:
            raise ImportFileError(table.file, line, "source_id", "identifiant vide.")
        civ = civility(row["civility"])
        if not civ and row["civility"]:
            raise ImportFileError(
                table.file,
                line,
                "civility",
                f"« M. » ou « Mme » attendu, lu « {row['civility']} ».",
            )
        records.append(
            OfficialRecord(
                source_id=row["source_id"],
                civility=civ,
                first_name=row["first_name"],
                last_name=row["last_name"],
                group_code=row["group_code"],
                group_name=row["group_name"],
                department_code=department_code(row["department_code"]),
                department_name=row["department_name"],
                circonscription=parse_int(
                    row["circonscription"], file=table.file, line=line, column="circonscription"
                ),
                portfolio=row["portfolio"],
                email=row["email"],
                phone=row["phone"],
                mandate_start=parse_date(
                    row["mandate_start"],
                    "%Y-%m-%d",
                    file=table.file,
                    line=line,
                    column="mandate_start",
                ),
                origin=line,
            )
        )
    return records


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def write_project(path: Path, records: Iterable[OfficialRecord]) -> int:
    """Writes the records in the project schema (comma, UTF-8, LF); returns the row count."""
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    tmp = path.with_suffix(".csv.tmp")
    with tmp.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(COLUMNS)
        for record in records:
            writer.writerow([_cell(getattr(record, column)) for column in COLUMNS])
            count += 1
    tmp.replace(path)
    return count
