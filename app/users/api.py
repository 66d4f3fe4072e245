from fastapi import APIRouter

from app.users.deps import CurrentUser
from app.users.schemas import UserRead

router = APIRouter(prefix="/api", tags=["comptes"])


@router.get("/me", response_model=UserRead, name="api_me")
def me(user: CurrentUser) -> UserRead:
    return UserRead.model_validate(user)
