"""`plaidoyer retention run` (and the supporters' commands)."""

import typer

from app.cli_kit import console
from app.config import get_settings
from app.db import unit_of_work, utcnow
from app.supporters.privacy import run_retention


def retention_run() -> None:
    """Appliquer les durées de conservation (textes des lettres, inactifs, demandes expirées)."""
    with unit_of_work() as session:
        report = run_retention(session, settings=get_settings(), now=utcnow())
    console.print(report.summary)


def register(app: typer.Typer) -> None:
    """Add the `retention` commands."""
    retention_app = typer.Typer(help="Durées de conservation des données.", no_args_is_help=True)
    retention_app.command("run")(retention_run)
    app.add_typer(retention_app, name="retention")
