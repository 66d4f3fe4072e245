from fastapi import APIRouter, Request

from app.letters.generation import send_letter
from app.letters.models import Letter
from app.letters.schemas import LetterDetail, LetterEventRead, LetterRead, StatusChange
from app.letters.service import (
    create_follow_up,
    get_letter,
    letter_events,
    set_letter_status,
    timeline_for_official,
)
from app.web.deps import ReaderUser, SessionDep, SettingsDep, StaffUser, actor_for

router = APIRouter(prefix="/api/letters", tags=["courriers"])


def _detail(session: SessionDep, letter: Letter) -> LetterDetail:
    detail = LetterDetail.model_validate(letter)
    detail.events = [
        LetterEventRead.model_validate(e) for e in letter_events(session, letter_id=letter.id)
    ]
    return detail


@router.get("/{letter_id:int}", response_model=LetterDetail, name="api_letter")
def letter(session: SessionDep, user: ReaderUser, letter_id: int) -> LetterDetail:
    return _detail(session, get_letter(session, letter_id=letter_id))


@router.post("/{letter_id:int}/status", response_model=LetterDetail, name="api_letter_status")
def status(
    request: Request, session: SessionDep, user: StaffUser, letter_id: int, data: StatusChange
) -> LetterDetail:
    found = get_letter(session, letter_id=letter_id)
    set_letter_status(
        session,
        letter=found,
        status=data.status,
        detail=data.detail,
        actor=actor_for(request, user),
    )
    return _detail(session, found)


@router.post("/{letter_id:int}/send", response_model=LetterDetail, name="api_letter_send")
def send(
    request: Request, session: SessionDep, settings: SettingsDep, user: StaffUser, letter_id: int
) -> LetterDetail:
    found = get_letter(session, letter_id=letter_id)
    send_letter(session, letter=found, actor=actor_for(request, user), settings=settings)
    return _detail(session, found)


@router.post(
    "/{letter_id:int}/follow-up", response_model=LetterRead, status_code=201, name="api_follow_up"
)
def follow_up(
    request: Request, session: SessionDep, settings: SettingsDep, user: StaffUser, letter_id: int
) -> LetterRead:
    made = create_follow_up(
        session, letter_id=letter_id, actor=actor_for(request, user), settings=settings
    )
    return LetterRead.model_validate(made)


@router.get(
    "/by-official/{official_id}", response_model=list[LetterDetail], name="api_official_letters"
)
def by_official(session: SessionDep, user: ReaderUser, official_id: int) -> list[LetterDetail]:
    return [
        LetterDetail.model_validate(h.letter).model_copy(
            update={"events": [LetterEventRead.model_validate(e) for e in h.events]}
        )
        for h in timeline_for_official(session, official_id=official_id)
    ]
