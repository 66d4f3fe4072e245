"""Builders shared by the tests and the benchmarks: a migrated database, officials, users,
templates, campaigns, letters and reply e-mails.

Plain functions over the real services or the ORM. Those taking a session flush and never
commit: the caller's unit of work (or the test's rolled-back transaction) decides.
"""

import itertools
import secrets
from datetime import datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy.orm import Session

from app.campaigns.models import Campaign
from app.campaigns.schemas import CampaignWrite
from app.campaigns.service import create_campaign
from app.config import Settings
from app.letters.models import Channel, Letter, LetterStatus
from app.letters.sending import enqueue_letter_email
from app.mailing.message import new_message_id, new_reply_token
from app.officials.models import Official
from app.security import Actor
from app.templating.defaults import seed_default_templates
from app.templating.models import Template, TemplatePurpose, TemplateVersion
from app.text import fold
from app.users.models import Role, User
from app.users.service import create_user

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SHARED_DATA = ROOT.parent / "shared" / "data"
ACTOR = Actor.system("tests")
PASSWORD = "mot-de-passe-de-test"

_serial = itertools.count(1)


def alembic_config(url: str) -> Config:
    """Alembic's configuration of the project, aimed at `url`."""
    config = Config(str(ROOT / "alembic.ini"))
    config.attributes["url"] = url
    return config


def head_revision() -> str:
    """The revision every migrated database reaches: the head of migrations/."""
    head = ScriptDirectory.from_config(Config(str(ROOT / "alembic.ini"))).get_current_head()
    assert head is not None
    return head


def migrate(url: str) -> str:
    """Runs every migration on the database at `url`; returns the URL."""
    command.upgrade(alembic_config(url), "head")
    return url


def add_official(session: Session, **fields: Any) -> Official:
    """An official (a deputy unless told otherwise) with a unique source id and the search
    name the importers would derive from the name."""
    values: dict[str, Any] = {
        "kind": "deputy",
        "source_id": f"PA{next(_serial)}{secrets.token_hex(3)}",
        "civility": "Mme",
        "first_name": "Éloïse",
        "last_name": "Dupré-Lefèvre",
        **fields,
    }
    values.setdefault("search_name", fold(f"{values['first_name']} {values['last_name']}"))
    official = Official(**values)
    session.add(official)
    session.flush()
    return official


def add_user(
    session: Session,
    *,
    role: Role,
    email: str | None = None,
    password: str = PASSWORD,
    full_name: str | None = None,
    actor: Actor = ACTOR,
) -> User:
    """An active account of `role`, created through the users service."""
    return create_user(
        session,
        email=email or f"{role.value}@test.fr",
        password=password,
        role=role,
        full_name=full_name or role.value,
        actor=actor,
    )


def seed_templates(session: Session) -> dict[str, Template]:
    """The shipped templates, by purpose (`first_letter`, `follow_up`)."""
    seed_default_templates(session)
    return {t.purpose: t for t in session.query(Template).all()}


def add_template(
    session: Session,
    *,
    purpose: str = TemplatePurpose.follow_up,
    subject: str = "Relance : nos quatre demandes",
    body: str = "Nous revenons vers vous au sujet de nos quatre demandes.",
) -> Template:
    """A template with one version, written as is (no validation)."""
    template = Template(name=f"Modèle {secrets.token_hex(4)}", purpose=purpose)
    session.add(template)
    session.flush()
    session.add(TemplateVersion(template_id=template.id, number=1, subject=subject, body=body))
    session.flush()
    return template


def add_campaign(
    session: Session,
    *,
    name: str = "Journée pour un internet plus sûr",
    slug: str | None = None,
    actor: Actor = ACTOR,
    **fields: Any,
) -> Campaign:
    """A campaign created through the campaigns service (templates, demands, target in `fields`)."""
    data = CampaignWrite(name=name, slug=slug or f"campagne-{secrets.token_hex(4)}", **fields)
    return create_campaign(session, data=data, actor=actor)


def add_letter(
    session: Session,
    *,
    campaign: Campaign,
    official: Official,
    status: str | None = LetterStatus.sent,
    at: datetime | None = None,
    follow_up_of: Letter | None = None,
    **fields: Any,
) -> Letter:
    """An e-mail letter written directly in `status` (None: left to the model's default),
    with its Message-ID and reply token."""
    values: dict[str, Any] = {
        "campaign_id": campaign.id,
        "official_id": official.id,
        "channel": Channel.email,
        "subject": "Protection de l'enfance en ligne : nos quatre demandes",
        "body": "Madame la Députée, …",
        "recipient_email": official.email,
        "message_id": new_message_id("asso.example"),
        "reply_token": new_reply_token(),
        "follow_up_of_id": follow_up_of.id if follow_up_of else None,
        **fields,
    }
    if status is not None:
        values["status"] = status
    if at is not None:
        values |= {"created_at": at, "status_changed_at": at}
    letter = Letter(**values)
    session.add(letter)
    session.flush()
    return letter


def queue_email_letters(
    session: Session, *, settings: Settings, count: int, body: str | None = None
) -> list[str]:
    """`count` draft e-mail letters to one new official, each queued in the outbox through the
    letters service; their Message-IDs, in order."""
    official = add_official(session, last_name="Dupré-Lefèvre")
    campaign = Campaign(name="Journée pour un internet plus sûr", slug=secrets.token_hex(6))
    session.add(campaign)
    session.flush()
    ids = []
    for number in range(count):
        letter = add_letter(
            session,
            campaign=campaign,
            official=official,
            status=LetterStatus.draft,
            subject=f"Protection de l'enfance en ligne : nos quatre demandes n°{number}",
            body=body
            or (
                "Madame la Députée,\n\nNous sollicitons votre soutien à nos quatre "
                f"propositions. Lettre n°{number}. « Ça compte », déjà.\n\n"
                "Veuillez agréer, Madame la Députée, l'expression de notre haute considération."
            ),
            recipient_email="eloise.dupre@assemblee-nationale.fr",
        )
        enqueue_letter_email(session, letter=letter, actor=ACTOR, settings=settings)
        ids.append(letter.message_id)
    return ids


def reply_email(
    *,
    sender: str = "depute@assemblee-nationale.fr",
    to: str = "plaidoyer@asso.example",
    message_id: str | None = None,
    in_reply_to: str = "",
    references: str = "",
    subject: str = "Re: Protection de l'enfance en ligne",
    body: str = "Je soutiens vos demandes.",
    extra: str = "",
) -> bytes:
    """A small UTF-8 reply e-mail as a real client would send it."""
    headers = [
        f"From: {sender}",
        f"To: {to}",
        f"Subject: {subject}",
        "Date: Mon, 23 Nov 2026 09:30:00 +0100",
        f"Message-ID: {message_id or f'<{secrets.token_hex(8)}@client.example>'}",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=utf-8",
        "Content-Transfer-Encoding: 8bit",
    ]
    if in_reply_to:
        headers.append(f"In-Reply-To: {in_reply_to}")
    if references:
        headers.append(f"References: {references}")
    if extra:
        headers.append(extra)
    return ("\r\n".join(headers) + "\r\n\r\n" + body + "\r\n").encode()
