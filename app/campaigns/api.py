from fastapi import APIRouter, Request

from app.campaigns.models import Campaign
from app.campaigns.outreach import (
    create_follow_up,
    generate_letters,
    log_contact,
    send_campaign_letters,
    send_letter,
)
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
from app.letters.schemas import (
    ContactCreate,
    GenerateRequest,
    GenerationRead,
    LetterDetail,
    LetterPage,
    LetterRead,
    SendRead,
    SendRequest,
)
from app.letters.service import letter_events
from app.users.deps import ReaderUser, SessionDep, StaffUser, actor_for
from app.web.deps import SettingsDep
from app.web.pagination import Page
from app.web.params import Id, PageNumber, PageSize

router = APIRouter()
campaign_routes = APIRouter(prefix="/api/campaigns", tags=["campagnes"])
# Sending a letter and following it up depend on its campaign, so they are routed here.
letter_routes = APIRouter(prefix="/api/letters", tags=["courriers"])


def _read(session: SessionDep, campaign: Campaign) -> CampaignRead:
    read = CampaignRead.model_validate(campaign)
    read.demand_numbers = demand_numbers(session, campaign_id=campaign.id)
    return read


@campaign_routes.get("", response_model=list[CampaignRead], name="api_campaigns")
def campaigns(session: SessionDep, user: ReaderUser) -> list[CampaignRead]:
    return [_read(session, c) for c in list_campaigns(session)]


@campaign_routes.post("", response_model=CampaignRead, status_code=201, name="api_campaign_create")
def campaign_create(
    request: Request, session: SessionDep, user: StaffUser, data: CampaignWrite
) -> CampaignRead:
    return _read(session, create_campaign(session, data=data, actor=actor_for(request, user)))


@campaign_routes.get("/{campaign_id}", response_model=CampaignRead, name="api_campaign")
def campaign(session: SessionDep, user: ReaderUser, campaign_id: Id) -> CampaignRead:
    return _read(session, get_campaign(session, campaign_id=campaign_id))


@campaign_routes.put("/{campaign_id}", response_model=CampaignRead, name="api_campaign_update")
def campaign_update(
    request: Request, session: SessionDep, user: StaffUser, campaign_id: Id, data: CampaignWrite
) -> CampaignRead:
    updated = update_campaign(
        session, campaign_id=campaign_id, data=data, actor=actor_for(request, user)
    )
    return _read(session, updated)


@campaign_routes.post(
    "/{campaign_id}/pause", response_model=CampaignRead, name="api_campaign_pause"
)
def campaign_pause(
    request: Request, session: SessionDep, user: StaffUser, campaign_id: Id, paused: bool = True
) -> CampaignRead:
    changed = set_paused(
        session, campaign_id=campaign_id, paused=paused, actor=actor_for(request, user)
    )
    return _read(session, changed)


@campaign_routes.get(
    "/{campaign_id}/stats", response_model=CampaignStatsRead, name="api_campaign_stats"
)
def stats(session: SessionDep, user: ReaderUser, campaign_id: Id) -> CampaignStatsRead:
    get_campaign(session, campaign_id=campaign_id)
    found = campaign_stats(session, campaign_id=campaign_id)
    return CampaignStatsRead.model_validate(found, from_attributes=True)


@campaign_routes.get(
    "/{campaign_id}/letters", response_model=LetterPage, name="api_campaign_letters"
)
def letters(
    session: SessionDep,
    user: ReaderUser,
    campaign_id: Id,
    status: str | None = None,
    page: PageNumber = 1,
    size: PageSize = 50,
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


@campaign_routes.post(
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
    campaign_id: Id,
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


@campaign_routes.post("/{campaign_id}/send", response_model=SendRead, name="api_campaign_send")
def send(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: StaffUser,
    campaign_id: Id,
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


@campaign_routes.post(
    "/{campaign_id}/contacts", response_model=LetterRead, status_code=201, name="api_contact"
)
def contact(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: StaffUser,
    campaign_id: Id,
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


@letter_routes.post("/{letter_id:int}/send", response_model=LetterDetail, name="api_letter_send")
def letter_send(
    request: Request, session: SessionDep, settings: SettingsDep, user: StaffUser, letter_id: Id
) -> LetterDetail:
    found = send_letter(
        session, letter_id=letter_id, actor=actor_for(request, user), settings=settings
    )
    return LetterDetail.with_events(found, letter_events(session, letter_id=found.id))


@letter_routes.post(
    "/{letter_id:int}/follow-up", response_model=LetterRead, status_code=201, name="api_follow_up"
)
def follow_up(
    request: Request, session: SessionDep, settings: SettingsDep, user: StaffUser, letter_id: Id
) -> LetterRead:
    made = create_follow_up(
        session, letter_id=letter_id, actor=actor_for(request, user), settings=settings
    )
    return LetterRead.model_validate(made)


router.include_router(campaign_routes)
router.include_router(letter_routes)
