"""`plaidoyer outbox run|status`."""

import asyncio
import os
import signal
import socket
import threading
from typing import Annotated

import typer
from rich.table import Table

from app.cli_kit import console, fail
from app.config import get_settings
from app.db import get_engine, session_factory
from app.errors import Invalid
from app.mailing import outbox
from app.mailing.outbox import Outcomes
from app.mailing.worker import run_worker

Once = Annotated[bool, typer.Option("--once", help="Envoyer ce qui est dû puis s'arrêter.")]
WorkerId = Annotated[str, typer.Option("--worker-id", help="Nom de ce processus d'envoi.")]
Idle = Annotated[
    float, typer.Option("--idle", help="Secondes d'attente quand rien n'est à envoyer.")
]


def run(*, once: bool, worker_id: str, idle: float, outcomes: Outcomes) -> None:
    """Run the worker in this process until stopped by a signal (or, with `once`, drained)."""
    settings = get_settings()
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    name = worker_id or f"{socket.gethostname()}-{os.getpid()}"
    where = (
        f"SMTP {settings.smtp_host}:{settings.smtp_port}"
        if settings.mail_backend == "smtp"
        else f"dossier {settings.mail_dir}"
    )
    console.print(f"Envoi par {where} (processus {name}).")
    try:
        stats = asyncio.run(
            run_worker(
                engine=get_engine(),
                settings=settings,
                worker_id=name,
                outcomes=outcomes,
                once=once,
                stop=stop,
                idle_seconds=idle,
            )
        )
    except Invalid as exc:
        raise fail(exc.message, code=2) from exc
    console.print(
        f"Envoyés : {stats.sent} · à réessayer : {stats.retried} · en échec : {stats.failed}."
    )


def status() -> None:
    """Afficher le nombre de messages par statut."""
    with session_factory(get_engine(), write=False)() as session:
        found = outbox.counts(session)
    table = Table("Statut", "Messages")
    table.add_row("En attente", str(found.pending))
    table.add_row("  dont en cours d'envoi", str(found.leased))
    table.add_row("Envoyés", str(found.sent))
    table.add_row("En échec", str(found.failed))
    console.print(table)
    if found.oldest_pending_at is not None:
        console.print(
            f"Plus ancien message en attente : {found.oldest_pending_at:%d/%m/%Y %H:%M} UTC"
        )


def register(app: typer.Typer, *, outcomes: Outcomes) -> None:
    """Add the `outbox` commands; the worker tells `outcomes` which letters left or failed."""
    outbox_app = typer.Typer(help="File d'envoi des e-mails.", no_args_is_help=True)

    @outbox_app.command("run")
    def run_command(once: Once = False, worker_id: WorkerId = "", idle: Idle = 2.0) -> None:
        """Envoyer les e-mails en attente (Ctrl-C ou SIGTERM arrête proprement)."""
        run(once=once, worker_id=worker_id, idle=idle, outcomes=outcomes)

    outbox_app.command("status")(status)
    app.add_typer(outbox_app, name="outbox")
