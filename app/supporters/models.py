"""Supporters, their letter requests to officials, and the counters that limit abuse."""

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, utcnow


class ActionKind(enum.StrEnum):
    letters = "letters"  # letters sent by us after the supporter confirmed
    mailto = "mailto"  # "send from my own mailbox": counted, nothing leaves our server


class ActionStatus(enum.StrEnum):
    pending = "pending"  # waiting for the click in the confirmation e-mail
    confirmed = "confirmed"  # letters handed to the outbox
    held = "held"  # confirmed, but kept for staff review (burst to one official)
    expired = "expired"  # never confirmed
    rejected = "rejected"  # held, then refused by staff
    counted = "counted"  # a mailto: click


class Supporter(Base):
    """A member of the public who wrote through the public pages or signed the petition."""

    __tablename__ = "supporter"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    # A postcode; for a French person abroad, the country of residence (abroad_countries.csv).
    postcode: Mapped[str] = mapped_column(String(60), default="")
    source: Mapped[str] = mapped_column(String(20), default="web")
    send_consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    send_consent_version: Mapped[str] = mapped_column(String(40), default="")
    news_consent: Mapped[bool] = mapped_column(default=False)
    news_consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    news_consent_version: Mapped[str] = mapped_column(String(200), default="")
    unsubscribed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_active_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class SupporterAction(Base):
    """One public request: letters to one or more officials, or a counted mailto: click."""

    __tablename__ = "supporter_action"
    __table_args__ = (Index("ix_supporter_action_status_created_at", "status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    supporter_id: Mapped[int | None] = mapped_column(
        ForeignKey("supporter.id", ondelete="SET NULL"), index=True
    )
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    nonce: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    postcode: Mapped[str] = mapped_column(String(60), default="")  # or the country, abroad
    lead_demand_id: Mapped[int | None] = mapped_column(ForeignKey("demand.id"))
    detailed: Mapped[bool] = mapped_column(default=False)
    constituent: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    surveyed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    survey_answer: Mapped[str] = mapped_column(String(20), default="")
    survey_text: Mapped[str] = mapped_column(Text, default="")


class SupporterLetter(Base):
    """The letter a supporter wrote to one official; becomes a Letter once confirmed."""

    __tablename__ = "supporter_letter"
    __table_args__ = (
        Index("ix_supporter_letter_official_id_created_at", "official_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(
        ForeignKey("supporter_action.id", ondelete="CASCADE"), index=True
    )
    official_id: Mapped[int] = mapped_column(ForeignKey("official.id"))
    letter_id: Mapped[int | None] = mapped_column(ForeignKey("letter.id"), unique=True)
    email_key: Mapped[str] = mapped_column(String(64), default="", index=True)
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SupporterRateCounter(Base):
    """Requests counted per key and time window, in the database so every process shares them."""

    __tablename__ = "supporter_rate_counter"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime(), primary_key=True)
    count: Mapped[int] = mapped_column(default=0)


class SupporterInvitation(Base):
    """A campaign invitation e-mailed to a consenting supporter: at most one per campaign."""

    __tablename__ = "supporter_invitation"

    supporter_id: Mapped[int] = mapped_column(
        ForeignKey("supporter.id", ondelete="CASCADE"), primary_key=True
    )
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), primary_key=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
