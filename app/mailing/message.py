"""Message-IDs, reply addresses and the RFC 5322 message built from an outbox row."""

import re
import secrets
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, parseaddr

from app.config import Settings
from app.db import utcnow
from app.errors import Invalid
from app.mailing.models import OutboxMessage

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


def build_email(row: OutboxMessage) -> EmailMessage:
    """The message exactly as it leaves: encoded headers, UTF-8 quoted-printable body."""
    message = EmailMessage(policy=SMTP)
    message["From"] = check_header(row.from_address, label="Expéditeur")
    message["To"] = check_header(row.to_address, label="Destinataire")
    if row.reply_to:
        message["Reply-To"] = check_header(row.reply_to, label="Adresse de réponse")
    message["Subject"] = check_header(row.subject, label="Objet")
    message["Date"] = format_datetime(row.created_at or utcnow())
    message["Message-ID"] = check_header(row.message_id, label="Message-ID")
    message.set_content(row.body, charset="utf-8", cte="quoted-printable")
    return message


def envelope(message: EmailMessage) -> tuple[str, list[str]]:
    """The SMTP envelope (MAIL FROM, RCPT TO) taken from the parsed headers."""
    from_ = message["From"].addresses[0].addr_spec
    to = [addr.addr_spec for addr in message["To"].addresses]
    return from_, to


def eml_filename(message_id: str) -> str:
    """A file name safe on any file system, derived from the Message-ID."""
    return _UNSAFE_FILENAME.sub("_", message_id.strip("<>")) + ".eml"
