"""GET /agir?q=<postcode> (the public campaign page, HTML) under load, beside GET /api/health of
the same app and server in the same run: one uvicorn worker on loopback, SQLite holding the
project's geography and officials and one public campaign. Driven by wrk when installed, else
by an httpx async loop. Target: 1,500 requests/s and p99 under 50 ms.
Usage: python -m bench.bench_agir [seconds per run] [connections]
"""

import asyncio
import csv
import os
import re
import shutil
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
from bench.kit import free_port
from tests.factories import migrate

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SAMPLE = 300
TARGET_RPS, TARGET_P99_MS = 1500, 50.0


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


def paths_script(folder: Path, paths: list[str]) -> Path:
    script = folder / "paths.lua"
    script.write_text(
        "local paths = {" + ",".join(f'"{p}"' for p in paths) + "}\n"
        "local i = 0\n"
        "request = function()\n"
        "  i = i % #paths + 1\n"
        "  return wrk.format(nil, paths[i])\n"
        "end\n"
    )
    return script


def run_wrk(wrk: str, base: str, paths: list[str], seconds: int, connections: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        script = paths_script(Path(tmp), paths)
        args = [wrk, "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "5s"]
        out = subprocess.run(
            [*args, "-s", str(script), base], check=True, capture_output=True, text=True,
            timeout=seconds + 30,
        ).stdout  # fmt: skip
    if "Non-2xx" in out or "Socket errors" in out:
        sys.exit(f"wrk a vu des erreurs :\n{out}")
    units = {"us": 0.001, "ms": 1.0, "s": 1000.0}

    def percentile(p: str) -> float:
        found = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        if found is None:
            sys.exit(f"sortie de wrk illisible :\n{out}")
        return float(found.group(1)) * units[found.group(2)]

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    return {"rps": rps, "p50": percentile("50"), "p99": percentile("99")}


async def _httpx_loop(base: str, paths: list[str], seconds: int, connections: int) -> dict:
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=connections)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=5) as client:

        async def user(offset: int) -> None:
            i = offset
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                response = await client.get(paths[i % len(paths)])
                response.raise_for_status()
                latencies.append(time.perf_counter() - started)
                i += connections

        started = time.perf_counter()
        await asyncio.gather(*(user(n) for n in range(connections)))
        elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "rps": len(latencies) / elapsed,
        "p50": latencies[len(latencies) // 2] * 1000,
        "p99": latencies[int(len(latencies) * 0.99)] * 1000,
    }


def measure(base: str, paths: list[str], seconds: int, connections: int) -> dict:
    wrk = shutil.which("wrk")
    if wrk:
        return run_wrk(wrk, base, paths, seconds, connections)
    return asyncio.run(_httpx_loop(base, paths, seconds, connections))


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
            measure(base, pages, 2, connections)
            health = measure(base, ["/api/health"], seconds, connections)
            agir = measure(base, pages, seconds, connections)
        finally:
            server.terminate()
            server.wait(timeout=10)
    tool = "wrk 1 thread" if shutil.which("wrk") else "httpx async loop"
    print(f"{tool}, {connections} connections, {seconds} s each, one uvicorn worker")
    for name, figures in (("GET /api/health", health), ("GET /agir?q=<code postal>", agir)):
        print(
            f"{name:28} {figures['rps']:8.0f} req/s   p50 {figures['p50']:6.2f} ms"
            f"   p99 {figures['p99']:6.2f} ms"
        )
    print(f"/agir / health throughput: {agir['rps'] / health['rps']:.2f}")
    met = agir["rps"] >= TARGET_RPS and agir["p99"] < TARGET_P99_MS
    verdict = "atteint" if met else "manqué"
    print(f"objectif {TARGET_RPS} req/s et p99 < {TARGET_P99_MS:.0f} ms : {verdict}")


if __name__ == "__main__":
    main()
