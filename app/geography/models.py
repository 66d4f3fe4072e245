from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, utcnow


class Department(Base):
    __tablename__ = "department"

    code: Mapped[str] = mapped_column(String(3), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))


class Commune(Base):
    __tablename__ = "commune"

    insee: Mapped[str] = mapped_column(String(5), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    search_name: Mapped[str] = mapped_column(String(120), index=True)
    department_code: Mapped[str] = mapped_column(String(3), index=True)


class PostalCode(Base):
    """La Poste: one postal code covers several communes and a commune several codes."""

    __tablename__ = "postal_code"

    postcode: Mapped[str] = mapped_column(String(5), primary_key=True)
    insee: Mapped[str] = mapped_column(
        ForeignKey("commune.insee", ondelete="CASCADE"), primary_key=True, index=True
    )
    label: Mapped[str] = mapped_column(String(120), default="")


class CommuneCirconscription(Base):
    """INSEE circo_composition: a split commune has one row per circonscription."""

    __tablename__ = "commune_circonscription"

    insee: Mapped[str] = mapped_column(
        ForeignKey("commune.insee", ondelete="CASCADE"), primary_key=True
    )
    department_code: Mapped[str] = mapped_column(String(3), primary_key=True)
    circonscription: Mapped[int] = mapped_column(primary_key=True)
    partial: Mapped[bool] = mapped_column(default=False)


class GeographyVersion(Base):
    """One row: what the geography tables hold, so a start-up load can skip unchanged data."""

    __tablename__ = "geography_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    origin: Mapped[str] = mapped_column(String(20))
    content_hash: Mapped[str] = mapped_column(String(64))
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
