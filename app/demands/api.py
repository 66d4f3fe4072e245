from fastapi import APIRouter

from app.demands.schemas import DemandRead
from app.demands.service import list_demands
from app.users.deps import SessionDep

router = APIRouter(prefix="/api/demands", tags=["demandes"])


@router.get("", response_model=list[DemandRead], name="api_demands")
def demands(session: SessionDep) -> list[DemandRead]:
    return [
        DemandRead(number=d.number, title=d.title, text=d.text_fr, text_en=d.text_en)
        for d in list_demands(session)
    ]
