"""Applying imports to the directory on SQLite and PostgreSQL: idempotent, ends, never deletes."""

import csv
import json
import zipfile
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.audit.models import AuditEvent
from app.demands.models import Demand
from app.officials.cli import import_file
from app.officials.importers import ImportFileError
from app.officials.importers.project import COLUMNS
from app.officials.models import Official
from app.officials.sync import export_officials, load_project_data
from app.stances.models import Stance

ROOT = Path(__file__).resolve().parents[2]
SHARED_DATA = ROOT.parent / "shared" / "data"
AN_DIR = SHARED_DATA / "deputes" / "an_amo10"
GOVERNMENT = SHARED_DATA / "gouvernement" / "gouvernement_lecornu2_membres.json"
SENAT_API = SHARED_DATA / "senateurs" / "senat_api_senateurs.json"
PAUSEAI = SHARED_DATA / "senateurs" / "pauseai_elus_deputes_senateurs_emails_2026-06-27.json"
ODSEN = SHARED_DATA / "senateurs" / "senat_ODSEN_GENERAL_2021.csv"
GONE = "PA795124"


def _active(session: Session, kind: str) -> int:
    query = select(func.count()).where(Official.kind == kind, Official.mandate_end.is_(None))
    return session.scalar(query) or 0


def _snapshot(session: Session) -> list[tuple[object, ...]]:
    rows = session.execute(select(Official).order_by(Official.id)).scalars()
    return [(o.kind, o.source_id, o.email, o.portfolio, o.mandate_end) for o in rows]


def _import(session: Session, source: str, path: Path, emails: list[Path] | None = None):  # type: ignore[no-untyped-def]
    return import_file(session, source, path, emails=emails or [], actor=None)


@pytest.fixture(scope="module")
def an_zip_without_one(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The official zip layout, with one deputy gone (as after a resignation)."""
    path = tmp_path_factory.mktemp("an") / "AMO10.json.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for file in sorted(AN_DIR.rglob("*.json")):
            if file.stem != GONE:
                archive.write(file, f"json/{file.relative_to(AN_DIR)}")
    return path


def test_full_import_then_nothing_changes(session: Session) -> None:
    reports = [
        _import(session, "an", AN_DIR),
        _import(session, "senat", SENAT_API, [PAUSEAI, ODSEN]),
        _import(session, "government", GOVERNMENT),
    ]
    assert [len(r.created) for r in reports] == [577, 348, 36]
    assert (_active(session, "deputy"), _active(session, "senator")) == (577, 348)
    assert _active(session, "minister") == 36
    with_email = select(func.count()).where(Official.kind == "deputy", Official.email != "")
    assert (session.scalar(with_email) or 0) >= 576
    audits = select(func.count()).where(AuditEvent.action == "import")
    assert session.scalar(audits) == 3

    again = [
        _import(session, "an", AN_DIR),
        _import(session, "senat", SENAT_API, [PAUSEAI, ODSEN]),
        _import(session, "government", GOVERNMENT),
    ]
    assert [r.changes for r in again] == [0, 0, 0]
    assert session.scalar(audits) == 3


def test_senate_api_alone_keeps_the_known_emails(session: Session) -> None:
    _import(session, "senat", SENAT_API, [PAUSEAI])
    assert _import(session, "senat", SENAT_API).changes == 0
    sido = session.scalars(select(Official).where(Official.source_id == "01058X")).one()
    assert sido.email == "b.sido@senat.fr"


def test_reshuffle_ends_one_member_and_updates_another(session: Session, tmp_path: Path) -> None:
    _import(session, "government", GOVERNMENT)
    document = json.loads(GOVERNMENT.read_text(encoding="utf-8"))
    removed = document["membres"].pop(1)
    document["membres"][0]["fonction"] = "Premier ministre, chargé de la planification"
    reshuffled = tmp_path / "gouvernement.json"
    reshuffled.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")

    report = _import(session, "government", reshuffled)
    assert report.ended == [removed["id"]]
    assert report.updated == {"PA643210": ["portfolio"]}
    assert report.created == []
    assert _active(session, "minister") == 35
    gone = session.scalars(select(Official).where(Official.source_id == removed["id"])).one()
    assert gone.mandate_end == date.today()

    back = _import(session, "government", GOVERNMENT)
    assert back.updated == {removed["id"]: ["mandate_end"], "PA643210": ["portfolio"]}
    assert _active(session, "minister") == 36


def test_deputy_absent_from_a_new_export_is_ended_not_deleted(
    session: Session, an_zip_without_one: Path
) -> None:
    _import(session, "an", AN_DIR)
    deputy = session.scalars(select(Official).where(Official.source_id == GONE)).one()
    demand = session.scalars(select(Demand).order_by(Demand.number)).first()
    assert demand is not None
    session.add(
        Stance(
            official_id=deputy.id, demand_id=demand.id, position="supportive", evidence_kind="reply"
        )
    )
    session.flush()

    report = _import(session, "an", an_zip_without_one)
    assert (report.ended, report.changes) == ([GONE], 1)
    session.expire_all()
    assert deputy.mandate_end == date.today()
    assert session.scalar(select(func.count()).where(Stance.official_id == deputy.id)) == 1
    assert _active(session, "deputy") == 576


def test_partial_rne_import_ends_nobody(session: Session) -> None:
    _import(session, "an", AN_DIR)
    report = _import(session, "rne", SHARED_DATA / "deputes" / "rne_elus-deputes-dep.csv")
    assert report.created == [] and report.ended == []
    assert len(report.unmatched) == 11
    assert all(fields == ["mandate_start"] for fields in report.updated.values())
    assert _active(session, "deputy") == 577


def test_project_files_load_then_report_nothing(session: Session) -> None:
    first = load_project_data(session, ROOT / "data", None)
    assert [len(r.created) for r in first] == [577, 348, 36]
    assert [r.changes for r in load_project_data(session, ROOT / "data", None)] == [0, 0, 0]


def _rewrite(source: Path, target: Path, *, encoding: str, bom: bool) -> None:
    """The file as French Excel saves it: `;`, every field quoted, CRLF."""
    with source.open(encoding="utf-8", newline="") as raw:
        rows = list(csv.reader(raw))
    with target.open("w", encoding=encoding, newline="") as out:
        if bom:
            out.write("\ufeff")
        csv.writer(out, delimiter=";", quoting=csv.QUOTE_ALL).writerows(rows)


@pytest.mark.parametrize(("encoding", "bom"), [("cp1252", False), ("utf-8", True)])
def test_project_round_trip_and_spreadsheet_variant(
    session: Session, tmp_path: Path, encoding: str, bom: bool
) -> None:
    _import(session, "an", AN_DIR, [SHARED_DATA / "deputes" / "datan_deputes-active.csv"])
    exported = tmp_path / "deputies.csv"
    assert export_officials(session, kind="deputy", path=exported) == 577
    assert _import(session, "project-deputies", exported).changes == 0

    excel = tmp_path / "excel.csv"
    _rewrite(exported, excel, encoding=encoding, bom=bom)
    assert excel.read_bytes()[:3] == (b"\xef\xbb\xbf" if bom else b'"so')
    assert _import(session, "project-deputies", excel).changes == 0


def test_duplicate_id_names_both_lines_and_changes_nothing(
    session: Session, tmp_path: Path
) -> None:
    load_project_data(session, ROOT / "data", None)
    before = _snapshot(session)
    lines = (ROOT / "data" / "ministers.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    duplicated = tmp_path / "ministers.csv"
    duplicated.write_text("".join([*lines, lines[3]]), encoding="utf-8")
    with pytest.raises(ImportFileError) as error:
        _import(session, "project-ministers", duplicated)
    assert error.value.field == "source_id"
    assert error.value.location == len(lines) + 1
    assert "lignes/enregistrements 4 et 38" in error.value.message
    assert str(error.value).startswith(f"{duplicated}:38:source_id:")
    assert _snapshot(session) == before


def test_project_schema_is_the_documented_one() -> None:
    header = (ROOT / "data" / "deputies.csv").read_text(encoding="utf-8").split("\n", 1)[0]
    assert header.split(",") == list(COLUMNS)
    assert ",".join(COLUMNS) in (ROOT / "data" / "README.md").read_text(encoding="utf-8")
