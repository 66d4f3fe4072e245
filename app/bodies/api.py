from typing import Annotated

from fastapi import APIRouter, Path, Query

from app.bodies.records import CHAMBER_LABELS
from app.bodies.schemas import BodyDetail, BodyRead, MemberRead
from app.bodies.service import get_body, list_bodies, member_roles
from app.errors import Invalid
from app.users.deps import SessionDep

router = APIRouter(prefix="/api/bodies", tags=["organes"])


@router.get("", response_model=list[BodyRead], name="api_bodies")
def bodies(
    session: SessionDep,
    chamber: Annotated[
        str, Query(pattern="^(an|senat|gouvernement)?$", description="an, senat ou gouvernement")
    ] = "",
) -> list[BodyRead]:
    """Every body (committee, delegation, group, ministry) with its number of sitting members."""
    if chamber and chamber not in CHAMBER_LABELS:
        raise Invalid("Paramètre « chamber » : an, senat ou gouvernement attendu.", field="chamber")
    return [BodyRead.of(s.body, s.members) for s in list_bodies(session, chamber=chamber or None)]


@router.get("/{source_id}", response_model=BodyDetail, name="api_body")
def body(session: SessionDep, source_id: Annotated[str, Path(max_length=40)]) -> BodyDetail:
    """One body and its sitting members (official ids, roles highest first)."""
    found = get_body(session, source_id=source_id)
    roles = member_roles(session, body_id=found.id)
    members = [MemberRead(official_id=i, roles=r) for i, r in sorted(roles.items())]
    return BodyDetail(**BodyRead.of(found, len(members)).model_dump(), current_members=members)
