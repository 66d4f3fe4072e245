"""The association's identity: environment defaults, admins' changes audited, every field
checked, the logo limited, the sender and reply domain handed to the mail."""

from email.utils import parseaddr

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.models import AuditEvent
from app.config import Settings
from app.errors import Invalid
from app.organisation.service import (
    IdentityInvalid,
    association_name,
    defaults,
    get_identity,
    get_logo,
    mail_settings,
    set_logo,
    update_identity,
)
from app.security import Actor

ADMIN = Actor(user_id=None, label="admin@asso.fr", ip="127.0.0.1")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
VALUES = {
    "name": "CAMELEON",
    "postal_address": "12 rue des Lilas\n69003 Lyon",
    "signatory_name": "Marie Dupont",
    "signatory_title": "Présidente",
    "sender_name": "CAMELEON — plaidoyer",
    "sender_email": "plaidoyer@cameleon.example",
    "reply_domain": "reponses.cameleon.example",
    "footer": "Association loi 1901 — RNA W691234567",
}


@pytest.fixture
def env() -> Settings:
    return Settings(
        mail_from="Protégeons l'enfance <contact@asso.example>",
        mail_reply_domain="r.asso.example",
        organisation_address="1 place Bellecour | 69002 Lyon",
        organisation_signatory="Jeanne Martin",
    )


def test_environment_values_come_first(session: Session, env: Settings) -> None:
    identity = get_identity(session, settings=env)
    assert identity == defaults(env)
    assert identity.name == "Protégeons l'enfance"
    assert identity.postal_address == "1 place Bellecour\n69002 Lyon"
    assert identity.signatory_name == "Jeanne Martin"
    assert identity.sender_email == "contact@asso.example"
    assert association_name(session, settings=env) == "Protégeons l'enfance"


def test_an_update_is_stored_and_audited_field_by_field(session: Session, env: Settings) -> None:
    update_identity(session, values=VALUES, actor=ADMIN, settings=env)
    identity = get_identity(session, settings=env)
    assert identity.name == "CAMELEON" and identity.signatory_title == "Présidente"
    assert association_name(session, settings=env) == "CAMELEON"
    event = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "organisation.update")
    ).one()
    assert event.actor_label == "admin@asso.fr"
    assert event.before is not None and event.after is not None
    assert event.before["name"] == "Protégeons l'enfance" and event.after["name"] == "CAMELEON"
    assert "footer" in event.after
    update_identity(session, values={**VALUES, "footer": "RNA W2"}, actor=ADMIN, settings=env)
    second = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.action == "organisation.update")
        .order_by(AuditEvent.id.desc())
    ).first()
    assert second is not None and second.after == {"footer": "RNA W2"}


def test_every_wrong_field_is_reported_at_once(session: Session, env: Settings) -> None:
    wrong = {
        **VALUES,
        "name": "",
        "sender_email": "pas une adresse",
        "reply_domain": "réponses asso",
        "postal_address": "Une ligne bien trop longue pour tenir dans la fenêtre d'une enveloppe",
        "sender_name": "Nom\r\nBcc: victime@example.org",
    }
    with pytest.raises(IdentityInvalid) as caught:
        update_identity(session, values=wrong, actor=ADMIN, settings=env)
    assert set(caught.value.errors) == {
        "name",
        "sender_email",
        "reply_domain",
        "postal_address",
        "sender_name",
    }
    assert "38 caractères" in caught.value.errors["postal_address"]
    six_lines = "\n".join(f"Ligne {n}" for n in range(6))
    with pytest.raises(IdentityInvalid) as caught:
        update_identity(
            session, values={**VALUES, "postal_address": six_lines}, actor=ADMIN, settings=env
        )
    assert "au plus 5" in caught.value.errors["postal_address"]
    assert get_identity(session, settings=env) == defaults(env)


def test_the_mail_goes_out_under_the_association(session: Session, env: Settings) -> None:
    assert parseaddr(mail_settings(session, settings=env).mail_from) == parseaddr(env.mail_from)
    update_identity(session, values=VALUES, actor=ADMIN, settings=env)
    mail = mail_settings(session, settings=env)
    assert parseaddr(mail.mail_from) == ("CAMELEON — plaidoyer", "plaidoyer@cameleon.example")
    assert mail.mail_reply_domain == "reponses.cameleon.example"
    assert mail.smtp_host == env.smtp_host


def test_the_logo_is_an_image_of_limited_size(session: Session, env: Settings) -> None:
    assert get_logo(session) is None
    for data, message in (
        (b"<svg onload='alert(1)'/>", "PNG ou JPEG"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 200_001, "trop lourd"),
        (b"", "Choisissez"),
    ):
        with pytest.raises(Invalid, match=message):
            set_logo(session, data=data, actor=ADMIN, settings=env)
    set_logo(session, data=PNG, actor=ADMIN, settings=env)
    assert get_logo(session) == (PNG, "image/png")
    assert get_identity(session, settings=env).has_logo
    set_logo(session, data=None, actor=ADMIN, settings=env)
    assert get_logo(session) is None
    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.object_type == "organisation")
    ).all()
    assert actions == ["organisation.logo", "organisation.logo"]
