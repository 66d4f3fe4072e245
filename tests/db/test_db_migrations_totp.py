"""The sealed-TOTP revision up and down on both backends, with an enrolled account there."""

from collections.abc import Iterator

import pytest
from alembic import command
from sqlalchemy import text

from app.config import get_settings
from app.db import build_engine
from app.security import seal, unseal
from tests.factories import alembic_config

BEFORE, REVISION = "8a1f0c2b3d45", "8c3d2e1f0a97"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
KEY = "clé-des-migrations-totp-assez-longue-pour-le-test"


@pytest.fixture
def app_key(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("PLAIDOYER_SECRET_KEY", KEY)
    get_settings.cache_clear()
    yield KEY
    get_settings.cache_clear()


def test_down_unseals_and_up_keeps_a_clear_secret_readable(
    backend: str,
    make_database_url,  # type: ignore[no-untyped-def]
    app_key: str,
) -> None:
    url: str = make_database_url(backend)
    config = alembic_config(url)
    engine = build_engine(url)

    def stored() -> str:
        with engine.connect() as conn:
            return str(conn.execute(text('SELECT totp_secret FROM "user"')).scalar_one())

    try:
        command.upgrade(config, REVISION)
        with engine.begin() as conn:
            conn.execute(
                text(
                    'INSERT INTO "user" (email, full_name, role, password_hash, is_active,'
                    " created_at, totp_secret) VALUES ('a@b.fr', 'A', 'admin', 'x', :yes, :at,"
                    " :secret)"
                ),
                {"yes": True, "at": "2026-11-30 05:00:00+00:00", "secret": seal(app_key, SECRET)},
            )
        assert SECRET not in stored()
        command.downgrade(config, BEFORE)
        assert stored() == SECRET  # the previous code reads it in clear
        command.upgrade(config, REVISION)
        assert unseal(app_key, stored()) == SECRET  # stored before sealing: still readable
    finally:
        engine.dispose()


def test_a_changed_key_cannot_read_a_sealed_secret() -> None:
    sealed = seal(KEY, SECRET)
    assert sealed.startswith("fernet:") and SECRET not in sealed
    assert unseal(KEY, sealed) == SECRET
    assert unseal(KEY + "-autre", sealed) is None
    assert unseal(KEY, sealed[:-4] + "AAAA") is None  # tampered with
