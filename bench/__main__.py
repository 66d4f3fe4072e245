"""`python -m bench` (or `make bench`): runs every bench/bench_*.py in turn, then writes
bench/REPORT.md and prints it. `python -m bench lookup outbox` runs only those."""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.figures import RESULTS_ENV, read_figures
from bench.kit import ROOT
from bench.report import Run, machine, render

HERE = Path(__file__).resolve().parent
REPORT = HERE / "REPORT.md"


def run(module: str, results: Path) -> Run:
    """One bench as a module from the project's root (so it imports tests.factories too),
    its output shown as it comes and kept for the report."""
    print(f"\n=== {module} ===", flush=True)
    started = time.perf_counter()
    env = os.environ | {RESULTS_ENV: str(results), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", f"bench.{module}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    lines = []
    for line in process.stdout:
        print(line, end="", flush=True)
        lines.append(line)
    returncode = process.wait()
    return Run(module, returncode, time.perf_counter() - started, "".join(lines))


def main() -> int:
    wanted = {f"bench_{name.removeprefix('bench_')}" for name in sys.argv[1:]}
    modules = [p.stem for p in sorted(HERE.glob("bench_*.py"))]
    modules = [m for m in modules if not wanted or m in wanted]
    info = machine()
    with tempfile.TemporaryDirectory() as tmp:
        results = Path(tmp) / "figures.jsonl"
        runs = [run(module, results) for module in modules]
        figures = read_figures(results)
    info["charge à la fin"] = f"{os.getloadavg()[0]:.1f}"
    text = render(info, figures, runs)
    REPORT.write_text(text, encoding="utf-8")
    print(f"\n{text}\nÉcrit dans {REPORT.relative_to(ROOT)}")
    return 1 if any(r.returncode for r in runs) else 0


if __name__ == "__main__":
    sys.exit(main())
