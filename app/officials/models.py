import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, utcnow


class OfficialKind(enum.StrEnum):
    deputy = "deputy"
    senator = "senator"
    minister = "minister"


# Parliamentarians receive post at their chamber when no personal address is on file.
CHAMBER_ADDRESSES = {
    OfficialKind.deputy: "Assemblée nationale\n126 rue de l'Université\n75355 Paris 07 SP",
    OfficialKind.senator: "Sénat\nPalais du Luxembourg\n15 rue de Vaugirard\n75291 Paris Cedex 06",
}


class Official(Base):
    """One person in one office; ended (mandate_end) when they leave it, never deleted."""

    __tablename__ = "official"
    __table_args__ = (
        UniqueConstraint("kind", "source_id", name="uq_official_kind_source_id"),
        Index("ix_official_kind_department_code", "kind", "department_code"),
        Index("ix_official_department_code_circonscription", "department_code", "circonscription"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    source_id: Mapped[str] = mapped_column(String(40))
    civility: Mapped[str] = mapped_column(String(10))
    first_name: Mapped[str] = mapped_column(String(120))
    last_name: Mapped[str] = mapped_column(String(120))
    search_name: Mapped[str] = mapped_column(String(250), index=True)
    group_code: Mapped[str] = mapped_column(String(40), default="")
    group_name: Mapped[str] = mapped_column(String(200), default="")
    department_code: Mapped[str] = mapped_column(String(3), default="")
    department_name: Mapped[str] = mapped_column(String(100), default="")
    circonscription: Mapped[int | None]
    portfolio: Mapped[str] = mapped_column(Text, default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    postal_address: Mapped[str] = mapped_column(Text, default="")
    mandate_start: Mapped[date | None]
    # The last bounce of `bounce_address`: the flag holds only while it is still the e-mail.
    bounce_address: Mapped[str] = mapped_column(String(254), default="")
    bounced_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    bounce_diagnostic: Mapped[str] = mapped_column(Text, default="")
    mandate_end: Mapped[date | None] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Indexed: its maximum is the cheap version stamp that keeps the lookup cache correct.
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow, index=True
    )

    @property
    def is_active(self) -> bool:
        return self.mandate_end is None

    @property
    def is_bouncing(self) -> bool:
        return bool(self.email) and self.bounce_address.lower() == self.email.lower()

    @property
    def mailing_address(self) -> str:
        return self.postal_address or CHAMBER_ADDRESSES.get(OfficialKind(self.kind), "")

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class ContactField(enum.StrEnum):
    email = "email"
    phone = "phone"
    postal_address = "postal_address"


class ContactOverride(Base):
    """A contact value set by staff: it wins over every import, which only records its own value."""

    __tablename__ = "contact_override"
    __table_args__ = (
        UniqueConstraint("official_id", "field", name="uq_contact_override_official_id_field"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    official_id: Mapped[int] = mapped_column(ForeignKey("official.id"), index=True)
    field: Mapped[str] = mapped_column(String(20))
    value: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(300), default="")
    source_date: Mapped[date | None]
    # What the official sources say meanwhile: restored when the override is removed.
    imported_value: Mapped[str] = mapped_column(Text, default="")
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    set_by_label: Mapped[str] = mapped_column(String(200), default="")
    set_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
