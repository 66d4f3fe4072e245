"""GET /api/officials filtered by body, against the same request without the filter (baseline).

The shipped directory and bodies (961 officials, ~14,000 memberships) in a fresh migrated SQLite
database; in-process requests (TestClient), median of many, one warm-up each.
Usage: python -m bench.bench_bodies [requests]
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

from bench.figures import Figure, backend_of, record
from bench.kit import fresh_database
from tests.factories import migrate

ROOT = Path(__file__).resolve().parent.parent
CASES = {
    "baseline (no body filter)": {"size": "50"},
    "body=PO804431 (35 deputies)": {"size": "50", "body": "PO804431"},
    "body=PO804431&role=president": {"size": "50", "body": "PO804431", "role": "president"},
    "body=COM-SOCI (51 senators)": {"size": "50", "body": "COM-SOCI"},
}


def median_ms(client: TestClient, params: dict[str, str], requests: int) -> float:
    client.get("/api/officials", params=params)
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get("/api/officials", params=params)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.text
    return statistics.median(times) * 1000


def main() -> None:
    requests = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    with tempfile.TemporaryDirectory() as tmp, fresh_database(Path(tmp)) as url:
        os.environ["DATABASE_URL"] = url
        migrate(url)
        from app.db import build_engine, unit_of_work
        from app.main import create_app
        from app.officials.sync import load_project_bodies, load_project_data

        engine = build_engine(url)
        with unit_of_work(engine) as session:
            load_project_data(session, ROOT / "data", None)
            load_project_bodies(session, ROOT / "data", None)
        engine.dispose()
        with TestClient(create_app()) as client:
            figures = {label: median_ms(client, p, requests) for label, p in CASES.items()}
    base = figures["baseline (no body filter)"]
    print(f"GET /api/officials, median of {requests} in-process requests, {backend_of(url)}")
    for label, value in figures.items():
        print(f"{label:32} {value:7.2f} ms  ({value / base:.2f}× baseline, {value - base:+.2f} ms)")
    for label, value in list(figures.items())[1:]:
        record(
            Figure(
                topic="bodies",
                name=f"GET /api/officials?{label}",
                value=value,
                unit="ms",
                baseline_name="sans filtre d'organe",
                baseline=base,
                backend=backend_of(url),
                lower_is_better=True,
            )
        )


if __name__ == "__main__":
    main()
