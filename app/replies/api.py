from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse

from app.db import utcnow
from app.letters.models import Letter
from app.officials.models import Official
from app.replies.chase import letters_to_chase
from app.replies.parsing import MAX_MESSAGE_BYTES, TooLarge
from app.replies.schemas import ChaseList, InboundResult, LetterToChase, ReplyRead
from app.replies.service import record_inbound_reply
from app.users.deps import ReaderUser, SessionDep, StaffUser, actor_for
from app.web.deps import SettingsDep
from app.web.pagination import Page
from app.web.params import PageNumber

router = APIRouter(prefix="/api", tags=["réponses"])


async def _raw_body(request: Request) -> bytes:
    """The request body, refused as soon as it passes the size limit."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_MESSAGE_BYTES:
        raise TooLarge()
    chunks = bytearray()
    async for chunk in request.stream():
        chunks += chunk
        if len(chunks) > MAX_MESSAGE_BYTES:
            raise TooLarge()
    return bytes(chunks)


@router.post(
    "/replies/inbound",
    response_model=InboundResult,
    status_code=201,
    name="api_reply_inbound",
    responses={
        200: {"model": InboundResult, "description": "Déjà importée"},
        413: {"description": "Message trop volumineux"},
    },
)
def inbound(
    request: Request,
    user: StaffUser,
    raw: Annotated[bytes, Depends(_raw_body)],
    session: SessionDep,
) -> JSONResponse:
    """Reçoit un e-mail brut (RFC 822) et le rattache à son courrier, à son élu, ou au bac."""
    # The body is read on the event loop and the write runs in the thread pool, in that order:
    # the user first, then the body, then the turn to write.
    reply, created = record_inbound_reply(session, raw=raw, actor=actor_for(request, user))
    result = InboundResult(reply=ReplyRead.model_validate(reply), created=created)
    return JSONResponse(result.model_dump(mode="json"), status_code=201 if created else 200)


def _chase_item(letter: Letter, official: Official, now: datetime) -> LetterToChase:
    return LetterToChase(
        letter_id=letter.id,
        official_id=official.id,
        official_name=official.full_name,
        channel=letter.channel,
        status=letter.status,
        subject=letter.subject,
        since=letter.status_changed_at,
        days_without_reply=(now - letter.status_changed_at).days,
    )


@router.get("/letters/to-chase", response_model=ChaseList, name="api_letters_to_chase")
def to_chase(
    session: SessionDep,
    settings: SettingsDep,
    user: ReaderUser,
    jours: Annotated[int | None, Query(ge=1, le=3650, description="Jours sans réponse")] = None,
    page: PageNumber = 1,
) -> ChaseList:
    """Courriers envoyés restés sans réponse depuis `jours` jours et pas encore relancés."""
    days = settings.chase_after_days if jours is None else jours
    pager = Page.of(page)
    now = utcnow()
    rows, total = letters_to_chase(
        session, days=days, offset=pager.offset, limit=pager.size, now=now
    )
    return ChaseList(
        days=days,
        total=total,
        page=pager.number,
        items=[_chase_item(letter, official, now) for letter, official in rows],
    )
