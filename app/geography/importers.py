"""Readers for the official geography files: INSEE COG, La Poste postcodes, INSEE circo_composition.

They only parse and check; app.geography.service writes the result to the database.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from app.geography.codes import CIRCO, INSEE_CODE, POSTCODE
from app.importing.errors import ImportFileError
from app.importing.tabular import Table, read_table

# Territories La Poste serves that the COG lists apart from départements (v_comer), and Monaco,
# which La Poste files under 98000 with its INSEE country code.
OTHER_TERRITORIES = {
    "975": "Saint-Pierre-et-Miquelon",
    "977": "Saint-Barthélemy",
    "978": "Saint-Martin",
    "986": "Wallis-et-Futuna",
    "987": "Polynésie française",
    "988": "Nouvelle-Calédonie",
    "989": "La Passion-Clipperton",
    "99": "Étranger",
}

POSTCODE_LAYOUTS = {
    # data.gouv.fr CSV (comma, quoted, UTF-8)
    "code_commune_insee": ("nom_de_la_commune", "code_postal", "libelle_d_acheminement"),
    # legacy « hexasmal » (semicolon, Latin-1)
    "#Code_commune_INSEE": ("Nom_de_la_commune", "Code_postal", "Libellé_d_acheminement"),
}


@dataclass(frozen=True)
class CommuneRecord:
    name: str
    department_code: str


@dataclass
class GeographyData:
    """The four geography tables, parsed and cross-checked, ready to be written."""

    departments: dict[str, str] = field(default_factory=dict)
    communes: dict[str, CommuneRecord] = field(default_factory=dict)
    postal_codes: dict[tuple[str, str], str] = field(default_factory=dict)
    # (insee, département, number) → partial
    circonscriptions: dict[tuple[str, str, int], bool] = field(default_factory=dict)


def department_of(insee: str) -> str:
    """The département (or territory) code an INSEE commune code starts with."""
    if insee.startswith("99"):
        return "99"
    return insee[:3] if insee.startswith(("97", "98")) else insee[:2]


def _insee(table: Table, line: int, column: str, value: str) -> str:
    if not INSEE_CODE.match(value):
        raise ImportFileError(table.file, line, column, f"code INSEE invalide : « {value} ».")
    return value


def read_departements(path: Path) -> dict[str, str]:
    """INSEE COG v_departement: code → name."""
    table = read_table(path, required=("DEP", "LIBELLE"))
    departments: dict[str, str] = {}
    for line, (code, name) in table.values("DEP", "LIBELLE"):
        if not re.match(r"^(\d{2,3}|2[AB])$", code) or not name:
            raise ImportFileError(table.file, line, "DEP", f"département invalide : « {code} ».")
        departments[code] = name
    return departments


@dataclass
class CogCommunes:
    communes: dict[str, CommuneRecord]
    # Communes déléguées and associées: named here, though not communes in their own right.
    former: dict[str, CommuneRecord]
    # Arrondissement municipal → its commune (Paris, Lyon, Marseille).
    parents: dict[str, str]


def read_cog_communes(path: Path) -> CogCommunes:
    """INSEE COG v_commune: communes (COM) and municipal arrondissements (ARM)."""
    table = read_table(path, required=("TYPECOM", "COM", "DEP", "LIBELLE", "COMPARENT"))
    cog = CogCommunes({}, {}, {})
    columns = ("TYPECOM", "COM", "DEP", "LIBELLE", "COMPARENT")
    for line, (kind, code, department, name, parent) in table.values(*columns):
        insee = _insee(table, line, "COM", code)
        record = CommuneRecord(name, department or department_of(insee))
        if kind in ("COM", "ARM"):
            cog.communes[insee] = record
            if kind == "ARM":
                cog.parents[insee] = _insee(table, line, "COMPARENT", parent)
        elif kind in ("COMD", "COMA"):
            cog.former.setdefault(insee, record)
        else:
            raise ImportFileError(table.file, line, "TYPECOM", f"type inconnu « {kind} ».")
    return cog


@dataclass(frozen=True)
class PostcodeRecord:
    postcode: str
    insee: str
    commune_name: str
    label: str


def read_postcodes(path: Path) -> list[PostcodeRecord]:
    """La Poste base officielle des codes postaux, data.gouv.fr CSV or legacy hexasmal layout."""
    table = read_table(path, required=())
    layout = next((key for key in POSTCODE_LAYOUTS if key in table.header), None)
    if layout is None:
        expected = " ou ".join(f"« {key} »" for key in POSTCODE_LAYOUTS)
        raise ImportFileError(
            table.file,
            1,
            None,
            f"colonne {expected} absente de l'en-tête (séparateur lu : « {table.separator} »).",
        )
    name_col, postcode_col, label_col = POSTCODE_LAYOUTS[layout]
    for column in (name_col, postcode_col, label_col):
        if column not in table.header:
            raise ImportFileError(table.file, 1, column, f"colonne « {column} » absente.")
    records = []
    for line, (code, name, postcode, label) in table.values(
        layout, name_col, postcode_col, label_col
    ):
        insee = _insee(table, line, layout, code)
        if not POSTCODE.match(postcode):
            raise ImportFileError(
                table.file, line, postcode_col, f"code postal invalide : « {postcode} »."
            )
        records.append(PostcodeRecord(postcode, insee, name, label))
    return records


@dataclass(frozen=True)
class CircoRecord:
    insee: str
    department_code: str
    number: int
    partial: bool


def read_circos(path: Path) -> list[CircoRecord]:
    """INSEE circo_composition: one row per commune, or per circonscription of a split commune."""
    table = read_table(path, required=("COMMUNE_RESID", "circo", "type_com"))
    records = []
    for line, (code, circo, kind) in table.values("COMMUNE_RESID", "circo", "type_com"):
        insee = _insee(table, line, "COMMUNE_RESID", code)
        if not circo:
            continue  # the Meuse villages « morts pour la France » have no voters
        # Not always the commune's own département: a few communes merged across a border.
        department = circo[:3] if circo.startswith("97") else circo[:2]
        number = circo[len(department) :]
        if not CIRCO.match(circo) or int(number) == 0:
            raise ImportFileError(
                table.file,
                line,
                "circo",
                f"« {circo} » n'est pas un code de département suivi d'un numéro.",
            )
        records.append(CircoRecord(insee, department, int(number), kind == "partiel"))
    return records


def build_geography(
    *,
    communes: Path,
    departements: Path,
    postcodes: Path,
    circos: Path,
    on_step: Callable[[str], None] | None = None,
) -> GeographyData:
    """Reads the four official files and merges them so that every La Poste postcode resolves."""
    step = on_step or (lambda _: None)
    step("départements")
    data = GeographyData(departments=read_departements(departements))
    step("communes")
    cog = read_cog_communes(communes)
    data.communes = dict(cog.communes)
    step("codes postaux")
    for record in read_postcodes(postcodes):
        if record.insee not in data.communes:
            # A commune merged away since (or a territory outside the COG): La Poste still serves
            # it, so it stays, under its former COG name when there is one.
            data.communes[record.insee] = cog.former.get(
                record.insee, CommuneRecord(record.commune_name, department_of(record.insee))
            )
        data.postal_codes.setdefault((record.postcode, record.insee), record.label)
    for code in {commune.department_code for commune in data.communes.values()}:
        if code not in data.departments:
            data.departments[code] = OTHER_TERRITORIES.get(code, code)
    by_commune: dict[str, list[CircoRecord]] = {}
    step("circonscriptions")
    for circo in read_circos(circos):
        if circo.insee in data.communes:
            data.circonscriptions[(circo.insee, circo.department_code, circo.number)] = (
                circo.partial
            )
            by_commune.setdefault(circo.insee, []).append(circo)
    # INSEE maps Paris, Lyon and Marseille as whole communes; La Poste uses their arrondissements,
    # which inherit every circonscription of their city as a candidate.
    for arrondissement, parent in cog.parents.items():
        for circo in by_commune.get(parent, []):
            key = (arrondissement, circo.department_code, circo.number)
            data.circonscriptions[key] = circo.partial
    return data
