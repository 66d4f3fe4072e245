from fastapi import APIRouter
from fastapi.responses import JSONResponse

from app.ops.ready import Readiness, check
from app.web.deps import RequestSession, SettingsDep

router = APIRouter(prefix="/api", tags=["santé"])


@router.get(
    "/ready",
    response_model=Readiness,
    name="api_ready",
    responses={503: {"model": Readiness, "description": "Pas prêt : les raisons sont données."}},
)
def api_ready(session: RequestSession, settings: SettingsDep) -> JSONResponse:
    found = check(session, settings=settings)
    return JSONResponse(found.model_dump(), status_code=200 if found.status == "ready" else 503)
