"""Postal letters laid out for a window envelope: sender and recipient blocks (La Poste: 6 lines
of 38 characters), the date, the signature; what is missing, said rather than guessed."""

from dataclasses import dataclass
from typing import Literal

from sqlalchemy.orm import Session

from app.campaigns.outreach import printable_letters
from app.config import Settings
from app.letters.models import Letter
from app.officials.models import Official, OfficialKind
from app.organisation.ministries import minister_posts
from app.organisation.postal import AddressBlock, envelope_block
from app.organisation.service import Identity, get_identity
from app.templating.addressing import is_woman, office_title
from app.templating.context import french_date


@dataclass(frozen=True)
class Missing:
    """Something the letter cannot go without, and where staff fill it in: a ministry's page,
    the list of ministries, an official's page or the association's."""

    what: str
    where: Literal["ministry", "ministries", "official", "organisation"]
    target_id: int | None = None


@dataclass(frozen=True)
class Sheet:
    letter: Letter
    official: Official
    recipient: AddressBlock
    date: str
    signed_in_text: bool
    missing: list[Missing]


@dataclass(frozen=True)
class PrintRun:
    identity: Identity
    sender: AddressBlock
    sheets: list[Sheet]
    missing: list[Missing]

    @property
    def to_complete(self) -> list[Missing]:
        """Everything missing, once each (ten ministers of one ministry: one address)."""
        seen: list[Missing] = []
        for item in [*self.missing, *(m for sheet in self.sheets for m in sheet.missing)]:
            if item not in seen:
                seen.append(item)
        return seen


def _recipient_name(official: Official) -> str:
    return f"{'Madame' if is_woman(official.civility) else 'Monsieur'} {official.full_name}"


def _title(official: Official) -> str:
    return office_title(
        kind=official.kind,
        civility=official.civility,
        department_code=official.department_code,
        department_name=official.department_name,
        circonscription=official.circonscription,
        portfolio=official.portfolio,
    )


def print_run(
    session: Session, *, campaign_id: int, include_sent: bool, settings: Settings
) -> PrintRun:
    """A campaign's postal letters as they will be printed, one per page."""
    identity = get_identity(session, settings=settings)
    rows = printable_letters(session, campaign_id=campaign_id, include_sent=include_sent)
    ministers = {o.id for _, o in rows if o.kind == OfficialKind.minister and not o.postal_address}
    posts = minister_posts(session, official_ids=ministers)
    sheets = []
    for letter, official in rows:
        address, missing = official.mailing_address, []
        if not address and official.id in posts:
            post = posts[official.id]
            address = post.postal_address
            if not address:
                missing.append(
                    Missing(
                        f"Adresse postale du ministère « {post.ministry} » inconnue",
                        "ministry",
                        post.body_id,
                    )
                )
        elif not address and official.kind == OfficialKind.minister:
            missing.append(
                Missing(
                    f"Adresse postale de {official.full_name} inconnue (ministère non renseigné)",
                    "ministries",
                )
            )
        elif not address:
            missing.append(
                Missing(
                    f"Adresse postale de {official.full_name} inconnue", "official", official.id
                )
            )
        recipient = envelope_block(
            name=_recipient_name(official), title=_title(official), address=address
        )
        if recipient.overflow:
            missing.append(
                Missing(
                    f"L'adresse de {official.full_name} dépasse 6 lignes de 38 caractères",
                    "official",
                    official.id,
                )
            )
        signatory = identity.signatory_name
        sheets.append(
            Sheet(
                letter=letter,
                official=official,
                recipient=recipient,
                date=f"Le {french_date(letter.created_at.date())}",
                signed_in_text=not signatory or signatory in letter.body,
                missing=missing,
            )
        )
    sender = envelope_block(name=identity.name, title="", address=identity.postal_address)
    general = []
    if not identity.postal_address:
        general.append(Missing("Adresse postale de l'association non renseignée", "organisation"))
    if not identity.signatory_name:
        general.append(Missing("Signataire des courriers non renseigné", "organisation"))
    return PrintRun(identity=identity, sender=sender, sheets=sheets, missing=general)
