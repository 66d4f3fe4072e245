import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, utcnow


class Channel(enum.StrEnum):
    email = "email"
    post = "post"
    web_form = "web_form"
    phone = "phone"
    meeting = "meeting"


class LetterStatus(enum.StrEnum):
    draft = "draft"
    queued = "queued"
    sent = "sent"
    delivered = "delivered"
    bounced = "bounced"
    failed = "failed"
    replied = "replied"


class Letter(Base):
    """One piece of outreach to one official; subject and body are frozen at creation."""

    __tablename__ = "letter"
    __table_args__ = (
        Index("ix_letter_campaign_id_status", "campaign_id", "status"),
        Index("ix_letter_official_id_created_at", "official_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"))
    official_id: Mapped[int] = mapped_column(ForeignKey("official.id"))
    template_version_id: Mapped[int | None] = mapped_column(ForeignKey("template_version.id"))
    follow_up_of_id: Mapped[int | None] = mapped_column(ForeignKey("letter.id"), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default=LetterStatus.draft)
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    notes: Mapped[str] = mapped_column(Text, default="")
    recipient_email: Mapped[str] = mapped_column(String(254), default="")
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    reply_token: Mapped[str] = mapped_column(String(32), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class LetterEvent(Base):
    """Each status change of a letter, timed, with who made it and why."""

    __tablename__ = "letter_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    letter_id: Mapped[int] = mapped_column(ForeignKey("letter.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    detail: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
