"""GET /api/lookup?postcode=… under load: one uvicorn worker on loopback, SQLite holding the
project's geography and officials, driven by wrk (installed from Debian if missing).

Baseline: GET /api/live on the same app and server: a bare `async def` route behind the same
middleware, so the ratio is what the lookup itself costs (target: 60 % or more, p99 under 10 ms).
Also times the geography load itself (official files → SQLite, and the project files), and, in
process, one point-in-circonscription lookup beside one (uncached) postcode lookup, the contour
index's load time and memory; then GET /api/lookup?lat=&lon= under wrk beside the postcode.
Usage: python -m bench.bench_lookup [seconds per run] [connections]
"""

import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from app.db import build_engine, unit_of_work
from app.geography import contours
from app.geography.importers import build_geography
from app.geography.lookup import lookup_postcode
from app.geography.service import apply_geography, load_project_geography
from app.officials.sync import load_project_data
from bench.figures import Figure, backend_of, record
from bench.kit import Load, free_port, fresh_database, lua_rotating, median_load, run_wrk
from tests.factories import migrate

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
GEO = ROOT.parent / "shared" / "data" / "geo"
SAMPLE = 500
ROUNDS = 2
RATIO_TARGET = 0.6  # of the bare endpoint's requests/s (issue 10)
P99_TARGET_MS = 10.0


def prepare_database(url: str) -> str:
    migrate(url)
    engine = build_engine(url)
    started = time.perf_counter()
    data = build_geography(
        communes=GEO / "insee_cog2026_v_commune_2026.csv",
        departements=GEO / "insee_cog2026_v_departement_2026.csv",
        postcodes=GEO / "laposte_base-officielle-codes-postaux.csv",
        circos=GEO / "insee_circo_composition.csv",
    )
    with unit_of_work(engine) as session:
        apply_geography(session, data=data)
    official = time.perf_counter() - started
    started = time.perf_counter()
    with unit_of_work(engine) as session:
        report = load_project_geography(session, DATA, force=True)
        load_project_data(session, DATA, None)
    project = time.perf_counter() - started
    started = time.perf_counter()
    with unit_of_work(engine) as session:
        assert not load_project_geography(session, DATA).loaded
    unchanged = time.perf_counter() - started
    engine.dispose()
    print(f"geography: {report.communes} communes, {report.postal_codes} postcode rows")
    print(f"official files → database        {official * 1000:8.0f} ms")
    print(f"project files → database (+ élus){project * 1000:8.0f} ms")
    print(f"start-up check, unchanged        {unchanged * 1000:8.1f} ms")
    return url


def sample_postcodes() -> list[str]:
    with (DATA / "geography" / "postal_codes.csv").open(encoding="utf-8", newline="") as file:
        codes = sorted({row["postcode"] for row in csv.DictReader(file)})
    return codes[:: max(1, len(codes) // SAMPLE)][:SAMPLE]


def sample_points() -> list[tuple[float, float]]:
    """La Poste's commune centres inside a contour: points spread over the whole country."""
    path = GEO / "laposte_base-officielle-codes-postaux.csv"
    index = contours.contour_index()
    with path.open(encoding="utf-8", newline="") as file:
        rows = [row["_geopoint"].split(",") for row in csv.DictReader(file) if row["_geopoint"]]
    points = [(float(lat), float(lon)) for lat, lon in rows]
    inside = [(lat, lon) for lat, lon in points if index.locate(lat=lat, lon=lon)]
    return inside[:: max(1, len(inside) // SAMPLE)][:SAMPLE]


def rss_mb() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def in_process(url: str) -> dict[str, float]:
    """Point lookups (contour index) against postcode lookups (SQL, no cache), same process."""
    before = rss_mb()
    started = time.perf_counter()
    index = contours.contour_index()
    load = time.perf_counter() - started
    memory = rss_mb() - before
    points = sample_points()
    started = time.perf_counter()
    for _ in range(5):
        for lat, lon in points:
            index.locate(lat=lat, lon=lon)
    point = (time.perf_counter() - started) / (5 * len(points))
    engine = build_engine(url)
    codes = sample_postcodes()
    with engine.connect() as connection:
        started = time.perf_counter()
        for code in codes:
            lookup_postcode(connection, postcode=code)
        postcode = (time.perf_counter() - started) / len(codes)
    engine.dispose()
    size = contours.CONTOURS_FILE.stat().st_size / 1e6
    print(f"contour file {size:.2f} MB, index load {load * 1000:.0f} ms, +{memory:.0f} MB RSS")
    print(f"one point lookup (STRtree + prepared) {point * 1e6:8.1f} µs")
    print(f"one postcode lookup (SQL, no cache)   {postcode * 1e6:8.1f} µs")
    print(f"point / postcode time: {point / postcode:.3f}")
    return {"point": point, "postcode": postcode}


def loaded(url: str, seconds: int, connections: int, script: Path | None) -> Load:
    load = run_wrk(url, seconds, connections, script)
    if load.errors:
        sys.exit(f"wrk a vu {load.errors} erreurs sur {url}")
    return load


def main() -> None:
    seconds = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    connections = int(sys.argv[2]) if len(sys.argv) > 2 else 16
    with tempfile.TemporaryDirectory() as tmp, fresh_database(Path(tmp)) as database:
        folder = Path(tmp)
        url = prepare_database(database)
        in_process(url)
        port = free_port()
        env = {**os.environ, "DATABASE_URL": url, "PLAIDOYER_DATA_DIR": str(folder)}
        uvicorn = ["uvicorn", "app.asgi:app", "--host", "127.0.0.1", "--port", str(port)]
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                *uvicorn,
                "--workers",
                "1",
                "--no-access-log",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    if httpx.get(f"{base}/api/live", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            check = httpx.get(f"{base}/api/lookup", params={"postcode": "75011"}).json()
            assert len(check["deputies"]) == 18, check
            script = lua_rotating(
                folder, "postcodes", [f"/api/lookup?postcode={c}" for c in sample_postcodes()]
            )
            points = lua_rotating(
                folder, "points", [f"/api/lookup?lat={a}&lon={o}" for a, o in sample_points()]
            )
            paris = {"lat": "48.86", "lon": "2.38"}
            httpx.get(f"{base}/api/lookup", params=paris).raise_for_status()
            loaded(f"{base}/api/lookup", 2, connections, script)  # warm-up
            loaded(f"{base}/api/lookup", 2, connections, points)  # warm-up
            runs: dict[str, list[Load]] = {"live": [], "postcode": [], "point": []}
            for _ in range(ROUNDS):  # endpoint and baseline alternate
                runs["live"].append(loaded(f"{base}/api/live", seconds, connections, None))
                runs["postcode"].append(loaded(f"{base}/api/lookup", seconds, connections, script))
                runs["point"].append(loaded(f"{base}/api/lookup", seconds, connections, points))
            baseline, lookup, point = (median_load(runs[k]) for k in ("live", "postcode", "point"))
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(
        f"wrk 1 thread, {connections} connections, {seconds} s each, one uvicorn worker,"
        f" median of {ROUNDS} alternating rounds"
    )
    for topic, name, figures in (
        ("lookup-postcode", "GET /api/lookup?postcode", lookup),
        ("lookup-point", "GET /api/lookup?lat&lon", point),
    ):
        record(
            Figure(
                topic=topic,
                name=name,
                value=figures.rps,
                unit="req/s",
                baseline_name="GET /api/live (async def nu, même middleware)",
                baseline=baseline.rps,
                backend=backend_of(url),
                ratio_target=RATIO_TARGET,
                p50_ms=figures.p50_ms,
                p99_ms=figures.p99_ms,
                p99_target_ms=P99_TARGET_MS,
                baseline_p50_ms=baseline.p50_ms,
                baseline_p99_ms=baseline.p99_ms,
            )
        )


if __name__ == "__main__":
    main()
