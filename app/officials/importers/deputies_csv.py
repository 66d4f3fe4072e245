"""Deputies from third-party CSVs: Datan's deputes-active.csv and the RNE élus députés file."""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from app.importing.cells import parse_date, parse_int
from app.importing.errors import ImportFileError
from app.importing.tabular import read_table
from app.officials.importers.records import OfficialRecord, civility, department_code

DATAN_COLUMNS = (
    "id", "civ", "nom", "prenom", "groupe", "groupeAbrev", "departementNom", "departementCode",
    "circo", "datePriseFonction", "mail",
)  # fmt: skip
RNE_DEPARTMENT = "Code du département"
RNE_COLLECTIVITY = "Code de la collectivité à statut particulier"
RNE_CIRCO = "Code de la circonscription législative"
RNE_COLUMNS = (
    RNE_DEPARTMENT, "Libellé du département", RNE_COLLECTIVITY, RNE_CIRCO, "Nom de l'élu",
    "Prénom de l'élu", "Code sexe", "Date de début du mandat",
)  # fmt: skip


def parse_datan(path: Path | bytes, *, name: str | None = None) -> list[OfficialRecord]:
    """Datan's deputes-active.csv (comma, UTF-8), keyed on the AN PA id."""
    table = read_table(path, required=DATAN_COLUMNS, name=name)
    records = []
    for line, row in table.rows():
        if not row["id"].startswith("PA"):
            raise ImportFileError(
                table.file, line, "id", f"identifiant PA… attendu, lu « {row['id']} »."
            )
        records.append(
            OfficialRecord(
                source_id=row["id"],
                civility=civility(row["civ"]),
                first_name=row["prenom"],
                last_name=row["nom"],
                group_code=row["groupeAbrev"],
                group_name=row["groupe"],
                department_code=department_code(row["departementCode"]),
                department_name=row["departementNom"],
                circonscription=parse_int(row["circo"], file=table.file, line=line, column="circo"),
                email=row["mail"],
                mandate_start=parse_date(
                    row["datePriseFonction"],
                    "%Y-%m-%d",
                    file=table.file,
                    line=line,
                    column="datePriseFonction",
                ),
                origin=line,
            )
        )
    return records


@dataclass(frozen=True)
class RneRow:
    """One seat of the RNE: it has no AN id, so it can only confirm a deputy already known."""

    line: int
    department_code: str
    circonscription: int
    last_name: str
    first_name: str
    civility: str
    mandate_start: date | None


def parse_rne(path: Path | bytes, *, name: str | None = None) -> list[RneRow]:
    """The RNE élus députés CSV (`;`, dates DD/MM/YYYY)."""
    table = read_table(path, required=RNE_COLUMNS, name=name)
    rows = []
    for line, row in table.rows():
        code = row[RNE_CIRCO]
        # The last two digits are the number: some rows carry another département's prefix.
        if len(code) < 3 or not code[-2:].isdigit():
            raise ImportFileError(table.file, line, RNE_CIRCO, f"code « {code} » illisible.")
        rows.append(
            RneRow(
                line=line,
                # Overseas collectivities have no département code; their seat code starts
                # with the INSEE-style one (97701 for Saint-Martin/Saint-Barthélemy, « ZX »).
                department_code=department_code(row[RNE_DEPARTMENT] or code[:-2]),
                circonscription=int(code[-2:]),
                last_name=row["Nom de l'élu"],
                first_name=row["Prénom de l'élu"],
                civility=civility(row["Code sexe"]),
                mandate_start=parse_date(
                    row["Date de début du mandat"],
                    "%d/%m/%Y",
                    file=table.file,
                    line=line,
                    column="Date de début du mandat",
                ),
            )
        )
    return rows
