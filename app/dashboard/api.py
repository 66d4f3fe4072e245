from datetime import UTC, date, datetime, time
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from app.dashboard.hatvp import declaration, declaration_csv
from app.dashboard.queries import CHAMBERS, DashboardFilter, body_name
from app.dashboard.schemas import DashboardRead
from app.dashboard.service import build_dashboard
from app.errors import Invalid
from app.users.deps import ReaderUser, SessionDep

router = APIRouter(prefix="/api", tags=["direction"])


def _day(value: str, field: str, *, end: bool) -> datetime | None:
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise Invalid(f"Paramètre « {field} » : date AAAA-MM-JJ attendue.", field=field) from None
    return datetime.combine(day, time.max if end else time.min, tzinfo=UTC)


class DashboardQuery(BaseModel):
    """The screen's query string; an unknown parameter is refused, not silently ignored."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    chamber: str = Field("", max_length=20, description="deputy ou senator")
    group: str = Field("", max_length=40)
    departement: str = Field("", max_length=3)
    body: str = Field("", max_length=40, description="organe, ex. PO804431")
    since: str = Field("", alias="from", max_length=10, description="AAAA-MM-JJ")
    until: str = Field("", alias="to", max_length=10, description="AAAA-MM-JJ")


def dashboard_filter(
    query: Annotated[DashboardQuery, Query()], session: SessionDep
) -> DashboardFilter:
    """Filters of the directors' screen: chamber, group, département, body, period (from, to)."""
    if query.chamber and query.chamber not in CHAMBERS:
        raise Invalid("Paramètre « chamber » : deputy ou senator attendu.", field="chamber")
    body = query.body.strip()
    if body and body_name(session, source_id=body) is None:
        raise Invalid(
            f"Organe « {body} » inconnu : indiquez son code (ex. PO804431).", field="body"
        )
    return DashboardFilter(
        chamber=query.chamber,
        group=query.group,
        department=query.departement,
        body=body,
        since=_day(query.since, "from", end=False),
        until=_day(query.until, "to", end=True),
    )


DashboardFilterDep = Annotated[DashboardFilter, Depends(dashboard_filter)]


@router.get("/dashboard", response_model=DashboardRead, name="api_dashboard")
def dashboard(session: SessionDep, user: ReaderUser, filters: DashboardFilterDep) -> DashboardRead:
    """Par demande : élus à chaque position par chambre et groupe, majorité, suivi des envois."""
    return DashboardRead.of(build_dashboard(session, filters=filters))


def hatvp_period(
    since: Annotated[str, Query(alias="from", max_length=10)] = "",
    until: Annotated[str, Query(alias="to", max_length=10)] = "",
) -> tuple[datetime, datetime]:
    """The declared period, both days included; by default the previous calendar year."""
    year = date.today().year - 1
    start = _day(since, "from", end=False) or datetime(year, 1, 1, tzinfo=UTC)
    end = _day(until, "to", end=True) or datetime.combine(date(year, 12, 31), time.max, UTC)
    if end < start:
        raise Invalid("La fin de la période précède son début.", field="to")
    return start, end


HatvpPeriod = Annotated[tuple[datetime, datetime], Depends(hatvp_period)]


def declaration_download(session: Session, period: tuple[datetime, datetime]) -> Response:
    """The HATVP declaration of the period as a CSV attachment."""
    start, end = period
    name = f"hatvp-{start.date().isoformat()}-{end.date().isoformat()}.csv"
    return Response(
        declaration_csv(declaration(session, since=start, until=end)).encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/hatvp", name="api_hatvp", response_class=Response)
def hatvp(session: SessionDep, user: ReaderUser, period: HatvpPeriod) -> Response:
    """Déclaration HATVP (répertoire AGORA) : CSV des actions de la période, par campagne."""
    return declaration_download(session, period)
