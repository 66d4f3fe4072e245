"""`plaidoyer geo import|export|load`: the geography reference tables."""

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn
from sqlalchemy import select

from app.cli_kit import console, fail, find_or_add_group, reported_errors
from app.db import unit_of_work
from app.geography import contours, project_files
from app.geography.importers import CommuneRecord, GeographyData, build_geography
from app.geography.models import Commune, CommuneCirconscription, Department, PostalCode
from app.geography.service import GeographyReport, apply_geography, load_project_geography
from app.security import Actor

ROOT = Path(__file__).resolve().parent.parent.parent
CLI_ACTOR = Actor.system("import géographie en ligne de commande")

geo_app = typer.Typer(help="Géographie : communes, codes postaux, circonscriptions.")


def import_geography(
    *, communes: Path, departements: Path, postcodes: Path, circos: Path
) -> GeographyReport:
    """Reads the official files and replaces the geography tables in one transaction."""
    with Progress(
        TextColumn("{task.description}"), BarColumn(), console=console, transient=True
    ) as progress:
        task = progress.add_task("Lecture", total=5)

        def step(label: str) -> None:
            progress.update(task, description=f"Lecture : {label}", advance=1)

        data = build_geography(
            communes=communes,
            departements=departements,
            postcodes=postcodes,
            circos=circos,
            on_step=step,
        )
        progress.update(task, description="Écriture en base", advance=1)
        with unit_of_work() as session:
            report = apply_geography(session, data=data, actor=CLI_ACTOR)
        progress.update(task, advance=1)
    return report


@geo_app.command("import")
def import_command(
    communes: Annotated[Path, typer.Option(help="COG INSEE v_commune (CSV).")],
    departements: Annotated[Path, typer.Option(help="COG INSEE v_departement (CSV).")],
    postcodes: Annotated[Path, typer.Option(help="Base officielle des codes postaux (La Poste).")],
    circos: Annotated[Path, typer.Option(help="INSEE circo_composition (CSV).")],
) -> None:
    """Importe les fichiers officiels : tout ou rien, en une transaction."""
    with reported_errors():
        report = import_geography(
            communes=communes, departements=departements, postcodes=postcodes, circos=circos
        )
    console.print(report.summary())


def _read_tables() -> GeographyData:
    data = GeographyData()
    with unit_of_work() as session:
        departments = session.execute(select(Department.code, Department.name)).all()
        data.departments = {code: name for code, name in departments}
        communes = session.execute(select(Commune.insee, Commune.name, Commune.department_code))
        data.communes = {i: CommuneRecord(name, dep) for i, name, dep in communes.all()}
        rows = session.execute(select(PostalCode.postcode, PostalCode.insee, PostalCode.label))
        data.postal_codes = {(p, i): label for p, i, label in rows.all()}
        circos = session.execute(
            select(
                CommuneCirconscription.insee,
                CommuneCirconscription.department_code,
                CommuneCirconscription.circonscription,
                CommuneCirconscription.partial,
            )
        )
        data.circonscriptions = {(i, d, n): partial for i, d, n, partial in circos.all()}
    return data


@geo_app.command("export")
def export_command(
    out: Annotated[Path, typer.Option(help="Dossier de sortie.")] = ROOT / "data" / "geography",
) -> None:
    """Écrit la géographie de la base dans les fichiers compacts du projet."""
    data = _read_tables()
    if not data.communes:
        raise fail("Aucune commune en base : lancez d'abord « plaidoyer geo import ».")
    sizes = project_files.write_files(data, out)
    total = sum(sizes.values()) / 1_000_000
    console.print(f"{len(sizes)} fichiers écrits dans {out} ({total:.1f} Mo).")


@geo_app.command("contours")
def contours_command(
    source: Annotated[
        Path, typer.Argument(help="Dossier des contours officiels (un GeoJSON par département).")
    ],
    out: Annotated[Path, typer.Option(help="Fichier écrit.")] = contours.CONTOURS_FILE,
) -> None:
    """Écrit le fichier compact des contours de circonscriptions (data/geography/)."""
    try:
        seats = contours.read_source(source)
    except (OSError, ValueError, KeyError) as exc:
        raise fail(f"{source} : contours illisibles ({exc}).") from exc
    if not seats:
        raise fail(f"{source} : aucun fichier GeoJSON de contours.")
    content = contours.encode(seats, source=source.name)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(content)
    size = len(content) / 1e6
    console.print(f"{len(seats)} circonscriptions écrites dans {out} ({size:.1f} Mo).")


@geo_app.command("load")
def load_command(
    data_dir: Annotated[Path, typer.Option(help="Dossier data/ du projet.")] = ROOT / "data",
    force: Annotated[bool, typer.Option(help="Recharger même si rien n'a changé.")] = False,
) -> None:
    """Charge la géographie du projet (data/geography/), sauf si elle est déjà à jour."""
    with reported_errors(), unit_of_work() as session:
        report = load_project_geography(session, data_dir, force=force)
    console.print(report.summary())


def setup_geography() -> None:
    """The `plaidoyer setup` step: the project's geography, unless already loaded."""
    load_command(data_dir=ROOT / "data", force=False)


def register(app: typer.Typer) -> None:
    app.add_typer(geo_app, name="geo")
    import_app = find_or_add_group(app, "import", "Importe des données officielles.")
    import_app.command("geo", help="Importe la géographie officielle (= plaidoyer geo import).")(
        import_command
    )
