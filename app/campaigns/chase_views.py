"""Follow-ups from the « À relancer » page: one letter, or a selection after a confirmation."""

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from app.campaigns.outreach import chase, chase_many, chaseable_letters
from app.errors import AppError
from app.users.deps import SessionDep, StaffUser, actor_for
from app.web.deps import CsrfProtected, SettingsDep
from app.web.pages import flash, path_for, redirect, render

router = APIRouter(dependencies=[CsrfProtected], include_in_schema=False)


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count <= 1 else many}"


@router.post("/a-relancer/{letter_id:int}", name="chase_letter")
def chase_letter(
    request: Request, session: SessionDep, settings: SettingsDep, user: StaffUser, letter_id: int
) -> Response:
    actor = actor_for(request, user)
    follow_up = chase(session, letter_id=letter_id, actor=actor, settings=settings)
    flash(
        request,
        f"Relance préparée : courrier n° {follow_up.id} (brouillon), à envoyer depuis la campagne.",
    )
    return redirect(request, path_for(request, "chase_page"))


@router.get("/a-relancer/selection", response_class=HTMLResponse, name="chase_confirm")
def chase_confirm(
    request: Request,
    session: SessionDep,
    user: StaffUser,
    courrier: Annotated[list[int] | None, Query()] = None,
) -> Response:
    try:
        rows = chaseable_letters(session, letter_ids=courrier or [])
    except AppError as exc:
        flash(request, exc.message, "error")
        return redirect(request, path_for(request, "chase_page"))
    return render(request, "campaigns/chase_confirm.html", {"rows": rows})


@router.post("/a-relancer/selection", name="chase_selection")
def chase_selection(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: StaffUser,
    expected: Annotated[int, Form()],
    courrier: Annotated[list[int] | None, Form()] = None,
) -> Response:
    follow_ups = chase_many(
        session,
        letter_ids=courrier or [],
        expected=expected,
        actor=actor_for(request, user),
        settings=settings,
    )
    count = len(follow_ups)
    flash(
        request,
        f"{_plural(count, 'relance préparée', 'relances préparées')} (brouillons), "
        "à envoyer depuis leur campagne.",
    )
    return redirect(request, path_for(request, "chase_page"))
