"""Who is acting, passwords (argon2), API tokens (stored hashed), CSRF tokens, and the sealing
of the secrets that must be read back (TOTP), encrypted with a key derived from the app's own."""

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from pwdlib import PasswordHash

SEALED_PREFIX = "fernet:"


@dataclass(frozen=True)
class Actor:
    """Who is acting: a signed-in user, a token holder, or the system (CLI, worker)."""

    user_id: int | None
    label: str
    ip: str = ""

    @classmethod
    def system(cls, label: str = "système") -> "Actor":
        return cls(user_id=None, label=label)


_password_hash = PasswordHash.recommended()
# Checked against when the account does not exist, so both answers take the same time.
_DUMMY_HASH = _password_hash.hash("plaidoyer-dummy-password")


def hash_password(password: str) -> str:
    return _password_hash.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    """Checks a password; with no hash, still spends the time of a real check."""
    if password_hash is None:
        _password_hash.verify(password, _DUMMY_HASH)
        return False
    return _password_hash.verify(password, password_hash)


def new_api_token() -> str:
    return "plt_" + secrets.token_urlsafe(32)


def hash_api_token(token: str) -> str:
    """Tokens are long random strings, so a fast hash is enough (unlike passwords)."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


def hash_session_token(token: str) -> str:
    """Session ids are random like API tokens: a leaked table gives no live cookie."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_recovery_code() -> str:
    """Ten lowercase letters and digits in two groups, easy to copy from paper."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    letters = "".join(secrets.choice(alphabet) for _ in range(10))
    return f"{letters[:5]}-{letters[5:]}"


def new_csrf_token() -> str:
    return secrets.token_urlsafe(32)


def same_token(expected: str | None, given: str | None) -> bool:
    return bool(expected and given) and hmac.compare_digest(str(expected), str(given))


def _fernet(app_secret: str) -> Fernet:
    """Fernet (AES-128-CBC and HMAC-SHA256) under a key of its own, derived from the app's."""
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"plaidoyer sealed secrets"
    ).derive(app_secret.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def seal(app_secret: str, value: str) -> str:
    """`value` encrypted and authenticated, to store where a database dump may be read."""
    return SEALED_PREFIX + _fernet(app_secret).encrypt(value.encode()).decode()


def unseal(app_secret: str, stored: str) -> str | None:
    """The sealed value back; a value stored before sealing existed as is; None when the key
    has changed since (PLAIDOYER_SECRET_KEY) or the value was tampered with."""
    if not stored.startswith(SEALED_PREFIX):
        return stored
    try:
        return _fernet(app_secret).decrypt(stored.removeprefix(SEALED_PREFIX)).decode()
    except InvalidToken:
        return None
