"""An audit event read as a person would: « statut : envoyé → répondu », in French."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app import labels
from app.audit.models import AuditEvent
from app.clock import paris


@dataclass(frozen=True)
class Change:
    field: str
    old: str | None  # None: the field was not recorded before (a creation)
    new: str | None  # None: the field is gone (a deletion)


def _value(value: Any, vocabulary: str | None) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, list):
        return ", ".join(_value(item, vocabulary) for item in value) or "—"
    if isinstance(value, dict):
        return ", ".join(
            f"{labels.AUDIT_FIELD.get(k, k)} : {_value(v, None)}" for k, v in value.items()
        )
    if vocabulary:
        return labels.label(value, vocabulary)
    if isinstance(value, str) and "T" in value[10:11]:
        try:
            return paris(datetime.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


def _vocabulary(object_type: str, field: str) -> str | None:
    if field == "status":
        return labels.STATUS_VOCABULARY.get(object_type)
    if field == "kind":
        return labels.KIND_VOCABULARY.get(object_type)
    return labels.FIELD_VOCABULARY.get(field)


def changes(event: AuditEvent) -> list[Change]:
    """The fields an event recorded, each with its old and new value; unchanged ones left out."""
    before, after = event.before or {}, event.after or {}
    found = []
    for field in [*before, *(key for key in after if key not in before)]:
        if field in before and field in after and before[field] == after[field]:
            continue
        vocabulary = _vocabulary(event.object_type, field)
        found.append(
            Change(
                field=labels.AUDIT_FIELD.get(field, field),
                old=_value(before[field], vocabulary) if field in before else None,
                new=_value(after[field], vocabulary) if field in after else None,
            )
        )
    return found
