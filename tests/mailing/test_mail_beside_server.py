"""`plaidoyer serve` runs one outbox worker beside itself: refusals are logged as they happen,
`plaidoyer outbox status` lists them, and the worker stops with the server."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
from smtp_support import SmtpServer, add_letters
from sqlalchemy import Engine, select

from app.config import Settings
from app.db import unit_of_work
from app.mailing.cli import start_beside_server
from app.mailing.models import WorkerHeartbeat
from tests.live import free_port

PLAIDOYER = Path(sys.executable).with_name("plaidoyer")


def environment(url: str, data_dir: Path, smtp_port: int) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PLAIDOYER_", "PROMETHEUS_"))
        and key not in {"DATABASE_URL", "PORT", "REDIS_URL"}
    }
    return env | {
        "DATABASE_URL": url,
        "PLAIDOYER_DATA_DIR": str(data_dir),
        "PLAIDOYER_MAIL_BACKEND": "smtp",
        "PLAIDOYER_SMTP_PORT": str(smtp_port),
        "PLAIDOYER_SMTP_TIMEOUT_SECONDS": "2",
        "PLAIDOYER_OUTBOX_LEASE_SECONDS": "10",
        "PLAIDOYER_LOG_FORMAT": "json",
        "COLUMNS": "200",
    }


def wait_for(what: str, check: object, timeout: float = 40.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(check) and check():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def failure_events(log: Path) -> list[dict[str, object]]:
    events = []
    for line in log.read_text().splitlines():
        if line.startswith("{") and '"outbox.send_failed"' in line:
            events.append(json.loads(line))
    return events


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A child ended but not yet reaped by its (gone) parent is no longer running.
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split(") ")[1][0] != "Z"


def test_serve_starts_a_worker_that_logs_refusals_and_stops_with_it(
    fresh_url: str, fresh_engine: Engine, smtp: SmtpServer, tmp_path: Path
) -> None:
    smtp.handler.mode = "permanent"
    settings = Settings(data_dir=tmp_path, mail_reply_domain="reponses.asso.example")
    add_letters(fresh_engine, settings, 1)
    env = environment(fresh_url, tmp_path, smtp.port)
    log = tmp_path / "serveur.log"
    port = free_port()
    with log.open("wb") as out:
        server = subprocess.Popen(
            [str(PLAIDOYER), "serve", "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=tmp_path,
            start_new_session=True,
        )
    try:
        wait_for("the refusal in the log", lambda: failure_events(log))
        event = failure_events(log)[0]
        assert event["smtp_code"] == 550
        assert event["outcome"] == "failed"
        assert "Recipient address rejected" in str(event["error"])
        assert "depute@example.fr" not in log.read_text()  # addresses never reach the logs
        assert httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=5).status_code == 200

        status = subprocess.run(
            [str(PLAIDOYER), "outbox", "status"],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            timeout=60,
            check=True,
        )
        assert "Échecs et erreurs" in status.stdout
        assert "en échec" in status.stdout
        assert "550 5.1.1" in status.stdout

        with unit_of_work(fresh_engine) as session:
            worker_pid = session.scalars(select(WorkerHeartbeat.pid)).one()
        assert worker_pid != server.pid and alive(worker_pid)
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        wait_for("the worker to stop", lambda: not alive(worker_pid), timeout=15)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def test_the_worker_beside_the_server_can_be_turned_off(tmp_path: Path) -> None:
    assert start_beside_server(Settings(data_dir=tmp_path, worker="off")) is None
