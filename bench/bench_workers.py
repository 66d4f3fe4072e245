"""Two app processes against one (`plaidoyer serve --workers 2` / `--workers 1`), same run, same
database: a read endpoint (GET /api/officials, the directory filtered by name) and a write
endpoint (POST /api/stances with a staff token: a proposal and its audit event), loaded by wrk.

Both servers run side by side on the same database; the rounds alternate one process and two,
so that both see the same machine. Then 500 connections write at once to the two processes
(wrk -c500), beside the same writes at the usual connection count.
SQLite by default, PostgreSQL with DATABASE_URL.
Usage: python -m bench.bench_workers [seconds per run] [connections] [rounds]
"""

import json
import os
import sys
import tempfile
from pathlib import Path

import httpx
from sqlalchemy import select

from app.db import build_engine, unit_of_work
from app.officials.models import Official
from app.officials.sync import load_project_data
from app.security import Actor
from app.users.models import Role
from app.users.service import create_token
from bench.figures import Figure, backend_of, record
from bench.kit import (
    ROOT,
    Load,
    fresh_database,
    lua_rotating,
    median_load,
    run_wrk,
    serve,
    server_env,
)
from tests.factories import add_user, migrate

ACTOR = Actor.system("bench")
BURST = 500  # connections writing at once, each sending its next request as soon as answered
NAMES = ["martin", "dupont", "bernard", "petit", "durand", "leroy", "moreau", "simon"]


def prepare(url: str) -> tuple[str, list[int]]:
    """The project's directory and a staff account; its API token and some officials' ids."""
    engine = build_engine(migrate(url))
    with unit_of_work(engine) as session:
        load_project_data(session, ROOT / "data", ACTOR)
        staff = add_user(session, role=Role.staff, email="equipe@bench.fr", actor=ACTOR)
        token = create_token(session, user=staff, name="bench", actor=ACTOR)
        ids = list(session.scalars(select(Official.id).order_by(Official.id).limit(200)))
    engine.dispose()
    return token, ids


def write_script(folder: Path, token: str, ids: list[int]) -> Path:
    """POST /api/stances, each request for the next official in turn."""
    body = {
        "demand": 1,
        "position": "supportive",
        "evidence_kind": "statement",
        "evidence_text": "Déclaration en séance (mesure de charge)",
        "source_url": "https://www.assemblee-nationale.fr/dyn/17/comptes-rendus",
    }
    script = folder / "write.lua"
    script.write_text(
        "local ids = {" + ",".join(map(str, ids)) + "}\n"
        "local i = 0\n"
        'wrk.method = "POST"\n'
        f'wrk.headers["Authorization"] = "Bearer {token}"\n'
        'wrk.headers["Content-Type"] = "application/json"\n'
        "request = function()\n"
        "  i = i % #ids + 1\n"
        f"  local body = '{json.dumps(body)[:-1]}, \"official_id\": ' .. ids[i] .. '}}'\n"
        '  return wrk.format(nil, "/api/stances", nil, body)\n'
        "end\n"
    )
    return script


def check_endpoints(base: str, token: str, official: int) -> None:
    assert httpx.get(f"{base}/api/officials", params={"q": "martin"}).json()["total"] > 0
    answer = httpx.post(
        f"{base}/api/stances",
        headers={"Authorization": f"Bearer {token}"},
        json={
            "official_id": official,
            "demand": 1,
            "position": "supportive",
            "evidence_kind": "statement",
            "source_url": "https://www.assemblee-nationale.fr/",
        },
    )
    assert answer.status_code == 201, answer.text


def main() -> None:
    seconds = int(sys.argv[1]) if len(sys.argv) > 1 else 8
    connections = int(sys.argv[2]) if len(sys.argv) > 2 else 16
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp, fresh_database(Path(tmp)) as url:
        folder = Path(tmp)
        token, ids = prepare(url)
        read = lua_rotating(folder, "read", [f"/api/officials?q={n}&size=20" for n in NAMES])
        write = write_script(folder, token, ids)
        (folder / "one").mkdir()
        (folder / "two").mkdir()
        runs: dict[tuple[int, str], list[Load]] = {}
        with (
            serve(server_env(url, folder / "one"), workers=1) as one,
            serve(server_env(url, folder / "two"), workers=2) as two,
        ):
            for base in (one, two):
                check_endpoints(base, token, ids[0])
                run_wrk(f"{base}/api/officials", 2, connections, read)  # warm-up
            for _ in range(rounds):
                for workers, base in ((1, one), (2, two)):
                    for kind, script in (("read", read), ("write", write)):
                        load = run_wrk(base, seconds, connections, script)
                        runs.setdefault((workers, kind), []).append(load)
            burst = run_wrk(two, seconds, BURST, write)
    backend = backend_of(url)
    print(
        f"wrk 1 thread, {connections} connections, {seconds} s per run, {rounds} rounds"
        f" alternating 1 and 2 processes, {backend}, {os.cpu_count()} CPUs, load average"
        f" {load_before:.1f} before and {os.getloadavg()[0]:.1f} after"
    )
    endpoints = {
        "read": "GET /api/officials?q=…",
        "write": "POST /api/stances (jeton, écriture + audit)",
    }
    for kind, label in endpoints.items():
        single, double = median_load(runs[(1, kind)]), median_load(runs[(2, kind)])
        for workers, load in ((1, single), (2, double)):
            print(
                f"  {label:44} {workers} processus : {load.rps:7.0f} req/s"
                f"  p50 {load.p50_ms:6.2f} ms  p99 {load.p99_ms:7.2f} ms"
                f"  ({load.requests} requêtes, {load.errors} erreurs)"
            )
        record(
            Figure(
                topic=f"workers-{kind}",
                name=f"{label}, 2 processus",
                value=double.rps,
                unit="req/s",
                baseline_name="le même, 1 processus",
                baseline=single.rps,
                backend=backend,
                p50_ms=double.p50_ms,
                p99_ms=double.p99_ms,
                baseline_p50_ms=single.p50_ms,
                baseline_p99_ms=single.p99_ms,
            )
        )

    print(
        f"  {BURST} connexions en écriture, 2 processus : {burst.rps:.0f} req/s"
        f"  p50 {burst.p50_ms:.2f} ms  p99 {burst.p99_ms:.2f} ms"
        f"  ({burst.requests} requêtes, {burst.errors} erreurs ou réponses hors 2xx)"
    )
    writes = median_load(runs[(2, "write")])
    record(
        Figure(
            topic="concurrent-writes",
            name=f"POST /api/stances, {BURST} connexions, 2 processus ({burst.errors} erreurs)",
            value=burst.rps,
            unit="req/s",
            baseline_name=f"le même à {connections} connexions",
            baseline=writes.rps,
            backend=backend,
            p50_ms=burst.p50_ms,
            p99_ms=burst.p99_ms,
            baseline_p50_ms=writes.p50_ms,
            baseline_p99_ms=writes.p99_ms,
        )
    )


if __name__ == "__main__":
    main()
