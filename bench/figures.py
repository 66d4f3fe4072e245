"""One figure of a benchmark beside its baseline measured in the same run, printed and, under
`python -m bench`, appended to the results file that bench/REPORT.md is written from."""

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

RESULTS_ENV = "PLAIDOYER_BENCH_RESULTS"


@dataclass(frozen=True)
class Figure:
    topic: str  # what an issue asked to measure: "lookup-postcode", "outbox", …
    name: str
    value: float
    unit: str
    baseline_name: str
    baseline: float
    backend: str = "sqlite"
    lower_is_better: bool = False  # times: lower is better; rates: higher
    target: float | None = None  # in `unit`
    ratio_target: float | None = None  # value / baseline, at least
    p50_ms: float | None = None
    p99_ms: float | None = None
    p99_target_ms: float | None = None
    baseline_p50_ms: float | None = None
    baseline_p99_ms: float | None = None

    @property
    def ratio(self) -> float:
        return self.value / self.baseline if self.baseline else float("nan")

    @property
    def met(self) -> bool | None:
        """Whether the figure reaches its target (and its p99 target), None without one."""
        checks: list[bool] = []
        if self.target is not None:
            below = self.value <= self.target
            checks.append(below if self.lower_is_better else self.value >= self.target)
        if self.ratio_target is not None:
            checks.append(self.ratio >= self.ratio_target)
        if self.p99_target_ms is not None and self.p99_ms is not None:
            checks.append(self.p99_ms <= self.p99_target_ms)
        return all(checks) if checks else None


def backend_of(url: str) -> str:
    return "postgresql" if url.startswith("postgresql") else "sqlite"


def record(figure: Figure) -> None:
    """Prints the figure; appends it to the results file when `python -m bench` runs."""
    latency = ""
    if figure.p50_ms is not None and figure.p99_ms is not None:
        latency = f", p50 {figure.p50_ms:.2f} ms, p99 {figure.p99_ms:.2f} ms"
    verdict = {None: "", True: " — objectif atteint", False: " — OBJECTIF MANQUÉ"}[figure.met]
    print(
        f"[{figure.backend}] {figure.name}: {figure.value:,.1f} {figure.unit}{latency}"
        f" ; référence {figure.baseline_name}: {figure.baseline:,.1f} {figure.unit}"
        f" (× {figure.ratio:.2f}){verdict}",
        flush=True,
    )
    if path := os.environ.get(RESULTS_ENV):
        with Path(path).open("a", encoding="utf-8") as file:
            file.write(json.dumps(asdict(figure)) + "\n")


def read_figures(path: Path) -> list[Figure]:
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [Figure(**json.loads(line)) for line in lines if line.strip()]
