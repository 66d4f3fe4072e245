"""Campaign pages: list, create and edit, detail with counts, generate, confirm-send, print,
and a letter's page with what depends on its campaign (sending it, following it up)."""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from app.campaigns.outreach import (
    chase,
    generate_letters,
    log_contact,
    mark_printed_as_sent,
    ready_to_send,
    send_campaign_letters,
    send_letter,
)
from app.campaigns.printing import print_run
from app.campaigns.schemas import DESCRIPTION_MAX_LENGTH, CampaignWrite
from app.campaigns.service import (
    campaign_letters,
    campaign_stats,
    create_campaign,
    demand_numbers,
    get_campaign,
    list_campaigns,
    set_paused,
    target_of,
    update_campaign,
)
from app.demands.service import list_demands
from app.errors import Invalid
from app.letters.models import Channel
from app.letters.service import get_letter, letter_events
from app.letters.status import manual_choices
from app.officials.models import OfficialKind
from app.officials.schemas import KIND_LABELS
from app.officials.service import get_official, group_choices, sitting_official_choices
from app.templating.service import list_templates
from app.users.deps import ReaderUser, SessionDep, StaffUser, actor_for
from app.web.deps import CsrfProtected, SettingsDep
from app.web.pages import flash, path_for, redirect, render
from app.web.pagination import Page

router = APIRouter(dependencies=[CsrfProtected], include_in_schema=False)


def _form_context(session: Session) -> dict[str, Any]:
    return {
        "templates": list_templates(session),
        "demands": list_demands(session),
        "groups": group_choices(session),
        "kinds": KIND_LABELS,
    }


def _campaign_write(form: dict[str, Any]) -> CampaignWrite:
    try:
        return CampaignWrite.model_validate(form)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])} : {e['msg']}" for e in exc.errors()
        )
        raise Invalid(f"Formulaire de campagne invalide — {problems}.") from None


def campaign_form(
    name: Annotated[str, Form(max_length=200)],
    slug: Annotated[str, Form(max_length=100)],
    description: Annotated[str, Form(max_length=DESCRIPTION_MAX_LENGTH)] = "",
    starts_on: Annotated[date | None, Form()] = None,
    ends_on: Annotated[date | None, Form()] = None,
    demands: Annotated[list[int] | None, Form()] = None,
    first_template_id: Annotated[int | None, Form()] = None,
    follow_up_template_id: Annotated[int | None, Form()] = None,
    kind: Annotated[str, Form(max_length=20)] = "",
    departement: Annotated[str, Form(max_length=20)] = "",
    group: Annotated[str, Form(max_length=100)] = "",
    q: Annotated[str, Form(max_length=100)] = "",
    is_paused: Annotated[bool, Form()] = False,
    is_public: Annotated[bool, Form()] = False,
    targeting: Annotated[str, Form(max_length=10)] = "own",
) -> CampaignWrite:
    return _campaign_write(
        {
            "name": name,
            "slug": slug.strip().lower(),
            "description": description,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "demand_numbers": demands or [],
            "first_template_id": first_template_id,
            "follow_up_template_id": follow_up_template_id,
            "target": {"kind": kind, "departement": departement, "group": group, "q": q},
            "is_paused": is_paused,
            "is_public": is_public,
            "targeting": targeting,
        }
    )


CampaignFormDep = Annotated[CampaignWrite, Depends(campaign_form)]


@router.get("/campagnes", response_class=HTMLResponse, name="campaigns_page")
def campaigns_page(request: Request, session: SessionDep, user: ReaderUser) -> Response:
    rows = [(c, campaign_stats(session, campaign_id=c.id)) for c in list_campaigns(session)]
    return render(request, "campaigns/list.html", {"rows": rows})


@router.get("/campagnes/nouvelle", response_class=HTMLResponse, name="campaign_new")
def campaign_new(request: Request, session: SessionDep, user: StaffUser) -> Response:
    context = _form_context(session) | {"campaign": None, "chosen": [], "target": {}}
    return render(request, "campaigns/form.html", context)


@router.post("/campagnes", name="campaign_create")
def campaign_create(
    request: Request, session: SessionDep, user: StaffUser, data: CampaignFormDep
) -> Response:
    campaign = create_campaign(session, data=data, actor=actor_for(request, user))
    flash(request, f"Campagne « {campaign.name} » créée.")
    return redirect(request, path_for(request, "campaign_page", campaign_id=campaign.id))


@router.get("/campagnes/{campaign_id}/modifier", response_class=HTMLResponse, name="campaign_edit")
def campaign_edit(
    request: Request, session: SessionDep, user: StaffUser, campaign_id: int
) -> Response:
    campaign = get_campaign(session, campaign_id=campaign_id)
    context = _form_context(session) | {
        "campaign": campaign,
        "chosen": demand_numbers(session, campaign_id=campaign_id),
        "target": campaign.target_filter or {},
    }
    return render(request, "campaigns/form.html", context)


@router.post("/campagnes/{campaign_id}", name="campaign_update")
def campaign_update(
    request: Request, session: SessionDep, user: StaffUser, campaign_id: int, data: CampaignFormDep
) -> Response:
    update_campaign(session, campaign_id=campaign_id, data=data, actor=actor_for(request, user))
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
        "kind_labels": {k.value: v for k, v in KIND_LABELS.items()},
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
    result = generate_letters(
        session,
        campaign_id=campaign_id,
        actor=actor_for(request, user),
        settings=settings,
        official_ids=[int(official_id)] if official_id else None,
        only_new=only_new,
    )
    flash(request, result.summary)
    return redirect(request, path_for(request, "campaign_page", campaign_id=campaign_id))


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
    flash(request, f"{queued} courriel(s) mis en file d'envoi.")
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
    flash(request, f"{count} courrier(s) postal(aux) marqué(s) comme envoyé(s).")
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
    }
    return render(request, "letters/detail.html", context)


@router.post("/courriers/{letter_id}/envoyer", name="letter_send")
def letter_send(
    request: Request, session: SessionDep, settings: SettingsDep, user: StaffUser, letter_id: int
) -> Response:
    send_letter(session, letter_id=letter_id, actor=actor_for(request, user), settings=settings)
    flash(request, "Courriel mis en file d'envoi.")
    return redirect(request, path_for(request, "letter_page", letter_id=letter_id))


@router.post("/a-relancer/{letter_id}", name="chase_letter")
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
