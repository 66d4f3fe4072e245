from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, utcnow

# The one row: settings edited by admins, read by every letter and page footer.
ORGANISATION_ID = 1


class Organisation(Base):
    """The association's identity: who writes, from where, signed by whom, sent from what."""

    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    postal_address: Mapped[str] = mapped_column(Text, default="")
    signatory_name: Mapped[str] = mapped_column(String(120), default="")
    signatory_title: Mapped[str] = mapped_column(String(120), default="")
    sender_email: Mapped[str] = mapped_column(String(254))
    sender_name: Mapped[str] = mapped_column(String(120), default="")
    reply_domain: Mapped[str] = mapped_column(String(253))
    footer: Mapped[str] = mapped_column(String(200), default="")
    logo: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    logo_type: Mapped[str] = mapped_column(String(20), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class MinistryAddress(Base):
    """The postal address of a ministry (a MINISTERE body), used for its ministers' letters."""

    __tablename__ = "ministry_address"

    body_id: Mapped[int] = mapped_column(ForeignKey("body.id"), primary_key=True)
    postal_address: Mapped[str] = mapped_column(Text)
    updated_by: Mapped[str] = mapped_column(String(254), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
