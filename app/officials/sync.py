"""Applying a source's officials to the directory: insert, update, end — never delete."""

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from app.audit.service import record
from app.bodies.project import BODIES_FILE, read_bodies, write_bodies
from app.bodies.records import CHAMBER_LABELS, BodyRecord, MembershipRecord
from app.bodies.service import (
    BodiesReport,
    apply_bodies,
    bodies_in,
    current_memberships,
)
from app.db import utcnow
from app.importing.errors import ImportFileError
from app.officials.importers.an import AmoExport
from app.officials.importers.bodies import (
    AN_CHAMBERS,
    SENAT_CHAMBERS,
    minister_memberships,
    parse_an_bodies,
    parse_senat_bodies,
)
from app.officials.importers.deputies_csv import RneRow
from app.officials.importers.project import FILE_NAMES, PROJECT_FIELDS, parse_project, write_project
from app.officials.importers.records import DATA_FIELDS, OfficialRecord
from app.officials.models import ContactOverride, Official
from app.officials.overrides import imported_values
from app.security import Actor
from app.text import fold

_COLUMNS = [getattr(Official, name) for name in ("id", "source_id", "mandate_end", *DATA_FIELDS)]


@dataclass
class ImportReport:
    """What one import changed for one kind of official."""

    kind: str
    source_label: str
    created: list[str] = field(default_factory=list)
    updated: dict[str, list[str]] = field(default_factory=dict)
    ended: list[str] = field(default_factory=list)
    unchanged: int = 0
    unmatched: list[str] = field(default_factory=list)
    # Fields the source would have changed but staff corrected by hand: kept as they are.
    kept: list[str] = field(default_factory=list)

    @property
    def changes(self) -> int:
        return len(self.created) + len(self.updated) + len(self.ended)

    def counts(self) -> dict[str, Any]:
        return {
            "source": self.source_label,
            "kind": self.kind,
            "created": len(self.created),
            "updated": len(self.updated),
            "ended": len(self.ended),
            "unchanged": self.unchanged,
            "unmatched": len(self.unmatched),
            "kept": len(self.kept),
        }


def _check_unique(records: Iterable[OfficialRecord], source_label: str) -> None:
    seen: dict[str, OfficialRecord] = {}
    for item in records:
        first = seen.setdefault(item.source_id, item)
        if first is not item:
            raise ImportFileError(
                source_label,
                item.origin,
                "source_id",
                f"identifiant « {item.source_id} » en double (lignes/enregistrements "
                f"{first.origin} et {item.origin}).",
            )


_MAX_LENGTHS = {
    name: length
    for name in ("source_id", *DATA_FIELDS)
    if (length := getattr(Official.__table__.c[name].type, "length", None))
}


def _check_lengths(item: OfficialRecord, source_label: str) -> None:
    for name, length in _MAX_LENGTHS.items():
        value = getattr(item, name)
        if len(value) > length:
            raise ImportFileError(
                source_label,
                item.origin,
                name,
                f"valeur trop longue ({len(value)} caractères, {length} au plus).",
            )


def _existing(session: Session, kind: str) -> dict[str, dict[str, Any]]:
    rows = session.execute(select(*_COLUMNS).where(Official.kind == kind)).mappings()
    return {row["source_id"]: dict(row) for row in rows}


def apply_officials(
    session: Session,
    *,
    kind: str,
    records: list[OfficialRecord],
    actor: Actor | None,
    source_label: str,
    fields: Collection[str] = DATA_FIELDS,
    end_missing: bool = True,
) -> ImportReport:
    """Inserts new officials, updates the given fields of known ones, ends the absent ones."""
    _check_unique(records, source_label)
    report = ImportReport(kind=kind, source_label=source_label)
    existing = _existing(session, kind)
    overridden = imported_values(session, kind=kind)
    now = utcnow()
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    imported: list[dict[str, Any]] = []
    for item in records:
        _check_lengths(item, source_label)
        current = existing.get(item.source_id)
        if current is None:
            values = {name: getattr(item, name) for name in DATA_FIELDS}
            inserts.append(
                {
                    **values,
                    "kind": kind,
                    "source_id": item.source_id,
                    "search_name": fold(f"{item.first_name} {item.last_name}"),
                    "created_at": now,
                    "updated_at": now,
                }
            )
            report.created.append(item.source_id)
            continue
        kept = overridden.get(current["id"], {})
        changed = {
            name: getattr(item, name)
            for name in DATA_FIELDS
            if name in fields and name not in kept and current[name] != getattr(item, name)
        }
        for name, (override_id, value) in kept.items():
            if name in fields and getattr(item, name) != value:
                imported.append({"id": override_id, "imported_value": getattr(item, name)})
                if getattr(item, name) != current[name]:
                    report.kept.append(f"{item.source_id} : {name}")
        if current["mandate_end"] is not None:
            changed["mandate_end"] = None
        if not changed:
            report.unchanged += 1
            continue
        report.updated[item.source_id] = sorted(changed)
        names = {**current, **changed}
        changed["search_name"] = fold(f"{names['first_name']} {names['last_name']}")
        updates.append({"id": current["id"], **changed, "updated_at": now})
    if end_missing:
        present = {item.source_id for item in records}
        for source_id, current in existing.items():
            if source_id not in present and current["mandate_end"] is None:
                updates.append(
                    {"id": current["id"], "mandate_end": date.today(), "updated_at": now}
                )
                report.ended.append(source_id)
    if inserts:
        session.execute(insert(Official), inserts)
    if updates:
        session.execute(update(Official), updates)
    if imported:
        session.execute(update(ContactOverride), imported)
    if report.changes:
        record(
            session,
            actor=actor,
            action="import",
            object_type="official",
            object_id=kind,
            after=report.counts(),
        )
    session.flush()
    return report


def _as_record(row: dict[str, Any]) -> OfficialRecord:
    return OfficialRecord(source_id=row["source_id"], **{name: row[name] for name in DATA_FIELDS})


_PARTICLES = {"de", "du", "des", "la", "le", "d", "l"}


def _same_surname(known: str, other: str) -> bool:
    """Surnames sharing a word: the RNE keeps « VAGINAY » where the AN has « Ricourt Vaginay »."""
    return bool((set(fold(known).split()) & set(fold(other).split())) - _PARTICLES)


def apply_rne(
    session: Session, *, rows: list[RneRow], actor: Actor | None, source_label: str
) -> ImportReport:
    """Confirms sitting deputies by seat and surname and updates their mandate start only.

    The RNE has no AN id, so it can neither create nor end a deputy: a seat it does not know,
    or held under another surname, is reported in `unmatched`.
    """
    by_seat = {
        (row["department_code"], row["circonscription"]): row
        for row in _existing(session, "deputy").values()
        if row["mandate_end"] is None
    }
    matched: list[OfficialRecord] = []
    unmatched: list[str] = []
    for rne in rows:
        seat = f"{rne.department_code}-{rne.circonscription}"
        current = by_seat.get((rne.department_code, rne.circonscription))
        if current is None or not _same_surname(current["last_name"], rne.last_name):
            held_by = f" (siège tenu par {current['last_name']})" if current else ""
            unmatched.append(f"ligne {rne.line} : {seat} {rne.first_name} {rne.last_name}{held_by}")
            continue
        start = rne.mandate_start or current["mandate_start"]
        matched.append(_as_record({**current, "mandate_start": start}))
    report = apply_officials(
        session,
        kind="deputy",
        records=matched,
        actor=actor,
        source_label=source_label,
        fields={"mandate_start"},
        end_missing=False,
    )
    report.unmatched = unmatched
    return report


def active_records(session: Session, *, kind: str) -> list[OfficialRecord]:
    """The sitting officials of one kind, in a stable order (département, seat, name)."""
    # The project's files hold public facts: what the sources say, not staff's corrections.
    overridden = imported_values(session, kind=kind)
    rows = [
        row | {name: value for name, (_, value) in overridden.get(row["id"], {}).items()}
        for row in _existing(session, kind).values()
        if row["mandate_end"] is None
    ]
    rows.sort(
        key=lambda r: (
            r["department_code"],
            r["circonscription"] or 0,
            fold(r["last_name"]),
            fold(r["first_name"]),
            r["source_id"],
        )
    )
    return [_as_record(row) for row in rows]


def export_officials(session: Session, *, kind: str, path: Path) -> int:
    """Writes the sitting officials of one kind to the project's CSV; returns the row count."""
    return write_project(path, active_records(session, kind=kind))


def load_project_data(session: Session, data_dir: Path, actor: Actor | None) -> list[ImportReport]:
    """Loads data/deputies.csv, senators.csv and ministers.csv (the files that exist)."""
    reports = []
    for kind, file_name in FILE_NAMES.items():
        path = data_dir / file_name
        if path.exists():
            reports.append(
                apply_officials(
                    session,
                    kind=kind,
                    records=parse_project(path),
                    actor=actor,
                    source_label=str(path),
                    fields=PROJECT_FIELDS,
                )
            )
    return reports


def official_ids(session: Session) -> dict[tuple[str, str], int]:
    """(kind, source id) → id of every sitting official: whom a membership can name."""
    rows = session.execute(
        select(Official.kind, Official.source_id, Official.id).where(Official.mandate_end.is_(None))
    )
    return {(kind, source_id): official_id for kind, source_id, official_id in rows}


def import_an_bodies(
    session: Session, *, export: AmoExport, actor: Actor | None, source_label: str
) -> BodiesReport:
    """The AN's bodies and the deputies' seats, and each sitting minister in their ministry."""
    bodies, memberships = parse_an_bodies(export)
    ministers = session.execute(
        select(Official.source_id, Official.portfolio).where(
            Official.kind == "minister", Official.mandate_end.is_(None)
        )
    )
    in_ministries, unmatched = minister_memberships(ministers, bodies)
    report = apply_bodies(
        session,
        chambers=AN_CHAMBERS,
        bodies=bodies,
        memberships=memberships + in_ministries,
        officials=official_ids(session),
        actor=actor,
        source_label=source_label,
    )
    report.unmatched += unmatched
    return report


def import_senat_bodies(session: Session, *, path: Path, actor: Actor | None) -> BodiesReport:
    """The Sénat's bodies from the `organismes` of each senator."""
    bodies, memberships = parse_senat_bodies(path)
    return apply_bodies(
        session,
        chambers=SENAT_CHAMBERS,
        bodies=bodies,
        memberships=memberships,
        officials=official_ids(session),
        actor=actor,
        source_label=str(path),
    )


def load_project_bodies(
    session: Session, data_dir: Path, actor: Actor | None
) -> list[BodiesReport]:
    """Loads data/bodies.csv and data/memberships.csv when the project has them."""
    found = read_bodies(data_dir)
    if found is None:
        return []
    bodies, memberships = found
    return [
        apply_bodies(
            session,
            chambers=CHAMBER_LABELS,
            bodies=bodies,
            memberships=memberships,
            officials=official_ids(session),
            actor=actor,
            source_label=str(data_dir / BODIES_FILE),
        )
    ]


def export_bodies(session: Session, *, out: Path) -> tuple[int, int]:
    """Writes the bodies and the sitting memberships to the project's files; returns counts."""
    keys = {official_id: key for key, official_id in official_ids(session).items()}
    bodies = [
        BodyRecord(b.source_id, b.chamber, b.kind, b.name, b.short_name)
        for b in bodies_in(session, chambers=CHAMBER_LABELS)
    ]
    memberships = [
        MembershipRecord(body, *keys[official_id], role, start)
        for body, official_id, role, start in current_memberships(session, chambers=CHAMBER_LABELS)
        if official_id in keys
    ]
    return write_bodies(out, bodies, memberships)
