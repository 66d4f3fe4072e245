"""The journal reads « statut : envoyé → répondu », in French, instead of raw JSON."""

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.audit.changes import Change, changes
from app.audit.models import AuditEvent
from app.audit.service import record
from app.security import Actor
from app.users.models import Role


def event(object_type: str, before: dict | None, after: dict | None) -> AuditEvent:  # type: ignore[type-arg]
    return AuditEvent(action="update", object_type=object_type, before=before, after=after)


def test_a_status_change_in_french_words() -> None:
    found = changes(event("letter", {"status": "sent"}, {"status": "replied", "detail": "n° 3"}))
    assert found == [
        Change(field="statut", old="envoyé", new="répondu"),
        Change(field="détail", old=None, new="n° 3"),
    ]
    stance = changes(event("stance", {"status": "pending"}, {"status": "approved"}))
    assert stance == [Change(field="statut", old="À valider", new="Validée")]


def test_unchanged_fields_are_left_out_and_values_are_readable() -> None:
    before = {"email": "a@asso.fr", "role": "staff", "is_active": True}
    after = {"email": "a@asso.fr", "role": "director", "is_active": False}
    assert changes(event("user", before, after)) == [
        Change(field="rôle", old="Équipe plaidoyer", new="Direction"),
        Change(field="actif", old="oui", new="non"),
    ]
    created = changes(
        event("reply", None, {"received_at": "2026-11-20T23:30:00+00:00", "letter_id": None})
    )
    assert created == [
        Change(field="reçue le", old=None, new="21/11/2026 00:30"),
        Change(field="courrier", old=None, new="—"),
    ]
    assert changes(event("campaign", None, {"demands": [1, 3]}))[0].new == "1, 3"


def test_the_journal_page_shows_changes(
    client: TestClient,
    session: Session,
    sign_in_as,  # type: ignore[no-untyped-def]
) -> None:
    record(
        session,
        actor=Actor(user_id=None, label="alice@asso.fr"),
        action="letter.status",
        object_type="letter",
        object_id=7,
        before={"status": "sent"},
        after={"status": "replied"},
    )
    sign_in_as(Role.admin)
    html = client.get("/admin/journal").text
    assert "<strong>statut</strong> : envoyé → répondu" in html
    assert "changement de statut" in html and "courrier 7" in html
    assert '{"status"' not in html and "&#34;status&#34;" not in html
