"""What several app processes must share before they start: the key, the metrics folder."""

import os
import shutil

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
