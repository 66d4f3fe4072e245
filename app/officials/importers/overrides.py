"""The contact overrides CSV: one row per official and field.

Columns: identifiant;champ;valeur;source;date (an empty value removes the override)."""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from app.importing.cells import parse_date
from app.importing.errors import ImportFileError
from app.importing.tabular import read_table
from app.officials.models import ContactField
from app.text import fold

REQUIRED = ("identifiant", "champ", "valeur")
OPTIONAL = ("source", "date")
FIELD_NAMES = {
    "email": ContactField.email,
    "e mail": ContactField.email,
    "courriel": ContactField.email,
    "telephone": ContactField.phone,
    "tel": ContactField.phone,
    "phone": ContactField.phone,
    "adresse": ContactField.postal_address,
    "adresse postale": ContactField.postal_address,
    "postal address": ContactField.postal_address,
}


@dataclass(frozen=True)
class OverrideRow:
    """One line of the file; an empty value removes the override."""

    line: int
    identifier: str
    field: ContactField
    value: str
    source: str
    source_date: date | None


def _date(value: str, *, file: str, line: int) -> date | None:
    fmt = "%Y-%m-%d" if value[4:5] == "-" else "%d/%m/%Y"
    return parse_date(value, fmt, file=file, line=line, column="date")


def parse_overrides(path: Path, *, name: str | None = None) -> list[OverrideRow]:
    """Every row of an overrides CSV; a bad cell names its file, line and column."""
    table = read_table(path, required=REQUIRED, name=name)
    rows: list[OverrideRow] = []
    for line, row in table.rows():
        if not row["identifiant"]:
            raise ImportFileError(table.file, line, "identifiant", "identifiant manquant.")
        field = FIELD_NAMES.get(fold(row["champ"]))
        if field is None:
            raise ImportFileError(
                table.file,
                line,
                "champ",
                f"champ « {row['champ']} » inconnu : email, telephone ou adresse.",
            )
        rows.append(
            OverrideRow(
                line=line,
                identifier=row["identifiant"],
                field=field,
                # A line break typed as « \n » or « | » in a one-line cell separates address lines.
                value=row["valeur"].replace("\\n", "\n").replace(" | ", "\n"),
                source=row.get("source", ""),
                source_date=_date(row.get("date", ""), file=table.file, line=line),
            )
        )
    return rows
