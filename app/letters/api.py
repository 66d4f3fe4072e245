from fastapi import APIRouter, Request

from app.letters.schemas import LetterDetail, StatusChange
from app.letters.service import get_letter, letter_events, letters_with_events, set_letter_status
from app.users.deps import ReaderUser, SessionDep, StaffUser, actor_for
from app.web.params import Id

# Sending one letter and its follow-up depend on its campaign: see campaigns/api.py.
router = APIRouter(prefix="/api/letters", tags=["courriers"])


@router.get("/{letter_id:int}", response_model=LetterDetail, name="api_letter")
def letter(session: SessionDep, user: ReaderUser, letter_id: Id) -> LetterDetail:
    found = get_letter(session, letter_id=letter_id)
    return LetterDetail.with_events(found, letter_events(session, letter_id=letter_id))


@router.post("/{letter_id:int}/status", response_model=LetterDetail, name="api_letter_status")
def status(
    request: Request, session: SessionDep, user: StaffUser, letter_id: Id, data: StatusChange
) -> LetterDetail:
    found = get_letter(session, letter_id=letter_id)
    set_letter_status(
        session,
        letter=found,
        status=data.status,
        detail=data.detail,
        actor=actor_for(request, user),
    )
    return LetterDetail.with_events(found, letter_events(session, letter_id=letter_id))


@router.get(
    "/by-official/{official_id}", response_model=list[LetterDetail], name="api_official_letters"
)
def by_official(session: SessionDep, user: ReaderUser, official_id: Id) -> list[LetterDetail]:
    return [
        LetterDetail.with_events(entry.letter, entry.events)
        for entry in letters_with_events(session, official_id=official_id)
    ]
