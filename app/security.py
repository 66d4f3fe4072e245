"""Who is acting, passwords (argon2), API tokens (stored hashed) and CSRF tokens."""

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from pwdlib import PasswordHash


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
