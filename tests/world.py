"""A small but complete world (officials of each kind and gender, a campaign with letters in every
status and channel, replies, stances in every review state, a body) and the list of every page
to visit in it: the raw-enum test and the phone-layout browser test walk the same pages."""

import re
import secrets
from datetime import UTC, date, datetime, timedelta

from fastapi import FastAPI
from sqlalchemy.orm import Session

from app.bodies.models import Body, Membership
from app.db import utcnow
from app.demands.models import Demand
from app.letters.models import Channel, LetterStatus
from app.replies.service import record_inbound_reply, record_manual_reply
from app.security import Actor
from app.stances.models import EvidenceKind, Position
from app.stances.service import Evidence, Proposal, propose_stance, review_stances
from app.supporters.models import (
    ActionKind,
    ActionStatus,
    Supporter,
    SupporterAction,
    SupporterLetter,
)
from app.users.models import Role
from tests.factories import (
    add_campaign,
    add_letter,
    add_official,
    add_user,
    reply_email,
    seed_templates,
)
from tests.routes import endpoints

ACTOR = Actor.system("tests")
# Pages whose URL carries a signed token or that answer a file, not a page.
SKIPPED = {"act_confirm_page", "my_data", "act_survey", "unsubscribe_page", "organisation_logo"}
# Pages that need a choice in their query string.
QUERIES = {
    "act_letter": "?official={official_id}",
    "template_preview": "?official_id={official_id}",
}


def populate(session: Session) -> dict[str, str]:
    """Rows of every kind; the values to put in each page's path parameters."""
    templates = seed_templates(session)
    deputy = add_official(
        session,
        civility="Mme",
        first_name="Éloïse",
        last_name="Martin",
        email="eloise.martin@assemblee-nationale.fr",
        group_code="ECOS",
        department_code="75",
        department_name="Paris",
        circonscription=2,
    )
    senator = add_official(
        session,
        kind="senator",
        civility="M.",
        first_name="Jean",
        last_name="Durand",
        email="j.durand@senat.fr",
        group_code="LR",
        department_code="69",
        department_name="Rhône",
    )
    minister = add_official(
        session,
        kind="minister",
        civility="Mme",
        first_name="Clara",
        last_name="Chappaz",
        portfolio="Ministre déléguée chargée du Numérique",
    )
    demands = session.query(Demand).order_by(Demand.number).all()
    campaign = add_campaign(
        session,
        name="Journée pour un internet plus sûr",
        slug="internet-plus-sur",
        first_template_id=templates["first_letter"].id,
        follow_up_template_id=templates["follow_up"].id,
        demand_numbers=[d.number for d in demands],
        is_public=True,
    )
    month_ago = utcnow() - timedelta(days=30)
    letters = {
        status: add_letter(
            session,
            campaign=campaign,
            official=official,
            status=status,
            at=month_ago,
            channel=channel,
        )
        for status, official, channel in (
            (LetterStatus.draft, deputy, Channel.email),
            (LetterStatus.queued, senator, Channel.email),
            (LetterStatus.sent, deputy, Channel.post),
            (LetterStatus.delivered, senator, Channel.web_form),
            (LetterStatus.bounced, deputy, Channel.email),
            (LetterStatus.failed, senator, Channel.email),
            (LetterStatus.replied, deputy, Channel.meeting),
        )
    }
    add_letter(
        session,
        campaign=campaign,
        official=senator,
        status=LetterStatus.draft,
        follow_up_of=letters[LetterStatus.sent],
        channel=Channel.phone,
    )
    reply = record_manual_reply(
        session,
        official_id=deputy.id,
        letter_id=letters[LetterStatus.sent].id,
        text="Je soutiens vos demandes.",
        received_at=datetime(2026, 11, 20, 23, 30, tzinfo=UTC),
        channel=Channel.phone,
        subject="Votre courrier",
        actor=ACTOR,
    )
    record_inbound_reply(session, raw=reply_email(sender="inconnu@example.org"), actor=ACTOR)
    stances = [
        propose_stance(
            session,
            proposal=Proposal(
                official_id=official.id,
                demand_id=demand.id,
                position=position,
                evidence=Evidence(
                    kind=EvidenceKind.statement,
                    source_url="https://www.example.org/declaration",
                    evidence_date=date(2026, 11, 2),
                ),
            ),
            actor=ACTOR,
        )
        for official, demand, position in (
            (deputy, demands[0], Position.committed),
            (senator, demands[1], Position.opposed),
            (minister, demands[2], Position.undecided),
            (deputy, demands[3], Position.supportive),
        )
    ]
    review_stances(session, stance_ids=[stances[0].id], approved=True, comment="", actor=ACTOR)
    review_stances(
        session, stance_ids=[stances[1].id], approved=False, comment="Source", actor=ACTOR
    )
    supporter = Supporter(
        email="camille.sympathisante@example.org", name="Camille", postcode="75011"
    )
    session.add(supporter)
    session.flush()
    for status in (ActionStatus.held, ActionStatus.pending, ActionStatus.confirmed):
        action = SupporterAction(
            supporter_id=supporter.id,
            campaign_id=campaign.id,
            kind=ActionKind.letters,
            status=status,
            nonce=secrets.token_hex(16),
            confirmed_at=None if status == ActionStatus.pending else month_ago,
        )
        session.add(action)
        session.flush()
        session.add(
            SupporterLetter(
                action_id=action.id,
                official_id=deputy.id,
                subject="Protégeons les enfants en ligne",
                body="Madame la Députée, …",
            )
        )
    body = Body(source_id="PO-ESSAI-1", chamber="an", kind="COMPER", name="Commission des lois")
    session.add(body)
    session.flush()
    session.add(Membership(body_id=body.id, official_id=deputy.id, role="membre"))
    ministry = Body(
        source_id="MIN-ESSAI", chamber="gouvernement", kind="MINISTERE", name="Numérique"
    )
    session.add(ministry)
    session.flush()
    session.add(Membership(body_id=ministry.id, official_id=minister.id, role="ministre"))
    enrolled = add_user(
        session, role=Role.staff, email="double.facteur@test.fr", full_name="Camille Roux"
    )
    enrolled.totp_secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # the reset page needs one
    session.flush()
    return {
        "official_id": str(deputy.id),
        "campaign_id": str(campaign.id),
        "letter_id": str(letters[LetterStatus.replied].id),
        "reply_id": str(reply.id),
        "template_id": str(templates["first_letter"].id),
        "source_id": body.source_id,
        "body_id": str(ministry.id),
        "slug": campaign.slug,
        "supporter_id": str(supporter.id),
        "user_id": str(enrolled.id),
    }


def page_urls(app: FastAPI, ids: dict[str, str]) -> list[str]:
    """Every HTML page the app serves, its path parameters taken from `ids`."""
    urls = []
    for endpoint in endpoints(app):
        if endpoint.method != "GET" or endpoint.is_api or endpoint.name in SKIPPED:
            continue
        if re.search(r"\.(csv|json)$", endpoint.path):
            continue
        path = re.sub(r"\{(\w+)(:\w+)?\}", lambda m: ids[m.group(1)], endpoint.path)
        urls.append(path + QUERIES.get(endpoint.name, "").format(**ids))
    urls.append(app.url_path_for("campaign_page", campaign_id=ids["campaign_id"]) + "?statut=sent")
    return urls
