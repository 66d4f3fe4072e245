"""Inbound e-mail: the few headers matching needs and a readable, charset-correct text body."""

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.errors import HeaderParseError, MessageError
from email.message import EmailMessage, MIMEPart
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr, parsedate_to_datetime
from html.parser import HTMLParser

from app.errors import AppError, Invalid
from app.replies.models import ReplyKind
from app.replies.robots import DeliveryReport, classify

MAX_MESSAGE_BYTES = 10 * 1024 * 1024
_MESSAGE_ID = re.compile(r"<[^<>\s]+>")
_ADDRESS_HEADERS = ("To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To")
_BLOCK_TAGS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "blockquote", "table"}
_SKIPPED_TAGS = {"script", "style", "head", "title"}


class TooLarge(AppError):
    status_code = 413
    default_message = "Le message dépasse la taille maximale autorisée (10 Mo)."


@dataclass(frozen=True)
class InboundEmail:
    """What matching and the tray need from one received e-mail."""

    message_id: str | None
    references: list[str]
    recipients: list[str]
    sender: str
    subject: str
    date: datetime | None
    body: str
    kind: ReplyKind = ReplyKind.reply
    report: DeliveryReport | None = None


class _TextExtractor(HTMLParser):
    """Visible text of an HTML part: tags dropped, scripts and styles skipped, blocks on lines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED_TAGS:
            self.skipping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Plain text from HTML, without ever rendering or trusting the markup."""
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    lines = (
        re.sub(r"[ \t\xa0]+", " ", line).strip() for line in "".join(extractor.parts).split("\n")
    )
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _message_ids(value: str | None) -> list[str]:
    return _MESSAGE_ID.findall(value or "")


def _header(message: EmailMessage, name: str) -> str | None:
    try:
        value = message.get(name)
    except (HeaderParseError, ValueError, IndexError):
        return None
    return None if value is None else str(value)


def _addresses(message: EmailMessage, names: tuple[str, ...]) -> list[str]:
    values: list[str] = []
    for name in names:
        try:
            values.extend(str(v) for v in message.get_all(name) or [])
        except (HeaderParseError, ValueError, IndexError):
            continue
    return [addr.lower() for _, addr in getaddresses(values) if "@" in addr]


def _date(message: EmailMessage) -> datetime | None:
    raw = _header(message, "Date")
    if not raw:
        return None
    try:
        parsed = parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _part_text(part: MIMEPart) -> str:
    try:
        content = part.get_content()
    except (LookupError, ValueError, AssertionError):
        # Unknown or lying charset: keep what can be read rather than lose the reply.
        payload = part.get_payload(decode=True)
        content = payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else ""
    return content if isinstance(content, str) else ""


def _body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    text = _part_text(part)
    if part.get_content_type() == "text/html":
        text = html_to_text(text)
    return text.replace("\r\n", "\n").strip()


def parse_email(raw: bytes) -> InboundEmail:
    """Parses a raw RFC 822 message; refuses what is too large or is not an e-mail at all."""
    if len(raw) > MAX_MESSAGE_BYTES:
        raise TooLarge()
    if not raw.strip():
        raise Invalid("Le message est vide.")
    try:
        message = BytesParser(policy=policy.default).parsebytes(raw)
    except (MessageError, ValueError) as exc:
        raise Invalid(f"Le message n'a pas pu être lu : {exc}") from exc
    assert isinstance(message, EmailMessage)
    sender = parseaddr(_header(message, "From") or "")[1].lower()
    if not sender and not _header(message, "Message-ID"):
        raise Invalid("Ce contenu n'est pas un e-mail (aucun en-tête From ni Message-ID).")
    ids = _message_ids(_header(message, "Message-ID"))
    references = _message_ids(_header(message, "In-Reply-To")) + _message_ids(
        _header(message, "References")
    )
    subject = (_header(message, "Subject") or "").strip()[:300]
    kind, report = classify(message, sender=sender, subject=subject)
    return InboundEmail(
        message_id=ids[0] if ids else None,
        references=list(dict.fromkeys(references)),
        recipients=_addresses(message, _ADDRESS_HEADERS),
        sender=sender,
        subject=subject,
        date=_date(message),
        body=_body(message),
        kind=kind,
        report=report,
    )
