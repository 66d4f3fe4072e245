"""The project's own bodies files, data/bodies.csv and data/memberships.csv: written by the
exporter from the official sources, loaded by `plaidoyer setup`."""

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path

from app.bodies.records import CHAMBER_LABELS, BodyRecord, MembershipRecord
from app.importing.cells import parse_date
from app.importing.errors import ImportFileError
from app.importing.tabular import read_table

BODIES_FILE = "bodies.csv"
MEMBERSHIPS_FILE = "memberships.csv"
BODY_COLUMNS = ("source_id", "chamber", "kind", "name", "short_name")
MEMBERSHIP_COLUMNS = ("body", "official_kind", "official", "role", "start_date")
OFFICIAL_KINDS = ("deputy", "senator", "minister")


def _write(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    tmp = path.with_suffix(".csv.tmp")
    count = 0
    with tmp.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(["" if v is None else v for v in row])
            count += 1
    tmp.replace(path)
    return count


def write_bodies(
    directory: Path, bodies: Iterable[BodyRecord], memberships: Iterable[MembershipRecord]
) -> tuple[int, int]:
    """Writes both files, sorted so that the same data give the same bytes; returns row counts."""
    directory.mkdir(parents=True, exist_ok=True)
    body_rows = sorted((b.source_id, b.chamber, b.kind, b.name, b.short_name) for b in bodies)
    seat_rows = sorted(
        (
            m.body,
            m.official_kind,
            m.official,
            m.role,
            m.start_date.isoformat() if m.start_date else "",
        )
        for m in memberships
    )
    return (
        _write(directory / BODIES_FILE, BODY_COLUMNS, body_rows),
        _write(directory / MEMBERSHIPS_FILE, MEMBERSHIP_COLUMNS, seat_rows),
    )


def read_bodies(directory: Path) -> tuple[list[BodyRecord], list[MembershipRecord]] | None:
    """Both files' records, or None when the project has no bodies files."""
    bodies_path, seats_path = directory / BODIES_FILE, directory / MEMBERSHIPS_FILE
    if not bodies_path.exists() and not seats_path.exists():
        return None
    table = read_table(bodies_path, required=BODY_COLUMNS)
    bodies = []
    for line, row in table.rows():
        if row["chamber"] not in CHAMBER_LABELS:
            raise ImportFileError(
                table.file, line, "chamber", f"chambre « {row['chamber']} » inconnue."
            )
        bodies.append(BodyRecord(*(row[column] for column in BODY_COLUMNS)))
    table = read_table(seats_path, required=MEMBERSHIP_COLUMNS)
    memberships = []
    for line, row in table.rows():
        if row["official_kind"] not in OFFICIAL_KINDS:
            raise ImportFileError(
                table.file, line, "official_kind", f"type « {row['official_kind']} » inconnu."
            )
        start = parse_date(
            row["start_date"], "%Y-%m-%d", file=table.file, line=line, column="start_date"
        )
        memberships.append(
            MembershipRecord(
                row["body"], row["official_kind"], row["official"], row["role"], start, line
            )
        )
    return bodies, memberships
