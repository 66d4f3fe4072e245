"""`plaidoyer retention run` and `plaidoyer supporters …` (reminders, import, invitations)."""

from pathlib import Path
from typing import Annotated

import typer

from app.cli_kit import console, fail, reported_errors
from app.config import Settings, get_settings
from app.db import unit_of_work, utcnow
from app.errors import AppError
from app.supporters import followup, invitations, service, signatories
from app.supporters.privacy import run_retention
from app.supporters.views import router


def retention_run() -> None:
    """Appliquer les durées de conservation (textes des lettres, inactifs, demandes expirées)."""
    with unit_of_work() as session:
        report = run_retention(session, settings=get_settings(), now=utcnow())
    console.print(report.summary)


def email_links(settings: Settings) -> service.Links:
    """Links for e-mails sent outside a request: under the public URL, which must be set."""
    base = settings.public_url.rstrip("/")
    if not base:
        raise fail(
            "indiquez l'adresse publique du site (PLAIDOYER_PUBLIC_URL) : les e-mails en "
            "contiennent des liens."
        )

    def link(name: str, **params: str) -> str:
        return base + str(router.url_path_for(name, **params))

    return service.Links(
        confirm=lambda token: link("act_confirm_page", token=token),
        my_data=lambda token: link("my_data", token=token),
        survey=lambda token: link("act_survey", token=token),
        unsubscribe=lambda token: link("unsubscribe", token=token),
        campaign=lambda slug: link("act_campaign", slug=slug),
    )


def reminders() -> None:
    """Rappels de confirmation (après 2 jours), expiration (après 7), questionnaire (après 14).

    À lancer chaque jour (cron, timer systemd) : une seconde exécution n'envoie rien de plus.
    """
    settings = get_settings()
    links = email_links(settings)
    with unit_of_work() as session:
        report = followup.run_follow_ups(session, settings=settings, links=links, now=utcnow())
    console.print(report.summary)


def import_signatories(
    path: Annotated[Path, typer.Argument(help="Export CSV de la pétition (virgule ou ;).")],
) -> None:
    """Importer les signataires du manifeste avec le consentement qu'ils ont donné.

    Colonnes : email, consentement_nouvelles (oui/non), nom, code_postal, date_consentement,
    texte_consentement. Seuls ceux qui ont accepté d'avoir des nouvelles sont importés.
    """
    with reported_errors():
        rows = signatories.read_signatories(path)
        with unit_of_work() as session:
            report = signatories.import_signatories(session, rows=rows)
    console.print(report.summary)


def invite(
    campaign: Annotated[str, typer.Argument(help="Adresse (slug) de la campagne publique.")],
    departement: Annotated[
        str, typer.Option(help="Seulement les sympathisants de ce département (ex. 75, 2A).")
    ] = "",
) -> None:
    """Inviter les sympathisants consentants à écrire à leurs élus pour une campagne."""
    settings = get_settings()
    links = email_links(settings)
    try:
        with unit_of_work() as session:
            chosen = service.public_campaign(session, slug=campaign)
            report = invitations.invite(
                session,
                campaign=chosen,
                settings=settings,
                links=links,
                now=utcnow(),
                department=departement,
            )
    except AppError as exc:
        raise fail(exc.message) from exc
    console.print(report.summary)


def register(app: typer.Typer) -> None:
    """Add the `retention` and `supporters` commands."""
    retention_app = typer.Typer(help="Durées de conservation des données.", no_args_is_help=True)
    retention_app.command("run")(retention_run)
    app.add_typer(retention_app, name="retention")
    supporters_app = typer.Typer(
        help="Sympathisants : rappels, import, invitations.", no_args_is_help=True
    )
    supporters_app.command("reminders")(reminders)
    supporters_app.command("import")(import_signatories)
    supporters_app.command("invite")(invite)
    app.add_typer(supporters_app, name="supporters")
