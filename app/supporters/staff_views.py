"""Staff pages: counts and the review queue (no identities); admins: supporters and their data."""

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from app.campaigns.models import Campaign
from app.db import utcnow
from app.errors import AppError, NotFound
from app.supporters import invitations, privacy, service
from app.supporters.followup import SURVEY_ANSWERS
from app.supporters.views import download_csv, download_json, links
from app.users.deps import AdminUser, ReaderUser, SessionDep, StaffUser, actor_for
from app.web.deps import CsrfProtected, SettingsDep
from app.web.pages import flash, path_for, redirect, render

router = APIRouter(dependencies=[CsrfProtected], include_in_schema=False)


@router.get("/sympathisants", response_class=HTMLResponse, name="supporters_review")
def supporters_review(request: Request, session: SessionDep, user: ReaderUser) -> Response:
    return _review_page(request, session)


def _review_page(
    request: Request, session: Session, *, invite_error: str = "", status_code: int = 200
) -> Response:
    context = {
        "tallies": privacy.tallies(session),
        "held": privacy.held_requests(session),
        "replies": privacy.reported_replies(session),
        "answers": SURVEY_ANSWERS,
        "campaigns": service.public_campaigns(session),
        "invite_error": invite_error,
    }
    return render(request, "supporters/review.html", context, status_code=status_code)


@router.post("/sympathisants/inviter", name="supporters_invite")
def supporters_invite(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: StaffUser,
    campaign_id: Annotated[int, Form()],
    department: Annotated[str, Form(max_length=3)] = "",
) -> Response:
    campaign = session.get(Campaign, campaign_id)
    if campaign is None:
        raise NotFound("Campagne introuvable.")
    try:
        with session.begin_nested():
            report = invitations.invite(
                session,
                campaign=campaign,
                settings=settings,
                links=links(request, settings),
                now=utcnow(),
                department=department,
            )
    except AppError as exc:
        return _review_page(request, session, invite_error=exc.message, status_code=exc.status_code)
    flash(request, report.summary)
    return redirect(request, path_for(request, "supporters_review"))


@router.post("/sympathisants/attente/{action_id}", name="supporters_review_decide")
def supporters_review_decide(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: StaffUser,
    action_id: int,
    decision: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    privacy.decide_held(
        session,
        action_id=action_id,
        release=decision == "envoyer",
        actor=actor_for(request, user),
        settings=settings,
        now=utcnow(),
    )
    flash(request, "Lettres envoyées." if decision == "envoyer" else "Demande refusée.")
    return redirect(request, path_for(request, "supporters_review"))


@router.get("/admin/sympathisants", response_class=HTMLResponse, name="supporters_admin")
def supporters_admin(
    request: Request,
    session: SessionDep,
    user: AdminUser,
    q: Annotated[str, Query(max_length=254)] = "",
) -> Response:
    found = privacy.list_supporters(session, search=q)
    return render(request, "supporters/admin.html", {"supporters": found, "q": q})


@router.get("/admin/sympathisants/{supporter_id}/donnees.json", name="supporter_export_json")
def supporter_export_json(session: SessionDep, user: AdminUser, supporter_id: int) -> Response:
    supporter = privacy.get_supporter(session, supporter_id=supporter_id)
    return download_json(privacy.export_data(session, supporter=supporter))


@router.get("/admin/sympathisants/{supporter_id}/donnees.csv", name="supporter_export_csv")
def supporter_export_csv(session: SessionDep, user: AdminUser, supporter_id: int) -> Response:
    supporter = privacy.get_supporter(session, supporter_id=supporter_id)
    return download_csv(privacy.export_data(session, supporter=supporter))


@router.post("/admin/sympathisants/{supporter_id}/effacer", name="supporter_erase")
def supporter_erase(
    request: Request, session: SessionDep, user: AdminUser, supporter_id: int
) -> Response:
    supporter = privacy.get_supporter(session, supporter_id=supporter_id)
    privacy.erase(session, supporter=supporter, actor=actor_for(request, user), now=utcnow())
    flash(request, "Données du sympathisant effacées.")
    return redirect(request, path_for(request, "supporters_admin"))
