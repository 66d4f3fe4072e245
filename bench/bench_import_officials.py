"""Officials import: the three project CSVs (961 officials) into a fresh migrated SQLite database.

Baseline: a plain csv.reader pass over the same files (no decoding checks, no database).
Also times the second, idempotent run (0 changes) that `plaidoyer setup` pays on every start,
and the full import from the official formats (AN folder, Sénat API + e-mails, government) and
of the geography (COG, La Poste, circonscriptions; target under 5 s for both on SQLite) against
a raw read of the same files. The full import honours DATABASE_URL.
Usage: python -m bench.bench_import_officials [repeats]
"""

import csv
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from app.db import build_engine, unit_of_work
from app.geography.importers import build_geography
from app.geography.service import apply_geography
from app.officials.cli import import_file
from app.officials.sync import load_project_data
from bench.figures import Figure, backend_of, record
from bench.kit import fresh_database
from tests.factories import migrate

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SHARED = ROOT.parent / "shared" / "data"
FILES = [DATA / "deputies.csv", DATA / "senators.csv", DATA / "ministers.csv"]
GEO = SHARED / "geo"
GEOGRAPHY = {
    "communes": GEO / "insee_cog2026_v_commune_2026.csv",
    "departements": GEO / "insee_cog2026_v_departement_2026.csv",
    "postcodes": GEO / "laposte_base-officielle-codes-postaux.csv",
    "circos": GEO / "insee_circo_composition.csv",
}
PAUSEAI = SHARED / "senateurs" / "pauseai_elus_deputes_senateurs_emails_2026-06-27.json"
OFFICIAL: list[tuple[str, Path, list[Path]]] = [
    ("an", SHARED / "deputes" / "an_amo10", []),
    ("senat", SHARED / "senateurs" / "senat_api_senateurs.json", [PAUSEAI]),
    ("government", SHARED / "gouvernement" / "gouvernement_lecornu2_membres.json", []),
]


def best_of(repeats: int, run: Callable[[], object]) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times) if repeats < 3 else statistics.median(times)


def baseline() -> int:
    rows = 0
    for path in FILES:
        with path.open(encoding="utf-8", newline="") as raw:
            rows += sum(1 for _ in csv.reader(raw)) - 1
    return rows


def raw_read() -> int:
    """Every input of the full import read and parsed, nothing checked, nothing stored."""
    rows = 0
    for path in GEOGRAPHY.values():
        with path.open(encoding="utf-8", newline="") as raw:
            rows += sum(1 for _ in csv.reader(raw))
    for _, path, emails in OFFICIAL:
        files = sorted(path.rglob("*.json")) if path.is_dir() else [path]
        rows += sum(len(json.loads(f.read_bytes())) for f in [*files, *emails])
    return rows


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    parse = best_of(repeats, baseline)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        first: list[float] = []
        second: list[float] = []
        for index in range(repeats):
            engine = build_engine(migrate(f"sqlite:///{folder / f'project{index}.db'}"))
            for timings in (first, second):
                started = time.perf_counter()
                with unit_of_work(engine) as session:
                    reports = load_project_data(session, DATA, None)
                timings.append(time.perf_counter() - started)
            assert [r.changes for r in reports] == [0, 0, 0]
            engine.dispose()

        with fresh_database(folder, "official.db") as url:
            engine = build_engine(migrate(url))
            started = time.perf_counter()
            with unit_of_work(engine) as session:
                for source, path, emails in OFFICIAL:
                    import_file(session, source, path, emails=emails, actor=None)
            official = time.perf_counter() - started
            started = time.perf_counter()
            with unit_of_work(engine) as session:
                apply_geography(session, data=build_geography(**GEOGRAPHY))
            geography = time.perf_counter() - started
            engine.dispose()
    raw = best_of(repeats, raw_read)

    load, reload = statistics.median(first), statistics.median(second)
    print(f"officials: {baseline()} rows in {len(FILES)} files, median of {repeats} runs")
    print(f"baseline csv.reader parse      {parse * 1000:8.1f} ms")
    print(f"project CSVs → empty SQLite    {load * 1000:8.1f} ms  ({load / parse:.0f}× baseline)")
    print(
        f"same again (0 changes)         {reload * 1000:8.1f} ms  ({reload / parse:.0f}× baseline)"
    )
    print(f"official formats AN+Sénat+Gvt  {official * 1000:8.1f} ms  (one run)")
    print(f"geography COG+La Poste+circos  {geography * 1000:8.1f} ms  (one run)")
    print(f"raw read of the same files     {raw * 1000:8.1f} ms")
    record(
        Figure(
            topic="import-project",
            name="élus du projet (3 CSV) → SQLite vide",
            value=load * 1000,
            unit="ms",
            baseline_name="csv.reader sur les mêmes fichiers",
            baseline=parse * 1000,
            lower_is_better=True,
        )
    )
    record(
        Figure(
            topic="import",
            name="import complet : élus (AN, Sénat, Gouvernement) et géographie",
            value=official + geography,
            unit="s",
            baseline_name="lecture brute des mêmes fichiers (csv.reader, json.loads)",
            baseline=raw,
            backend=backend_of(url),
            lower_is_better=True,
            target=5.0,
        )
    )


if __name__ == "__main__":
    main()
