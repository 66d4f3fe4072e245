from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, utcnow


class Body(Base):
    """A committee, delegation, study or friendship group, ministry…: where officials sit."""

    __tablename__ = "body"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The source's own id: AN organe uid (PO…) or Sénat organisme code (COM-SOCI…).
    source_id: Mapped[str] = mapped_column(String(40), unique=True)
    chamber: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(Text)
    short_name: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class Membership(Base):
    """An official's seat in a body with one role; ended (end_date) when gone, never deleted."""

    __tablename__ = "membership"
    __table_args__ = (
        # The directory's body filter: members of one body (with one role), sitting ones.
        Index("ix_membership_body_id_role_official_id", "body_id", "role", "official_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("body.id"))
    official_id: Mapped[int] = mapped_column(ForeignKey("official.id"), index=True)
    role: Mapped[str] = mapped_column(String(80))
    start_date: Mapped[date | None]
    end_date: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
