"""`plaidoyer import …`, `plaidoyer sync` and `plaidoyer export officials`."""

from collections import Counter, defaultdict
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.bodies.service import BodiesReport
from app.cli_kit import console, fail, find_or_add_group, reported_errors
from app.db import unit_of_work
from app.importing.download import local_file
from app.labels import kind_plural, number, plural
from app.officials.importers import SOURCES, read_source
from app.officials.importers.an import load_amo
from app.officials.importers.deputies_csv import parse_rne
from app.officials.importers.overrides import parse_overrides
from app.officials.importers.project import FILE_NAMES
from app.officials.models import Official
from app.officials.overrides import import_overrides
from app.officials.sync import (
    ImportReport,
    apply_officials,
    apply_rne,
    export_bodies,
    export_officials,
    import_an_bodies,
    import_senat_bodies,
    load_project_bodies,
    load_project_data,
)
from app.security import Actor
from app.text import fold

AN_URL = (
    "https://data.assemblee-nationale.fr/static/openData/repository/17/amo/"
    "deputes_actifs_mandats_actifs_organes/AMO10_deputes_actifs_mandats_actifs_organes.json.zip"
)
SENAT_URL = "https://www.senat.fr/api-senat/senateurs.json"
CLI_ACTOR = Actor.system("import en ligne de commande")
CLI_OVERRIDES_ACTOR = Actor.system("import CSV des coordonnées (ligne de commande)")

EmailsOption = Annotated[
    list[Path] | None,
    typer.Option("--emails", help="Fichier d'e-mails à fusionner (ODSEN, Datan ou JSON Pause IA)."),
]
OutOption = Annotated[Path, typer.Option("--out", help="Dossier des fichiers du projet.")]


def _name_hints(session: Session) -> tuple[dict[str, tuple[str, str, str]], dict[str, str]]:
    """From the directory: the AN's name split per PA id, and unambiguous civility by first name."""
    rows = session.execute(
        select(Official.kind, Official.source_id, Official.civility, Official.first_name)
        .add_columns(Official.last_name)
        .where(Official.kind.in_(["deputy", "senator"]))
    ).all()
    people = {
        r.source_id: (r.civility, r.first_name, r.last_name) for r in rows if r.kind == "deputy"
    }
    seen: dict[str, Counter[str]] = defaultdict(Counter)
    for r in rows:
        if r.civility:
            seen[fold(r.first_name)][r.civility] += 1
    first_names = {name: next(iter(c)) for name, c in seen.items() if len(c) == 1}
    return people, first_names


def import_file(
    session: Session, source: str, path: Path, *, emails: list[Path], actor: Actor
) -> ImportReport:
    """Parses one source file and applies it in the caller's transaction."""
    if source == "rne":
        return apply_rne(session, rows=parse_rne(path), actor=actor, source_label=str(path))
    people, first_names = _name_hints(session) if source == "government" else ({}, {})
    records, fields = read_source(
        source, path, emails=emails, people=people, first_names=first_names
    )
    spec = SOURCES[source]
    return apply_officials(
        session,
        kind=spec.kind,
        records=records,
        actor=actor,
        source_label=str(path),
        fields=fields,
        end_missing=spec.complete,
    )


def print_report(report: ImportReport | BodiesReport, *, details: int = 15) -> None:
    """French summary: new, updated (with the fields), ended, and rows that matched nobody."""
    if isinstance(report, BodiesReport):
        console.print(report.summary(), highlight=False)
        for line in report.unmatched[:details]:
            console.print(f"  {line}", highlight=False)
        return
    console.print(
        f"[bold]{kind_plural(report.kind)}[/] ({report.source_label}) : "
        f"{plural(len(report.created), 'nouveau', 'nouveaux')}, "
        f"{number(len(report.updated))} mis à jour, "
        f"{plural(len(report.ended), 'terminé', 'terminés')}, "
        f"{plural(report.unchanged, 'inchangé', 'inchangés')}.",
        highlight=False,
    )
    for source_id, fields in list(report.updated.items())[:details]:
        console.print(f"  mis à jour {source_id} : {', '.join(fields)}", highlight=False)
    if len(report.updated) > details:
        console.print(f"  … et {len(report.updated) - details} autres mises à jour.")
    for source_id in report.ended[:details]:
        console.print(f"  mandat terminé : {source_id}", highlight=False)
    if report.kept:
        console.print(
            "  "
            + plural(
                len(report.kept),
                "coordonnée corrigée par l'équipe conservée",
                "coordonnées corrigées par l'équipe conservées",
            )
            + ".",
            highlight=False,
        )
    if report.unmatched:
        console.print(f"  {len(report.unmatched)} lignes sans député correspondant :")
        for line in report.unmatched[:details]:
            console.print(f"    {line}", highlight=False)


Step = tuple[str, Callable[[Session], list[ImportReport] | list[BodiesReport]]]


def run_imports(steps: list[Step]) -> None:
    """Runs every step in ONE transaction with a progress bar; a bad file changes nothing."""
    reports: list[ImportReport | BodiesReport] = []
    with (
        reported_errors(),
        Progress(TextColumn("{task.description}"), BarColumn(), console=console) as progress,
        unit_of_work() as session,
    ):
        task = progress.add_task("Import", total=len(steps))
        for label, step in steps:
            progress.update(task, description=label)
            reports.extend(step(session))
            progress.advance(task)
    for report in reports:
        print_report(report)


def _source_command(source: str) -> Callable[..., None]:
    def command(
        path_or_url: Annotated[str, typer.Argument(help="Fichier, dossier ou URL")],
        emails: EmailsOption = None,
    ) -> None:
        with reported_errors(), local_file(path_or_url, console=console) as path:
            run_imports(
                [
                    (
                        f"Import {source}",
                        lambda s: [
                            import_file(s, source, path, emails=emails or [], actor=CLI_ACTOR)
                        ],
                    )
                ]
            )

    command.__doc__ = f"Importe : {SOURCES[source].description}."
    return command


def project_command(data_dir: Annotated[Path, typer.Argument(help="Dossier data/")]) -> None:
    """Importe les fichiers du projet : élus (deputies.csv, senators.csv, ministers.csv), puis
    organes et appartenances (bodies.csv, memberships.csv)."""
    run_imports(
        [
            ("Élus du projet", lambda s: load_project_data(s, data_dir, CLI_ACTOR)),
            ("Organes du projet", lambda s: load_project_bodies(s, data_dir, CLI_ACTOR)),
        ]
    )


def bodies_command(
    an: Annotated[str | None, typer.Option(help="Export AMO de l'AN : dossier, zip ou URL")] = None,
    senat: Annotated[str | None, typer.Option(help="senateurs.json : fichier ou URL")] = None,
) -> None:
    """Importe les organes (commissions, délégations, groupes d'études, ministères) et les
    appartenances des élus déjà dans l'annuaire."""
    steps: list[Step] = []
    with reported_errors(), ExitStack() as stack:
        if an:
            an_path = stack.enter_context(local_file(an, console=console))
            steps.append(("Organes AN", lambda s: [_an_bodies(s, an_path)]))
        if senat:
            senat_path = stack.enter_context(local_file(senat, console=console))
            steps.append(
                (
                    "Organes Sénat",
                    lambda s: [import_senat_bodies(s, path=senat_path, actor=CLI_ACTOR)],
                )
            )
        if not steps:
            raise fail("indiquez --an, --senat ou les deux.")
        run_imports(steps)


def _senat_bodies(session: Session, path: Path) -> BodiesReport:
    return import_senat_bodies(session, path=path, actor=CLI_ACTOR)


def _an_bodies(session: Session, path: Path) -> BodiesReport:
    return import_an_bodies(session, export=load_amo(path), actor=CLI_ACTOR, source_label=str(path))


def setup_officials(data_dir: Path) -> None:
    """The `plaidoyer setup` step: the project's directory files, idempotent (0 changes after)."""
    project_command(data_dir)


def export_command(out: OutOption = Path("data")) -> None:
    """Écrit les élus en fonction, les organes et les appartenances dans les fichiers du projet."""
    with unit_of_work() as session:
        for kind, file_name in FILE_NAMES.items():
            count = export_officials(session, kind=kind, path=out / file_name)
            lines = plural(count, "ligne", "lignes")
            console.print(f"{out / file_name} : {lines} ({kind_plural(kind).lower()}).")
        bodies, seats = export_bodies(session, out=out)
        console.print(f"{out} : {bodies} organes, {seats} appartenances.")


def sync_command(
    ctx: typer.Context,
    an_url: Annotated[str, typer.Option(envvar="PLAIDOYER_AN_URL", help="Zip AMO10")] = AN_URL,
    senat_url: Annotated[
        str, typer.Option(envvar="PLAIDOYER_SENAT_URL", help="API des sénateurs")
    ] = SENAT_URL,
    emails: EmailsOption = None,
    out: OutOption = Path("data"),
) -> None:
    """Télécharge les données officielles (AN, Sénat), les importe et réécrit data/."""
    if ctx.invoked_subcommand is not None:  # `sync dossiers` and other domains' refreshes
        return
    with (
        reported_errors(),
        local_file(an_url, console=console) as an_path,
        local_file(senat_url, console=console) as senat_path,
    ):
        run_imports(
            [
                ("Députés", lambda s: [import_file(s, "an", an_path, emails=[], actor=CLI_ACTOR)]),
                (
                    "Sénateurs",
                    lambda s: [
                        import_file(s, "senat", senat_path, emails=emails or [], actor=CLI_ACTOR)
                    ],
                ),
                ("Organes AN", lambda s: [_an_bodies(s, an_path)]),
                ("Organes Sénat", lambda s: [_senat_bodies(s, senat_path)]),
            ]
        )
    export_command(out)


def overrides_import_command(
    path: Annotated[Path, typer.Argument(help="CSV : identifiant;champ;valeur;source;date")],
) -> None:
    """Importe des coordonnées corrigées (e-mail, téléphone, adresse) : elles priment sur les
    imports officiels. Une valeur vide retire la correction. Tout ou rien."""
    with reported_errors(), unit_of_work() as session:
        done, removed = import_overrides(
            session, rows=parse_overrides(path), file=str(path), actor=CLI_OVERRIDES_ACTOR
        )
    console.print(
        f"{path} : {plural(done, 'coordonnée corrigée', 'coordonnées corrigées')}, "
        f"{plural(removed, 'correction retirée', 'corrections retirées')}.",
        highlight=False,
    )


def register(app: typer.Typer) -> None:
    """Adds `import <source>`, `sync` and `export officials` to the `plaidoyer` application."""
    import_app = find_or_add_group(app, "import", "Importe des données officielles.")
    for source in SOURCES:
        import_app.command(source)(_source_command(source))
    import_app.command("project")(project_command)
    import_app.command("bodies")(bodies_command)
    export_app = find_or_add_group(app, "export", "Exporte des données.")
    export_app.command("officials")(export_command)
    sync_app = typer.Typer(
        help="Sans sous-commande : télécharge les élus et organes (AN, Sénat) et réécrit data/."
    )
    sync_app.callback(invoke_without_command=True)(sync_command)
    app.add_typer(sync_app, name="sync")
    officials_app = find_or_add_group(app, "officials", "Annuaire des élus.")
    overrides_app = find_or_add_group(
        officials_app, "overrides", "Coordonnées corrigées par l'équipe."
    )
    overrides_app.command("import")(overrides_import_command)
