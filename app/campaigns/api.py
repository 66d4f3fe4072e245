from fastapi import APIRouter, Request

from app.campaigns.models import Campaign
from app.campaigns.schemas import CampaignRead, CampaignStatsRead, CampaignWrite
from app.campaigns.service import (
    campaign_letters,
    campaign_stats,
    create_campaign,
    demand_numbers,
    get_campaign,
    list_campaigns,
    set_paused,
    update_campaign,
)
from app.letters.generation import generate_letters, send_campaign_letters
from app.letters.schemas import (
    ContactCreate,
    GenerateRequest,
    GenerationRead,
    LetterPage,
    LetterRead,
    SendRead,
    SendRequest,
)
from app.letters.service import log_contact
from app.web.deps import ReaderUser, SessionDep, SettingsDep, StaffUser, actor_for
from app.web.pagination import Page

router = APIRouter(prefix="/api/campaigns", tags=["campagnes"])


def _read(session: SessionDep, campaign: Campaign) -> CampaignRead:
    read = CampaignRead.model_validate(campaign)
    read.demand_numbers = demand_numbers(session, campaign_id=campaign.id)
    return read


@router.get("", response_model=list[CampaignRead], name="api_campaigns")
def campaigns(session: SessionDep, user: ReaderUser) -> list[CampaignRead]:
    return [_read(session, c) for c in list_campaigns(session)]


@router.post("", response_model=CampaignRead, status_code=201, name="api_campaign_create")
def campaign_create(
    request: Request, session: SessionDep, user: StaffUser, data: CampaignWrite
) -> CampaignRead:
    return _read(session, create_campaign(session, data=data, actor=actor_for(request, user)))


@router.get("/{campaign_id}", response_model=CampaignRead, name="api_campaign")
def campaign(session: SessionDep, user: ReaderUser, campaign_id: int) -> CampaignRead:
    return _read(session, get_campaign(session, campaign_id=campaign_id))


@router.put("/{campaign_id}", response_model=CampaignRead, name="api_campaign_update")
def campaign_update(
    request: Request, session: SessionDep, user: StaffUser, campaign_id: int, data: CampaignWrite
) -> CampaignRead:
    updated = update_campaign(
        session, campaign_id=campaign_id, data=data, actor=actor_for(request, user)
    )
    return _read(session, updated)


@router.post("/{campaign_id}/pause", response_model=CampaignRead, name="api_campaign_pause")
def campaign_pause(
    request: Request, session: SessionDep, user: StaffUser, campaign_id: int, paused: bool = True
) -> CampaignRead:
    changed = set_paused(
        session, campaign_id=campaign_id, paused=paused, actor=actor_for(request, user)
    )
    return _read(session, changed)


@router.get("/{campaign_id}/stats", response_model=CampaignStatsRead, name="api_campaign_stats")
def stats(session: SessionDep, user: ReaderUser, campaign_id: int) -> CampaignStatsRead:
    get_campaign(session, campaign_id=campaign_id)
    found = campaign_stats(session, campaign_id=campaign_id)
    return CampaignStatsRead.model_validate(found, from_attributes=True)


@router.get("/{campaign_id}/letters", response_model=LetterPage, name="api_campaign_letters")
def letters(
    session: SessionDep,
    user: ReaderUser,
    campaign_id: int,
    status: str | None = None,
    page: int = 1,
    size: int = 50,
) -> LetterPage:
    get_campaign(session, campaign_id=campaign_id)
    pager = Page.of(page, size)
    rows, total = campaign_letters(
        session, campaign_id=campaign_id, status=status, offset=pager.offset, limit=pager.size
    )
    return LetterPage(
        items=[LetterRead.model_validate(letter) for letter, _ in rows],
        total=total,
        page=pager.number,
        size=pager.size,
    )


@router.post(
    "/{campaign_id}/generate",
    response_model=GenerationRead,
    status_code=201,
    name="api_campaign_generate",
)
def generate(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: StaffUser,
    campaign_id: int,
    data: GenerateRequest,
) -> GenerationRead:
    result = generate_letters(
        session,
        campaign_id=campaign_id,
        actor=actor_for(request, user),
        settings=settings,
        official_ids=data.official_ids,
        only_new=data.only_new,
    )
    return GenerationRead.model_validate(result, from_attributes=True)


@router.post("/{campaign_id}/send", response_model=SendRead, name="api_campaign_send")
def send(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: StaffUser,
    campaign_id: int,
    data: SendRequest,
) -> SendRead:
    queued = send_campaign_letters(
        session,
        campaign_id=campaign_id,
        expected=data.expected,
        actor=actor_for(request, user),
        settings=settings,
    )
    return SendRead(queued=queued)


@router.post(
    "/{campaign_id}/contacts", response_model=LetterRead, status_code=201, name="api_contact"
)
def contact(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: StaffUser,
    campaign_id: int,
    data: ContactCreate,
) -> LetterRead:
    letter = log_contact(
        session,
        campaign_id=campaign_id,
        official_id=data.official_id,
        channel=data.channel,
        notes=data.notes,
        actor=actor_for(request, user),
        settings=settings,
    )
    return LetterRead.model_validate(letter)
