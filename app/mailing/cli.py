"""`plaidoyer outbox run|status`, and the one worker `plaidoyer serve` starts beside itself."""

import asyncio
import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Callable
from typing import Annotated

import typer
from rich.table import Table

from app.cli_kit import console, fail
from app.config import Settings, get_settings
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


# Set on the worker `serve` starts: the worker stops when that process is gone, even killed.
PARENT_ENV = "PLAIDOYER_WORKER_PARENT"

ConfigureLogs = Callable[[Settings], None]


def _stop_with_parent(stop: threading.Event) -> None:
    parent = int(os.environ.get(PARENT_ENV, "0"))
    if not parent:
        return

    def watch() -> None:
        while not stop.wait(1.0):
            if os.getppid() != parent:
                stop.set()

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def run(
    *, once: bool, worker_id: str, idle: float, outcomes: Outcomes, configure_logs: ConfigureLogs
) -> None:
    """Run the worker in this process until stopped by a signal (or, with `once`, drained)."""
    settings = get_settings()
    configure_logs(settings)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    _stop_with_parent(stop)
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


def start_beside_server(settings: Settings) -> subprocess.Popen[bytes] | None:
    """Start one worker as a child of the web server, unless PLAIDOYER_WORKER=off."""
    if settings.worker == "off":
        return None
    name = f"{socket.gethostname()}-serve-{os.getpid()}"
    command = [sys.executable, "-m", "app", "outbox", "run", "--worker-id", name]
    env = os.environ | {PARENT_ENV: str(os.getpid())}
    return subprocess.Popen(command, env=env)  # noqa: S603 - our own interpreter and command


def stop_beside_server(worker: subprocess.Popen[bytes] | None, settings: Settings) -> None:
    """Ask the worker to stop (it finishes the message in hand), then end it if it lingers."""
    if worker is None:
        return
    if worker.poll() is None:
        worker.send_signal(signal.SIGTERM)
    try:
        worker.wait(timeout=settings.smtp_timeout_seconds + 5)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


def status() -> None:
    """Afficher le nombre de messages par statut, les échecs et les dernières erreurs."""
    with session_factory(get_engine(), write=False)() as session:
        found = outbox.counts(session)
        problems = outbox.problems(session)
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
    if not problems:
        console.print("Aucun échec ni erreur récente.")
        return
    errors = Table(
        "N°", "Courrier", "État", "Tentatives", "Dernière erreur", title="Échecs et erreurs"
    )
    for problem in problems:
        state = (
            "en échec"
            if problem.status == "failed"
            else f"nouvel essai le {problem.next_attempt_at:%d/%m/%Y %H:%M} UTC"
        )
        letter = str(problem.letter_id) if problem.letter_id is not None else "—"
        errors.add_row(str(problem.id), letter, state, str(problem.attempts), problem.last_error)
    console.print(errors)


def register(app: typer.Typer, *, outcomes: Outcomes, configure_logs: ConfigureLogs) -> None:
    """Add the `outbox` commands; the worker tells `outcomes` which letters left or failed,
    and logs through `configure_logs` as the server does."""
    outbox_app = typer.Typer(help="File d'envoi des e-mails.", no_args_is_help=True)

    @outbox_app.command("run")
    def run_command(once: Once = False, worker_id: WorkerId = "", idle: Idle = 2.0) -> None:
        """Envoyer les e-mails en attente (Ctrl-C ou SIGTERM arrête proprement)."""
        run(
            once=once,
            worker_id=worker_id,
            idle=idle,
            outcomes=outcomes,
            configure_logs=configure_logs,
        )

    outbox_app.command("status")(status)
    app.add_typer(outbox_app, name="outbox")
