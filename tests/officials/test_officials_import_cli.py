"""`plaidoyer import / sync / export` on real databases, with URLs served by a local http.server."""

import functools
import shutil
import threading
import zipfile
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from app.cli import app
from app.config import get_settings
from app.db import build_engine, get_engine
from app.officials.models import Official

ROOT = Path(__file__).resolve().parents[2]
SHARED_DATA = ROOT.parent / "shared" / "data"
AN_DIR = SHARED_DATA / "deputes" / "an_amo10"


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """http://127.0.0.1:PORT serving the shared data plus the AN export zipped as published."""
    root = tmp_path_factory.mktemp("www")
    (root / "shared").symlink_to(SHARED_DATA)
    with zipfile.ZipFile(root / "AMO10.json.zip", "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for file in sorted(AN_DIR.rglob("*.json")):
            z.write(file, f"json/{file.relative_to(AN_DIR)}")
    handler = functools.partial(QuietHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest, make_migrated_url, monkeypatch) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """A fresh migrated database that the CLI's own engine uses."""
    url: str = make_migrated_url(request.param)
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    get_engine.cache_clear()
    yield url
    get_engine().dispose()
    get_settings.cache_clear()
    get_engine.cache_clear()


def _count(url: str, kind: str | None = None) -> int:
    engine = build_engine(url)
    try:
        with engine.connect() as connection:
            query = select(func.count()).select_from(Official)
            if kind:
                query = query.where(Official.kind == kind, Official.mandate_end.is_(None))
            return connection.scalar(query) or 0
    finally:
        engine.dispose()


def test_import_prints_a_french_summary_and_is_idempotent(database: str) -> None:
    runner = CliRunner()
    path = str(SHARED_DATA / "gouvernement" / "gouvernement_lecornu2_membres.json")
    first = runner.invoke(app, ["import", "government", path])
    assert first.exit_code == 0, first.output
    assert "36 nouveaux, 0 mis à jour, 0 terminé" in first.output
    second = runner.invoke(app, ["import", "government", path])
    assert "0 nouveau, 0 mis à jour, 0 terminé, 36 inchangés" in second.output
    assert _count(database, "minister") == 36


def test_a_bad_file_changes_nothing_even_after_a_good_one(database: str, tmp_path: Path) -> None:
    shutil.copy(ROOT / "data" / "deputies.csv", tmp_path / "deputies.csv")
    (tmp_path / "senators.csv").write_text("matricule;nom\n1;X\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["import", "project", str(tmp_path)])
    assert result.exit_code == 1
    assert (
        f"{tmp_path / 'senators.csv'}:1:source_id: colonne « source_id » absente" in result.stderr
    )
    assert "Aucune modification" in result.stderr
    assert _count(database) == 0


def test_import_from_a_url(database: str, served: str) -> None:
    url = f"{served}/shared/senateurs/senat_api_senateurs.json"
    emails = str(
        SHARED_DATA / "senateurs" / "pauseai_elus_deputes_senateurs_emails_2026-06-27.json"
    )
    result = CliRunner().invoke(app, ["import", "senat", url, "--emails", emails])
    assert result.exit_code == 0, result.output
    assert _count(database, "senator") == 348


def test_unreachable_url_fails_cleanly(database: str, served: str) -> None:
    result = CliRunner().invoke(app, ["import", "senat", f"{served}/absent.json"])
    assert result.exit_code == 1
    assert "404" in result.stderr and f"{served}/absent.json" in result.stderr


def test_sync_downloads_imports_and_rewrites_the_project_files(
    database: str, served: str, tmp_path: Path
) -> None:
    result = CliRunner().invoke(
        app,
        [
            "sync",
            "--an-url", f"{served}/AMO10.json.zip",
            "--senat-url", f"{served}/shared/senateurs/senat_api_senateurs.json",
            "--out", str(tmp_path),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (_count(database, "deputy"), _count(database, "senator")) == (577, 348)
    deputies = (tmp_path / "deputies.csv").read_text(encoding="utf-8").splitlines()
    assert len(deputies) == 578 and deputies[0].startswith("source_id,civility,")
    assert (tmp_path / "ministers.csv").read_text(encoding="utf-8").count("\n") == 1
