"""The association's identity: environment values first, then what admins set, audited."""

import re
from dataclasses import asdict, dataclass, fields
from email.headerregistry import Address
from email.utils import parseaddr
from typing import cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.service import record
from app.config import Settings
from app.errors import Invalid
from app.organisation.models import ORGANISATION_ID, Organisation
from app.organisation.postal import checked_address
from app.security import Actor

_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9-]{1,63}$")
_LINE_BREAK = re.compile(r"[\r\n\x00\u2028\u2029\x85]")
LOGO_MAX_BYTES = 200_000
LOGO_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
FIELD_LABELS = {
    "name": "Nom de l'association",
    "postal_address": "Adresse postale",
    "signatory_name": "Nom du signataire",
    "signatory_title": "Qualité du signataire",
    "sender_name": "Nom affiché de l'expéditeur",
    "sender_email": "Adresse d'expédition",
    "reply_domain": "Domaine des réponses",
    "footer": "Mention de bas de page",
}
_LENGTHS = {"name": 120, "signatory_name": 120, "signatory_title": 120, "sender_name": 120,
            "sender_email": 254, "reply_domain": 253, "footer": 200}  # fmt: skip
_REQUIRED = ("name", "sender_email", "reply_domain")
_CACHE_KEY = "organisation.identity"


@dataclass(frozen=True)
class Identity:
    """What letters, e-mails and pages say of the association."""

    name: str
    postal_address: str
    signatory_name: str
    signatory_title: str
    sender_name: str
    sender_email: str
    reply_domain: str
    footer: str
    has_logo: bool = False

    @property
    def mail_from(self) -> str:
        """`Display name <address>`, as the From header shows it (the mail refuses it if bad)."""
        name = self.sender_name or self.name
        try:
            return str(Address(display_name=name, addr_spec=self.sender_email))
        except (ValueError, IndexError):
            return f"{name} <{self.sender_email}>"


def email_signature(identity: Identity) -> str:
    """The association under its e-mails (a printed letter has its sender block instead)."""
    lines = [identity.name, *identity.postal_address.splitlines(), identity.footer]
    return "-- \n" + "\n".join(line for line in lines if line)


class IdentityInvalid(Invalid):
    """Every field refused, each with its French message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(" ".join(errors.values()), field=next(iter(errors)))
        self.errors = errors


def defaults(settings: Settings) -> Identity:
    """The identity the environment gives before an admin sets one."""
    display, email = parseaddr(settings.mail_from)
    name = settings.organisation_name or display or "Plaidoyer"
    address = [part.strip() for part in settings.organisation_address.split("|")]
    return Identity(
        name=name,
        postal_address="\n".join(part for part in address if part),
        signatory_name=settings.organisation_signatory,
        signatory_title=settings.organisation_signatory_title,
        sender_name="",  # empty: the association's name, whatever it becomes
        sender_email=email,
        reply_domain=settings.mail_reply_domain,
        footer=settings.organisation_footer,
    )


def _identity(row: Organisation) -> Identity:
    return Identity(
        **{f.name: getattr(row, f.name) for f in fields(Identity) if f.name != "has_logo"},
        has_logo=row.logo is not None,
    )


def get_identity(session: Session, *, settings: Settings) -> Identity:
    """The association as admins set it, else as the environment gives it; read once per
    session (a campaign's 961 e-mails ask for it 961 times), forgotten when it changes."""
    cached = session.info.get(_CACHE_KEY)
    if cached is not None and cached[0] is settings:
        return cast(Identity, cached[1])
    row = session.get(Organisation, ORGANISATION_ID)
    identity = defaults(settings) if row is None else _identity(row)
    session.info[_CACHE_KEY] = (settings, identity)
    return identity


def association_name(session: Session, *, settings: Settings) -> str:
    """Only the name (one column read): what every page footer shows."""
    name = session.scalar(select(Organisation.name).where(Organisation.id == ORGANISATION_ID))
    return name or defaults(settings).name


def _problems(values: dict[str, str]) -> dict[str, str]:
    errors: dict[str, str] = {}
    for name, limit in _LENGTHS.items():
        if _LINE_BREAK.search(values[name]):
            errors[name] = "Une seule ligne : retirez le retour à la ligne."
        elif len(values[name]) > limit:
            errors[name] = f"{limit} caractères au plus."
    for name in _REQUIRED:
        if not values[name]:
            errors.setdefault(name, "Ce champ est obligatoire.")
    try:
        values["postal_address"] = checked_address(
            values["postal_address"], field="postal_address", max_lines=5
        )
    except Invalid as exc:
        errors["postal_address"] = exc.message
    if "sender_email" not in errors:
        try:
            address = Address(addr_spec=values["sender_email"])
            valid = bool(address.username and address.domain) and address.addr_spec.isascii()
        except (ValueError, IndexError):
            valid = False
        if not valid:
            errors["sender_email"] = "Adresse e-mail invalide (par exemple contact@asso.fr)."
    if "reply_domain" not in errors and not _DOMAIN.match(values["reply_domain"].lower()):
        errors["reply_domain"] = "Nom de domaine invalide (par exemple reponses.asso.fr)."
    return errors


def update_identity(
    session: Session, *, values: dict[str, str], actor: Actor, settings: Settings
) -> Identity:
    """Saves what an admin typed (every field checked at once), audited with before/after."""
    cleaned = {name: values.get(name, "").strip() for name in FIELD_LABELS}
    errors = _problems(cleaned)
    if errors:
        raise IdentityInvalid(errors)
    before = asdict(get_identity(session, settings=settings))
    row = session.get(Organisation, ORGANISATION_ID)
    if row is None:
        row = Organisation(id=ORGANISATION_ID, **cleaned)
        session.add(row)
    else:
        for name, value in cleaned.items():
            setattr(row, name, value)
    session.flush()
    session.info.pop(_CACHE_KEY, None)
    changed = [name for name in cleaned if before[name] != cleaned[name]]
    if changed:
        record(
            session,
            actor=actor,
            action="organisation.update",
            object_type="organisation",
            object_id=ORGANISATION_ID,
            before={name: before[name] for name in changed},
            after={name: cleaned[name] for name in changed},
        )
    return _identity(row)


def _stored_row(session: Session, settings: Settings) -> Organisation:
    row = session.get(Organisation, ORGANISATION_ID)
    if row is None:
        identity = defaults(settings)
        row = Organisation(
            id=ORGANISATION_ID,
            **{f.name: getattr(identity, f.name) for f in fields(Identity) if f.name != "has_logo"},
        )
        session.add(row)
    return row


def logo_type(data: bytes) -> str:
    """The image type of an uploaded logo (PNG or JPEG), or Invalid with what to do."""
    if not data:
        raise Invalid("Choisissez un fichier image.", field="logo")
    if len(data) > LOGO_MAX_BYTES:
        raise Invalid(f"Logo trop lourd : {LOGO_MAX_BYTES // 1000} ko au plus.", field="logo")
    for magic, media_type in LOGO_TYPES.items():
        if data.startswith(magic):
            return media_type
    raise Invalid("Le logo doit être une image PNG ou JPEG.", field="logo")


def set_logo(session: Session, *, data: bytes | None, actor: Actor, settings: Settings) -> None:
    """Stores the logo (checked: PNG or JPEG, 200 ko at most), or removes it with None."""
    media_type = logo_type(data) if data is not None else ""
    row = _stored_row(session, settings)
    had_logo = row.logo is not None
    row.logo, row.logo_type = data, media_type
    session.flush()
    session.info.pop(_CACHE_KEY, None)
    record(
        session,
        actor=actor,
        action="organisation.logo",
        object_type="organisation",
        object_id=ORGANISATION_ID,
        before={"logo": "oui" if had_logo else "non"},
        after={"logo": f"{media_type}, {len(data)} octets" if data is not None else "non"},
    )


def get_logo(session: Session) -> tuple[bytes, str] | None:
    """The logo's bytes and media type, if one was uploaded."""
    row = session.execute(
        select(Organisation.logo, Organisation.logo_type).where(Organisation.id == ORGANISATION_ID)
    ).first()
    if row is None or row.logo is None:
        return None
    return row.logo, row.logo_type


def mail_settings(session: Session, *, settings: Settings) -> Settings:
    """The settings with the association's sender and reply domain, for one e-mail batch."""
    identity = get_identity(session, settings=settings)
    return settings.model_copy(
        update={"mail_from": identity.mail_from, "mail_reply_domain": identity.reply_domain}
    )
