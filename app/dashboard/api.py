from datetime import UTC, date, datetime, time
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from app.dashboard.queries import CHAMBERS, DashboardFilter
from app.dashboard.schemas import DashboardRead
from app.dashboard.service import build_dashboard
from app.errors import Invalid
from app.web.deps import ReaderUser, SessionDep

router = APIRouter(prefix="/api", tags=["direction"])


def _day(value: str, field: str, *, end: bool) -> datetime | None:
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise Invalid(f"Paramètre « {field} » : date AAAA-MM-JJ attendue.", field=field) from None
    return datetime.combine(day, time.max if end else time.min, tzinfo=UTC)


def dashboard_filter(
    chamber: Annotated[str, Query(max_length=20)] = "",
    group: Annotated[str, Query(max_length=40)] = "",
    departement: Annotated[str, Query(max_length=3)] = "",
    since: Annotated[str, Query(alias="from", max_length=10)] = "",
    until: Annotated[str, Query(alias="to", max_length=10)] = "",
) -> DashboardFilter:
    """Filters of the directors' screen: chamber, group, département, period (from, to)."""
    if chamber and chamber not in CHAMBERS:
        raise Invalid("Paramètre « chamber » : deputy ou senator attendu.", field="chamber")
    return DashboardFilter(
        chamber=chamber,
        group=group,
        department=departement,
        since=_day(since, "from", end=False),
        until=_day(until, "to", end=True),
    )


DashboardFilterDep = Annotated[DashboardFilter, Depends(dashboard_filter)]


@router.get("/dashboard", response_model=DashboardRead, name="api_dashboard")
def dashboard(session: SessionDep, user: ReaderUser, filters: DashboardFilterDep) -> DashboardRead:
    """Par demande : élus à chaque position par chambre et groupe, majorité, suivi des envois."""
    return DashboardRead.of(build_dashboard(session, filters=filters))
