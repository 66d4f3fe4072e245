"""« Find my representative »: postcode, INSEE code or commune name → communes, circonscriptions,
députés and sénateurs. Every candidate is returned, never a guess."""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import Connection, RowMapping, Select, bindparam, select
from sqlalchemy.orm import Session

from app.errors import Invalid, NotFound
from app.geography.codes import INSEE_CODE, POSTCODE, normalize_code
from app.geography.contours import Seat
from app.geography.models import Commune, CommuneCirconscription, Department, PostalCode
from app.officials.models import Official
from app.text import fold

MAX_NAME_MATCHES = 50
# Saint-Barthélemy (977) and Saint-Martin (978) share one député, filed under 977.
DEPUTY_DEPARTMENT = {"978": "977"}
ABROAD = "99"
UNINHABITED = {"989"}

OFFICIAL_COLUMNS = (
    Official.id,
    Official.source_id,
    Official.kind,
    Official.civility,
    Official.first_name,
    Official.last_name,
    Official.group_code,
    Official.group_name,
    Official.department_code,
    Official.circonscription,
    Official.email,
)


@dataclass
class CommuneMatch:
    insee: str
    name: str
    department_code: str
    department_name: str
    circonscriptions: list[tuple[str, int, bool]] = field(default_factory=list)


@dataclass
class LookupResult:
    postcode: str | None
    query: str | None
    communes: list[CommuneMatch]
    deputies: list[RowMapping]
    senators: list[RowMapping]
    notices: list[str]


COMMUNES = (
    select(Commune.insee, Commune.name, Commune.department_code, Department.name)
    .outerjoin(Department, Department.code == Commune.department_code)
    .order_by(Commune.department_code, Commune.name, Commune.insee)
)
BY_POSTCODE = COMMUNES.where(
    Commune.insee.in_(select(PostalCode.insee).where(PostalCode.postcode == bindparam("key")))
)
BY_INSEE = COMMUNES.where(Commune.insee == bindparam("key"))
BY_NAME = COMMUNES.where(Commune.search_name == bindparam("key")).limit(bindparam("limit"))
BY_NAME_START = COMMUNES.where(Commune.search_name.like(bindparam("key"), escape="\\")).limit(
    bindparam("limit")
)
CIRCONSCRIPTIONS = (
    select(
        CommuneCirconscription.insee,
        CommuneCirconscription.department_code,
        CommuneCirconscription.circonscription,
        CommuneCirconscription.partial,
    )
    .where(CommuneCirconscription.insee.in_(bindparam("insees", expanding=True)))
    .order_by(CommuneCirconscription.department_code, CommuneCirconscription.circonscription)
)
OFFICIALS = (
    select(*OFFICIAL_COLUMNS)
    .where(
        Official.kind.in_(("deputy", "senator")),
        Official.mandate_end.is_(None),
        Official.department_code.in_(bindparam("departments", expanding=True)),
    )
    .order_by(Official.department_code, Official.circonscription, Official.last_name)
)


def _communes(
    db: Connection | Session, statement: Select[str, str, str, str], **params: object
) -> list[CommuneMatch]:
    rows = db.execute(statement, params).all()
    communes = {r[0]: CommuneMatch(r[0], r[1], r[2], r[3] or r[2]) for r in rows}
    if communes:
        circos = db.execute(CIRCONSCRIPTIONS, {"insees": list(communes)}).all()
        for insee, department, number, partial in circos:
            communes[insee].circonscriptions.append((department, number, partial))
    return list(communes.values())


def _notices(communes: Iterable[CommuneMatch]) -> tuple[list[str], set[str]]:
    """What the data cannot say, in plain French, and the départements whose every député is a
    candidate because the circonscription is unknown."""
    notices: dict[str, str] = {}
    whole_departments: set[str] = set()
    for commune in communes:
        code = commune.department_code
        if commune.circonscriptions or code in notices:
            continue
        if code == ABROAD:
            notices[code] = (
                f"{commune.name} est hors de France : les Français qui y résident élisent les "
                "députés et sénateurs des Français établis hors de France, que ces données ne "
                "rattachent pas à un code postal."
            )
        elif code in UNINHABITED:
            notices[code] = f"{commune.name} n'a pas d'habitants ni d'élus propres."
        else:
            whole_departments.add(code)
            notices[code] = (
                f"La circonscription de {commune.name} ({commune.department_name}) n'est pas dans "
                "nos données : la table INSEE de 2022 ne couvre ni Mayotte, ni les collectivités "
                "d'outre-mer, ni les communes créées depuis. Voici tous les députés de "
                f"{commune.department_name}."
            )
    return list(notices.values()), whole_departments


def _result(
    db: Connection | Session,
    communes: list[CommuneMatch],
    *,
    postcode: str | None,
    query: str | None,
    only: list[Seat] | None = None,
) -> LookupResult:
    if only is None:
        notices, whole = _notices(communes)
        seats = {(d, n) for c in communes for d, n, _ in c.circonscriptions}
    else:
        notices, whole = [], set()
        seats = {(s.department_code, s.number) for s in only}
    deputy_departments = {DEPUTY_DEPARTMENT.get(code, code) for code in whole}
    senator_departments = {c.department_code for c in communes if c.department_code != ABROAD}
    senator_departments |= {d for d, _ in seats}
    departments = senator_departments | deputy_departments
    deputies, senators = [], []
    if departments:
        for row in db.execute(OFFICIALS, {"departments": sorted(departments)}).mappings():
            code = row["department_code"]
            if row["kind"] == "senator":
                if code in senator_departments:
                    senators.append(row)
            elif (code, row["circonscription"]) in seats or code in deputy_departments:
                deputies.append(row)
    senators.sort(key=lambda row: (row["department_code"], fold(row["last_name"])))
    return LookupResult(postcode, query, communes, deputies, senators, notices)


def lookup_postcode(db: Connection | Session, *, postcode: str) -> LookupResult:
    """Every commune a postcode serves, with their circonscriptions and officials."""
    postcode = normalize_code(postcode)
    if not POSTCODE.match(postcode):
        raise Invalid("Un code postal compte 5 chiffres, par exemple 75011.", field="postcode")
    communes = _communes(db, BY_POSTCODE, key=postcode)
    if not communes:
        raise NotFound(
            f"Le code postal {postcode} n'existe pas dans la base officielle de La Poste. "
            "Vérifiez-le ou cherchez le nom de votre commune."
        )
    return _result(db, communes, postcode=postcode, query=None)


def lookup_insee(db: Connection | Session, *, insee: str) -> LookupResult:
    """One commune by its INSEE code."""
    insee = normalize_code(insee)
    if not INSEE_CODE.match(insee):
        raise Invalid(
            "Un code INSEE compte 5 caractères, par exemple 75111 ou 2A004.", field="insee"
        )
    communes = _communes(db, BY_INSEE, key=insee)
    if not communes:
        raise NotFound(f"Aucune commune n'a le code INSEE {insee}.")
    return _result(db, communes, postcode=None, query=insee)


def lookup_commune_name(db: Connection | Session, *, name: str) -> LookupResult:
    """Communes by name, accent- and case-insensitive: exact name first, else names starting so."""
    folded = fold(name)
    if len(folded) < 2:
        raise Invalid("Indiquez au moins deux lettres du nom de la commune.", field="commune")
    communes = _communes(db, BY_NAME, key=folded, limit=MAX_NAME_MATCHES + 1)
    if not communes:
        pattern = re.sub(r"([%_\\])", r"\\\1", folded) + "%"
        communes = _communes(db, BY_NAME_START, key=pattern, limit=MAX_NAME_MATCHES + 1)
    if not communes:
        raise NotFound(f"Aucune commune ne s'appelle « {name.strip()} ».")
    if len(communes) == 1:
        return _result(db, communes, postcode=None, query=name.strip())
    # Several communes (Saint-Denis: Aude, Gard, Seine-Saint-Denis, La Réunion…): the person
    # chooses; their officials are never merged into one list.
    notice = "Plusieurs communes correspondent : choisissez la vôtre."
    if len(communes) > MAX_NAME_MATCHES:
        notice = f"Plus de {MAX_NAME_MATCHES} communes correspondent : précisez le nom."
    return LookupResult(None, name.strip(), communes[:MAX_NAME_MATCHES], [], [], [notice])


def lookup_seats(
    db: Connection | Session, *, seats: list[Seat], insee: str = "", query: str | None = None
) -> LookupResult:
    """The officials of the given circonscriptions (a point's), with its commune when known."""
    communes = _communes(db, BY_INSEE, key=insee) if insee else []
    return _result(db, communes, postcode=None, query=query, only=seats)
