import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.audit.models import AuditEvent
from app.errors import Conflict, Invalid
from app.security import Actor
from app.templating.context import template_problems
from app.templating.defaults import DEFAULTS, seed_default_templates
from app.templating.models import Template, TemplateVersion
from app.templating.service import create_template, list_templates, update_template

ACTOR = Actor.system("tests")


@pytest.mark.parametrize(("name", "purpose", "subject", "body"), DEFAULTS)
def test_shipped_templates_are_valid(name: str, purpose: str, subject: str, body: str) -> None:
    assert template_problems(subject, body) == []


def test_seeding_is_idempotent(session: Session) -> None:
    assert seed_default_templates(session) == 2
    assert seed_default_templates(session) == 0
    assert session.scalar(select(func.count(Template.id))) == 2


def test_edits_make_versions_and_are_audited(session: Session) -> None:
    template = create_template(
        session, name="Essai", purpose="first_letter", subject="S", body="B", actor=ACTOR
    )
    same = update_template(session, template_id=template.id, subject="S", body="B", actor=ACTOR)
    assert same.number == 1
    second = update_template(
        session, template_id=template.id, subject="S2", body="B2", actor=ACTOR, name="Essai 2"
    )
    assert second.number == 2
    assert [s.latest.number for s in list_templates(session) if s.template.id == template.id] == [2]
    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.object_id == str(template.id))
    ).all()
    assert {"template.create", "template.update"} <= set(actions)
    with pytest.raises(Conflict):
        create_template(
            session, name="Essai 2", purpose="follow_up", subject="S", body="B", actor=ACTOR
        )
    with pytest.raises(Invalid, match="Ligne 1 du corps"):
        update_template(session, template_id=template.id, subject="S", body="{{ x }}", actor=ACTOR)
    versions = session.scalar(
        select(func.count(TemplateVersion.id)).where(TemplateVersion.template_id == template.id)
    )
    assert versions == 2
