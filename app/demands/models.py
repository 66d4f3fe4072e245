from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base


class Demand(Base):
    __tablename__ = "demand"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(unique=True)
    title: Mapped[str] = mapped_column(String(120))
    text_fr: Mapped[str] = mapped_column(Text)
    text_en: Mapped[str | None] = mapped_column(Text)
