import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, utcnow


class Position(enum.StrEnum):
    unknown = "unknown"
    opposed = "opposed"
    undecided = "undecided"
    supportive = "supportive"
    committed = "committed"
    acted = "acted"


class EvidenceKind(enum.StrEnum):
    reply = "reply"
    statement = "statement"
    vote = "vote"
    meeting = "meeting"
    question = "question"
    amendment = "amendment"
    bill = "bill"


class StanceStatus(enum.StrEnum):
    pending = "pending"
    approved = "approved"
    rejected = "rejected"


class StanceBatch(Base):
    """Proposals made in one go from a text or a vote: reviewed together, undone together."""

    __tablename__ = "stance_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_ref: Mapped[str] = mapped_column(String(40), index=True)
    label: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Stance(Base):
    """A proposed position of an official on one demand; append-only, never edited."""

    __tablename__ = "stance"
    __table_args__ = (
        Index("ix_stance_official_id_demand_id", "official_id", "demand_id"),
        Index("ix_stance_demand_id_recorded_at", "demand_id", "recorded_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    official_id: Mapped[int] = mapped_column(ForeignKey("official.id"))
    demand_id: Mapped[int] = mapped_column(ForeignKey("demand.id"))
    position: Mapped[str] = mapped_column(String(20))
    evidence_kind: Mapped[str] = mapped_column(String(20))
    evidence_text: Mapped[str] = mapped_column(Text, default="")
    source_url: Mapped[str] = mapped_column(String(500), default="")
    evidence_date: Mapped[date | None]
    attendees: Mapped[str] = mapped_column(Text, default="")
    source_ref: Mapped[str] = mapped_column(String(40), default="")
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("stance_batch.id"), index=True)
    reply_id: Mapped[int | None] = mapped_column(ForeignKey("reply.id"), index=True)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class StanceReview(Base):
    """A director's decision on a proposed stance: the current stance is the latest approved."""

    __tablename__ = "stance_review"

    id: Mapped[int] = mapped_column(primary_key=True)
    stance_id: Mapped[int] = mapped_column(ForeignKey("stance.id"), unique=True)
    approved: Mapped[bool]
    comment: Mapped[str] = mapped_column(Text, default="")
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


class CurrentStance(Base):
    """Each (official, demand)'s latest approved stance, kept by the review service in the same
    transaction, so that the directors' screen counts a few thousand rows, not every event."""

    __tablename__ = "current_stance"
    __table_args__ = (Index("ix_current_stance_demand_id_position", "demand_id", "position"),)

    official_id: Mapped[int] = mapped_column(ForeignKey("official.id"), primary_key=True)
    demand_id: Mapped[int] = mapped_column(ForeignKey("demand.id"), primary_key=True)
    stance_id: Mapped[int] = mapped_column(ForeignKey("stance.id"))
    position: Mapped[str] = mapped_column(String(20))
