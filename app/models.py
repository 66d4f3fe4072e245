"""Every table, imported once so that Base.metadata is complete (alembic, tests)."""

from app.audit.models import AuditEvent
from app.bodies.models import Body, Membership
from app.campaigns.models import Campaign, campaign_demand
from app.dashboard import models as dashboard_indexes  # noqa: F401  (indexes on letter, reply)
from app.db import Base
from app.demands.models import Demand
from app.geography.models import (
    Commune,
    CommuneCirconscription,
    Department,
    GeographyVersion,
    PostalCode,
)
from app.legislation.models import LegislativeAct, LegislativeRecord
from app.letters.models import Letter, LetterEvent
from app.mailing.models import OutboxMessage, WorkerHeartbeat
from app.officials.models import ContactOverride, Official
from app.ops.models import RateCounter
from app.organisation.models import MinistryAddress, Organisation
from app.replies.models import Reply
from app.stances.models import CurrentStance, Stance, StanceBatch, StanceReview
from app.supporters.models import Supporter, SupporterAction, SupporterLetter, SupporterRateCounter
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
    "ContactOverride",
    "CurrentStance",
    "Demand",
    "Department",
    "GeographyVersion",
    "LegislativeAct",
    "LegislativeRecord",
    "Letter",
    "LetterEvent",
    "LoginAttempt",
    "Membership",
    "MinistryAddress",
    "Official",
    "Organisation",
    "OutboxMessage",
    "PostalCode",
    "RateCounter",
    "Reply",
    "Stance",
    "StanceBatch",
    "StanceReview",
    "Supporter",
    "SupporterAction",
    "SupporterLetter",
    "SupporterRateCounter",
    "Template",
    "TemplateVersion",
    "User",
    "WorkerHeartbeat",
    "campaign_demand",
]
