"""`plaidoyer db copy`, `plaidoyer backup` and `plaidoyer restore`."""

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from app.cli_kit import console, fail, find_or_add_group
from app.config import get_settings
from app.db import get_engine
from app.errors import AppError
from app.ops.backup import backup, restore
from app.ops.checksum import TableSum, database_sums
from app.ops.copy import copy_database
from app.ops.envfile import env_file

Target = Annotated[
    str, typer.Option("--to", help="URL de la base cible, vide (postgresql+psycopg://…)")
]


def print_sums(sums: list[TableSum], *, title: str) -> None:
    table = Table("Table", "Lignes", "Somme de contrôle (SHA-256)", title=title)
    for found in sums:
        table.add_row(found.table, str(found.rows), found.checksum[:16])
    console.print(table)


def db_copy(to: Target) -> None:
    """Copie toute la base actuelle dans une base vide (passage de SQLite à PostgreSQL)."""
    columns = (
        TextColumn("{task.description:<28}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console) as progress:
        current: list[TaskID] = []

        def started(name: str, total: int) -> None:
            current[:] = [progress.add_task(name, total=total)]

        def advanced(count: int) -> None:
            progress.advance(current[0], count)

        try:
            sums = copy_database(
                source=get_engine(), target_url=to, started=started, advanced=advanced
            )
        except AppError as exc:
            raise fail(exc.message) from exc
    print_sums(sums, title="Copie vérifiée : mêmes lignes et mêmes sommes des deux côtés")
    console.print(f"{sum(found.rows for found in sums)} lignes copiées dans {len(sums)} tables.")


def backup_command(
    path: Annotated[Path, typer.Argument(help="Fichier de sauvegarde à écrire")],
) -> None:
    """Sauvegarde la base à chaud (SQLite : API de sauvegarde ; PostgreSQL : pg_dump)."""
    settings = get_settings()
    try:
        backup(database_url=settings.database_url, path=path)
    except AppError as exc:
        raise fail(exc.message) from exc
    with get_engine().connect() as connection:
        print_sums(database_sums(connection), title=f"Base sauvegardée dans {path}")


def restore_command(
    path: Annotated[Path, typer.Argument(help="Fichier écrit par « plaidoyer backup »")],
    yes: Annotated[bool, typer.Option("--yes", help="Ne pas demander de confirmation.")] = False,
) -> None:
    """Remplace tout le contenu de la base par une sauvegarde."""
    settings = get_settings()
    if not yes:
        typer.confirm(
            f"Tout le contenu actuel de la base sera remplacé par {path}. Continuer ?", abort=True
        )
    try:
        restore(database_url=settings.database_url, path=path)
    except AppError as exc:
        raise fail(f"{exc.message} La base n'a pas été modifiée.") from exc
    get_engine().dispose()
    with get_engine().connect() as connection:
        print_sums(database_sums(connection), title=f"Base restaurée depuis {path}")


def env_file_command() -> None:
    """Affiche le fichier d'environnement : chaque réglage, sa valeur par défaut, son sens."""
    print(env_file(), end="")


def register(app: typer.Typer) -> None:
    deploy_app = find_or_add_group(app, "deploy", "Mise en production.")
    deploy_app.command("env-file")(env_file_command)
    db_app = find_or_add_group(app, "db", "Base de données.")
    db_app.command("copy")(db_copy)
    app.command("backup")(backup_command)
    app.command("restore")(restore_command)
