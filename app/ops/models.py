from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base


class RateCounter(Base):
    """Hits of one rate-limit key in one fixed window, shared by every process (no Redis)."""

    __tablename__ = "rate_counter"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    window_start: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    hits: Mapped[int]
