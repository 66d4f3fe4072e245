import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime


class RecordKind(enum.StrEnum):
    document = "document"
    scrutin = "scrutin"
    dossier = "dossier"


class ActRole(enum.StrEnum):
    author = "author"
    cosignatory = "cosignatory"
    voted_for = "for"
    voted_against = "against"
    abstained = "abstention"
    non_voting = "non_voting"


class LegislativeRecord(Base):
    """A text (AN `document`) or a vote (`scrutin`) from the official record, keyed on its uid."""

    __tablename__ = "legislative_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(Text, default="")
    record_date: Mapped[date | None]
    dossier_ref: Mapped[str] = mapped_column(String(40), default="")
    # Set when the legislative watch found the text's title among the association's keywords.
    watched_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)


class LegislativeAct(Base):
    """What one member did on a record: authored, co-signed, or voted (AN `acteurRef`)."""

    __tablename__ = "legislative_act"
    __table_args__ = (
        UniqueConstraint("record_id", "actor_ref", name="uq_legislative_act_record_id_actor_ref"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("legislative_record.id", ondelete="CASCADE"))
    actor_ref: Mapped[str] = mapped_column(String(20), index=True)
    role: Mapped[str] = mapped_column(String(20))
    acted_on: Mapped[date | None]
