"""Message-IDs, reply addresses and the RFC 5322 message built from an outbox row."""

import binascii
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from email.charset import BASE64, Charset
from email.header import Header
from email.headerregistry import Address
from email.utils import format_datetime, formataddr, parseaddr
from functools import lru_cache
from typing import Protocol

from app.config import Settings
from app.db import utcnow
from app.errors import Invalid

_LINE_BREAKS = re.compile(r"[\r\n\x00\u2028\u2029\x85]")
_UNSAFE_FILENAME = re.compile(r"[^A-Za-z0-9._@+-]")


def new_message_id(domain: str) -> str:
    """A fresh, globally unique Message-ID for one letter, kept for every retry."""
    return f"<plaidoyer.{secrets.token_hex(16)}@{domain}>"


def new_reply_token() -> str:
    """A random token to put in the Reply-To address so a reply finds its letter."""
    return secrets.token_hex(16)


def check_header(value: str, *, label: str) -> str:
    """Refuse a header value carrying a line break: it could smuggle in extra headers."""
    if _LINE_BREAKS.search(value):
        raise Invalid(
            f"{label} contient un retour à la ligne, ce qui est interdit dans un en-tête d'e-mail. "
            "Retirez-le puis réessayez.",
            field=label,
        )
    return value


def address(display_name: str, addr_spec: str, *, label: str) -> Address:
    """A checked address; non-ASCII display names are encoded when the message is written."""
    check_header(display_name, label=label)
    check_header(addr_spec, label=label)
    try:
        result = Address(display_name=display_name, addr_spec=addr_spec)
    except (ValueError, IndexError) as exc:
        raise Invalid(
            f"{label} : l'adresse « {addr_spec} » n'est pas valide.", field=label
        ) from exc
    if not result.username or not result.domain:
        raise Invalid(f"{label} : l'adresse « {addr_spec} » n'est pas valide.", field=label)
    return result


def sender(settings: Settings) -> Address:
    """The From address configured in PLAIDOYER_MAIL_FROM."""
    name, addr = parseaddr(settings.mail_from)
    return address(name, addr, label="Adresse d'expédition")


def reply_address(token: str, settings: Settings) -> str:
    """`<local>+<token>@<reply domain>`: the address a reply to this letter comes back to."""
    check_header(token, label="Jeton de réponse")
    local = sender(settings).username.split("+", 1)[0]
    return f"{local}+{token}@{settings.mail_reply_domain}"


class Draft(Protocol):
    """What a message is built from: an outbox row, as the ORM or a claim returns it."""

    @property
    def message_id(self) -> str: ...
    @property
    def from_address(self) -> str: ...
    @property
    def to_address(self) -> str: ...
    @property
    def reply_to(self) -> str: ...
    @property
    def subject(self) -> str: ...
    @property
    def body(self) -> str: ...
    @property
    def created_at(self) -> datetime | None: ...
    @property
    def list_unsubscribe(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One message ready for the wire: its SMTP envelope and its bytes (CRLF line ends)."""

    message_id: str
    sender: str
    recipients: list[str]
    data: bytes


# Base64 encoded-words: their length is computed in C, where quoted-printable's is not.
_UTF8 = Charset("utf-8")
_UTF8.header_encoding = BASE64
_CRLF = "\r\n"
_BODY_HEADERS = (
    "MIME-Version: 1.0\r\n"
    'Content-Type: text/plain; charset="utf-8"\r\n'
    "Content-Transfer-Encoding: quoted-printable\r\n"
)


def _encoded(value: str, name: str) -> str:
    # The email.policy machinery parses then refolds every header, ten times slower than this.
    charset = "us-ascii" if value.isascii() else _UTF8
    return Header(value, charset, header_name=name).encode(linesep=_CRLF)


@lru_cache(maxsize=1024)
def _mailbox(header: str, value: str, label: str) -> tuple[str, str]:
    """(header text, addr-spec) of one stored address; the sender's is the same for every row."""
    name, addr = parseaddr(check_header(value, label=label))
    if not addr.isascii() or "@" not in addr:
        raise Invalid(f"{label} : l'adresse « {value} » ne peut être envoyée.", field=label)
    if not name:
        return addr, addr
    phrase = (
        formataddr((name, addr)).removesuffix(f" <{addr}>")
        if name.isascii()
        else _encoded(name, header)
    )
    lines = phrase.split(_CRLF)
    width = len(lines[-1]) + (len(header) + 2 if len(lines) == 1 else 0) + len(addr) + 3
    return f"{phrase}{' ' if width <= 78 else _CRLF + ' '}<{addr}>", addr


def render(row: Draft) -> Outgoing:
    """The message exactly as it leaves: encoded headers, UTF-8 quoted-printable body."""
    from_, sender_addr = _mailbox("From", row.from_address, "Expéditeur")
    to, recipient = _mailbox("To", row.to_address, "Destinataire")
    headers = [f"From: {from_}", f"To: {to}"]
    if row.reply_to:
        headers.append(f"Reply-To: {_mailbox('Reply-To', row.reply_to, 'Adresse de réponse')[0]}")
    headers.append(f"Subject: {_encoded(check_header(row.subject, label='Objet'), 'Subject')}")
    headers.append(f"Date: {format_datetime(row.created_at or utcnow())}")
    headers.append(f"Message-ID: {check_header(row.message_id, label='Message-ID')}")
    if row.list_unsubscribe:
        # RFC 2369 and RFC 8058: a mail client's « unsubscribe » button POSTs to the URL at once.
        url = check_header(row.list_unsubscribe, label="Désabonnement")
        headers.append(f"List-Unsubscribe: <{url}>")
        headers.append("List-Unsubscribe-Post: List-Unsubscribe=One-Click")
    # Line ends as set_content normalises them; b2a_qp writes CRLF when the first line ends so.
    text = b"\r\n".join(row.body.encode("utf-8").splitlines()) + b"\r\n"
    head = _CRLF.join(headers) + _CRLF + _BODY_HEADERS + _CRLF
    data = head.encode("ascii") + binascii.b2a_qp(text, istext=True)
    return Outgoing(row.message_id, sender_addr, [recipient], data)


def eml_filename(message_id: str) -> str:
    """A file name safe on any file system, derived from the Message-ID."""
    return _UNSAFE_FILENAME.sub("_", message_id.strip("<>")) + ".eml"
