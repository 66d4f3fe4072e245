"""The second factor: TOTP codes from an authenticator app, and one-time recovery codes."""

import hmac
import logging
import re
import time

import pyotp
import segno
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.audit.service import record
from app.config import Settings
from app.db import utcnow
from app.errors import Conflict, Invalid
from app.security import Actor, hash_password, new_recovery_code, seal, unseal, verify_password
from app.users.models import RecoveryCode, Role, User
from app.users.sessions import end_all_sessions

logger = logging.getLogger(__name__)
ISSUER = "Plaidoyer"
LEADER_ROLES = {Role.admin, Role.director}
RECOVERY_CODE_COUNT = 10
_TOTP_CODE = re.compile(r"^\d{6}$")


def must_enrol(user: User, *, settings: Settings) -> bool:
    """Whether this account must enrol before using anything else."""
    required = settings.totp_required_for_leaders and user.role in LEADER_ROLES
    return required and user.totp_secret is None


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(*, secret: str, email: str) -> str:
    """The otpauth:// address an authenticator app reads (as text or as a QR code)."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def qr_code(uri: str) -> str:
    """The address as a QR code, an SVG data: URI for an <img>."""
    return str(segno.make(uri, error="m").svg_data_uri(scale=4, border=2))


def _normalised(code: str) -> str:
    return re.sub(r"\s", "", code).lower()


def _accept_totp(user: User, secret: str, code: str) -> bool:
    """The code of the previous, current or next 30-second step, each accepted only once."""
    totp = pyotp.TOTP(secret)
    current = int(time.time() // totp.interval)
    for step in (current - 1, current, current + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            if user.totp_last_step is not None and step <= user.totp_last_step:
                return False
            user.totp_last_step = step
            return True
    return False


def _new_recovery_codes(session: Session, *, user: User) -> list[str]:
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    session.add_all(RecoveryCode(user_id=user.id, code_hash=hash_password(c)) for c in codes)
    session.flush()
    return codes


def enrol(
    session: Session, *, user: User, secret: str, code: str, actor: Actor, settings: Settings
) -> list[str]:
    """Turns the second factor on once the app shows the right code; returns recovery codes.
    The secret is stored sealed: a copy of the database alone cannot produce codes."""
    user.totp_last_step = None
    if not _accept_totp(user, secret, _normalised(code)):
        raise Invalid(
            "Code incorrect : saisissez le code à 6 chiffres affiché par l'application.",
            field="code",
        )
    user.totp_secret = seal(settings.session_secret(), secret)
    codes = _new_recovery_codes(session, user=user)
    record(session, actor=actor, action="totp_enabled", object_type="user", object_id=user.id)
    return codes


def regenerate_recovery_codes(session: Session, *, user: User, actor: Actor) -> list[str]:
    """New recovery codes; the old ones stop working."""
    if user.totp_secret is None:
        raise Conflict("La double authentification n'est pas activée.")
    codes = _new_recovery_codes(session, user=user)
    record(session, actor=actor, action="recovery_codes", object_type="user", object_id=user.id)
    return codes


def _remove(session: Session, *, user: User) -> None:
    user.totp_secret = None
    user.totp_last_step = None
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))


def disable(session: Session, *, user: User, settings: Settings, actor: Actor) -> None:
    """Turns the second factor off, unless the account's role requires it."""
    if settings.totp_required_for_leaders and user.role in LEADER_ROLES:
        raise Conflict("La double authentification est obligatoire pour votre rôle.")
    _remove(session, user=user)
    record(session, actor=actor, action="totp_disabled", object_type="user", object_id=user.id)


def reset(session: Session, *, user: User, actor: Actor) -> None:
    """An administrator's remedy for a lost phone and lost recovery codes: the second factor and
    the codes are removed and the account signed out everywhere; a role that requires the second
    factor enrols again at the next sign-in."""
    if user.totp_secret is None:
        raise Conflict(f"{user.email} n'a pas activé la double authentification.")
    _remove(session, user=user)
    end_all_sessions(session, user_id=user.id)
    record(session, actor=actor, action="totp_reset", object_type="user", object_id=user.id)


def check_second_factor(session: Session, *, user: User, code: str, settings: Settings) -> bool:
    """A current TOTP code, or an unused recovery code (then used up)."""
    if user.totp_secret is None:
        return False
    code = _normalised(code)
    if _TOTP_CODE.match(code):
        secret = unseal(settings.session_secret(), user.totp_secret)
        if secret is None:
            logger.error(
                "Secret TOTP illisible pour le compte %s : PLAIDOYER_SECRET_KEY a changé depuis "
                "son activation. Codes de secours, ou « plaidoyer user reset-2fa ».",
                user.id,
            )
            return False
        if user.totp_secret == secret:  # stored before secrets were sealed: seal it now
            user.totp_secret = seal(settings.session_secret(), secret)
        return _accept_totp(user, secret, code)
    unused = session.scalars(
        select(RecoveryCode).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    )
    for recovery in unused:
        if verify_password(code, recovery.code_hash):
            recovery.used_at = utcnow()
            session.flush()
            return True
    return False


def recovery_codes_left(session: Session, *, user_id: int) -> int:
    """How many recovery codes the account can still use."""
    query = select(func.count(RecoveryCode.id)).where(
        RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None)
    )
    return session.scalar(query) or 0
