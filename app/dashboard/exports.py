"""Stances as CSV: the current approved stance of every sitting official, or the whole history."""

import io
from collections.abc import Iterator

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from app.dashboard.queries import CHAMBERS, current_positions
from app.demands.models import Demand
from app.officials.models import Official
from app.spreadsheet import SafeWriter
from app.stances.models import Stance, StanceReview

CURRENT_HEADER = [
    "Élu",
    "Identifiant officiel",
    "Chambre",
    "Groupe",
    "Département",
    "Demande",
    "Position",
]
HISTORY_HEADER = [
    "Proposition", "Élu", "Identifiant officiel", "Chambre", "Groupe", "Demande", "Position",
    "Preuve", "Date de la preuve", "Source", "Référence", "Enregistrée le", "Décision",
    "Décidée le", "Commentaire",
]  # fmt: skip


def _current_rows(session: Session) -> Iterator[list[object]]:
    current = current_positions()
    query = (
        select(
            Official.first_name + " " + Official.last_name,
            Official.source_id,
            Official.kind,
            Official.group_code,
            Official.department_code,
            Demand.number,
            current.c.position,
        )
        .select_from(Official)
        .join(current, current.c.official_id == Official.id)
        .join(Demand, Demand.id == current.c.demand_id)
        .where(Official.mandate_end.is_(None), Official.kind.in_(CHAMBERS))
        .order_by(Official.kind, Official.last_name, Official.id, Demand.number)
    )
    for row in session.execute(query.execution_options(yield_per=1000)):
        yield list(row)


def _history_rows(session: Session) -> Iterator[list[object]]:
    query = (
        select(Stance, Official, Demand.number, StanceReview)
        .join(Official, Official.id == Stance.official_id)
        .join(Demand, Demand.id == Stance.demand_id)
        .outerjoin(StanceReview, and_(StanceReview.stance_id == Stance.id))
        .order_by(Stance.id)
    )
    for stance, official, number, review in session.execute(
        query.execution_options(yield_per=1000)
    ):
        decision = "" if review is None else ("validée" if review.approved else "refusée")
        yield [
            stance.id, official.full_name, official.source_id, official.kind, official.group_code,
            number, stance.position, stance.evidence_kind, stance.evidence_date or "",
            stance.source_url, stance.source_ref, stance.recorded_at.isoformat(), decision,
            review.reviewed_at.isoformat() if review else "", review.comment if review else "",
        ]  # fmt: skip


def stances_csv(session: Session, *, history: bool, excel_fr: bool) -> Iterator[str]:
    """CSV text in chunks; the French Excel dialect uses « ; », CRLF and a BOM."""
    buffer = io.StringIO()
    writer = SafeWriter(buffer, delimiter=";" if excel_fr else ",", lineterminator="\r\n")
    if excel_fr:
        buffer.write("\ufeff")
    writer.writerow(HISTORY_HEADER if history else CURRENT_HEADER)
    for count, row in enumerate(_history_rows(session) if history else _current_rows(session)):
        writer.writerow(row)
        if count % 500 == 499:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
