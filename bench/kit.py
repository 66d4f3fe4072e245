"""What the benchmarks share: a fresh database (SQLite, or PostgreSQL when DATABASE_URL says so),
the app served on loopback, and Debian's wrk to load it."""

import os
import re
import shutil
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import psycopg

from tests.live import free_port

ROOT = Path(__file__).resolve().parent.parent
PLAIDOYER = Path(sys.executable).with_name("plaidoyer")


@contextmanager
def fresh_database(folder: Path, name: str = "bench.db") -> Iterator[str]:
    """An empty database: a file in `folder`, or, when DATABASE_URL names a PostgreSQL server,
    a new database on that server, dropped at the end."""
    server = os.environ.get("DATABASE_URL", "")
    if not server.startswith("postgresql"):
        yield f"sqlite:///{folder / name}"
        return
    base = server.rsplit("/", 1)[0]
    admin = base.replace("postgresql+psycopg://", "postgresql://") + "/postgres"
    database = f"plaidoyer_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'CREATE DATABASE "{database}"')
    try:
        yield f"{base}/{database}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def server_env(url: str, folder: Path, **extra: str) -> dict[str, str]:
    """The environment of an app process on `url`, its data (secret key, mail) in `folder`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLAIDOYER_")}
    return env | {
        "DATABASE_URL": url,
        "PLAIDOYER_DATA_DIR": str(folder),
        "PLAIDOYER_SECRET_KEY": "clé-des-mesures-de-performance-assez-longue",
        "PLAIDOYER_MAIL_BACKEND": "file",
        "PLAIDOYER_LOG_LEVEL": "INFO",  # one JSON line per request, as in production
        **extra,
    }


@contextmanager
def serve(env: dict[str, str], workers: int = 1) -> Iterator[str]:
    """`plaidoyer serve --workers N` on a free port until the block ends; yields its base URL."""
    port = free_port()
    log = Path(env["PLAIDOYER_DATA_DIR"]) / f"server-{port}.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [str(PLAIDOYER), "serve", "--port", str(port), "--workers", str(workers)],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                sys.exit(f"le serveur ne démarre pas :\n{log.read_text()[-3000:]}")
            try:
                if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def ensure_wrk() -> str:
    """Debian's wrk, installed with apt-get when missing."""
    if found := shutil.which("wrk"):
        return found
    for command in (["apt-get", "update"], ["apt-get", "install", "-y", "wrk"]):
        subprocess.run(command, check=True, capture_output=True)
    return shutil.which("wrk") or sys.exit("wrk introuvable après apt-get install wrk")


@dataclass(frozen=True)
class Load:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int  # non-2xx/3xx answers and socket errors


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def run_wrk(
    url: str, seconds: int, connections: int, script: Path | None = None, threads: int = 1
) -> Load:
    """wrk against `url` (a Lua `script` may shape the requests); fails on an unreadable run."""
    args = [ensure_wrk(), f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    args += ["--timeout", "10s", *(["-s", str(script)] if script else []), url]
    out = subprocess.run(
        args, check=True, capture_output=True, text=True, timeout=seconds + 60
    ).stdout

    def number(pattern: str) -> re.Match[str]:
        found = re.search(pattern, out, re.M)
        if found is None:
            sys.exit(f"sortie de wrk illisible :\n{out}")
        return found

    def percentile(p: str) -> float:
        found = number(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)\s*$")
        return float(found.group(1)) * UNITS[found.group(2)]

    socket_errors = re.search(r"connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = int(non_2xx.group(1)) if non_2xx else 0
    if socket_errors:
        errors += sum(int(g) for g in socket_errors.groups())
    return Load(
        rps=float(number(r"Requests/sec:\s+([\d.]+)").group(1)),
        p50_ms=percentile("50"),
        p99_ms=percentile("99"),
        requests=int(number(r"(\d+) requests in").group(1)),
        errors=errors,
    )


def median_load(runs: list[Load]) -> Load:
    """The median of each figure over alternating rounds; requests and errors summed."""
    return Load(
        rps=statistics.median(r.rps for r in runs),
        p50_ms=statistics.median(r.p50_ms for r in runs),
        p99_ms=statistics.median(r.p99_ms for r in runs),
        requests=sum(r.requests for r in runs),
        errors=sum(r.errors for r in runs),
    )


def lua_rotating(folder: Path, name: str, paths: list[str]) -> Path:
    """A wrk script that GETs `paths` in turn."""
    script = folder / f"{name}.lua"
    script.write_text(
        "local paths = {" + ",".join(f'"{p}"' for p in paths) + "}\n"
        "local i = 0\n"
        "request = function()\n"
        "  i = i % #paths + 1\n"
        "  return wrk.format(nil, paths[i])\n"
        "end\n"
    )
    return script
