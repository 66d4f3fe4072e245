"""The directors' screen (their landing page) and the stances CSV export."""

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from app.dashboard.api import DashboardFilterDep, HatvpPeriod, declaration_download
from app.dashboard.exports import stances_csv
from app.dashboard.hatvp import declaration
from app.dashboard.hemicycle import COLOURS, hemicycle_svg
from app.dashboard.service import POSITIONS_ORDER, build_dashboard
from app.labels import POSITION, kind_plural
from app.officials.service import group_choices
from app.users.deps import ReaderUser, SessionDep
from app.web.pages import render

router = APIRouter(include_in_schema=False)


@router.get("/direction", response_class=HTMLResponse, name="dashboard_page")
def dashboard_page(
    request: Request, session: SessionDep, user: ReaderUser, filters: DashboardFilterDep
) -> Response:
    board = build_dashboard(session, filters=filters)
    charts = {
        (d.number, c.chamber): Markup(  # noqa: S704 — built from escaped values only
            hemicycle_svg(
                c,
                title=f"{kind_plural(c.chamber)} — demande {d.number}",
                labels=POSITION,
            )
        )
        for d in board.demands
        for c in d.chambers
    }
    return render(
        request,
        "dashboard/index.html",
        {
            "board": board,
            "charts": charts,
            "positions": [p.value for p in POSITIONS_ORDER],
            "colours": COLOURS,
            "groups": group_choices(session),
            "params": request.query_params,
        },
    )


@router.get("/direction/positions.csv", name="stances_csv")
def stances_export(
    session: SessionDep, user: ReaderUser, historique: bool = False, excel: bool = False
) -> Response:
    name = f"positions-{'historique' if historique else 'actuelles'}-{date.today().isoformat()}"
    body = "".join(stances_csv(session, history=historique, excel_fr=excel))
    return Response(
        body.encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


@router.get("/direction/hatvp.csv", name="hatvp_csv")
def hatvp_csv(session: SessionDep, user: ReaderUser, period: HatvpPeriod) -> Response:
    return declaration_download(session, period)


@router.get("/direction/hatvp", response_class=HTMLResponse, name="hatvp_page")
def hatvp_page(
    request: Request, session: SessionDep, user: ReaderUser, period: HatvpPeriod
) -> Response:
    start, end = period
    return render(
        request,
        "dashboard/hatvp.html",
        {
            "activities": declaration(session, since=start, until=end),
            "start": start.date(),
            "end": end.date(),
        },
    )
