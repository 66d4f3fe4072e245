"""Contacts staff correct: an override wins over every import until staff remove it."""

from dataclasses import dataclass
from datetime import date

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.audit.service import record
from app.db import utcnow
from app.errors import Invalid
from app.importing.errors import ImportFileError
from app.officials.importers.overrides import OverrideRow
from app.officials.models import ContactField, ContactOverride, Official
from app.officials.service import get_official
from app.security import Actor

CONTACT_LABELS = {
    ContactField.email: "E-mail",
    ContactField.phone: "Téléphone",
    ContactField.postal_address: "Adresse postale",
}
MAX_ADDRESS_LINES = 6
_PHONE_CHARACTERS = set("0123456789 +.-()")


@dataclass(frozen=True)
class OverrideInput:
    """One contact value as staff type it, with where it comes from."""

    field: str
    value: str
    source: str = ""
    source_date: date | None = None


def clean_value(field: str, value: str) -> str:
    """The value as stored, or Invalid with what is wrong (field-named for the form)."""
    if field not in set(ContactField):
        raise Invalid("Champ inconnu : e-mail, téléphone ou adresse postale.", field="field")
    if field == ContactField.email:
        value = value.strip()
        try:
            return validate_email(value, check_deliverability=False).normalized
        except EmailNotValidError as exc:
            raise Invalid(f"Adresse e-mail invalide : « {value} ».", field="email") from exc
    if field == ContactField.phone:
        value = " ".join(value.split())
        if not value or len(value) > 40 or set(value) - _PHONE_CHARACTERS:
            raise Invalid(
                "Téléphone invalide : chiffres, espaces, +, points et tirets, "
                "40 caractères au plus.",
                field="phone",
            )
        return value
    lines = [" ".join(line.split()) for line in value.replace("\r", "").split("\n")]
    lines = [line for line in lines if line]
    if not lines or len(lines) > MAX_ADDRESS_LINES or len("\n".join(lines)) > 300:
        raise Invalid(
            f"Adresse postale : de 1 à {MAX_ADDRESS_LINES} lignes, 300 caractères au plus.",
            field="postal_address",
        )
    return "\n".join(lines)


def _snapshot(override: ContactOverride | None) -> dict[str, object]:
    if override is None:
        return {}
    return {
        "field": override.field,
        "value": override.value,
        "source": override.source,
        "source_date": override.source_date.isoformat() if override.source_date else None,
    }


def overrides_of(session: Session, *, official_id: int) -> dict[str, ContactOverride]:
    """The official's overrides by field."""
    rows = session.scalars(
        select(ContactOverride).where(ContactOverride.official_id == official_id)
    )
    return {row.field: row for row in rows}


def set_override(
    session: Session, *, official: Official, change: OverrideInput, actor: Actor
) -> ContactOverride:
    """Sets (or replaces) one contact override; the official's letters use it from now on."""
    value = clean_value(change.field, change.value)
    source = " ".join(change.source.split())
    if len(source) > 300:
        raise Invalid("Source : 300 caractères au plus.", field="source")
    if change.source_date is not None and change.source_date > date.today():
        raise Invalid("La date de la source est dans le futur.", field="source_date")
    override = overrides_of(session, official_id=official.id).get(change.field)
    before = _snapshot(override)
    if override is None:
        override = ContactOverride(
            official_id=official.id,
            field=change.field,
            imported_value=getattr(official, change.field),
        )
        session.add(override)
    override.value, override.source, override.source_date = value, source, change.source_date
    override.set_by_id, override.set_by_label, override.set_at = (
        actor.user_id,
        actor.label,
        utcnow(),
    )
    setattr(official, change.field, value)
    session.flush()
    record(
        session,
        actor=actor,
        action="contact.override",
        object_type="official",
        object_id=official.id,
        before=before,
        after=_snapshot(override),
    )
    return override


def remove_override(session: Session, *, official_id: int, field: str, actor: Actor) -> bool:
    """Back to the official sources' value; False if there was no override."""
    official = get_official(session, official_id=official_id)
    override = overrides_of(session, official_id=official.id).get(field)
    if override is None:
        return False
    setattr(official, field, override.imported_value)
    before = _snapshot(override)
    session.delete(override)
    session.flush()
    record(
        session,
        actor=actor,
        action="contact.override.remove",
        object_type="official",
        object_id=official.id,
        before=before,
        after={"field": field, "value": override.imported_value},
    )
    return True


def imported_values(session: Session, *, kind: str) -> dict[int, dict[str, tuple[int, str]]]:
    """For one kind: official id → overridden field → (override id, what the sources say)."""
    rows = session.execute(
        select(
            ContactOverride.official_id,
            ContactOverride.field,
            ContactOverride.id,
            ContactOverride.imported_value,
        )
        .join(Official, Official.id == ContactOverride.official_id)
        .where(Official.kind == kind)
    )
    found: dict[int, dict[str, tuple[int, str]]] = {}
    for official_id, field, override_id, value in rows:
        found.setdefault(official_id, {})[field] = (override_id, value)
    return found


def _official_by_identifier(session: Session, identifier: str) -> Official | None:
    found = list(
        session.scalars(
            select(Official).where(func.upper(Official.source_id) == identifier.upper()).limit(2)
        )
    )
    if len(found) == 1:
        return found[0]
    if not found and identifier.isdigit():
        return session.get(Official, int(identifier))
    return None


def import_overrides(
    session: Session, *, rows: list[OverrideRow], file: str, actor: Actor
) -> tuple[int, int]:
    """Applies a parsed overrides file in the caller's transaction: (set, removed).

    The first bad row raises ImportFileError naming its line and column; the caller rolls back."""
    done = removed = 0
    for row in rows:
        official = _official_by_identifier(session, row.identifier)
        if official is None:
            raise ImportFileError(
                file,
                row.line,
                "identifiant",
                f"aucun élu (ou plusieurs) avec l'identifiant « {row.identifier} ».",
            )
        if not row.value.strip():
            removed += remove_override(
                session, official_id=official.id, field=row.field, actor=actor
            )
            continue
        change = OverrideInput(row.field, row.value, row.source, row.source_date)
        try:
            set_override(session, official=official, change=change, actor=actor)
        except Invalid as exc:
            column = "valeur" if exc.field in set(ContactField) else exc.field
            column = {"source_date": "date"}.get(column or "", column)
            raise ImportFileError(file, row.line, column, exc.message) from exc
        done += 1
    return done, removed
