"""The operators' CLI, run as a real subprocess on a fresh database of each backend."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from app.config import Settings
from app.db import build_engine, session_factory
from app.main import create_app
from app.security import verify_password
from app.users.models import Role, User

PLAIDOYER = Path(sys.executable).with_name("plaidoyer")
ADMIN_PASSWORD = "mot-de-passe-admin-choisi"


class Cli:
    """Runs `plaidoyer …` against one database and data folder, as an operator would."""

    def __init__(self, database_url: str, data_dir: Path) -> None:
        self.database_url = database_url
        self.data_dir = data_dir
        self.env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith("PLAIDOYER_") and key not in {"DATABASE_URL", "PORT"}
        }
        self.env |= {"DATABASE_URL": database_url, "PLAIDOYER_DATA_DIR": str(data_dir)}

    def run(
        self, *args: str, stdin: str = "", env: dict[str, str] | None = None, ok: bool = True
    ) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [str(PLAIDOYER), *args],
            input=stdin,
            capture_output=True,
            text=True,
            env={**self.env, **(env or {})},
            cwd=self.data_dir,
            timeout=120,
            check=False,
        )
        if ok:
            assert result.returncode == 0, result.stdout + result.stderr
        assert "Traceback" not in result.stderr, result.stderr
        return result

    def users(self) -> list[User]:
        engine = build_engine(self.database_url)
        try:
            with session_factory(engine, write=False)() as session:
                return list(session.scalars(select(User).order_by(User.id)))
        finally:
            engine.dispose()


@pytest.fixture
def sqlite_cli(tmp_path: Path) -> Cli:
    return Cli(f"sqlite:///{tmp_path / 'plaidoyer.db'}", tmp_path)


def test_setup_twice_prints_the_admin_password_once_and_keeps_the_data(sqlite_cli: Cli) -> None:
    first = sqlite_cli.run("setup")
    assert "Premier compte administrateur" in first.stdout
    password = first.stdout.split("Mot de passe (noté une seule fois) :")[1].split()[0]
    [admin] = sqlite_cli.users()
    assert admin.role == Role.admin
    assert verify_password(password, admin.password_hash)

    second = sqlite_cli.run("setup")
    assert "administrateur" not in second.stdout
    assert "Mot de passe" not in second.stdout
    assert [(u.id, u.password_hash) for u in sqlite_cli.users()] == [
        (admin.id, admin.password_hash)
    ]


def test_operator_commands_end_to_end(sqlite_cli: Cli, tmp_path: Path) -> None:
    setup = sqlite_cli.run("setup", env={"PLAIDOYER_ADMIN_PASSWORD": ADMIN_PASSWORD})
    assert ADMIN_PASSWORD not in setup.stdout
    assert "Mot de passe" not in setup.stdout
    [admin] = sqlite_cli.users()
    assert verify_password(ADMIN_PASSWORD, admin.password_hash)

    created = sqlite_cli.run(
        "user", "create", "x@y.fr", "--role", "staff", stdin="un-mot-de-passe-solide\n"
    )
    assert "Compte créé : x@y.fr (Équipe plaidoyer)" in created.stdout
    staff = next(u for u in sqlite_cli.users() if u.email == "x@y.fr")
    assert staff.role == Role.staff
    assert verify_password("un-mot-de-passe-solide", staff.password_hash)

    printed = sqlite_cli.run("token", "create", "x@y.fr")
    token = printed.stdout.strip().splitlines()[-1]
    assert token.startswith("plt_")
    app = create_app(Settings(database_url=sqlite_cli.database_url, data_dir=tmp_path))
    try:
        with TestClient(app) as client:
            me = client.get("/api/me", headers={"Authorization": f"Bearer {token}"})
    finally:
        app.state.engine.dispose()
    assert me.status_code == 200
    assert (me.json()["email"], me.json()["role"]) == ("x@y.fr", "staff")


def test_cli_refuses_bad_input_in_french(sqlite_cli: Cli) -> None:
    sqlite_cli.run("db", "upgrade")
    short = sqlite_cli.run("user", "create", "a@b.fr", stdin="court\n", ok=False)
    assert short.returncode == 1
    assert "au moins 12 caractères" in short.stderr
    unknown = sqlite_cli.run("token", "create", "personne@b.fr", ok=False)
    assert unknown.returncode == 1
    assert "Aucun compte pour personne@b.fr" in unknown.stderr
    # The password is never an argument (it would stay in the shell history).
    argument = sqlite_cli.run("user", "create", "a@b.fr", "--password", "x" * 20, ok=False)
    assert argument.returncode != 0
    assert sqlite_cli.users() == []


def test_an_operator_resets_a_lost_second_factor(sqlite_cli: Cli) -> None:
    sqlite_cli.run("setup", env={"PLAIDOYER_ADMIN_PASSWORD": ADMIN_PASSWORD})
    [admin] = sqlite_cli.users()
    engine = build_engine(sqlite_cli.database_url)
    with engine.begin() as connection:
        connection.execute(update(User).where(User.id == admin.id).values(totp_secret="A" * 32))
    engine.dispose()
    kept = sqlite_cli.run("user", "reset-2fa", admin.email, stdin="n\n", ok=False)
    assert kept.returncode == 1 and "Continuer ?" in kept.stdout
    assert sqlite_cli.users()[0].totp_secret is not None  # declined: nothing changed
    done = sqlite_cli.run("user", "reset-2fa", admin.email, "--yes")
    assert "Double authentification de" in done.stdout and "retirée" in done.stdout
    assert sqlite_cli.users()[0].totp_secret is None
    again = sqlite_cli.run("user", "reset-2fa", admin.email, "--yes", ok=False)
    assert again.returncode == 1 and "n'a pas activé" in again.stderr
    nobody = sqlite_cli.run("user", "reset-2fa", "personne@b.fr", "--yes", ok=False)
    assert nobody.returncode == 1 and "Aucun compte pour personne@b.fr" in nobody.stderr


@pytest.mark.postgres
def test_setup_on_postgresql(make_database_url, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli = Cli(make_database_url("postgresql"), tmp_path)
    first = cli.run("setup", env={"PLAIDOYER_ADMIN_PASSWORD": ADMIN_PASSWORD})
    assert "Premier compte administrateur" in first.stdout
    second = cli.run("setup", env={"PLAIDOYER_ADMIN_PASSWORD": ADMIN_PASSWORD})
    assert "administrateur" not in second.stdout
    [admin] = cli.users()
    assert verify_password(ADMIN_PASSWORD, admin.password_hash)
    engine = build_engine(cli.database_url)
    try:
        with engine.connect() as conn:
            assert conn.scalar(select(func.count(User.id))) == 1
            assert engine.dialect.name == "postgresql"
    finally:
        engine.dispose()
