"""Directory pages: the list with its filters, the CSV export, and contacts staff correct."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from app.errors import Invalid
from app.labels import KIND_PLURAL
from app.officials.deps import FilterDep
from app.officials.models import ContactField, Official, OfficialKind
from app.officials.overrides import (
    CONTACT_LABELS,
    OverrideInput,
    overrides_of,
    remove_override,
    set_override,
)
from app.officials.service import (
    get_official,
    group_choices,
    officials_csv,
    search_officials,
    select_officials,
)
from app.users.deps import ReaderUser, SessionDep, StaffUser, actor_for
from app.web.deps import CsrfProtected
from app.web.pages import flash, path_for, redirect, render
from app.web.pagination import Page

router = APIRouter(dependencies=[CsrfProtected], include_in_schema=False)

_FILE_SLUGS = {
    OfficialKind.deputy: "deputes",
    OfficialKind.senator: "senateurs",
    OfficialKind.minister: "ministres",
}


@router.get("/annuaire", response_class=HTMLResponse, name="officials_page")
def officials_page(
    request: Request, session: SessionDep, user: ReaderUser, filters: FilterDep, page: int = 1
) -> Response:
    pager = Page.of(page)
    officials, total = search_officials(
        session, filters=filters, offset=pager.offset, limit=pager.size
    )
    # htmx live search swaps only the results; a normal request gets the whole page.
    partial = request.headers.get("hx-request") and not request.headers.get("hx-boosted")
    return render(
        request,
        "officials/_results.html" if partial else "officials/list.html",
        {
            "officials": officials,
            "pager": pager.with_total(total),
            "filters": filters,
            "query": filters.as_query(),
            "kinds": KIND_PLURAL,
            "groups": group_choices(session),
        },
    )


@router.get("/annuaire/export.csv", name="officials_csv")
def officials_export(session: SessionDep, user: ReaderUser, filters: FilterDep) -> Response:
    kind = _FILE_SLUGS[filters.kind] if filters.kind else "tous"
    name = f"annuaire-{kind}-{date.today().isoformat()}"
    return Response(
        officials_csv(select_officials(session, filters=filters)),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


def _contacts_form(
    request: Request,
    session: Session,
    official: Official,
    *,
    values: dict[str, str] | None = None,
    error: Invalid | None = None,
) -> Response:
    return render(
        request,
        "officials/contacts.html",
        {
            "official": official,
            "overrides": overrides_of(session, official_id=official.id),
            "labels": CONTACT_LABELS,
            "values": values or {"field": ContactField.email, "value": "", "source": ""},
            "error": error,
        },
        status_code=422 if error else 200,
    )


@router.get(
    "/annuaire/{official_id:int}/coordonnees",
    response_class=HTMLResponse,
    name="official_contacts_page",
)
def official_contacts_page(
    request: Request, session: SessionDep, user: StaffUser, official_id: int, champ: str = ""
) -> Response:
    official = get_official(session, official_id=official_id)
    field = champ if champ in set(ContactField) else ContactField.email
    current = overrides_of(session, official_id=official.id).get(field)
    values = {
        "field": field,
        "value": getattr(official, field),
        "source": current.source if current else "",
        "source_date": current.source_date.isoformat() if current and current.source_date else "",
    }
    return _contacts_form(request, session, official, values=values)


def _source_date(value: str) -> date | None:
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise Invalid("Date de la source invalide.", field="source_date") from exc


@router.post("/annuaire/{official_id:int}/coordonnees", name="official_contact_set")
def official_contact_set(
    request: Request,
    session: SessionDep,
    user: StaffUser,
    official_id: int,
    field: Annotated[str, Form(max_length=20)] = "",
    value: Annotated[str, Form(max_length=2000)] = "",
    source: Annotated[str, Form(max_length=2000)] = "",
    source_date: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    official = get_official(session, official_id=official_id)
    values = {"field": field, "value": value, "source": source, "source_date": source_date}
    try:
        with session.begin_nested():
            change = OverrideInput(field, value, source, _source_date(source_date))
            set_override(session, official=official, change=change, actor=actor_for(request, user))
    except Invalid as exc:
        return _contacts_form(request, session, official, values=values, error=exc)
    flash(
        request,
        f"Correction enregistrée ({CONTACT_LABELS[ContactField(field)].lower()}) : "
        "les imports ne la remplaceront plus.",
    )
    return redirect(request, path_for(request, "official_page", official_id=official.id))


@router.post(
    "/annuaire/{official_id:int}/coordonnees/{field}/retirer", name="official_contact_remove"
)
def official_contact_remove(
    request: Request, session: SessionDep, user: StaffUser, official_id: int, field: str
) -> Response:
    if field not in set(ContactField):
        raise Invalid("Champ inconnu.", field="field")
    remove_override(session, official_id=official_id, field=field, actor=actor_for(request, user))
    flash(request, "Correction retirée : la valeur des sources officielles est rétablie.")
    return redirect(request, path_for(request, "official_page", official_id=official_id))
