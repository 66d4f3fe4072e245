"""Reading the directory: filters, name search tolerant of accents and typos, one official."""

import io
from collections.abc import Iterable
from datetime import date

from rapidfuzz import fuzz
from sqlalchemy import ColumnElement, Select, and_, func, select
from sqlalchemy.orm import Session

from app.bodies.models import Body, Membership
from app.errors import NotFound
from app.labels import kind_label
from app.officials.models import Official
from app.officials.schemas import OfficialFilter
from app.spreadsheet import SafeWriter
from app.text import fold

# Similarity (0-100) each query word needs with some word of a name, when nothing matched as
# typed: one wrong or missing letter in a 6-letter name still passes, a different name does not.
FUZZY_CUTOFF = 80.0

_ORDER = (func.lower(Official.last_name), func.lower(Official.first_name), Official.id)


def _conditions(filters: OfficialFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if filters.kind is not None:
        conditions.append(Official.kind == filters.kind.value)
    if filters.departement is not None:
        conditions.append(Official.department_code == filters.departement)
    if filters.group is not None:
        conditions.append(func.lower(Official.group_code) == filters.group.lower())
    if filters.body is not None or filters.role is not None:
        conditions.append(Official.id.in_(_members(filters.body, filters.role)))
    if filters.active is True:
        conditions.append(Official.mandate_end.is_(None))
    elif filters.active is False:
        conditions.append(Official.mandate_end.is_not(None))
    if filters.bouncing is not None:
        bouncing = and_(
            Official.email != "", func.lower(Official.bounce_address) == func.lower(Official.email)
        )
        conditions.append(bouncing if filters.bouncing else ~bouncing)
    return conditions


def _members(body: str | None, role: str | None) -> Select[int]:
    """Ids of the officials sitting now in the body (any body if None), with the role if given."""
    query = select(Membership.official_id).where(Membership.end_date.is_(None))
    if body is not None:
        query = query.where(
            Membership.body_id == select(Body.id).where(Body.source_id == body).scalar_subquery()
        )
    if role is not None:
        query = query.where(Membership.role == role)
    return query


def _name_condition(words: list[str]) -> ColumnElement[bool]:
    # Words are folded to [a-z0-9 ], so they hold no LIKE wildcard to escape.
    return and_(*(Official.search_name.like(f"%{word}%") for word in words))


def officials_query(filters: OfficialFilter) -> Select[Official]:
    """The officials matching the filter, name words as typed (no typo tolerance), in order."""
    conditions = _conditions(filters)
    words = fold(filters.q or "").split()
    if words:
        conditions.append(_name_condition(words))
    return select(Official).where(*conditions).order_by(*_ORDER)


def _word_score(word: str, name_words: list[str]) -> float:
    return max(fuzz.ratio(word, candidate) for candidate in name_words)


def _fuzzy_ids(session: Session, filters: OfficialFilter, words: list[str]) -> list[int]:
    """Ids of the filtered officials whose name is close to the words, best first."""
    rows = session.execute(
        select(Official.id, Official.search_name, Official.last_name)
        .where(*_conditions(filters))
        .order_by(*_ORDER)
    )
    scored: list[tuple[float, int, int]] = []
    for position, (official_id, search_name, last_name) in enumerate(rows):
        # "lepen" should find « Le Pen »: the glued last name is one more word to match.
        name_words = [*search_name.split(), fold(last_name).replace(" ", "")]
        scores = [_word_score(word, name_words) for word in words]
        if min(scores) >= FUZZY_CUTOFF:
            scored.append((-sum(scores), position, official_id))
    return [official_id for _, _, official_id in sorted(scored)]


def _load_in_order(session: Session, ids: list[int]) -> list[Official]:
    by_id = {o.id: o for o in session.scalars(select(Official).where(Official.id.in_(ids)))}
    return [by_id[i] for i in ids]


def search_officials(
    session: Session, *, filters: OfficialFilter, offset: int = 0, limit: int = 50
) -> tuple[list[Official], int]:
    """One page of the officials matching the filter, and how many match in all."""
    query = officials_query(filters)
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    words = fold(filters.q or "").split()
    if total or not words:
        return list(session.scalars(query.offset(offset).limit(limit))), total
    ids = _fuzzy_ids(session, filters, words)
    return _load_in_order(session, ids[offset : offset + limit]), len(ids)


def select_officials(session: Session, *, filters: OfficialFilter) -> list[Official]:
    """Every official matching the filter (exports, campaign targets), in the list's order."""
    found = list(session.scalars(officials_query(filters)))
    words = fold(filters.q or "").split()
    if found or not words:
        return found
    return _load_in_order(session, _fuzzy_ids(session, filters, words))


def get_official(session: Session, *, official_id: int) -> Official:
    """One official, sitting or not; NotFound otherwise."""
    official = session.get(Official, official_id)
    if official is None:
        raise NotFound(f"Aucun élu ne porte l'identifiant {official_id} dans l'annuaire.")
    return official


def group_choices(session: Session) -> list[tuple[str, str]]:
    """The (code, name) of every political group in the directory, for filter menus."""
    rows = session.execute(
        select(Official.group_code, func.max(Official.group_name))
        .where(Official.group_code != "")
        .group_by(Official.group_code)
        .order_by(Official.group_code)
    )
    return [(code, name) for code, name in rows]


CSV_HEADER = [
    "Type",
    "Civilité",
    "Prénom",
    "Nom",
    "Groupe (sigle)",
    "Groupe",
    "Département (code)",
    "Département",
    "Circonscription",
    "Fonction ministérielle",
    "E-mail",
    "Téléphone",
    "Adresse postale",
    "Début de mandat",
    "Fin de mandat",
    "Identifiant source",
    "Identifiant Plaidoyer",
]


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def officials_csv(officials: Iterable[Official]) -> bytes:
    """The officials as a CSV that French Excel opens as is: UTF-8 with BOM, `;`, CRLF."""
    buffer = io.StringIO()
    # Cells are neutralised: « =… » would run as a formula, « +33 1… » would be read as one.
    writer = SafeWriter(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for o in officials:
        row: list[object] = [kind_label(o.kind, o.civility), o.civility, o.first_name, o.last_name]
        row += [o.group_code, o.group_name, o.department_code, o.department_name]
        row += [o.circonscription, o.portfolio, o.email, o.phone, o.postal_address]
        row += [o.mandate_start, o.mandate_end, o.source_id, o.id]
        writer.writerow([_cell(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def sitting_official_choices(session: Session) -> list[tuple[int, str]]:
    """Sitting officials for the preview menu, by name."""
    rows = session.execute(
        select(
            Official.id, Official.last_name, Official.first_name, Official.kind, Official.civility
        )
        .where(Official.mandate_end.is_(None))
        .order_by(Official.last_name, Official.first_name)
    )
    return [
        (i, f"{last} {first} ({kind_label(kind, civility)})")
        for i, last, first, kind, civility in rows
    ]
