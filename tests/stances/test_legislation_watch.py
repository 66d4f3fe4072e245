"""The legislative watch: `plaidoyer sync dossiers` downloads the AN export from a local HTTP
server, keeps the texts matching the keywords, and the directors' screen lists them to map."""

import functools
import threading
import zipfile
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import typer
from sqlalchemy import select
from sqlalchemy.orm import Session
from stances_support import ACTOR, DOSSIERS, LAW, load_deputies
from typer.testing import CliRunner

from app.config import WATCH_KEYWORDS, get_settings
from app.db import get_engine, unit_of_work
from app.legislation.cli import register
from app.legislation.models import LegislativeRecord
from app.legislation.service import DemandMapping, map_to_demands, undo_batch
from app.legislation.watch import matching_keyword, read_export, texts_to_map, watch_texts

EXPORT = "Dossiers_Legislatifs.json.zip"
# Of the 43 bills and resolutions shipped, 29 have a title (or a dossier) on the keywords.
TEXTS, MATCHING = 43, 29


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return


def zip_export(folder: Path) -> Path:
    """The shipped dossiers and documents laid out as in the AN's zip (json/<kind>/<uid>.json)."""
    target = folder / EXPORT
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(DOSSIERS.rglob("*.json")):
            archive.write(path, f"json/{path.relative_to(DOSSIERS).as_posix()}")
    return target


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    """The base URL of a real HTTP server serving the zipped export."""
    folder = tmp_path / "an"
    folder.mkdir()
    zip_export(folder)
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def cli(
    backend: str, make_migrated_url, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[typer.Typer]:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DATABASE_URL", make_migrated_url(backend))
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


def test_keywords_ignore_accents_case_and_punctuation() -> None:
    assert matching_keyword("Lutter contre la PEDOCRIMINALITE", WATCH_KEYWORDS)
    assert matching_keyword("la cyberpédocriminalité", ["Pédocriminalité"])
    assert matching_keyword("Le droit a l’image des enfants", WATCH_KEYWORDS)
    assert matching_keyword("Réseaux-sociaux", ["réseaux sociaux"])
    assert not matching_keyword("Réguler l'usage des écrans", WATCH_KEYWORDS)
    assert not matching_keyword("n'importe quoi", ["", "  "])


def test_sync_lists_new_matching_texts_once(
    cli: typer.Typer, served: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLAIDOYER_WATCH_DOSSIERS_URL", f"{served}/{EXPORT}")
    get_settings.cache_clear()
    runner = CliRunner()
    first = runner.invoke(cli, ["sync", "dossiers"])
    assert first.exit_code == 0, first.output
    assert f"{TEXTS} textes lus, {MATCHING} nouveaux textes à rattacher" in first.output
    assert LAW in first.output
    assert "PIONANR5L17B0406" not in first.output  # « usage des écrans »: no keyword
    with unit_of_work() as session:
        watched = session.scalars(
            select(LegislativeRecord.uid).where(LegislativeRecord.watched_at.is_not(None))
        ).all()
        assert len(watched) == MATCHING
        assert len(texts_to_map(session, limit=100)) == MATCHING

    again = runner.invoke(cli, ["sync", "dossiers", "--url", f"{served}/{EXPORT}"])
    assert again.exit_code == 0, again.output
    assert f"{TEXTS} textes lus, 0 nouveau texte" in again.output

    monkeypatch.setenv("PLAIDOYER_WATCH_KEYWORDS", '["surexposition aux écrans"]')
    get_settings.cache_clear()
    more = runner.invoke(cli, ["sync", "dossiers"])
    assert "2 nouveaux textes" in more.output, more.output
    assert "PIONANR5L17B1919" in more.output


def test_sync_refuses_a_missing_or_broken_export(
    cli: typer.Typer, served: str, tmp_path: Path
) -> None:
    runner = CliRunner()
    missing = runner.invoke(cli, ["sync", "dossiers", "--url", f"{served}/absent.zip"])
    assert missing.exit_code == 1
    assert "téléchargement impossible" in missing.output
    assert "Aucune modification" in missing.output
    broken = runner.invoke(cli, ["sync", "dossiers", "--url", str(DOSSIERS / "document")])
    assert broken.exit_code == 1
    assert "archive zip illisible" in broken.output


def test_a_mapped_text_leaves_the_list_until_its_batch_is_undone(
    session: Session, tmp_path: Path
) -> None:
    load_deputies(session)
    texts, dossiers = read_export(zip_export(tmp_path))
    found = watch_texts(session, texts=texts, dossiers=dossiers, keywords=["réseaux sociaux"])
    assert LAW in {t.uid for t in found}
    assert LAW in {r.uid for r in texts_to_map(session, limit=100)}
    batch, count = map_to_demands(
        session, uid=LAW, mappings=[DemandMapping(3, "supports")], actor=ACTOR
    )
    assert count == 127
    assert LAW not in {r.uid for r in texts_to_map(session, limit=100)}
    undo_batch(session, batch_id=batch.id, actor=ACTOR)
    assert LAW in {r.uid for r in texts_to_map(session, limit=100)}
