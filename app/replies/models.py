import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, utcnow


class MatchedBy(enum.StrEnum):
    in_reply_to = "in_reply_to"
    reply_address = "reply_address"
    sender = "sender"
    manual = "manual"
    report = "report"  # a delivery report naming the Message-ID we sent


class ReplyKind(enum.StrEnum):
    reply = "reply"
    auto_reply = "auto_reply"  # out of office, acknowledgement: the letter stays to chase
    bounce = "bounce"  # a delivery failure report: the letter failed
    delivery_notice = "delivery_notice"  # a delay or a delivery report: nothing changes


class Reply(Base):
    """An official's answer; unmatched replies (no official) wait in a tray for staff."""

    __tablename__ = "reply"

    id: Mapped[int] = mapped_column(primary_key=True)
    letter_id: Mapped[int | None] = mapped_column(ForeignKey("letter.id"), index=True)
    official_id: Mapped[int | None] = mapped_column(ForeignKey("official.id"), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sender: Mapped[str] = mapped_column(String(320), default="")
    subject: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    message_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    matched_by: Mapped[str | None] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(20), default=ReplyKind.reply)
    delivery_status: Mapped[str] = mapped_column(String(20), default="")
    diagnostic: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
