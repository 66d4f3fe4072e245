"""The deploy kit cannot drift from the code: the env file is the Settings class, rendered."""

from pathlib import Path

from ops_support import ROOT

from app.config import Settings
from app.ops.envfile import MEANINGS, env_file

DEPLOY = ROOT / "deploy"


def test_every_setting_has_a_meaning() -> None:
    assert set(MEANINGS) == set(Settings.model_fields)


def test_the_env_file_is_generated_from_the_settings() -> None:
    assert (DEPLOY / "plaidoyer.env").read_text() == env_file(), (
        "deploy/plaidoyer.env a divergé : plaidoyer deploy env-file > deploy/plaidoyer.env"
    )
    text = env_file()
    for name in Settings.model_fields:
        assert f"PLAIDOYER_{name.upper()}=" in text or name in {"database_url", "port", "redis_url"}
    assert "#DATABASE_URL=\n" in text and "#REDIS_URL=\n" in text and "#PORT=8000\n" in text


def test_units_run_the_commands_that_exist(tmp_path: Path) -> None:
    web = (DEPLOY / "plaidoyer-web.service").read_text()
    worker = (DEPLOY / "plaidoyer-worker@.service").read_text()
    backup = (DEPLOY / "plaidoyer-backup.service").read_text()
    daily = (DEPLOY / "plaidoyer-daily.service").read_text()
    assert "plaidoyer serve --host 127.0.0.1" in web and "plaidoyer db upgrade" in web
    assert "plaidoyer outbox run --worker-id" in worker
    assert "plaidoyer backup" in backup
    assert "plaidoyer supporters reminders" in daily and "plaidoyer retention run" in daily
    assert "OnCalendar=" in (DEPLOY / "plaidoyer-daily.timer").read_text()
    for unit in (web, worker, backup, daily):
        assert "User=plaidoyer" in unit and "ProtectSystem=strict" in unit
    for unit in (web, worker):
        assert "Restart=on-failure" in unit
    caddy = (DEPLOY / "Caddyfile").read_text()
    assert "header_up X-Forwarded-For {remote_host}" in caddy
    assert "respond /metrics 404" in caddy
