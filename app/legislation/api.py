from typing import Annotated

from fastapi import APIRouter, Path, Request

from app.legislation.schemas import BatchCreated, BatchUndone, TextMapping
from app.legislation.service import DemandMapping, map_to_demands, undo_batch
from app.users.deps import SessionDep, StaffUser, actor_for
from app.web.params import Id

router = APIRouter(prefix="/api", tags=["textes et scrutins"])


@router.post(
    "/texts/{uid}/demands", response_model=BatchCreated, status_code=201, name="api_text_demands"
)
def text_demands(
    request: Request,
    uid: Annotated[str, Path(max_length=40)],
    body: TextMapping,
    session: SessionDep,
    user: StaffUser,
) -> BatchCreated:
    """Associe un texte (`document`) ou un scrutin à des demandes : un lot de propositions."""
    batch, count = map_to_demands(
        session,
        uid=uid,
        mappings=[DemandMapping(d.number, d.direction) for d in body.demands],
        actor=actor_for(request, user),
    )
    return BatchCreated(batch_id=batch.id, proposals=count)


@router.delete("/batches/{batch_id}", response_model=BatchUndone, name="api_batch_undo")
def batch_undo(request: Request, batch_id: Id, session: SessionDep, user: StaffUser) -> BatchUndone:
    """Annule un lot : retire ses propositions pas encore examinées."""
    removed = undo_batch(session, batch_id=batch_id, actor=actor_for(request, user))
    return BatchUndone(batch_id=batch_id, removed=removed)
