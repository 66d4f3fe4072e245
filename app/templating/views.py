"""Pages for letter templates: list, create, edit (a new version each time), preview."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from app.errors import Invalid
from app.officials.service import sitting_official_choices
from app.templating.models import TemplatePurpose
from app.templating.placeholders import PLACEHOLDERS
from app.templating.service import (
    create_template,
    get_template,
    latest_version,
    list_templates,
    list_versions,
    preview,
    refuse_unsaved_text,
    sample_previews,
    update_template,
)
from app.users.deps import ReaderUser, SessionDep, StaffUser, actor_for
from app.web.deps import CsrfProtected, SettingsDep
from app.web.pages import flash, path_for, redirect, render

router = APIRouter(dependencies=[CsrfProtected], include_in_schema=False)


@router.get("/modeles", response_class=HTMLResponse, name="templates_page")
def templates_page(request: Request, session: SessionDep, user: ReaderUser) -> Response:
    return render(
        request,
        "templating/list.html",
        {"summaries": list_templates(session)},
    )


@router.get("/modeles/nouveau", response_class=HTMLResponse, name="template_new")
def template_new(request: Request, user: StaffUser) -> Response:
    context = {"form": {}, "placeholders": PLACEHOLDERS}
    return render(request, "templating/new.html", context)


@router.post("/modeles", name="template_create")
def template_create(
    request: Request,
    session: SessionDep,
    user: StaffUser,
    name: Annotated[str, Form(max_length=200)],
    purpose: Annotated[TemplatePurpose, Form()],
    subject: Annotated[str, Form(max_length=300)],
    body: Annotated[str, Form(max_length=50_000)],
) -> Response:
    try:
        template = create_template(
            session,
            name=name,
            purpose=purpose,
            subject=subject,
            body=body,
            actor=actor_for(request, user),
        )
    except Invalid as exc:
        form = {"name": name, "purpose": purpose, "subject": subject, "body": body}
        context = {"form": form, "error": exc.message, "placeholders": PLACEHOLDERS}
        return render(request, "templating/new.html", context, status_code=422)
    flash(request, f"Modèle « {template.name} » créé.")
    return redirect(request, path_for(request, "template_page", template_id=template.id))


def _samples(
    request: Request, session: Session, *, subject: str, body: str
) -> tuple[list[tuple[str, str, str]], str]:
    """The text rendered for the three sample readers, or why it cannot be."""
    user = request.state.user
    try:
        samples = sample_previews(
            session,
            subject=subject,
            body=body,
            actor=actor_for(request, user),
            settings=request.app.state.settings,
        )
    except Invalid as exc:
        return [], exc.message
    return samples, ""


def _edit_page(
    request: Request,
    session: Session,
    template_id: int,
    *,
    subject: str | None = None,
    body: str | None = None,
    error: str = "",
    rendered: tuple[str, str] | None = None,
    official_id: int | None = None,
    status_code: int = 200,
) -> Response:
    template = get_template(session, template_id=template_id)
    latest = latest_version(session, template_id=template_id)
    subject = latest.subject if subject is None else subject
    body = latest.body if body is None else body
    # A text already refused is not rendered again: an attack costs one render, not two.
    samples, sample_error = (
        ([], "") if error else _samples(request, session, subject=subject, body=body)
    )
    context = {
        "template": template,
        "latest": latest,
        "subject": subject,
        "body": body,
        "samples": samples,
        "sample_error": sample_error,
        "placeholders": PLACEHOLDERS,
        "versions": list_versions(session, template_id=template_id),
        "officials": sitting_official_choices(session),
        "official_id": official_id,
        "error": error,
        "rendered": rendered,
    }
    return render(request, "templating/edit.html", context, status_code=status_code)


@router.get("/modeles/{template_id}", response_class=HTMLResponse, name="template_page")
def template_page(
    request: Request, session: SessionDep, user: ReaderUser, template_id: int
) -> Response:
    return _edit_page(request, session, template_id)


@router.post("/modeles/{template_id}", name="template_update")
def template_update(
    request: Request,
    session: SessionDep,
    user: StaffUser,
    template_id: int,
    subject: Annotated[str, Form(max_length=300)],
    body: Annotated[str, Form(max_length=50_000)],
    name: Annotated[str | None, Form(max_length=200)] = None,
) -> Response:
    try:
        version = update_template(
            session,
            template_id=template_id,
            subject=subject,
            body=body,
            name=name,
            actor=actor_for(request, user),
        )
    except Invalid as exc:
        return _edit_page(
            request,
            session,
            template_id,
            subject=subject,
            body=body,
            error=exc.message,
            status_code=422,
        )
    flash(request, f"Modèle enregistré (version {version.number}).")
    return redirect(request, path_for(request, "template_page", template_id=template_id))


@router.get("/modeles/{template_id}/apercu", response_class=HTMLResponse, name="template_preview")
def template_preview(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: ReaderUser,
    template_id: int,
    official_id: int,
) -> Response:
    latest = latest_version(session, template_id=template_id)
    rendered = preview(
        session,
        subject=latest.subject,
        body=latest.body,
        official_id=official_id,
        actor=actor_for(request, user),
        settings=settings,
    )
    return _edit_page(request, session, template_id, rendered=rendered, official_id=official_id)


@router.post("/modeles/{template_id}/apercu", response_class=HTMLResponse, name="draft_preview")
def draft_preview(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: ReaderUser,
    template_id: int,
    subject: Annotated[str, Form(max_length=300)],
    body: Annotated[str, Form(max_length=50_000)],
    official_id: Annotated[int, Form()],
) -> Response:
    """The text being edited, rendered without saving: a fragment for htmx, else the page."""
    latest = latest_version(session, template_id=template_id)
    refuse_unsaved_text(role=user.role, latest=latest, subject=subject, body=body)
    error, rendered = "", None
    try:
        rendered = preview(
            session,
            subject=subject,
            body=body,
            official_id=official_id,
            actor=actor_for(request, user),
            settings=settings,
        )
    except Invalid as exc:
        error = exc.message
    if request.headers.get("hx-request"):
        samples, sample_error = (
            ([], "") if error else _samples(request, session, subject=subject, body=body)
        )
        context = {
            "rendered": rendered,
            "error": error,
            "samples": samples,
            "sample_error": sample_error,
        }
        return render(request, "templating/_preview.html", context)
    return _edit_page(
        request,
        session,
        template_id,
        subject=subject,
        body=body,
        error=error,
        rendered=rendered,
        official_id=official_id,
    )
