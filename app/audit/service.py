from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from app.audit.models import AuditEvent
from app.security import Actor


def record(
    session: Session,
    *,
    actor: Actor | None,
    action: str,
    object_type: str,
    object_id: object = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event to the current transaction."""
    actor = actor or Actor.system()
    event = AuditEvent(
        actor_id=actor.user_id,
        actor_label=actor.label,
        ip=actor.ip,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        before=before,
        after=after,
    )
    session.add(event)
    session.flush()
    return event


def _filtered(
    query: Select[Any], *, action: str | None, object_type: str | None, actor: str | None
) -> Select[Any]:
    if action:
        query = query.where(AuditEvent.action == action)
    if object_type:
        query = query.where(AuditEvent.object_type == object_type)
    if actor:
        query = query.where(AuditEvent.actor_label.contains(actor))
    return query


def list_events(
    session: Session,
    *,
    action: str | None = None,
    object_type: str | None = None,
    actor: str | None = None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[list[AuditEvent], int]:
    """A page of audit events, newest first, with the total count for the filter."""
    base = _filtered(select(AuditEvent), action=action, object_type=object_type, actor=actor)
    total = session.scalar(
        _filtered(
            select(func.count(AuditEvent.id)), action=action, object_type=object_type, actor=actor
        )
    )
    events = session.scalars(
        base.order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
        .offset(offset)
        .limit(limit)
    ).all()
    return list(events), total or 0
