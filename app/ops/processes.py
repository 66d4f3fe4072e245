"""Deploying several processes: what they share before starting; migrations that never queue."""

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import OperationalError

from app.cli_kit import fail
from app.config import Settings
from app.ops.logs import configure_logging
from app.ops.metrics import MULTIPROCESS_ENV


def prepare_processes(settings: Settings, *, workers: int) -> None:
    """Run once in the parent, before uvicorn starts `workers` processes."""
    # Generated here, once: processes racing to create it would each sign with their own key.
    settings.session_secret()
    configure_logging(settings)
    if workers > 1 and not os.environ.get(MULTIPROCESS_ENV):
        folder = (settings.data_dir / "metrics").resolve()
        shutil.rmtree(folder, ignore_errors=True)  # counters restart with the server
        folder.mkdir(parents=True)
        os.environ[MULTIPROCESS_ENV] = str(folder)


LOCK_NOT_AVAILABLE = "55P03"


@contextmanager
def lock_timeout_reported() -> Iterator[None]:
    """A migration that waited too long for a table lock ends with a French message, not a trace."""
    try:
        yield
    except OperationalError as exc:
        if getattr(exc.orig, "sqlstate", None) != LOCK_NOT_AVAILABLE:
            raise
        raise fail(
            "La migration attendait un verrou tenu par des requêtes en cours "
            "(PLAIDOYER_DB_LOCK_TIMEOUT_SECONDS dépassé) ; rien n'a été modifié. "
            "Réessayez dans un moment."
        ) from exc
