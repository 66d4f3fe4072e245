"""Officials import: the three project CSVs (961 officials) into a fresh migrated SQLite database.

Baseline: a plain csv.reader pass over the same files (no decoding checks, no database).
Also times the second, idempotent run (0 changes) that `plaidoyer setup` pays on every start,
and the full import from the official formats (AN folder, Sénat API + e-mails, government).
Usage: python -m bench.bench_import_officials [repeats]
"""

import csv
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from app.db import build_engine, unit_of_work
from app.officials.cli import import_file
from app.officials.sync import load_project_data
from tests.factories import migrate

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SHARED = ROOT.parent / "shared" / "data"
FILES = [DATA / "deputies.csv", DATA / "senators.csv", DATA / "ministers.csv"]


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


def fresh_database(folder: Path, name: str) -> str:
    return migrate(f"sqlite:///{folder / name}")


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    parse = best_of(repeats, baseline)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        first: list[float] = []
        second: list[float] = []
        for index in range(repeats):
            engine = build_engine(fresh_database(folder, f"project{index}.db"))
            for timings in (first, second):
                started = time.perf_counter()
                with unit_of_work(engine) as session:
                    reports = load_project_data(session, DATA, None)
                timings.append(time.perf_counter() - started)
            assert [r.changes for r in reports] == [0, 0, 0]
            engine.dispose()

        engine = build_engine(fresh_database(folder, "official.db"))
        pauseai = SHARED / "senateurs" / "pauseai_elus_deputes_senateurs_emails_2026-06-27.json"
        started = time.perf_counter()
        with unit_of_work(engine) as session:
            import_file(session, "an", SHARED / "deputes" / "an_amo10", emails=[], actor=None)
            senat = SHARED / "senateurs" / "senat_api_senateurs.json"
            import_file(session, "senat", senat, emails=[pauseai], actor=None)
            government = SHARED / "gouvernement" / "gouvernement_lecornu2_membres.json"
            import_file(session, "government", government, emails=[], actor=None)
        official = time.perf_counter() - started
        engine.dispose()

    load, reload = statistics.median(first), statistics.median(second)
    print(f"officials: {baseline()} rows in {len(FILES)} files, median of {repeats} runs")
    print(f"baseline csv.reader parse      {parse * 1000:8.1f} ms")
    print(f"project CSVs → empty SQLite    {load * 1000:8.1f} ms  ({load / parse:.0f}× baseline)")
    print(
        f"same again (0 changes)         {reload * 1000:8.1f} ms  ({reload / parse:.0f}× baseline)"
    )
    print(f"official formats AN+Sénat+Gvt  {official * 1000:8.1f} ms  (one run)")


if __name__ == "__main__":
    main()
