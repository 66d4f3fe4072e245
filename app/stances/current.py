"""The current_stance table: each pair's latest approved stance, recomputed by SQL on review."""

from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, func, insert, select, tuple_
from sqlalchemy.orm import Session

from app.stances.models import CurrentStance, Stance, StanceReview

NEWEST_FIRST = (
    Stance.evidence_date.desc().nulls_last(),
    Stance.recorded_at.desc(),
    Stance.id.desc(),
)


def latest_approved(
    pairs: set[tuple[int, int]] | None = None, until: datetime | None = None
) -> Any:
    """SELECT official_id, demand_id, stance_id, position of the latest approved per pair
    (approved by `until` when given), ranked by a window function."""
    rank = func.row_number().over(
        partition_by=(Stance.official_id, Stance.demand_id), order_by=NEWEST_FIRST
    )
    approved = and_(StanceReview.stance_id == Stance.id, StanceReview.approved.is_(True))
    if until is not None:
        approved = and_(approved, StanceReview.reviewed_at <= until)
    ranked = select(
        Stance.official_id,
        Stance.demand_id,
        Stance.id.label("stance_id"),
        Stance.position,
        rank.label("rank"),
    ).join(StanceReview, approved)
    if pairs is not None:
        ranked = ranked.where(tuple_(Stance.official_id, Stance.demand_id).in_(sorted(pairs)))
    sub = ranked.subquery()
    return select(sub.c.official_id, sub.c.demand_id, sub.c.stance_id, sub.c.position).where(
        sub.c.rank == 1
    )


def refresh_current(session: Session, *, pairs: set[tuple[int, int]] | None = None) -> None:
    """Recomputes the current stance of the given pairs (all pairs when None)."""
    if pairs is not None and not pairs:
        return
    wipe = delete(CurrentStance)
    if pairs is not None:
        wipe = wipe.where(
            tuple_(CurrentStance.official_id, CurrentStance.demand_id).in_(sorted(pairs))
        )
    session.execute(wipe)
    columns = ["official_id", "demand_id", "stance_id", "position"]
    session.execute(insert(CurrentStance).from_select(columns, latest_approved(pairs)))
