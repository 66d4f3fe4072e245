"""data/geography/ loaded at start-up only when needed; the CLI's all-or-nothing import."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from geo_files import OFFICIAL_FILES, ROOT
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.orm import Session

from app.geography.importers import CommuneRecord, GeographyData
from app.geography.models import Commune, GeographyVersion
from app.geography.service import apply_geography, load_project_geography

DATA = ROOT / "data"


def test_start_up_load_is_skipped_when_unchanged_and_respects_an_import(
    session: Session, tmp_path: Path
) -> None:
    first = load_project_geography(session, DATA)
    assert first.loaded and first.communes == 35079
    again = load_project_geography(session, DATA)
    assert not again.loaded and "à jour" in again.summary()

    changed = tmp_path / "geography"
    shutil.copytree(DATA / "geography", changed)
    with (changed / "departments.csv").open("a", encoding="utf-8") as file:
        file.write("999,Département d'essai\n")
    assert load_project_geography(session, tmp_path).loaded

    tiny = GeographyData(
        departments={"01": "Ain"},
        communes={"01001": CommuneRecord("L'Abergement-Clémenciat", "01")},
        postal_codes={("01400", "01001"): "L ABERGEMENT CLEMENCIAT"},
        circonscriptions={("01001", "01", 4): False},
    )
    apply_geography(session, data=tiny)
    kept = load_project_geography(session, DATA)
    assert not kept.loaded and "importées" in kept.reason
    assert session.scalar(select(func.count()).select_from(Commune)) == 1
    assert load_project_geography(session, DATA, force=True).loaded
    assert session.scalar(select(GeographyVersion.origin)) == "project"


def run_cli(*args: str, database: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "typer", "app.cli", "run", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def commune_count(database: Path) -> int:
    engine = create_engine(f"sqlite:///{database}")
    with engine.connect() as connection:
        count = connection.scalar(text("SELECT count(*) FROM commune"))
    engine.dispose()
    return int(count or 0)


def test_cli_import_is_all_or_nothing(tmp_path: Path) -> None:
    database = tmp_path / "cli.db"
    assert run_cli("db", "upgrade", database=database).returncode == 0
    options = [f"--{name}={path}" for name, path in OFFICIAL_FILES.items()]
    done = run_cli("geo", "import", *options, database=database)
    assert done.returncode == 0, done.stderr
    assert "35079 communes" in done.stdout
    assert commune_count(database) == 35079

    bad = tmp_path / "circo.csv"
    bad.write_text("DEP,COMMUNE_RESID,circo,type_com\n01,01001,01004,entière\n01,01002,x,\n")
    failed = run_cli("geo", "import", *options[:3], f"--circos={bad}", database=database)
    assert failed.returncode == 1
    assert f"{bad}:3:circo:" in failed.stderr
    assert commune_count(database) == 35079
