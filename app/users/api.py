from fastapi import APIRouter

from app.users.schemas import UserRead
from app.web.deps import CurrentUser

router = APIRouter(prefix="/api", tags=["comptes"])


@router.get("/me", response_model=UserRead, name="api_me")
def me(user: CurrentUser) -> UserRead:
    return UserRead.model_validate(user)
