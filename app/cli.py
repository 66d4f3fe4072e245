"""The `plaidoyer` command: operators' entry point. Domain commands register themselves here."""

import os
import secrets
import sys
from pathlib import Path
from typing import Annotated

import typer
from alembic import command
from alembic.config import Config
from pydantic import ValidationError

from app.cli_kit import console, fail
from app.config import get_settings, invalid_settings_message
from app.db import unit_of_work
from app.errors import AppError
from app.geography.cli import register as register_geography
from app.geography.cli import setup_geography
from app.labels import ROLE, plural
from app.legislation.cli import register as register_legislation
from app.letters.sending import LetterOutcomes
from app.mailing.cli import register as register_outbox
from app.mailing.cli import start_beside_server, stop_beside_server
from app.officials.cli import register as register_officials
from app.officials.cli import setup_officials
from app.ops.cli import register as register_ops
from app.ops.logs import configure_logging
from app.ops.processes import lock_timeout_reported, prepare_processes
from app.replies.cli import register as register_replies
from app.security import Actor
from app.supporters.cli import register as register_supporters
from app.templating.defaults import seed_default_templates
from app.users.models import Role
from app.users.service import count_admins, create_token, create_user, find_user_by_email
from app.users.totp import reset as reset_totp

ROOT = Path(__file__).resolve().parent.parent

app = typer.Typer(help="Plaidoyer : CRM de plaidoyer.", no_args_is_help=True)
db_app = typer.Typer(help="Base de données.", no_args_is_help=True)
user_app = typer.Typer(help="Comptes de l'équipe.", no_args_is_help=True)
token_app = typer.Typer(help="Jetons d'API.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(user_app, name="user")
app.add_typer(token_app, name="token")
register_outbox(app, outcomes=LetterOutcomes(), configure_logs=configure_logging)
register_geography(app)
register_officials(app)
register_replies(app)
register_legislation(app)
register_ops(app)
register_supporters(app)

CLI_ACTOR = Actor.system("ligne de commande")


def alembic_config() -> Config:
    return Config(str(ROOT / "alembic.ini"))


@db_app.command("upgrade")
def db_upgrade(revision: str = "head") -> None:
    """Applique les migrations jusqu'à la révision demandée (par défaut la dernière)."""
    with lock_timeout_reported():
        command.upgrade(alembic_config(), revision)
    console.print("Base de données à jour.")


@db_app.command("downgrade")
def db_downgrade(revision: str) -> None:
    """Revient à une révision antérieure (« base » pour tout effacer)."""
    with lock_timeout_reported():
        command.downgrade(alembic_config(), revision)
    console.print(f"Base de données ramenée à {revision}.")


def _read_password() -> str:
    if sys.stdin.isatty():
        return str(typer.prompt("Mot de passe", hide_input=True, confirmation_prompt=True))
    return sys.stdin.readline().rstrip("\n")


@user_app.command("create")
def user_create(
    email: str,
    role: Annotated[Role, typer.Option(help="admin, staff, director ou viewer")] = Role.staff,
    name: Annotated[str, typer.Option(help="Nom affiché")] = "",
) -> None:
    """Crée un compte ; le mot de passe est lu au clavier ou sur l'entrée standard."""
    password = _read_password()
    try:
        with unit_of_work() as session:
            user = create_user(
                session,
                email=email,
                password=password,
                role=role,
                full_name=name,
                actor=CLI_ACTOR,
            )
    except AppError as exc:
        raise fail(exc.message) from exc
    console.print(f"Compte créé : {user.email} ({ROLE[role]}).")


@user_app.command("reset-2fa")
def user_reset_second_factor(
    email: str,
    yes: Annotated[bool, typer.Option("--yes", help="Ne pas demander de confirmation.")] = False,
) -> None:
    """Retire la double authentification d'un compte (téléphone et codes de secours perdus)."""
    if not yes:
        typer.confirm(
            f"La double authentification de {email} sera retirée et ses sessions fermées. "
            "Continuer ?",
            abort=True,
        )
    try:
        with unit_of_work() as session:
            user = find_user_by_email(session, email=email)
            if user is None:
                raise fail(f"Aucun compte pour {email}.")
            reset_totp(session, user=user, actor=CLI_ACTOR)
    except AppError as exc:
        raise fail(exc.message) from exc
    console.print(
        f"Double authentification de {email} retirée : à réactiver à la prochaine connexion."
    )


@token_app.command("create")
def token_create(
    email: str, name: Annotated[str, typer.Option(help="À quoi sert ce jeton")] = "cli"
) -> None:
    """Crée un jeton d'API pour un compte et l'affiche une seule fois."""
    with unit_of_work() as session:
        user = find_user_by_email(session, email=email)
        if user is None:
            raise fail(f"Aucun compte pour {email}.")
        token = create_token(session, user=user, name=name, actor=CLI_ACTOR)
    console.print("Jeton créé (il ne sera plus affiché) :")
    print(token)


def ensure_admin() -> None:
    """Creates the first admin if there is none: password from the environment or printed once."""
    settings = get_settings()
    with unit_of_work() as session:
        if count_admins(session) > 0:
            return
        given = settings.admin_password
        password = given.get_secret_value() if given else secrets.token_urlsafe(12)
        create_user(
            session,
            email=settings.admin_email,
            password=password,
            role=Role.admin,
            full_name="Administrateur",
            actor=CLI_ACTOR,
        )
    console.print(f"[bold]Premier compte administrateur :[/] {settings.admin_email}")
    if given is None:
        console.print(f"[bold]Mot de passe (noté une seule fois) :[/] {password}")


@app.command()
def setup() -> None:
    """Prépare l'instance : migrations, données de référence de data/, premier administrateur."""
    db_upgrade()
    setup_geography()
    setup_officials(ROOT / "data")
    with unit_of_work() as session:
        if added := seed_default_templates(session):
            console.print(f"{plural(added, 'modèle installé', 'modèles installés')}.")
    ensure_admin()


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Adresse d'écoute")] = None,
    port: Annotated[int | None, typer.Option(help="Port (sinon PORT)")] = None,
    workers: Annotated[int, typer.Option(help="Nombre de processus")] = 1,
) -> None:
    """Lance le serveur web, et un processus d'envoi des e-mails (sauf PLAIDOYER_WORKER=off)."""
    import uvicorn

    # uvicorn builds the app from the environment, in each worker too: the address given here
    # must be the one the settings see (secure cookies, required secret key).
    if host is not None:
        os.environ["PLAIDOYER_HOST"] = host
    if port is not None:
        os.environ["PORT"] = str(port)
    get_settings.cache_clear()
    try:
        settings = get_settings()
    except ValidationError as exc:
        raise fail(invalid_settings_message(exc)) from exc
    prepare_processes(settings, workers=workers)
    console.print(f"Plaidoyer écoute sur http://{settings.host}:{settings.port}")
    worker = start_beside_server(settings)
    try:
        uvicorn.run(
            "app.asgi:app",
            host=settings.host,
            port=settings.port,
            workers=workers,
            proxy_headers=True,
            forwarded_allow_ips=settings.trusted_proxies,
            log_config=None,
            access_log=False,
            timeout_worker_healthcheck=60,  # a loaded machine may take seconds to import the app
        )
    finally:
        stop_beside_server(worker, settings)


def main() -> None:
    app()
