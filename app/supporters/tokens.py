"""Signed links sent to supporters: confirm a request, reach one's own data."""

import hashlib
import hmac
from functools import lru_cache
from typing import Any

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app.config import Settings
from app.errors import Invalid, NotFound

CONFIRM = "supporter-confirm"
MY_DATA = "supporter-data"
SURVEY = "supporter-survey"
UNSUBSCRIBE = "supporter-unsubscribe"


@lru_cache(maxsize=8)
def _serializer(secret: str, purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt=purpose)


def sign(settings: Settings, purpose: str, payload: Any) -> str:
    """A URL-safe signed token carrying `payload` for one purpose."""
    return _serializer(settings.session_secret(), purpose).dumps(payload)


def read(settings: Settings, purpose: str, token: str, *, max_age_seconds: int | None) -> Any:
    """The payload of a valid token; NotFound if forged, Invalid if too old."""
    try:
        return _serializer(settings.session_secret(), purpose).loads(token, max_age=max_age_seconds)
    except SignatureExpired as exc:
        raise Invalid(
            "Ce lien a expiré : votre demande n'a pas été envoyée. Vous pouvez recommencer "
            "depuis la page de la campagne."
        ) from exc
    except BadSignature as exc:
        raise NotFound("Ce lien n'est pas valide : vérifiez qu'il est complet.") from exc


def email_key(settings: Settings, email: str) -> str:
    """A keyed hash of an e-mail: counts per person without storing who they are."""
    secret = settings.session_secret().encode()
    return hmac.new(secret, email.strip().lower().encode(), hashlib.sha256).hexdigest()
