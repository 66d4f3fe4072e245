"""`plaidoyer import dossiers PATH` and `plaidoyer import scrutins PATH`."""

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from app.cli_kit import find_or_add_group, reported_errors
from app.config import get_settings
from app.db import unit_of_work
from app.importing.download import local_file
from app.labels import number, plural
from app.legislation.parsing import (
    ParsedRecord,
    RecordFileError,
    dossier_files,
    parse_document,
    parse_dossier,
    parse_scrutin,
    scrutin_files,
)
from app.legislation.service import save_records
from app.legislation.watch import read_export, watch_texts
from app.security import Actor

console = Console()
errors = Console(stderr=True, soft_wrap=True)
CLI_ACTOR = Actor.system("ligne de commande")
PathArgument = Annotated[Path, typer.Argument(exists=True, help="Dossier ou fichier à importer")]


def _import(read: Callable[[], list[ParsedRecord]], what: tuple[str, str]) -> None:
    """Parses every file first, then saves all in one transaction: a bad file changes nothing."""
    try:
        parsed = read()
    except RecordFileError as exc:
        errors.print(f"[bold red]Erreur :[/] {exc}", highlight=False)
        raise typer.Exit(code=1) from None
    with unit_of_work() as session:
        counts = save_records(session, parsed=parsed, actor=CLI_ACTOR)
    acts = plural(sum(len(p.acts) for p in parsed), "signature ou vote", "signatures ou votes")
    console.print(
        f"{plural(len(parsed), *what)} : {plural(counts['new'], 'nouveau', 'nouveaux')}, "
        f"{number(counts['updated'])} mis à jour, "
        f"{plural(counts['same'], 'inchangé', 'inchangés')} ; {acts}."
    )


def dossiers_command(path: PathArgument) -> None:
    """Importe les dossiers législatifs et les textes de l'AN (auteurs, cosignataires)."""
    _import(
        lambda: [parse_document(f) if doc else parse_dossier(f) for f, doc in dossier_files(path)],
        ("dossier ou texte", "dossiers et textes"),
    )


def scrutins_command(path: PathArgument) -> None:
    """Importe des scrutins de l'AN (XML ou JSON) : pour, contre, abstention, non-votant."""
    _import(lambda: [parse_scrutin(f) for f in scrutin_files(path)], ("scrutin", "scrutins"))


def sync_dossiers_command(
    url: Annotated[str, typer.Option(help="Export zip des dossiers législatifs de l'AN")] = "",
) -> None:
    """Veille législative : liste les nouveaux textes de l'AN à rattacher aux demandes.

    Télécharge l'export des dossiers législatifs et retient les textes dont le titre contient
    un mot-clé de l'association (réglage PLAIDOYER_WATCH_KEYWORDS)."""
    settings = get_settings()
    with reported_errors(), local_file(url or settings.watch_dossiers_url, console=console) as path:
        texts, dossiers = read_export(path)
        with unit_of_work() as session:
            found = watch_texts(
                session, texts=texts, dossiers=dossiers, keywords=settings.watch_keywords
            )
    console.print(
        f"{plural(len(texts), 'texte lu', 'textes lus')}, "
        f"{plural(len(found), 'nouveau texte', 'nouveaux textes')} à rattacher aux demandes."
    )
    for text in found:
        day = text.record_date.strftime("%d/%m/%Y") if text.record_date else "sans date"
        console.print(f"  {text.uid} · {day} · {text.title}", highlight=False)


def register(app: typer.Typer) -> None:
    """Adds `import dossiers`, `import scrutins` and `sync dossiers`."""
    import_app = find_or_add_group(app, "import", "Importe des données officielles.")
    import_app.command("dossiers")(dossiers_command)
    import_app.command("scrutins")(scrutins_command)
    sync_app = find_or_add_group(app, "sync", "Rafraîchit les données officielles.")
    sync_app.command("dossiers")(sync_dossiers_command)
