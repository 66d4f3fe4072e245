"""GET /agir?q=<postcode> (the public campaign page, HTML) under load, beside GET /api/health of
the same app and server in the same run: one uvicorn worker on loopback, SQLite holding the
project's geography and officials and one public campaign, driven by Debian's wrk.
Target: 1,500 requests/s and p99 under 50 ms.
Usage: python -m bench.bench_agir [seconds per run] [connections]
"""

import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from app.campaigns.models import Campaign
from app.db import build_engine, unit_of_work
from app.geography.service import load_project_geography
from app.officials.sync import load_project_data
from bench.figures import Figure, record
from bench.kit import free_port, lua_rotating, run_wrk
from tests.factories import migrate

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SAMPLE = 300
TARGET_RPS, TARGET_P99_MS = 1500.0, 50.0


def prepare_database(folder: Path) -> str:
    url = migrate(f"sqlite:///{folder / 'bench.db'}")
    engine = build_engine(url)
    with unit_of_work(engine) as session:
        load_project_geography(session, DATA, force=True)
        load_project_data(session, DATA, None)
        session.add(Campaign(name="Écrivez à vos élus", slug="ecrire-a-mes-elus", is_public=True))
    engine.dispose()
    return url


def sample_postcodes() -> list[str]:
    with (DATA / "geography" / "postal_codes.csv").open(encoding="utf-8", newline="") as file:
        codes = sorted({row["postcode"] for row in csv.DictReader(file)})
    return codes[:: max(1, len(codes) // SAMPLE)][:SAMPLE]


def main() -> None:
    seconds = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    connections = int(sys.argv[2]) if len(sys.argv) > 2 else 16
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url = prepare_database(folder)
        port = free_port()
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "PLAIDOYER_DATA_DIR": str(folder),
            "PLAIDOYER_LOG_LEVEL": "warning",
        }
        command = [sys.executable, "-m", "uvicorn", "app.asgi:app", "--host", "127.0.0.1"]
        command += ["--port", str(port), "--workers", "1", "--no-access-log"]
        server = subprocess.Popen([*command, "--log-level", "warning"], cwd=ROOT, env=env)
        base = f"http://127.0.0.1:{port}"
        pages = [f"/agir?q={code}" for code in sample_postcodes()]
        script = lua_rotating(folder, "agir", pages)
        try:
            for _ in range(100):
                try:
                    if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            check = httpx.get(f"{base}/agir", params={"q": "75011"})
            assert check.status_code == 200 and 'name="official"' in check.text, check.text[-800:]
            with httpx.Client(base_url=base) as client:  # warm-up: every page rendered once
                for path in pages:
                    client.get(path).raise_for_status()
            run_wrk(base, 2, connections, script)
            health = run_wrk(f"{base}/api/health", seconds, connections)
            agir = run_wrk(base, seconds, connections, script)
        finally:
            server.terminate()
            server.wait(timeout=10)
    for load in (health, agir):
        if load.errors:
            sys.exit(f"wrk a vu {load.errors} erreurs")
    print(f"wrk 1 thread, {connections} connections, {seconds} s each, one uvicorn worker")
    record(
        Figure(
            topic="agir",
            name="GET /agir?q=<code postal> (HTML)",
            value=agir.rps,
            unit="req/s",
            baseline_name="GET /api/health",
            baseline=health.rps,
            target=TARGET_RPS,
            p50_ms=agir.p50_ms,
            p99_ms=agir.p99_ms,
            p99_target_ms=TARGET_P99_MS,
            baseline_p50_ms=health.p50_ms,
            baseline_p99_ms=health.p99_ms,
        )
    )


if __name__ == "__main__":
    main()
