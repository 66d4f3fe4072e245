"""Parsers for the official open-data formats; each yields OfficialRecords or an ImportFileError."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from app.importing.errors import ImportFileError
from app.officials.importers.an import parse_an
from app.officials.importers.deputies_csv import parse_datan
from app.officials.importers.government import parse_government
from app.officials.importers.project import PROJECT_FIELDS, parse_project
from app.officials.importers.records import DATA_FIELDS, OfficialRecord, with_emails
from app.officials.importers.senate import parse_emails, parse_odsen, parse_senat_api

__all__ = ["SOURCES", "ImportFileError", "OfficialRecord", "Source", "read_source"]

_SENATE_FIELDS = frozenset(
    {"civility", "first_name", "last_name", "group_code", "group_name", "department_code"}
    | {"department_name"}
)


@dataclass(frozen=True)
class Source:
    """A format the `import` command reads: the kind it describes and the fields it owns."""

    kind: str
    fields: frozenset[str]
    description: str
    complete: bool = True  # a complete list ends the officials it does not name


_GOVERNMENT_FIELDS = frozenset(
    {"civility", "first_name", "last_name", "portfolio", "mandate_start"}
)
_DATAN_FIELDS = frozenset(DATA_FIELDS) - {"portfolio", "phone", "postal_address"}

SOURCES: dict[str, Source] = {
    "an": Source("deputy", frozenset(DATA_FIELDS) - {"portfolio"}, "Assemblée nationale AMO"),
    "datan": Source("deputy", _DATAN_FIELDS, "Datan deputes-active.csv"),
    "rne": Source("deputy", frozenset({"mandate_start"}), "RNE élus députés", complete=False),
    "government": Source("minister", _GOVERNMENT_FIELDS, "membres du Gouvernement (JSON)"),
    "senat": Source("senator", _SENATE_FIELDS, "API senat.fr senateurs.json"),
    "odsen": Source("senator", _SENATE_FIELDS | {"email"}, "Sénat ODSEN_GENERAL.csv"),
    "project-deputies": Source("deputy", PROJECT_FIELDS, "CSV du projet (députés)"),
    "project-senators": Source("senator", PROJECT_FIELDS, "CSV du projet (sénateurs)"),
    "project-ministers": Source("minister", PROJECT_FIELDS, "CSV du projet (ministres)"),
}


def read_source(
    name: str,
    path: Path,
    *,
    emails: Sequence[Path] = (),
    people: Mapping[str, tuple[str, str, str]] | None = None,
    first_names: Mapping[str, str] | None = None,
) -> tuple[list[OfficialRecord], frozenset[str]]:
    """The records of one source file and the fields they carry (e-mails merged if given)."""
    source = SOURCES[name]
    if name == "an":
        records = parse_an(path)
    elif name == "datan":
        records = parse_datan(path)
    elif name == "government":
        records = parse_government(path, people=people, first_names=first_names)
    elif name == "senat":
        records = parse_senat_api(path)
    elif name == "odsen":
        records = parse_odsen(path)
    elif name.startswith("project-"):
        records = parse_project(path)
    else:
        raise ValueError(name)
    fields = source.fields
    for email_file in emails:
        records = with_emails(records, parse_emails(email_file))
        fields = fields | {"email"}
    return records, fields
