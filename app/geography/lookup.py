"""« Find my representative »: postcode, INSEE code or commune name → communes, circonscriptions,
députés and sénateurs. Every candidate is returned, never a guess."""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import Connection, RowMapping, Select, bindparam, or_, select
from sqlalchemy.orm import Session

from app.errors import Invalid, NotFound
from app.geography.abroad import country_table
from app.geography.codes import (
    ABROAD_GEOGRAPHY,
    ABROAD_OFFICIALS,
    ABROAD_REGIONS,
    ABROAD_SEATS,
    INSEE_CODE,
    POSTCODE,
    normalize_code,
)
from app.geography.contours import Seat
from app.geography.models import Commune, CommuneCirconscription, Department, PostalCode
from app.geography.spelling import ABROAD_WORDS, abbreviate, expand_abbreviations, suggest
from app.labels import ordinal
from app.officials.models import Official
from app.text import fold

MAX_NAME_MATCHES = 50
# Saint-Barthélemy (977) and Saint-Martin (978) share one député, filed under 977.
DEPUTY_DEPARTMENT = {"978": "977"}
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
    suggestions: list[CommuneMatch] = field(default_factory=list)
    # A département named rather than a commune: its code and name, to search its communes.
    department: tuple[str, str] | None = None


COMMUNES = (
    select(Commune.insee, Commune.name, Commune.department_code, Department.name)
    .outerjoin(Department, Department.code == Commune.department_code)
    .order_by(Commune.department_code, Commune.name, Commune.insee)
)
BY_POSTCODE = COMMUNES.where(
    Commune.insee.in_(select(PostalCode.insee).where(PostalCode.postcode == bindparam("key")))
)
BY_INSEE = COMMUNES.where(Commune.insee == bindparam("key"))
BY_INSEES = COMMUNES.where(Commune.insee.in_(bindparam("insees", expanding=True)))
BY_NAME = COMMUNES.where(Commune.search_name.in_(bindparam("keys", expanding=True))).limit(
    bindparam("limit")
)
BY_NAME_IN = BY_NAME.where(Commune.department_code == bindparam("department"))
BY_NAME_START = COMMUNES.where(
    or_(
        Commune.search_name.like(bindparam("key"), escape="\\"),
        Commune.search_name.like(bindparam("short"), escape="\\"),
    )
).limit(bindparam("limit"))
BY_NAME_START_IN = BY_NAME_START.where(Commune.department_code == bindparam("department"))
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
        if code == ABROAD_GEOGRAPHY:
            notices[code] = (
                f"{commune.name} est hors de France : les Français qui y résident élisent un "
                "député des Français établis hors de France et leurs douze sénateurs."
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
        seats |= {
            (ABROAD_OFFICIALS, ABROAD_SEATS[c.insee]) for c in communes if c.insee in ABROAD_SEATS
        }
    else:
        notices, whole = [], set()
        seats = {(s.department_code, s.number) for s in only}
    deputy_departments = {DEPUTY_DEPARTMENT.get(code, code) for code in whole}
    senator_departments = {
        ABROAD_OFFICIALS if c.department_code == ABROAD_GEOGRAPHY else c.department_code
        for c in communes
    }
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


def lookup_abroad(db: Connection | Session, *, query: str) -> LookupResult:
    """The députés and sénateurs of the Français établis hors de France, by circonscription."""
    regions = " ; ".join(f"{ordinal(n)} : {region}" for n, region in ABROAD_REGIONS.items())
    notice = (
        "Les Français établis hors de France élisent 11 députés, un par circonscription selon "
        f"le pays où ils résident ({regions}), et 12 sénateurs. Indiquez votre pays de résidence "
        "pour ne voir que votre député."
    )
    seats = [Seat(ABROAD_OFFICIALS, n) for n in ABROAD_REGIONS]
    result = _result(db, [], postcode=None, query=query, only=seats)
    result.notices.append(notice)
    return result


def lookup_country(db: Connection | Session, *, country: str) -> LookupResult:
    """The député of the circonscription des Français établis hors de France that covers the
    country, and the sénateurs of the Français établis hors de France."""
    name = country.strip()
    if len(fold(name)) < 2:
        raise Invalid("Indiquez le pays où vous résidez.", field="country")
    table = country_table()
    found = table.find(name)
    if found is None:
        close = ", ".join(f"« {c.name} »" for c in table.suggest(name))
        hint = f" Vouliez-vous dire {close} ?" if close else " Choisissez-le dans la liste."
        raise NotFound(f"Nous ne trouvons pas le pays « {name} ».{hint}")
    number = found.circonscription
    result = _result(db, [], postcode=None, query=found.name, only=[Seat(ABROAD_OFFICIALS, number)])
    result.notices.append(
        f"{found.name} : les Français qui y résident votent dans la {ordinal(number)} "
        f"circonscription des Français établis hors de France ({ABROAD_REGIONS[number]}). Voici "
        "son député et les sénateurs des Français établis hors de France."
    )
    return result


def lookup_department(db: Connection | Session, *, code: str, query: str) -> LookupResult:
    """A département named rather than a commune: its sénateurs, and a search among its
    communes for the député. A territory whose circonscriptions are not in the data (Polynésie
    française, Wallis-et-Futuna…): all its députés and sénateurs."""
    name = db.execute(select(Department.name).where(Department.code == code)).scalar_one()
    result = _result(db, [], postcode=None, query=query)
    mapped = db.execute(
        select(CommuneCirconscription.insee)
        .where(CommuneCirconscription.department_code == code)
        .limit(1)
    ).first()
    if mapped is not None:
        rows = db.execute(OFFICIALS, {"departments": [code]}).mappings()
        result.senators.extend(row for row in rows if row["kind"] == "senator")
        result.department = (code, name)
        result.notices.append(
            f"{name} est un département : voici ses sénateurs. Pour votre député, cherchez "
            "votre commune dans ce département."
        )
        return result
    deputies = DEPUTY_DEPARTMENT.get(code, code)
    rows = db.execute(OFFICIALS, {"departments": sorted({code, deputies})}).mappings()
    for row in rows:
        if row["kind"] == "senator" and row["department_code"] == code:
            result.senators.append(row)
        elif row["kind"] == "deputy" and row["department_code"] == deputies:
            result.deputies.append(row)
    several = "ses députés" if len(result.deputies) > 1 else "son député"
    result.notices.append(
        f"{name} : voici {several} et ses sénateurs. Indiquez votre code postal ou votre "
        "commune pour trouver votre circonscription."
    )
    return result


def _department_exists(db: Connection | Session, code: str) -> bool:
    return db.execute(select(Department.code).where(Department.code == code)).first() is not None


def _department_named(db: Connection | Session, folded: str) -> str | None:
    for code, name in db.execute(select(Department.code, Department.name)):
        if folded in (fold(name), code.lower()) and code != ABROAD_GEOGRAPHY:
            return str(code)
    return None


def lookup_commune_name(
    db: Connection | Session, *, name: str, department: str = ""
) -> LookupResult:
    """Communes by name, accent- and case-insensitive, « st » for « saint »: exact name first,
    else a country abroad, else names starting so, else a territory's name, else the closest
    names as suggestions."""
    folded = expand_abbreviations(fold(name))
    if len(folded) < 2:
        raise Invalid("Indiquez au moins deux lettres du nom de la commune.", field="commune")
    department = normalize_code(department)
    if department and not _department_exists(db, department):
        raise Invalid(f"Le département {department} n'existe pas.", field="department")
    if folded in ABROAD_WORDS and not department:
        return lookup_abroad(db, query=name.strip())
    # La Poste's names (the only ones overseas) abbreviate: « ST PIERRE ».
    short = abbreviate(folded)
    within = {"department": department} if department else {}
    by_name = BY_NAME_IN if department else BY_NAME
    communes = _communes(db, by_name, keys=[folded, short], limit=MAX_NAME_MATCHES + 1, **within)
    close: list[CommuneMatch] = []
    # A commune of that very name first (Grenade, Haute-Garonne), then a country, before
    # communes whose name only starts so (Allemagne-en-Provence).
    if not communes and not department and (country := country_table().find(folded)):
        return lookup_country(db, country=country.name)
    if not communes:
        ranked = suggest(db, folded)
        close = sorted(_communes(db, BY_INSEES, insees=ranked), key=lambda c: ranked.index(c.insee))
        if department:
            close = [c for c in close if c.department_code == department]
        patterns = [re.sub(r"([%_\\])", r"\\\1", key) + "%" for key in (folded, short)]
        by_start = BY_NAME_START_IN if department else BY_NAME_START
        communes = _communes(
            db, by_start, key=patterns[0], short=patterns[1], limit=MAX_NAME_MATCHES + 1, **within
        )
        close = [c for c in close if c.insee not in {m.insee for m in communes}]
    if not communes and not department and (code := _department_named(db, folded)):
        return lookup_department(db, code=code, query=name.strip())
    if not communes:
        where = " dans ce département" if department else ""
        notice = f"Aucune commune ne s'appelle « {name.strip()} »{where}."
        if not close:
            raise NotFound(notice)
        return LookupResult(None, name.strip(), [], [], [], [notice], suggestions=close)
    if len(communes) == 1:
        result = _result(db, communes, postcode=None, query=name.strip())
        result.suggestions = close
        return result
    # Several communes (Saint-Denis: Aude, Gard, Seine-Saint-Denis, La Réunion…): the person
    # chooses; their officials are never merged into one list.
    notice = "Plusieurs communes correspondent : choisissez la vôtre."
    if len(communes) > MAX_NAME_MATCHES:
        notice = f"Plus de {MAX_NAME_MATCHES} communes correspondent : précisez le nom."
    return LookupResult(
        None, name.strip(), communes[:MAX_NAME_MATCHES], [], [], [notice], suggestions=close
    )


def lookup_seats(
    db: Connection | Session, *, seats: list[Seat], insee: str = "", query: str | None = None
) -> LookupResult:
    """The officials of the given circonscriptions (a point's), with its commune when known."""
    communes = _communes(db, BY_INSEE, key=insee) if insee else []
    return _result(db, communes, postcode=None, query=query, only=seats)
