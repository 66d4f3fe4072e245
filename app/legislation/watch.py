"""The legislative watch: new AN texts whose title matches the association's keywords."""

import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from app.db import utcnow
from app.importing.errors import ImportFileError
from app.legislation.models import LegislativeRecord, RecordKind
from app.legislation.parsing import ParsedRecord, RecordFileError, document_record, load_json
from app.legislation.service import save_record
from app.stances.models import StanceBatch
from app.text import fold

# Texts that officials author and co-sign: bills (propositions, projets) and resolutions.
TEXT_TYPES = ("PION", "PRJL", "PNRE")
MAX_MEMBER_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class WatchedText:
    uid: str
    title: str
    record_date: date | None
    dossier_title: str


def matching_keyword(title: str, keywords: Sequence[str]) -> str | None:
    """The first keyword found in the title, accents, case and punctuation ignored."""
    folded = f" {fold(title)} "
    return next((k for k in keywords if fold(k) and fold(k) in folded), None)


def _members(archive: zipfile.ZipFile, folder: str) -> Iterator[tuple[str, dict[str, Any]]]:
    for info in archive.infolist():
        path = PurePosixPath(info.filename)
        if info.is_dir() or path.suffix != ".json" or folder not in path.parts[:-1]:
            continue
        if info.file_size > MAX_MEMBER_BYTES:
            raise RecordFileError(f"{info.filename} : fichier trop volumineux")
        yield info.filename, load_json(archive.read(info), info.filename)


def read_export(path: Path) -> tuple[list[ParsedRecord], dict[str, str]]:
    """The zipped export's texts (documents of TEXT_TYPES) and its dossiers' titles by uid."""
    try:
        with zipfile.ZipFile(path) as archive:
            dossiers = {
                str(d["uid"]): str((d.get("titreDossier") or {}).get("titre") or "")
                for _, data in _members(archive, "dossierParlementaire")
                if isinstance(d := data.get("dossierParlementaire"), dict) and d.get("uid")
            }
            texts = [
                document_record(doc)
                for _, data in _members(archive, "document")
                if isinstance(doc := data.get("document"), dict)
                and doc.get("uid")
                and ((doc.get("classification") or {}).get("type") or {}).get("code") in TEXT_TYPES
            ]
    except (zipfile.BadZipFile, OSError) as exc:
        raise ImportFileError(path, None, None, f"archive zip illisible : {exc}.") from exc
    except RecordFileError as exc:
        raise ImportFileError(path, None, None, str(exc)) from exc
    return texts, dossiers


def watch_texts(
    session: Session, *, texts: list[ParsedRecord], dossiers: dict[str, str], keywords: list[str]
) -> list[WatchedText]:
    """Saves the texts whose title (or their dossier's) matches a keyword; returns those that
    the watch had not found before, newest first."""
    known = set(
        session.scalars(
            select(LegislativeRecord.uid).where(LegislativeRecord.watched_at.is_not(None))
        )
    )
    found = []
    for text in texts:
        dossier_title = dossiers.get(text.dossier_ref, "")
        if text.uid in known or not (
            matching_keyword(text.title, keywords) or matching_keyword(dossier_title, keywords)
        ):
            continue
        save_record(session, parsed=text)
        saved = session.scalars(
            select(LegislativeRecord).where(LegislativeRecord.uid == text.uid)
        ).one()
        saved.watched_at = utcnow()
        found.append(WatchedText(text.uid, text.title, text.record_date, dossier_title))
    session.flush()
    return sorted(found, key=lambda t: (t.record_date or date.min, t.uid), reverse=True)


def texts_to_map(session: Session, *, limit: int = 20) -> list[LegislativeRecord]:
    """Texts found by the watch and not yet mapped to a demand (no batch left standing)."""
    mapped = exists().where(
        StanceBatch.source_ref == LegislativeRecord.uid, StanceBatch.undone_at.is_(None)
    )
    return list(
        session.scalars(
            select(LegislativeRecord)
            .where(
                LegislativeRecord.watched_at.is_not(None),
                LegislativeRecord.kind == RecordKind.document,
                ~mapped,
            )
            .order_by(
                LegislativeRecord.record_date.desc().nulls_last(), LegislativeRecord.uid.desc()
            )
            .limit(limit)
        )
    )
