"""Campaign pages: list, create and edit, detail with counts, generate, confirm-send, print,
and a letter's page with what depends on its campaign (sending it)."""

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from app.bodies.roles import ROLE_LABELS
from app.bodies.service import list_bodies
from app.campaigns.form import CampaignForm
from app.campaigns.models import Campaign
from app.campaigns.outreach import (
    generate_letters,
    log_contact,
    mark_printed_as_sent,
    ready_to_send,
    send_campaign_letters,
    send_letter,
)
from app.campaigns.printing import print_run
from app.campaigns.schemas import CampaignWrite
from app.campaigns.service import (
    campaign_letters,
    campaign_stats,
    create_campaign,
    demand_numbers,
    get_campaign,
    list_campaigns,
    only_templates,
    set_paused,
    target_of,
    update_campaign,
)
from app.demands.service import list_demands
from app.errors import AppError, Invalid
from app.labels import KIND_PLURAL, plural
from app.letters.models import Channel
from app.letters.service import get_letter, letter_events
from app.letters.status import manual_choices
from app.officials.models import OfficialKind
from app.officials.service import get_official, group_choices, sitting_official_choices
from app.replies.service import replies_for_letter
from app.templating.service import list_templates
from app.users.deps import ReaderUser, SessionDep, StaffUser, actor_for
from app.web.deps import CsrfProtected, SettingsDep
from app.web.pages import flash, path_for, redirect, render
from app.web.pagination import Page

router = APIRouter(dependencies=[CsrfProtected], include_in_schema=False)


def _form_page(
    request: Request,
    session: Session,
    form: CampaignForm,
    *,
    campaign: Campaign | None = None,
    status_code: int = 200,
) -> Response:
    context = {
        "campaign": campaign,
        "form": form,
        "templates": list_templates(session),
        "demands": list_demands(session),
        "groups": group_choices(session),
        "kinds": KIND_PLURAL,
        "bodies": [s.body for s in list_bodies(session) if s.members],
        "roles": ROLE_LABELS,
    }
    return render(request, "campaigns/form.html", context, status_code=status_code)


def campaign_form(
    name: Annotated[str, Form()] = "",
    slug: Annotated[str, Form()] = "",
    description: Annotated[str, Form()] = "",
    starts_on: Annotated[str, Form()] = "",
    ends_on: Annotated[str, Form()] = "",
    demands: Annotated[list[str] | None, Form()] = None,
    first_template_id: Annotated[str, Form()] = "",
    follow_up_template_id: Annotated[str, Form()] = "",
    kind: Annotated[str, Form()] = "",
    departement: Annotated[str, Form()] = "",
    group: Annotated[str, Form()] = "",
    q: Annotated[str, Form()] = "",
    body: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "",
    is_paused: Annotated[bool, Form()] = False,
    is_public: Annotated[bool, Form()] = False,
    targeting: Annotated[str, Form()] = "own",
) -> CampaignForm:
    """The form as typed; nothing here refuses it, so every mistake comes back beside its field."""
    values = {
        "name": name,
        "slug": slug,
        "description": description,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "first_template_id": first_template_id,
        "follow_up_template_id": follow_up_template_id,
        "kind": kind,
        "departement": departement,
        "group": group,
        "q": q,
        "body": body,
        "role": role,
        "targeting": targeting,
    }
    return CampaignForm(
        values=values, demands=demands or [], is_paused=is_paused, is_public=is_public
    )


CampaignFormDep = Annotated[CampaignForm, Depends(campaign_form)]


def _saved(
    session: Session, form: CampaignForm, save: Callable[[CampaignWrite], Campaign]
) -> Campaign | None:
    """The campaign saved from the form, or None with the mistake recorded beside its field."""
    data = form.read()
    if data is None:
        return None
    try:
        with session.begin_nested():  # a refusal after a flush leaves nothing behind
            return save(data)
    except AppError as exc:
        form.add_error(exc.field, exc.message)
        return None


@router.get("/campagnes", response_class=HTMLResponse, name="campaigns_page")
def campaigns_page(request: Request, session: SessionDep, user: ReaderUser) -> Response:
    rows = [(c, campaign_stats(session, campaign_id=c.id)) for c in list_campaigns(session)]
    return render(request, "campaigns/list.html", {"rows": rows})


@router.get("/campagnes/nouvelle", response_class=HTMLResponse, name="campaign_new")
def campaign_new(request: Request, session: SessionDep, user: StaffUser) -> Response:
    form = CampaignForm.blank(only_templates(session))
    return _form_page(request, session, form)


@router.post("/campagnes", name="campaign_create")
def campaign_create(
    request: Request, session: SessionDep, user: StaffUser, form: CampaignFormDep
) -> Response:
    actor = actor_for(request, user)
    campaign = _saved(session, form, lambda data: create_campaign(session, data=data, actor=actor))
    if campaign is None:
        return _form_page(request, session, form, status_code=422)
    flash(request, f"Campagne « {campaign.name} » créée.")
    return redirect(request, path_for(request, "campaign_page", campaign_id=campaign.id))


@router.get("/campagnes/{campaign_id}/modifier", response_class=HTMLResponse, name="campaign_edit")
def campaign_edit(
    request: Request, session: SessionDep, user: StaffUser, campaign_id: int
) -> Response:
    campaign = get_campaign(session, campaign_id=campaign_id)
    form = CampaignForm.of(campaign, demand_numbers(session, campaign_id=campaign_id))
    return _form_page(request, session, form, campaign=campaign)


@router.post("/campagnes/{campaign_id}", name="campaign_update")
def campaign_update(
    request: Request, session: SessionDep, user: StaffUser, campaign_id: int, form: CampaignFormDep
) -> Response:
    campaign = get_campaign(session, campaign_id=campaign_id)
    actor = actor_for(request, user)
    saved = _saved(
        session,
        form,
        lambda data: update_campaign(session, campaign_id=campaign_id, data=data, actor=actor),
    )
    if saved is None:
        return _form_page(request, session, form, campaign=campaign, status_code=422)
    flash(request, "Campagne enregistrée.")
    return redirect(request, path_for(request, "campaign_page", campaign_id=campaign_id))


@router.get("/campagnes/{campaign_id}", response_class=HTMLResponse, name="campaign_page")
def campaign_page(
    request: Request,
    session: SessionDep,
    user: ReaderUser,
    campaign_id: int,
    page: int = 1,
    statut: str = "",
) -> Response:
    campaign = get_campaign(session, campaign_id=campaign_id)
    pager = Page.of(page)
    rows, total = campaign_letters(
        session,
        campaign_id=campaign_id,
        status=statut or None,
        offset=pager.offset,
        limit=pager.size,
    )
    context = {
        "campaign": campaign,
        "stats": campaign_stats(session, campaign_id=campaign_id),
        "rows": rows,
        "pager": pager.with_total(total),
        "query": {"statut": statut} if statut else {},
        "statut": statut,
        "target": target_of(campaign),
        "chosen": demand_numbers(session, campaign_id=campaign_id),
        "ready": ready_to_send(session, campaign_id=campaign_id),
        "officials": sitting_official_choices(session),
        "kinds": list(OfficialKind),
    }
    return render(request, "campaigns/detail.html", context)


@router.post("/campagnes/{campaign_id}/pause", name="campaign_pause")
def campaign_pause(
    request: Request,
    session: SessionDep,
    user: StaffUser,
    campaign_id: int,
    paused: Annotated[bool, Form()] = False,
) -> Response:
    set_paused(session, campaign_id=campaign_id, paused=paused, actor=actor_for(request, user))
    flash(request, "Campagne mise en pause." if paused else "Campagne reprise.")
    return redirect(request, path_for(request, "campaign_page", campaign_id=campaign_id))


@router.post("/campagnes/{campaign_id}/generer", name="campaign_generate")
def campaign_generate(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: StaffUser,
    campaign_id: int,
    official_id: Annotated[str, Form()] = "",
    only_new: Annotated[bool, Form()] = False,
) -> Response:
    if official_id and not official_id.isdigit():
        raise Invalid("Élu invalide.", field="official_id")
    back = path_for(request, "campaign_page", campaign_id=campaign_id)
    try:
        result = generate_letters(
            session,
            campaign_id=campaign_id,
            actor=actor_for(request, user),
            settings=settings,
            official_ids=[int(official_id)] if official_id else None,
            only_new=only_new,
        )
    except Invalid as exc:  # e.g. no first-letter template yet: said on the campaign's page
        flash(request, exc.message, "error")
        return redirect(request, back)
    flash(request, result.summary)
    return redirect(request, back)


@router.get("/campagnes/{campaign_id}/envoyer", response_class=HTMLResponse, name="send_confirm")
def send_confirm(
    request: Request, session: SessionDep, user: StaffUser, campaign_id: int
) -> Response:
    campaign = get_campaign(session, campaign_id=campaign_id)
    ready = ready_to_send(session, campaign_id=campaign_id)
    return render(request, "campaigns/send.html", {"campaign": campaign, "ready": ready})


@router.post("/campagnes/{campaign_id}/envoyer", name="campaign_send")
def campaign_send(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: StaffUser,
    campaign_id: int,
    expected: Annotated[int, Form()],
) -> Response:
    queued = send_campaign_letters(
        session,
        campaign_id=campaign_id,
        expected=expected,
        actor=actor_for(request, user),
        settings=settings,
    )
    flash(request, f"{plural(queued, 'courriel mis', 'courriels mis')} en file d'envoi.")
    return redirect(request, path_for(request, "campaign_page", campaign_id=campaign_id))


@router.get("/campagnes/{campaign_id}/impression", response_class=HTMLResponse, name="print")
def print_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: ReaderUser,
    campaign_id: int,
    tous: bool = False,
) -> Response:
    campaign = get_campaign(session, campaign_id=campaign_id)
    run = print_run(session, campaign_id=campaign_id, include_sent=tous, settings=settings)
    return render(request, "campaigns/print.html", {"campaign": campaign, "run": run})


@router.post("/campagnes/{campaign_id}/impression/postes", name="mark_posted")
def mark_posted(
    request: Request, session: SessionDep, user: StaffUser, campaign_id: int
) -> Response:
    count = mark_printed_as_sent(session, campaign_id=campaign_id, actor=actor_for(request, user))
    posted = plural(count, "courrier postal marqué", "courriers postaux marqués")
    flash(request, f"{posted} comme {'envoyé' if count < 2 else 'envoyés'}.")
    return redirect(request, path_for(request, "campaign_page", campaign_id=campaign_id))


@router.post("/campagnes/{campaign_id}/contacts", name="contact_log")
def contact_log(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: StaffUser,
    campaign_id: int,
    official_id: Annotated[int, Form()],
    channel: Annotated[Channel, Form()],
    notes: Annotated[str, Form(max_length=20_000)],
) -> Response:
    letter = log_contact(
        session,
        campaign_id=campaign_id,
        official_id=official_id,
        channel=channel,
        notes=notes,
        actor=actor_for(request, user),
        settings=settings,
    )
    flash(request, "Échange consigné.")
    return redirect(request, path_for(request, "letter_page", letter_id=letter.id))


@router.get("/courriers/{letter_id}", response_class=HTMLResponse, name="letter_page")
def letter_page(
    request: Request, session: SessionDep, user: ReaderUser, letter_id: int
) -> Response:
    letter = get_letter(session, letter_id=letter_id)
    context = {
        "letter": letter,
        "official": get_official(session, official_id=letter.official_id),
        "campaign": get_campaign(session, campaign_id=letter.campaign_id),
        "events": letter_events(session, letter_id=letter_id),
        "manual_statuses": manual_choices(letter.status),
        "replies": replies_for_letter(session, letter_id=letter.id),
    }
    return render(request, "letters/detail.html", context)


@router.post("/courriers/{letter_id}/envoyer", name="letter_send")
def letter_send(
    request: Request, session: SessionDep, settings: SettingsDep, user: StaffUser, letter_id: int
) -> Response:
    send_letter(session, letter_id=letter_id, actor=actor_for(request, user), settings=settings)
    flash(request, "Courriel mis en file d'envoi.")
    return redirect(request, path_for(request, "letter_page", letter_id=letter_id))
