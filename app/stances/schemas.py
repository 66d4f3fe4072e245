from datetime import date, datetime

from pydantic import BaseModel, Field

from app.stances.models import EvidenceKind, Position, StanceStatus
from app.stances.queries import StanceRow


class StanceCreate(BaseModel):
    """A proposal from staff; the evidence fields required depend on `evidence_kind`."""

    official_id: int
    demand: int = Field(description="Numéro de la demande")
    position: Position
    evidence_kind: EvidenceKind
    evidence_text: str = Field(default="", max_length=5000)
    source_url: str = Field(default="", max_length=500)
    evidence_date: date | None = None
    attendees: str = Field(default="", max_length=2000)
    reply_id: int | None = None
    source_ref: str = Field(default="", max_length=40)


class ReviewCreate(BaseModel):
    approved: bool
    comment: str = Field(default="", max_length=2000)


class ReviewRead(BaseModel):
    approved: bool
    comment: str
    reviewed_by_id: int | None
    reviewed_at: datetime


class StanceRead(BaseModel):
    id: int
    status: StanceStatus
    official_id: int
    official_name: str
    chamber: str
    group: str
    demand: int
    demand_title: str
    position: Position
    evidence_kind: EvidenceKind
    evidence_text: str
    source_url: str
    evidence_date: date | None
    attendees: str
    reply_id: int | None
    source_ref: str
    batch_id: int | None
    recorded_by_id: int | None
    recorded_at: datetime
    review: ReviewRead | None

    @classmethod
    def of(cls, row: StanceRow) -> "StanceRead":
        s, o, review = row.stance, row.official, row.review
        return cls(
            id=s.id,
            status=row.status,
            official_id=o.id,
            official_name=o.full_name,
            chamber=o.kind,
            group=o.group_code,
            demand=row.demand.number,
            demand_title=row.demand.title,
            position=Position(s.position),
            evidence_kind=EvidenceKind(s.evidence_kind),
            evidence_text=s.evidence_text,
            source_url=s.source_url,
            evidence_date=s.evidence_date,
            attendees=s.attendees,
            reply_id=s.reply_id,
            source_ref=s.source_ref,
            batch_id=s.batch_id,
            recorded_by_id=s.recorded_by_id,
            recorded_at=s.recorded_at,
            review=None
            if review is None
            else ReviewRead(
                approved=review.approved,
                comment=review.comment,
                reviewed_by_id=review.reviewed_by_id,
                reviewed_at=review.reviewed_at,
            ),
        )


class StancePage(BaseModel):
    items: list[StanceRead]
    total: int


class DemandHistory(BaseModel):
    demand: int
    demand_title: str
    current: StanceRead | None
    history: list[StanceRead]


class OfficialStances(BaseModel):
    official_id: int
    demands: list[DemandHistory]
