"""Letters made in bulk from a compiled template, for the officials and demands given."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from email.utils import parseaddr

from sqlalchemy.orm import Session

from app.clock import paris_today
from app.config import Settings
from app.db import utcnow
from app.demands.models import Demand
from app.labels import number, plural
from app.letters.models import Channel, LetterStatus
from app.letters.status import create_letters
from app.mailing.message import new_message_id, new_reply_token
from app.officials.models import Official
from app.organisation.service import mail_settings
from app.security import Actor
from app.templating.context import demand_views, official_view, render_letters, sender_view
from app.templating.models import TemplateVersion


@dataclass(frozen=True)
class GenerationResult:
    created: int
    by_email: int
    by_post: int
    already_contacted: int
    without_email: list[str] = field(default_factory=list)
    letter_ids: list[int] = field(default_factory=list)

    @property
    def summary(self) -> str:
        """What staff read after generating."""
        text = f"{plural(self.created, 'courrier préparé', 'courriers préparés')} : "
        text += f"{number(self.by_email)} par e-mail, {number(self.by_post)} par la poste."
        if self.without_email:
            missing = plural(len(self.without_email), "élu", "élus")
            text += f" {missing} sans e-mail : courrier postal."
        if self.already_contacted:
            contacted = plural(self.already_contacted, "élu déjà contacté", "élus déjà contactés")
            text += f" {contacted} {'écarté' if self.already_contacted < 2 else 'écartés'}."
        return text


def message_domain(settings: Settings) -> str:
    """The domain of the From address, for Message-IDs."""
    return parseaddr(settings.mail_from)[1].rpartition("@")[2] or "localhost"


def make_letters(
    session: Session,
    *,
    campaign_id: int,
    officials: Sequence[Official],
    demands: Sequence[Demand],
    version: TemplateVersion,
    actor: Actor,
    settings: Settings,
    follow_up_of: dict[int, int] | None = None,
) -> GenerationResult:
    """Render every letter first (a template error creates nothing), then insert them as drafts."""
    letters = render_letters(
        subject=version.subject,
        body=version.body,
        officials=[official_view(official) for official in officials],
        demands=demand_views(demands),
        sender=sender_view(session, actor=actor, settings=settings),
        day=paris_today(),
    )
    now, domain = utcnow(), message_domain(mail_settings(session, settings=settings))
    rows, without_email = [], []
    for official, (subject, body) in zip(officials, letters, strict=True):
        if not official.email:
            without_email.append(official.full_name)
        rows.append(
            {
                "campaign_id": campaign_id,
                "official_id": official.id,
                "template_version_id": version.id,
                "follow_up_of_id": (follow_up_of or {}).get(official.id),
                "channel": Channel.email if official.email else Channel.post,
                "subject": subject,
                "body": body,
                "notes": "",
                "recipient_email": official.email,
                "message_id": new_message_id(domain),
                "reply_token": new_reply_token(),
                "created_by_id": actor.user_id,
                "created_at": now,
            }
        )
    ids = create_letters(
        session,
        rows=rows,
        to=LetterStatus.draft,
        notes=[
            "Préparé (e-mail)"
            if row["recipient_email"]
            else "Préparé (courrier postal : pas d'adresse e-mail)"
            for row in rows
        ],
        actor=actor,
    )
    by_post = len(without_email)
    return GenerationResult(
        created=len(rows),
        by_email=len(rows) - by_post,
        by_post=by_post,
        already_contacted=0,
        without_email=without_email,
        letter_ids=ids,
    )
