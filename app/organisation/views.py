"""Pages: the association's identity (admins), ministries' addresses (staff), the logo, and
the association's name for every page footer."""

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from jinja2 import pass_context
from jinja2.runtime import Context
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.errors import Invalid, NotFound
from app.organisation.ministries import get_ministry, list_ministries, set_ministry_address
from app.organisation.postal import BLOCK_LINES, LINE_WIDTH
from app.organisation.service import (
    FIELD_LABELS,
    LOGO_MAX_BYTES,
    IdentityInvalid,
    association_name,
    defaults,
    get_identity,
    get_logo,
    set_logo,
    update_identity,
)
from app.users.deps import AdminUser, ReaderUser, SessionDep, StaffUser, actor_for
from app.web.deps import CsrfProtected, SettingsDep
from app.web.pages import flash, path_for, redirect, render

router = APIRouter(dependencies=[CsrfProtected], include_in_schema=False)


def _organisation_page(
    request: Request,
    form: dict[str, Any],
    *,
    errors: dict[str, str] | None = None,
    has_logo: bool = False,
    status_code: int = 200,
) -> Response:
    context = {
        "form": form,
        "errors": errors or {},
        "labels": FIELD_LABELS,
        "has_logo": has_logo,
        "logo_max_kb": LOGO_MAX_BYTES // 1000,
        "line_width": LINE_WIDTH,
    }
    return render(request, "organisation/edit.html", context, status_code=status_code)


@router.get("/admin/organisation", response_class=HTMLResponse, name="organisation_page")
def organisation_page(
    request: Request, session: SessionDep, settings: SettingsDep, admin: AdminUser
) -> Response:
    identity = get_identity(session, settings=settings)
    return _organisation_page(request, asdict(identity), has_logo=identity.has_logo)


@router.post("/admin/organisation", name="organisation_update")
def organisation_update(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    admin: AdminUser,
    name: Annotated[str, Form(max_length=1000)] = "",
    postal_address: Annotated[str, Form(max_length=2000)] = "",
    signatory_name: Annotated[str, Form(max_length=1000)] = "",
    signatory_title: Annotated[str, Form(max_length=1000)] = "",
    sender_name: Annotated[str, Form(max_length=1000)] = "",
    sender_email: Annotated[str, Form(max_length=1000)] = "",
    reply_domain: Annotated[str, Form(max_length=1000)] = "",
    footer: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    values = {
        "name": name,
        "postal_address": postal_address,
        "signatory_name": signatory_name,
        "signatory_title": signatory_title,
        "sender_name": sender_name,
        "sender_email": sender_email,
        "reply_domain": reply_domain,
        "footer": footer,
    }
    try:
        update_identity(session, values=values, actor=actor_for(request, admin), settings=settings)
    except IdentityInvalid as exc:
        has_logo = get_identity(session, settings=settings).has_logo
        return _organisation_page(
            request, values, errors=exc.errors, has_logo=has_logo, status_code=422
        )
    flash(request, "Coordonnées de l'association enregistrées.")
    return redirect(request, path_for(request, "organisation_page"))


@router.post("/admin/organisation/logo", name="organisation_logo_update")
def organisation_logo_update(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    admin: AdminUser,
    logo: UploadFile | None = None,
    remove: Annotated[bool, Form()] = False,
) -> Response:
    data = None if remove else logo.file.read(LOGO_MAX_BYTES + 1) if logo else b""
    try:
        set_logo(session, data=data, actor=actor_for(request, admin), settings=settings)
    except Invalid as exc:
        identity = get_identity(session, settings=settings)
        return _organisation_page(
            request,
            asdict(identity),
            errors={"logo": exc.message},
            has_logo=identity.has_logo,
            status_code=422,
        )
    flash(request, "Logo retiré." if remove else "Logo enregistré.")
    return redirect(request, path_for(request, "organisation_page"))


@router.get("/organisation/logo", name="organisation_logo")
def organisation_logo(session: SessionDep) -> Response:
    found = get_logo(session)
    if found is None:
        raise NotFound("Aucun logo n'a été déposé.")
    data, media_type = found
    headers = {"Cache-Control": "private, max-age=300", "X-Content-Type-Options": "nosniff"}
    return Response(data, media_type=media_type, headers=headers)


@router.get("/ministeres", response_class=HTMLResponse, name="ministries_page")
def ministries_page(request: Request, session: SessionDep, user: ReaderUser) -> Response:
    return render(request, "organisation/ministries.html", {"ministries": list_ministries(session)})


def _ministry_page(
    request: Request, session: Session, body_id: int, *, text: str | None = None,
    error: str = "", status_code: int = 200,
) -> Response:  # fmt: skip
    ministry = get_ministry(session, body_id=body_id)
    context = {
        "ministry": ministry,
        "text": ministry.postal_address if text is None else text,
        "error": error,
        "line_width": LINE_WIDTH,
        "max_lines": BLOCK_LINES - 2,
    }
    return render(request, "organisation/ministry.html", context, status_code=status_code)


@router.get("/ministeres/{body_id}/adresse", response_class=HTMLResponse, name="ministry_page")
def ministry_page(
    request: Request, session: SessionDep, user: ReaderUser, body_id: int
) -> Response:
    return _ministry_page(request, session, body_id)


@router.post("/ministeres/{body_id}/adresse", name="ministry_update")
def ministry_update(
    request: Request,
    session: SessionDep,
    user: StaffUser,
    body_id: int,
    postal_address: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    try:
        ministry = set_ministry_address(
            session, body_id=body_id, postal_address=postal_address, actor=actor_for(request, user)
        )
    except Invalid as exc:
        if exc.field != "postal_address":
            raise
        return _ministry_page(
            request, session, body_id, text=postal_address, error=exc.message, status_code=422
        )
    flash(request, f"Adresse enregistrée : {ministry.name}.")
    return redirect(request, path_for(request, "ministries_page"))


@pass_context
def footer_name(context: Context) -> str:
    """The association's name for the page footer: read once per request, never fatal."""
    request = context.get("request")
    if request is None:
        return ""
    cached = getattr(request.state, "association_name", None)
    if cached is None:
        cached = _read_name(request)
        request.state.association_name = cached
    return str(cached)


def _read_name(request: Request) -> str:
    settings = request.app.state.settings
    session = getattr(request.state, "session", None)
    try:
        if isinstance(session, Session):
            return association_name(session, settings=settings)
        with request.app.state.read_sessions() as fresh:
            return association_name(fresh, settings=settings)
    except SQLAlchemyError:
        return defaults(settings).name
