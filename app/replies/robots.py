"""Telling an official's answer from a robot's: auto-replies (RFC 3834 and the usual subjects)
and delivery reports (RFC 3464 and the common non-standard bounces)."""

import re
from dataclasses import dataclass
from email import policy
from email.errors import HeaderParseError, MessageError
from email.message import EmailMessage, Message
from email.parser import BytesParser, HeaderParser

from app.replies.models import ReplyKind
from app.text import fold

_AUTO_PRECEDENCE = {"auto_reply", "bulk", "junk"}
_AUTO_HEADERS = ("X-Autoreply", "X-Autorespond", "X-Autoresponder")
# Subjects folded to [a-z0-9 ]: « RE: Réponse automatique : … » → « re reponse automatique … ».
_AUTO_SUBJECT = re.compile(
    r"^(?:(?:re|tr|fw|fwd|aw|wg|ref)\s+)*(?:absent|absente|absence|out of (?:the )?office"
    r"|automatic reply|auto ?reply|auto response|autosvar|automatisk svar|abwesenheit"
    r"|reponse automatique|message automatique|accuse de reception|en conge|conges)\b"
)
_AUTO_SUBJECT_ANYWHERE = re.compile(
    r"\b(?:out of (?:the )?office|reponse automatique|automatic reply|message automatique)\b"
)
_BOUNCE_SUBJECT = re.compile(
    r"^(?:undelivered mail returned to sender|delivery status notification \(failure\)"
    r"|undeliverable|non remis|non distribuable|mail delivery failed|returned mail"
    r"|delivery failure|failure notice|mail delivery failure|echec de la remise"
    r"|message non remis|delivery has failed)",
    re.IGNORECASE,
)
_DAEMONS = re.compile(r"^(?:mailer-daemon|postmaster|mail-daemon|mailerdaemon)@", re.IGNORECASE)
_STATUS = re.compile(r"(?<![\d.])([245])\.(\d{1,3})\.(\d{1,3})(?![\d.])")
_SMTP_LINE = re.compile(r"(?:^|\s)([45]\d\d[ -][^\n]{8,})$", re.MULTILINE)
_MESSAGE_ID_LINE = re.compile(r"^\s*Message-ID:\s*(<[^<>\s]+>)", re.IGNORECASE | re.MULTILINE)
_RECIPIENT = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")


@dataclass(frozen=True)
class DeliveryReport:
    """What a delivery report says about one message we sent."""

    failed: bool
    original_message_id: str | None
    recipient: str
    status: str
    diagnostic: str


def _header(message: Message, name: str) -> str:
    try:
        value = message.get(name)
    except (HeaderParseError, ValueError, IndexError):
        return ""
    return "" if value is None else str(value).strip()


def is_auto_reply(message: EmailMessage, subject: str) -> bool:
    """RFC 3834 Auto-Submitted, the X-Autoreply family, Precedence, or an out-of-office subject."""
    auto_submitted = _header(message, "Auto-Submitted").split(";")[0].strip().lower()
    if auto_submitted and auto_submitted != "no":
        return True
    for name in _AUTO_HEADERS:
        if _header(message, name) and _header(message, name).lower() not in {"no", "false"}:
            return True
    if _header(message, "Precedence").lower() in _AUTO_PRECEDENCE:
        return True
    folded = fold(subject)
    return bool(_AUTO_SUBJECT.match(folded) or _AUTO_SUBJECT_ANYWHERE.search(folded))


def _parts(message: Message) -> list[Message]:
    """The message and its MIME parts, without descending into an attached message."""
    parts = [message]
    if message.get_content_maintype() == "multipart":
        for part in message.get_payload():
            if isinstance(part, Message):
                parts.extend(_parts(part))
    return parts


def _status_blocks(message: EmailMessage) -> list[Message]:
    """The field blocks of the message/delivery-status part (per message, then per recipient)."""
    for part in _parts(message):
        if part.get_content_type() in ("message/delivery-status", "message/global-delivery-status"):
            payload = part.get_payload()
            if isinstance(payload, list):
                return [block for block in payload if isinstance(block, Message)]
            if isinstance(payload, str):
                return [HeaderParser().parsestr(chunk) for chunk in payload.split("\n\n")]
    return []


def _original_headers(message: EmailMessage) -> Message | None:
    """The headers of the message we sent, attached whole or as text/rfc822-headers."""
    for part in _parts(message):
        content_type = part.get_content_type()
        if content_type in ("message/rfc822", "message/global"):
            payload = part.get_payload()
            inner = payload[0] if isinstance(payload, list) and payload else payload
            if isinstance(inner, Message):
                return inner
        if content_type == "text/rfc822-headers":
            raw = part.get_payload(decode=True)
            if isinstance(raw, bytes):
                try:
                    return BytesParser(policy=policy.default).parsebytes(raw, headersonly=True)
                except (MessageError, ValueError):
                    return None
    return None


def _text(message: EmailMessage) -> str:
    chunks: list[str] = []
    for part in _parts(message):
        if part.get_content_type() in ("text/plain", "text/html"):
            raw = part.get_payload(decode=True)
            if isinstance(raw, bytes):
                charset = part.get_content_charset() or "utf-8"
                try:
                    chunks.append(raw.decode(charset, errors="replace"))
                except LookupError:
                    chunks.append(raw.decode("utf-8", errors="replace"))
    return "\n".join(chunks)


def _first_id(value: str) -> str | None:
    found = re.search(r"<[^<>\s]+>", value)
    return found.group(0) if found else None


def _from_status_fields(blocks: list[Message]) -> tuple[bool, str, str, str] | None:
    recipients = [b for b in blocks if _header(b, "Action") or _header(b, "Final-Recipient")]
    if not recipients:
        return None
    failed = [b for b in recipients if _header(b, "Action").lower() == "failed"]
    block = (failed or recipients)[0]
    recipient = _header(block, "Final-Recipient") or _header(block, "Original-Recipient")
    diagnostic = _header(block, "Diagnostic-Code")
    return (
        bool(failed),
        recipient.split(";")[-1].strip().lower(),
        _header(block, "Status"),
        diagnostic.split(";", 1)[-1].strip() if ";" in diagnostic else diagnostic,
    )


def _from_text(text: str) -> tuple[str, str, str]:
    status = _STATUS.search(text)
    smtp = _SMTP_LINE.search(text)
    recipient = _RECIPIENT.search(text)
    return (
        recipient.group(0).lower() if recipient else "",
        status.group(0) if status else "",
        smtp.group(1).strip() if smtp else "",
    )


def delivery_report(message: EmailMessage, *, sender: str, subject: str) -> DeliveryReport | None:
    """The report if this message is one (RFC 3464 or a known bounce shape), else None."""
    content_type = message.get_content_type()
    report_type = str(message.get_param("report-type", "") or "").lower()
    standard = content_type == "multipart/report" and report_type == "delivery-status"
    if not standard and not (_BOUNCE_SUBJECT.match(subject.strip()) or _DAEMONS.match(sender)):
        return None
    original = _original_headers(message)
    text = _text(message)
    original_id = _first_id(_header(original, "Message-ID")) if original is not None else None
    if original_id is None:
        found = _MESSAGE_ID_LINE.search(text)
        original_id = found.group(1) if found else None
    fields = _from_status_fields(_status_blocks(message))
    guessed = _from_text(text)
    if fields is None:
        if not standard and original is None and original_id is None:
            return None  # a postmaster writing by hand, not a report
        failed, recipient, status, diagnostic = True, *guessed
    else:
        failed, recipient, status, diagnostic = fields
        status = status or guessed[1]
        diagnostic = diagnostic or guessed[2]
    if recipient and original is not None and not _RECIPIENT.fullmatch(recipient):
        recipient = _header(original, "To")
    return DeliveryReport(
        failed=failed or status.startswith("5"),
        original_message_id=original_id,
        recipient=recipient[:254],
        status=status[:20],
        diagnostic=re.sub(r"\s+", " ", diagnostic).strip()[:2000],
    )


def classify(
    message: EmailMessage, *, sender: str, subject: str
) -> tuple[ReplyKind, DeliveryReport | None]:
    """Who wrote this: a delivery robot (with its report), an auto-responder, or a person."""
    try:
        report = delivery_report(message, sender=sender, subject=subject)
    except (MessageError, HeaderParseError, ValueError, LookupError, TypeError):
        # A report too broken to read still reaches staff, in the tray, rather than get lost.
        report = None
    if report is not None:
        return (ReplyKind.bounce if report.failed else ReplyKind.delivery_notice), report
    if is_auto_reply(message, subject):
        return ReplyKind.auto_reply, None
    return ReplyKind.reply, None
