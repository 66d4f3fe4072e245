"""`plaidoyer officials overrides import` on a real database: all or nothing, errors located."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from app.cli import app
from app.config import get_settings
from app.db import get_engine, unit_of_work
from app.officials.models import ContactOverride, Official


@pytest.fixture
def database(backend: str, make_migrated_url, monkeypatch) -> Iterator[str]:  # type: ignore[no-untyped-def]
    url: str = make_migrated_url(backend)
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    get_engine.cache_clear()
    with unit_of_work() as session:
        session.add(
            Official(
                kind="deputy",
                source_id="PA720001",
                civility="Mme",
                first_name="Éloïse",
                last_name="Dupré",
                search_name="eloise dupre",
                email="e.dupre@assemblee-nationale.fr",
            )
        )
    yield url
    get_engine().dispose()
    get_settings.cache_clear()
    get_engine.cache_clear()


def _state() -> tuple[str, str, int]:
    with unit_of_work() as session:
        official = session.scalars(select(Official).where(Official.source_id == "PA720001")).one()
        count = len(session.scalars(select(ContactOverride)).all())
        return official.email, official.phone, count


def test_import_is_all_or_nothing(database: str, tmp_path: Path) -> None:
    runner = CliRunner()
    bad = tmp_path / "corrections.csv"
    bad.write_text(
        "identifiant;champ;valeur;source;date\n"
        "PA720001;telephone;04 78 00 00 00;appel;01/11/2026\n"
        "PA720001;email;pas-une-adresse;appel;01/11/2026\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["officials", "overrides", "import", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:3:valeur:" in result.output and "Adresse e-mail invalide" in result.output
    assert "Aucune modification" in result.output
    assert _state() == ("e.dupre@assemblee-nationale.fr", "", 0)

    good = tmp_path / "bonnes.csv"
    good.write_text(
        "identifiant;champ;valeur;source;date\n"
        "PA720001;telephone;04 78 00 00 00;appel;01/11/2026\n"
        "PA720001;email;permanence@exemple.fr;site;\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["officials", "overrides", "import", str(good)])
    assert result.exit_code == 0, result.output
    assert "2 coordonnées corrigées" in result.output
    assert _state() == ("permanence@exemple.fr", "04 78 00 00 00", 2)
