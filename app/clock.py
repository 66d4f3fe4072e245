"""Times are stored in UTC and shown in Paris time (tzdata ships the zone on every OS)."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
DATE_TIME = "%d/%m/%Y %H:%M"


def in_paris(moment: datetime) -> datetime:
    """The same instant on a Paris clock; a naive datetime is taken as UTC."""
    aware = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
    return aware.astimezone(PARIS)


def paris(value: datetime | date | None, format: str = DATE_TIME) -> str:
    """« 20/11/2026 13:00 » for an instant (Paris time), the date alone for a date; "" for None."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return in_paris(value).strftime(format)
    return value.strftime(format if "%H" not in format else "%d/%m/%Y")


def paris_today() -> date:
    """Today's date in Paris (a letter written at 00:30 in Paris is dated that day, not UTC's)."""
    return datetime.now(PARIS).date()
