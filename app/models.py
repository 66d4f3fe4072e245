"""Every table, imported once so that Base.metadata is complete (alembic, tests)."""

from app.audit.models import AuditEvent
from app.bodies.models import Body, Membership
from app.campaigns.models import Campaign, campaign_demand
from app.db import Base
from app.demands.models import Demand
from app.geography.models import (
    Commune,
    CommuneCirconscription,
    Department,
    GeographyVersion,
    PostalCode,
)
from app.letters.models import Letter, LetterEvent
from app.mailing.models import OutboxMessage
from app.officials.models import Official
from app.replies.models import Reply
from app.stances.models import Stance, StanceReview
from app.supporters.models import RateCounter, Supporter, SupporterAction, SupporterLetter
from app.templating.models import Template, TemplateVersion
from app.users.models import ApiToken, LoginAttempt, User

__all__ = [
    "ApiToken",
    "AuditEvent",
    "Base",
    "Body",
    "Campaign",
    "Commune",
    "CommuneCirconscription",
    "Demand",
    "Department",
    "GeographyVersion",
    "Letter",
    "LetterEvent",
    "LoginAttempt",
    "Membership",
    "Official",
    "OutboxMessage",
    "PostalCode",
    "RateCounter",
    "Reply",
    "Stance",
    "StanceReview",
    "Supporter",
    "SupporterAction",
    "SupporterLetter",
    "Template",
    "TemplateVersion",
    "User",
    "campaign_demand",
]
