"""The directors' screen (their landing page) and the stances CSV export."""

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup
from sqlalchemy.orm import Session

from app.dashboard.api import DashboardFilterDep, HatvpPeriod, declaration_download
from app.dashboard.exports import stances_csv
from app.dashboard.hatvp import declaration
from app.dashboard.hemicycle import hemicycle_svg
from app.dashboard.prospects import push_next
from app.dashboard.queries import DashboardFilter, body_name
from app.dashboard.scorecard import scorecard
from app.dashboard.service import POSITIONS_ORDER, build_dashboard
from app.dashboard.trend import build_trend, trend_svg
from app.db import utcnow
from app.errors import NotFound
from app.labels import POSITION, kind_plural
from app.legislation.watch import texts_to_map
from app.officials.service import group_choices
from app.users.deps import ReaderUser, SessionDep
from app.web.deps import SettingsDep
from app.web.pages import render

router = APIRouter(include_in_schema=False)


def _screen(session: Session, filters: DashboardFilter, key_bodies: list[str]) -> dict[str, Any]:
    """What the screen and its printable board show: every number, chart and list."""
    board = build_dashboard(session, filters=filters)
    trend = build_trend(session, filters=filters, now=utcnow())
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
    return {
        "board": board,
        "charts": charts,
        "trend": trend,
        "trend_chart": Markup(  # noqa: S704 — built from escaped values only
            trend_svg(trend, title="Positions validées par semaine", labels=POSITION)
        ),
        "push": push_next(session, filters=filters, key_bodies=key_bodies),
        "body_name": body_name(session, source_id=filters.body) if filters.body else None,
        "positions": [p.value for p in POSITIONS_ORDER],
    }


@router.get("/direction", response_class=HTMLResponse, name="dashboard_page")
def dashboard_page(
    request: Request,
    session: SessionDep,
    user: ReaderUser,
    filters: DashboardFilterDep,
    settings: SettingsDep,
) -> Response:
    context = _screen(session, filters, settings.key_bodies)
    context |= {
        "groups": group_choices(session),
        "texts": texts_to_map(session),
        "params": request.query_params,
    }
    return render(request, "dashboard/index.html", context)


@router.get("/direction/impression", response_class=HTMLResponse, name="dashboard_print")
def dashboard_print(
    request: Request,
    session: SessionDep,
    user: ReaderUser,
    filters: DashboardFilterDep,
    settings: SettingsDep,
) -> Response:
    context = _screen(session, filters, settings.key_bodies)
    context["printed_at"] = utcnow()
    return render(request, "dashboard/print.html", context)


@router.get("/engagements", response_class=HTMLResponse, name="scorecard_page")
def scorecard_page(request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    if not settings.public_scorecard:
        raise NotFound("Page introuvable.")
    return render(
        request,
        "dashboard/engagements.html",
        {
            "demands": scorecard(session),
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
