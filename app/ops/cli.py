"""`plaidoyer db copy`, `plaidoyer backup` and `plaidoyer restore`."""

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
from app.db import get_engine
from app.errors import AppError
from app.ops.checksum import TableSum
from app.ops.copy import copy_database

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


def register(app: typer.Typer) -> None:
    db_app = find_or_add_group(app, "db", "Base de données.")
    db_app.command("copy")(db_copy)
