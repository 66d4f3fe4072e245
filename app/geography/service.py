"""Writing the geography reference tables: from the official files or from the project's own."""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from app.audit.service import record
from app.geography import project_files
from app.geography.importers import GeographyData
from app.geography.models import (
    Commune,
    CommuneCirconscription,
    Department,
    GeographyVersion,
    PostalCode,
)
from app.security import Actor
from app.text import fold

ORIGIN_PROJECT = "project"
ORIGIN_IMPORT = "import"
BATCH = 5000


@dataclass(frozen=True)
class GeographyReport:
    departments: int
    communes: int
    postal_codes: int
    circonscriptions: int
    content_hash: str
    loaded: bool = True
    reason: str = ""

    def summary(self) -> str:
        if not self.loaded:
            return f"Géographie inchangée : {self.reason}"
        return (
            f"Géographie chargée : {self.departments} départements et territoires, "
            f"{self.communes} communes, {self.postal_codes} couples code postal–commune, "
            f"{self.circonscriptions} rattachements commune–circonscription."
        )


def _insert(session: Session, model: Any, rows: list[dict[str, Any]]) -> None:
    # Core inserts on the table: the ORM's bulk path costs several times more on reference data.
    connection = session.connection()
    for start in range(0, len(rows), BATCH):
        connection.execute(insert(model.__table__), rows[start : start + BATCH])


def apply_geography(
    session: Session,
    *,
    data: GeographyData,
    origin: str = ORIGIN_IMPORT,
    content_hash: str | None = None,
    actor: Actor | None = None,
) -> GeographyReport:
    """Replaces the whole geography with `data` inside the caller's transaction."""
    digest = content_hash or project_files.content_hash(project_files.render(data))
    for model in (CommuneCirconscription, PostalCode, Commune, Department, GeographyVersion):
        session.execute(delete(model))
    _insert(session, Department, [{"code": c, "name": n} for c, n in data.departments.items()])
    _insert(
        session,
        Commune,
        [
            {
                "insee": insee,
                "name": c.name,
                "search_name": fold(c.name),
                "department_code": c.department_code,
            }
            for insee, c in data.communes.items()
        ],
    )
    _insert(
        session,
        PostalCode,
        [
            {"postcode": p, "insee": i, "label": label}
            for (p, i), label in data.postal_codes.items()
        ],
    )
    _insert(
        session,
        CommuneCirconscription,
        [
            {"insee": i, "department_code": d, "circonscription": n, "partial": partial}
            for (i, d, n), partial in data.circonscriptions.items()
        ],
    )
    session.add(GeographyVersion(id=1, origin=origin, content_hash=digest))
    report = GeographyReport(
        departments=len(data.departments),
        communes=len(data.communes),
        postal_codes=len(data.postal_codes),
        circonscriptions=len(data.circonscriptions),
        content_hash=digest,
    )
    record(
        session,
        actor=actor,
        action="geography.load",
        object_type="geography",
        object_id=origin,
        after={"hash": digest, "communes": report.communes, "postal_codes": report.postal_codes},
    )
    return report


def load_project_geography(
    session: Session, data_dir: Path, *, force: bool = False
) -> GeographyReport:
    """Loads data/geography/ unless the tables already hold it or a deliberate import."""
    directory = data_dir / "geography" if (data_dir / "geography").is_dir() else data_dir
    raw = project_files.read_raw(directory)
    if raw is None:
        return GeographyReport(
            0, 0, 0, 0, "", loaded=False, reason=f"aucun fichier dans {directory}."
        )
    digest = project_files.content_hash(raw)
    current = session.scalar(select(GeographyVersion).where(GeographyVersion.id == 1))
    if current is not None and not force:
        if current.content_hash == digest:
            return GeographyReport(0, 0, 0, 0, digest, loaded=False, reason="déjà à jour.")
        if current.origin == ORIGIN_IMPORT:
            return GeographyReport(
                0,
                0,
                0,
                0,
                current.content_hash,
                loaded=False,
                reason="données importées avec « plaidoyer geo import » conservées.",
            )
    data = project_files.parse(directory, raw)
    return apply_geography(session, data=data, origin=ORIGIN_PROJECT, content_hash=digest)
