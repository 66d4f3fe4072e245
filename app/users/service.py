from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.audit.service import record
from app.config import Settings
from app.db import utcnow
from app.errors import Conflict, Invalid, NotFound
from app.security import (
    Actor,
    hash_api_token,
    hash_password,
    new_api_token,
    verify_password,
)
from app.users.models import ApiToken, Role, User
from app.users.sessions import end_all_sessions
from app.users.throttle import check_allowed, record_failure
from app.users.totp import check_second_factor

MIN_PASSWORD_LENGTH = 12


def _public(user: User) -> dict[str, object]:
    return {"email": user.email, "role": user.role, "is_active": user.is_active}


def get_user(session: Session, *, user_id: int) -> User:
    """The user with this id, or NotFound."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("Utilisateur introuvable.")
    return user


def find_user_by_email(session: Session, *, email: str) -> User | None:
    """The user with this e-mail (case-insensitive), if any."""
    return session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def list_users(session: Session) -> list[User]:
    """Every account, by e-mail."""
    return list(session.scalars(select(User).order_by(User.email)))


def count_admins(session: Session) -> int:
    """How many active admin accounts exist."""
    query = select(func.count(User.id)).where(User.role == Role.admin, User.is_active)
    return session.scalar(query) or 0


def _check_password(password: str, *, field: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Invalid(
            f"Le mot de passe doit compter au moins {MIN_PASSWORD_LENGTH} caractères.",
            field=field,
        )


def create_user(
    session: Session, *, email: str, password: str, role: Role, full_name: str, actor: Actor
) -> User:
    """Creates a staff account with an argon2-hashed password."""
    email = email.strip().lower()
    if "@" not in email:
        raise Invalid("Adresse e-mail invalide.", field="email")
    _check_password(password, field="password")
    if find_user_by_email(session, email=email) is not None:
        raise Conflict(f"Un compte existe déjà pour {email}.", field="email")
    user = User(email=email, full_name=full_name.strip(), role=role, password_hash="")
    user.password_hash = hash_password(password)
    session.add(user)
    session.flush()
    record(
        session,
        actor=actor,
        action="create",
        object_type="user",
        object_id=user.id,
        after=_public(user),
    )
    return user


def update_user(
    session: Session, *, user_id: int, role: Role, is_active: bool, actor: Actor
) -> User:
    """Changes an account's role or disables it; the last active admin cannot be demoted."""
    user = get_user(session, user_id=user_id)
    before = _public(user)
    losing_admin = user.role == Role.admin and (role != Role.admin or not is_active)
    if losing_admin and user.is_active and count_admins(session) <= 1:
        raise Conflict("Impossible : c'est le dernier compte administrateur actif.")
    user.role = role
    user.is_active = is_active
    if not is_active:
        end_all_sessions(session, user_id=user.id)
    session.flush()
    record(
        session,
        actor=actor,
        action="update",
        object_type="user",
        object_id=user.id,
        before=before,
        after=_public(user),
    )
    return user


def authenticate(
    session: Session,
    *,
    email: str,
    password: str,
    ip: str,
    settings: Settings,
    known_device: bool = False,
) -> User | None:
    """The user if the password is right; None otherwise, with the same answer for both causes."""
    email = email.strip().lower()
    check_allowed(session, settings=settings, email=email, ip=ip, known_device=known_device)
    user = find_user_by_email(session, email=email)
    valid = verify_password(password, user.password_hash if user else None)
    if user is None or not valid or not user.is_active:
        _failed(session, email=email, ip=ip, user=user, action="login_failed")
        return None
    return user


def _failed(session: Session, *, email: str, ip: str, user: User | None, action: str) -> None:
    record_failure(session, email=email, ip=ip)
    record(
        session,
        actor=Actor(user_id=None, label=email, ip=ip),
        action=action,
        object_type="user",
        object_id=user.id if user else "",
    )


def verify_second_factor(
    session: Session,
    *,
    user: User,
    code: str,
    ip: str,
    settings: Settings,
    known_device: bool = False,
) -> bool:
    """Checks the second step of a sign-in, throttled like the password."""
    check_allowed(session, settings=settings, email=user.email, ip=ip, known_device=known_device)
    if check_second_factor(session, user=user, code=code, settings=settings):
        return True
    _failed(session, email=user.email, ip=ip, user=user, action="second_factor_failed")
    return False


def record_sign_in(session: Session, *, user: User, ip: str) -> None:
    """Notes a completed sign-in (password, and second factor when enrolled)."""
    user.last_login_at = utcnow()
    record(
        session,
        actor=Actor(user_id=user.id, label=user.email, ip=ip),
        action="login",
        object_type="user",
        object_id=user.id,
    )


def change_password(session: Session, *, user: User, current: str, new: str, actor: Actor) -> None:
    """Replaces the user's password; every session of the account ends with the old one."""
    if not verify_password(current, user.password_hash):
        raise Invalid("Le mot de passe actuel est incorrect.", field="current_password")
    _check_password(new, field="new_password")
    user.password_hash = hash_password(new)
    end_all_sessions(session, user_id=user.id)
    record(session, actor=actor, action="password_changed", object_type="user", object_id=user.id)


def sign_out_everywhere(session: Session, *, user: User, actor: Actor) -> int:
    """Ends every session of the account; returns how many there were."""
    ended = end_all_sessions(session, user_id=user.id)
    record(session, actor=actor, action="logout_everywhere", object_type="user", object_id=user.id)
    return ended


def create_token(session: Session, *, user: User, name: str, actor: Actor) -> str:
    """Creates an API token for the user; the clear token is returned once and never stored."""
    token = new_api_token()
    api_token = ApiToken(user_id=user.id, name=name, token_hash=hash_api_token(token))
    session.add(api_token)
    session.flush()
    record(
        session,
        actor=actor,
        action="create",
        object_type="api_token",
        object_id=api_token.id,
        after={"user": user.email, "name": name},
    )
    return token


def user_for_token(session: Session, *, token: str) -> User | None:
    """The active user owning this unrevoked token, if any."""
    query = (
        select(User)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(
            ApiToken.token_hash == hash_api_token(token),
            ApiToken.revoked_at.is_(None),
            User.is_active,
        )
    )
    return session.scalar(query)
