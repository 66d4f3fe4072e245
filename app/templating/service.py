"""Templates: created and edited by staff, each edit a new version, previewed on an official."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.audit.service import record
from app.clock import paris_today
from app.config import Settings
from app.demands.models import Demand
from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.officials.models import Official
from app.security import Actor
from app.templating.context import (
    demand_views,
    official_view,
    render_letters,
    sample_readers,
    sender_view,
    validate_template,
)
from app.templating.models import Template, TemplatePurpose, TemplateVersion
from app.users.models import Role


@dataclass(frozen=True)
class TemplateSummary:
    template: Template
    latest: TemplateVersion


def _clean_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise Invalid("Donnez un nom au modèle.", field="name")
    return name


def create_template(
    session: Session, *, name: str, purpose: str, subject: str, body: str, actor: Actor
) -> Template:
    """A new template with its first version, checked before it is saved."""
    name = _clean_name(name)
    purpose = TemplatePurpose(purpose)
    validate_template(subject, body)
    if session.scalar(select(Template.id).where(Template.name == name)):
        raise Conflict(f"Un modèle s'appelle déjà « {name} » : choisissez un autre nom.")
    template = Template(name=name, purpose=purpose)
    session.add(template)
    try:
        session.flush()
    except IntegrityError:
        raise Conflict(f"Un modèle s'appelle déjà « {name} ».") from None
    session.add(
        TemplateVersion(
            template_id=template.id,
            number=1,
            subject=subject,
            body=body,
            created_by_id=actor.user_id,
        )
    )
    session.flush()
    record(
        session,
        actor=actor,
        action="template.create",
        object_type="template",
        object_id=template.id,
        after={"name": name, "purpose": purpose, "version": 1},
    )
    return template


def get_template(session: Session, *, template_id: int) -> Template:
    """One template; NotFound otherwise."""
    template = session.get(Template, template_id)
    if template is None:
        raise NotFound(f"Aucun modèle n° {template_id}.")
    return template


def latest_version(session: Session, *, template_id: int) -> TemplateVersion:
    """The version new letters are made from."""
    version = session.scalar(
        select(TemplateVersion)
        .where(TemplateVersion.template_id == template_id)
        .order_by(TemplateVersion.number.desc())
        .limit(1)
    )
    if version is None:
        raise NotFound(f"Le modèle n° {template_id} n'a aucune version.")
    return version


def list_versions(session: Session, *, template_id: int) -> list[TemplateVersion]:
    """Every version of a template, newest first."""
    get_template(session, template_id=template_id)
    return list(
        session.scalars(
            select(TemplateVersion)
            .where(TemplateVersion.template_id == template_id)
            .order_by(TemplateVersion.number.desc())
        )
    )


def update_template(
    session: Session,
    *,
    template_id: int,
    subject: str,
    body: str,
    actor: Actor,
    name: str | None = None,
) -> TemplateVersion:
    """Save an edit as a new version; letters already made keep theirs."""
    template = get_template(session, template_id=template_id)
    validate_template(subject, body)
    current = latest_version(session, template_id=template_id)
    before = {"name": template.name, "version": current.number}
    if name is not None and _clean_name(name) != template.name:
        name = _clean_name(name)
        if session.scalar(select(Template.id).where(Template.name == name)):
            raise Conflict(f"Un modèle s'appelle déjà « {name} ».")
        template.name = name
    if (subject, body) == (current.subject, current.body):
        session.flush()
        return current
    version = TemplateVersion(
        template_id=template.id,
        number=current.number + 1,
        subject=subject,
        body=body,
        created_by_id=actor.user_id,
    )
    session.add(version)
    try:
        session.flush()
    except IntegrityError:
        raise Conflict(
            "Ce modèle vient d'être modifié par quelqu'un d'autre : rechargez."
        ) from None
    record(
        session,
        actor=actor,
        action="template.update",
        object_type="template",
        object_id=template.id,
        before=before,
        after={"name": template.name, "version": version.number},
    )
    return version


def list_templates(session: Session) -> list[TemplateSummary]:
    """Every template with its latest version, by name."""
    latest = (
        select(TemplateVersion.template_id, func.max(TemplateVersion.number).label("number"))
        .group_by(TemplateVersion.template_id)
        .subquery()
    )
    rows = session.execute(
        select(Template, TemplateVersion)
        .join(TemplateVersion, TemplateVersion.template_id == Template.id)
        .join(
            latest,
            (latest.c.template_id == TemplateVersion.template_id)
            & (latest.c.number == TemplateVersion.number),
        )
        .order_by(Template.name)
    )
    return [TemplateSummary(template=t, latest=v) for t, v in rows]


def all_demands(session: Session) -> list[Demand]:
    return list(session.scalars(select(Demand).order_by(Demand.number)))


def _same_text(left: str, right: str) -> bool:
    """Equal once a form's line endings and edge blanks are set aside."""
    return left.replace("\r\n", "\n").strip() == right.replace("\r\n", "\n").strip()


def refuse_unsaved_text(*, role: str, latest: TemplateVersion, subject: str, body: str) -> None:
    """Rendering a text that was never saved runs new code: staff only; others see saved ones."""
    saved = _same_text(subject, latest.subject) and _same_text(body, latest.body)
    if role not in (Role.admin, Role.staff) and not saved:
        raise Forbidden(
            "Seule l'équipe peut prévisualiser un texte modifié : "
            "prévisualisez la version enregistrée."
        )


def preview(
    session: Session,
    *,
    subject: str,
    body: str,
    official_id: int,
    actor: Actor,
    settings: Settings,
    today: date | None = None,
) -> tuple[str, str]:
    """Subject and body as this official would receive them; Invalid with the line if broken."""
    official = session.get(Official, official_id)
    if official is None:
        raise NotFound(f"Aucun élu ne porte l'identifiant {official_id}.")
    [letter] = render_letters(
        subject=subject,
        body=body,
        officials=[official_view(official)],
        demands=demand_views(all_demands(session)),
        sender=sender_view(session, actor=actor, settings=settings),
        day=today or paris_today(),
    )
    return letter


def sample_previews(
    session: Session,
    *,
    subject: str,
    body: str,
    actor: Actor,
    settings: Settings,
    today: date | None = None,
) -> list[tuple[str, str, str]]:
    """(who, subject, body) for a députée, a sénateur and a minister, in one sandboxed render;
    Invalid with the line if the template is broken."""
    readers = sample_readers()
    letters = render_letters(
        subject=subject,
        body=body,
        officials=[official_view(official) for _, official in readers],
        demands=demand_views(all_demands(session)),
        sender=sender_view(session, actor=actor, settings=settings),
        day=today or date.today(),
    )
    return [(label, *letter) for (label, _), letter in zip(readers, letters, strict=True)]
