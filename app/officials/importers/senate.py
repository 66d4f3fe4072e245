"""Senators from the senat.fr API JSON and the official ODSEN_GENERAL.csv, and e-mail sources."""

import re
from pathlib import Path

from app.importing.cells import parse_int
from app.importing.errors import ImportFileError
from app.importing.jsonfile import field, load_json
from app.importing.tabular import read_table
from app.officials.importers.deputies_csv import parse_datan
from app.officials.importers.records import (
    ABROAD_CODE,
    ABROAD_NAME,
    OfficialRecord,
    civility,
    department_code,
)
from app.text import fold

ODSEN_COLUMNS = (
    "Matricule", "Qualité", "Nom usuel", "Prénom usuel", "État", "Groupe politique",
    "Circonscription", "Code Circonscription", "Courrier électronique",
)  # fmt: skip


# The Sénat's API keeps internal codes from past legislatures (UMP, LREM, CRC, RTLI, SOC); the
# groups' current short names follow from their labels (folded, without the leading « Groupe »).
GROUP_SHORT_NAMES = {
    "les republicains": "LR",
    "socialiste ecologiste et republicain": "SER",
    "union centriste": "UC",
    "les independants republique et territoires": "LIRT",
    "les independants": "LIRT",
    "rassemblement des democrates progressistes et independants": "RDPI",
    "communiste republicain citoyen et ecologiste kanaky": "CRCE-K",
    "communiste republicain citoyen et ecologiste": "CRCE",
    "rassemblement democratique et social europeen": "RDSE",
    "ecologiste solidarite et territoires": "GEST",
    "reunion administrative des senateurs ne figurant sur la liste d aucun groupe": "NI",
}
_ACRONYM = re.compile(r"^[A-Z][A-Z-]{1,9}$")
_GROUP_PREFIX = re.compile(r"^groupe (du |de la |des )?")


def senate_group(code: str, label: str) -> str:
    """A Sénat group's current short name (« LR », « CRCE-K »), read from its label; the label
    itself when it is already a short name (ODSEN writes « SER »), else the source's code."""
    name = GROUP_SHORT_NAMES.get(_GROUP_PREFIX.sub("", fold(label)))
    if name:
        return name
    return label.strip() if _ACRONYM.match(label.strip()) else code


def _email(value: str) -> str:
    """ODSEN writes "Non public" or nothing when a senator's address is not published."""
    return value if "@" in value else ""


def parse_senat_api(path: Path | bytes, *, name: str | None = None) -> list[OfficialRecord]:
    """https://www.senat.fr/api-senat/senateurs.json: a list of senators, no e-mail."""
    file = name or str(path)
    senators = load_json(path, name=file)
    if not isinstance(senators, list):
        raise ImportFileError(file, "racine", None, "une liste JSON de sénateurs est attendue.")
    records = []
    for index, senator in enumerate(senators, start=1):
        where = f"[{index}]"
        group = field(senator, "groupe", file=file, record=where) or {}
        seat = field(senator, "circonscription", file=file, record=where) or {}
        code = department_code(str(seat.get("code") or ""))
        records.append(
            OfficialRecord(
                source_id=str(field(senator, "matricule", file=file, record=where)).upper(),
                civility=civility(str(senator.get("civilite") or "")),
                first_name=str(field(senator, "prenom", file=file, record=where)).strip(),
                last_name=str(field(senator, "nom", file=file, record=where)).strip(),
                group_code=senate_group(
                    str(group.get("code") or ""), str(group.get("libelle") or "")
                ),
                group_name=str(group.get("libelle") or ""),
                department_code=code,
                department_name=ABROAD_NAME
                if code == ABROAD_CODE
                else str(seat.get("libelle") or ""),
                origin=where,
            )
        )
    return records


def parse_odsen(path: Path | bytes, *, name: str | None = None) -> list[OfficialRecord]:
    """data.senat.fr ODSEN_GENERAL.csv (Latin-1): the ACTIF rows are the sitting senators."""
    table = read_table(path, required=ODSEN_COLUMNS, name=name, encoding="latin-1")
    records = []
    for line, row in table.rows():
        if row["État"] != "ACTIF":
            continue
        code = department_code(row["Code Circonscription"])
        parse_int(
            code if code.isdigit() else "0",
            file=table.file,
            line=line,
            column="Code Circonscription",
        )
        records.append(
            OfficialRecord(
                source_id=row["Matricule"].upper(),
                civility=civility(row["Qualité"]),
                first_name=row["Prénom usuel"],
                last_name=row["Nom usuel"],
                group_code=senate_group(row["Groupe politique"], row["Groupe politique"]),
                group_name=row["Groupe politique"],
                department_code=code,
                department_name=ABROAD_NAME if code == ABROAD_CODE else row["Circonscription"],
                email=_email(row["Courrier électronique"]),
                origin=line,
            )
        )
    return records


def parse_emails(path: Path) -> dict[str, str]:
    """Upper-case official id → e-mail from an ODSEN CSV, a Datan CSV or the Pause IA JSON."""
    if path.suffix.lower() == ".json":
        document = load_json(path)
        people = []
        if isinstance(document, dict):
            people = [*(document.get("senateurs") or []), *(document.get("deputes") or [])]
        if not people:
            raise ImportFileError(
                path, "racine", "senateurs", "listes « senateurs »/« deputes » absentes."
            )
        # Pause IA also guesses addresses from a name pattern; only the published ones count.
        return {
            str(p["id"]).upper(): str(p["email"])
            for p in people
            if p.get("id") and p.get("email") and p.get("emailConfidence", "high") == "high"
        }
    if b"Matricule" in path.read_bytes()[:4096]:
        return {r.source_id: r.email for r in parse_odsen(path) if r.email}
    return {r.source_id.upper(): r.email for r in parse_datan(path) if r.email}
