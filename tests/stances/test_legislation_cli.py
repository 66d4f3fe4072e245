"""`plaidoyer import dossiers` and `plaidoyer import scrutins` against a fresh database."""

from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from sqlalchemy import func, select
from stances_support import DOSSIERS, JSON_SCRUTIN, SCRUTINS
from typer.testing import CliRunner

from app.config import get_settings
from app.db import get_engine, unit_of_work
from app.legislation.cli import register
from app.legislation.models import LegislativeAct, LegislativeRecord


@pytest.fixture
def cli(
    backend: str, make_migrated_url, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[typer.Typer]:  # type: ignore[no-untyped-def]
    url: str = make_migrated_url(backend)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("PLAIDOYER_DATA_DIR", str(tmp_path / "var"))
    get_settings.cache_clear()
    get_engine.cache_clear()
    app = typer.Typer()
    app.command("noop")(lambda: None)
    register(app)
    yield app
    get_engine().dispose()
    get_settings.cache_clear()
    get_engine.cache_clear()


def _counts() -> tuple[int, int]:
    with unit_of_work() as session:
        records = session.scalar(select(func.count(LegislativeRecord.id))) or 0
        acts = session.scalar(select(func.count(LegislativeAct.id))) or 0
    return records, acts


def test_import_is_idempotent_and_a_bad_file_changes_nothing(
    cli: typer.Typer, tmp_path: Path
) -> None:
    runner = CliRunner()
    first = runner.invoke(cli, ["import", "dossiers", str(DOSSIERS)])
    assert first.exit_code == 0, first.output
    assert "83 dossiers et textes : 83 nouveaux" in first.output
    votes = runner.invoke(cli, ["import", "scrutins", str(SCRUTINS)])
    assert "2 scrutins : 2 nouveaux" in votes.output
    sample = runner.invoke(cli, ["import", "scrutins", str(JSON_SCRUTIN)])
    assert "1 scrutin : 1 nouveau" in sample.output
    before = _counts()
    again = runner.invoke(cli, ["import", "scrutins", str(SCRUTINS)])
    assert "0 nouveau, 0 mis à jour, 2 inchangés" in again.output

    folder = tmp_path / "scrutins"
    folder.mkdir()
    (folder / "VTANR5L17V1018.xml").write_bytes((SCRUTINS / "VTANR5L17V1018.xml").read_bytes())
    (folder / "VTZ.xml").write_text("<scrutin>\n  <uid>VTZ</uid>\n  <titre></scrutin>\n")
    broken = runner.invoke(cli, ["import", "scrutins", str(folder)])
    assert broken.exit_code == 1
    assert "VTZ.xml, ligne 3, colonne" in broken.output
    assert _counts() == before
