"""Stored instants are UTC; people read them on a Paris clock, winter and summer."""

from datetime import UTC, date, datetime

from app.clock import in_paris, paris


def test_winter_and_summer_time() -> None:
    assert paris(datetime(2026, 1, 15, 23, 30, tzinfo=UTC)) == "16/01/2026 00:30"
    assert paris(datetime(2026, 7, 14, 22, 5, tzinfo=UTC)) == "15/07/2026 00:05"


def test_naive_values_are_utc_and_dates_stay_dates() -> None:
    assert in_paris(datetime(2026, 3, 29, 1, 0)).hour == 3  # the spring-forward night
    assert paris(datetime(2026, 11, 20, 12, 0), "%d/%m/%Y à %H:%M") == "20/11/2026 à 13:00"
    assert paris(date(2026, 11, 20)) == "20/11/2026"
    assert paris(date(2026, 11, 20), "%d/%m") == "20/11"
    assert paris(None) == ""
