"""The line over time: stances approved per position and per week, as server-side SVG."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from html import escape
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from app.dashboard.hemicycle import COLOURS
from app.dashboard.queries import DashboardFilter, sitting
from app.dashboard.service import POSITIONS_ORDER
from app.officials.models import Official
from app.stances.models import Stance, StanceReview

WEEKS = 26
WIDTH, HEIGHT, MARGIN = 600.0, 220.0, 36.0


def _week_start(column: Any, dialect: str) -> ColumnElement[Any]:
    """The Monday (a date) of the week of a UTC datetime column."""
    if dialect == "sqlite":
        return func.date(column, "-6 days", "weekday 1")
    return func.date(func.date_trunc("week", func.timezone("UTC", column)))


def weekly_approvals(
    session: Session, *, filters: DashboardFilter, since: datetime, until: datetime
) -> list[tuple[date, str, int]]:
    """(Monday, position, approvals) per week of the period, for sitting officials."""
    week = _week_start(StanceReview.reviewed_at, session.get_bind().dialect.name).label("week")
    query = (
        select(week, Stance.position, func.count())
        .select_from(StanceReview)
        .join(Stance, Stance.id == StanceReview.stance_id)
        .join(Official, Official.id == Stance.official_id)
        .where(
            StanceReview.approved.is_(True),
            StanceReview.reviewed_at >= since,
            StanceReview.reviewed_at <= until,
            *sitting(filters),
        )
        .group_by(week, Stance.position)
        .order_by(week)
    )
    return [
        (day if isinstance(day, date) else date.fromisoformat(str(day)), position, count)
        for day, position, count in session.execute(query)
    ]


@dataclass(frozen=True)
class Trend:
    """Approvals per week (Mondays, oldest first) for each position."""

    weeks: list[date]
    series: dict[str, list[int]]

    def rows(self) -> list[tuple[date, dict[str, int]]]:
        """The weeks with at least one approval, for the table beside the chart."""
        rows = [(w, {p: v[i] for p, v in self.series.items()}) for i, w in enumerate(self.weeks)]
        return [(week, counts) for week, counts in rows if any(counts.values())]

    @property
    def peak(self) -> int:
        return max((max(v) for v in self.series.values() if v), default=0)


def build_trend(
    session: Session, *, filters: DashboardFilter, now: datetime, weeks: int = WEEKS
) -> Trend:
    """Every week of the period (by default the last 26), even those without an approval."""
    until = filters.until or now
    since = filters.since or until - timedelta(weeks=weeks)
    rows = weekly_approvals(session, filters=filters, since=since, until=until)
    first = since.date() - timedelta(days=since.weekday())
    mondays = [first + timedelta(weeks=i) for i in range((until.date() - first).days // 7 + 1)]
    index = {day: i for i, day in enumerate(mondays)}
    series = {p.value: [0] * len(mondays) for p in POSITIONS_ORDER}
    for day, position, count in rows:
        if day in index and position in series:
            series[position][index[day]] += count
    return Trend(weeks=mondays, series=series)


def trend_svg(trend: Trend, *, title: str, labels: dict[str, str]) -> str:
    """One polyline per position over the weeks, with the axes' end values as text."""
    peak = max(trend.peak, 1)
    step = (WIDTH - 2 * MARGIN) / max(len(trend.weeks) - 1, 1)

    def points(values: list[int]) -> str:
        return " ".join(
            f"{MARGIN + i * step:.1f},{HEIGHT - MARGIN - (HEIGHT - 2 * MARGIN) * v / peak:.1f}"
            for i, v in enumerate(values)
        )

    lines = "".join(
        f'<polyline fill="none" stroke="{COLOURS[position]}" stroke-width="2"'
        f' data-position="{position}" points="{points(values)}">'
        f"<title>{escape(labels.get(position, position))}</title></polyline>"
        for position, values in trend.series.items()
        if any(values)
    )
    bottom, top = HEIGHT - MARGIN, MARGIN
    first = trend.weeks[0].strftime("%d/%m/%Y") if trend.weeks else ""
    last = trend.weeks[-1].strftime("%d/%m/%Y") if trend.weeks else ""
    axes = (
        f'<line x1="{MARGIN}" y1="{bottom}" x2="{WIDTH - MARGIN}" y2="{bottom}" stroke="#666"/>'
        f'<line x1="{MARGIN}" y1="{top}" x2="{MARGIN}" y2="{bottom}" stroke="#666"/>'
        f'<text x="{MARGIN - 4}" y="{top + 4}" text-anchor="end" font-size="11">{peak}</text>'
        f'<text x="{MARGIN - 4}" y="{bottom}" text-anchor="end" font-size="11">0</text>'
        f'<text x="{MARGIN}" y="{HEIGHT - 12}" font-size="11">{first}</text>'
        f'<text x="{WIDTH - MARGIN}" y="{HEIGHT - 12}" text-anchor="end" font-size="11">'
        f"{last}</text>"
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH:.0f} {HEIGHT:.0f}"'
        f' role="img" class="trend" aria-label="{escape(title)}"><title>{escape(title)}</title>'
        f"{axes}{lines}</svg>"
    )
