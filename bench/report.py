"""bench/REPORT.md: the machine, every figure beside its baseline, what each issue asked for and
whether it was reached, then what each benchmark printed."""

import os
import platform
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version

import psycopg

from bench.figures import Figure
from bench.kit import ROOT

PACKAGES = ["plaidoyer", "fastapi", "starlette", "uvicorn", "sqlalchemy", "psycopg", "jinja2"]
LOCAL_PG = "postgresql://postgres@127.0.0.1:5432/postgres"

# What the issues asked to measure: topic → (what, target as the issue says it).
ASKED = {
    "lookup-postcode": (
        "Recherche par code postal, GET /api/lookup, contre un async def nu",
        "≥ 60 % du point d'entrée nu, p99 < 10 ms",
    ),
    "lookup-point": (
        "Recherche par position, GET /api/lookup?lat=&lon=, contre un async def nu",
        "≥ 60 % du point d'entrée nu, p99 < 10 ms",
    ),
    "agir": ("Étape publique /agir?q=… (HTML, un processus)", "≥ 1 500 req/s, p99 < 50 ms"),
    "generation": ("Génération des courriers contre string.Template", "le chiffre"),
    "outbox": ("File d'envoi vers aiosmtpd contre aiosmtplib brut", "≥ 200 messages/s"),
    "import": ("Import complet (élus et géographie)", "< 5 s sur SQLite"),
    "dashboard": ("Écran de la direction, 1 000 000 courriers, contre SELECT count(*)", "< 300 ms"),
    "concurrent-writes": ("500 écritures simultanées (bench_workers)", "0 réponse 5xx"),
    "workers-read": ("Lecture, 2 processus contre 1", "le chiffre (README)"),
    "workers-write": ("Écriture, 2 processus contre 1", "le chiffre (README)"),
}


@dataclass(frozen=True)
class Run:
    module: str
    returncode: int
    seconds: float
    output: str


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "absent"


def _command(*args: str) -> str:
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=10, check=False)
    except OSError:
        return "absent"
    text = (done.stdout or done.stderr).strip()
    return text.splitlines()[0] if text else ""


def _cpu() -> str:
    for line in open("/proc/cpuinfo", encoding="utf-8"):  # noqa: SIM115
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "?"


def _memory() -> str:
    for line in open("/proc/meminfo", encoding="utf-8"):  # noqa: SIM115
        if line.startswith("MemTotal"):
            return f"{int(line.split()[1]) / 1024 / 1024:.1f} Go"
    return "?"


def _postgres() -> str:
    url = os.environ.get("DATABASE_URL", "")
    dsn = url.replace("postgresql+psycopg://", "postgresql://") if url else LOCAL_PG
    try:
        with psycopg.connect(dsn, connect_timeout=3) as conn:
            row = conn.execute("SHOW server_version").fetchone()
    except psycopg.Error:
        return "injoignable"
    return str(row[0]) if row else "?"


def machine() -> dict[str, str]:
    url = os.environ.get("DATABASE_URL", "")
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "processeur": f"{os.cpu_count()} cœurs, {_cpu()}",
        "mémoire": _memory(),
        "système": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        "base": "PostgreSQL (DATABASE_URL)" if url.startswith("postgresql") else "SQLite",
        "SQLite": sqlite3.sqlite_version,
        "PostgreSQL": _postgres(),
        "wrk": _command("wrk", "-v"),
        "paquets": ", ".join(f"{p} {_version(p)}" for p in PACKAGES),
        "commit": _command("git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"),
        "charge au départ": f"{os.getloadavg()[0]:.1f}",
    }


def _number(value: float, unit: str) -> str:
    return f"{value:,.1f} {unit}".replace(",", " ")


def _latency(p50: float | None, p99: float | None) -> str:
    return "" if p50 is None or p99 is None else f"{p50:.1f} / {p99:.1f} ms"


def _verdict(met: bool | None) -> str:
    return {None: "—", True: "oui", False: "**NON**"}[met]


def _target(figure: Figure) -> str:
    parts = []
    if figure.target is not None:
        sign = "≤" if figure.lower_is_better else "≥"
        parts.append(f"{sign} {_number(figure.target, figure.unit)}")
    if figure.ratio_target is not None:
        parts.append(f"rapport ≥ {figure.ratio_target:.2f}".replace(".", ","))
    if figure.p99_target_ms is not None:
        parts.append(f"p99 ≤ {figure.p99_target_ms:.0f} ms")
    return ", ".join(parts) or "—"


def _results(figures: list[Figure]) -> list[str]:
    lines = [
        "| mesure | base | valeur | p50 / p99 | référence (même passe) | rapport | objectif"
        " | atteint |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for f in figures:
        baseline = f"{f.baseline_name} : {_number(f.baseline, f.unit)}"
        if base_latency := _latency(f.baseline_p50_ms, f.baseline_p99_ms):
            baseline += f" ({base_latency})"
        value, latency = _number(f.value, f.unit), _latency(f.p50_ms, f.p99_ms)
        lines.append(
            f"| {f.name} | {f.backend} | {value} | {latency} | {baseline} | × {f.ratio:.2f}"
            f" | {_target(f)} | {_verdict(f.met)} |"
        )
    return lines


def _coverage(figures: list[Figure], runs: list[Run]) -> tuple[list[str], list[str]]:
    lines = ["| demandé | objectif | état |", "|---|---|---|"]
    missed = []
    ran = {r.module.removeprefix("bench_") for r in runs}
    for topic, (what, target) in ASKED.items():
        found = [f for f in figures if f.topic == topic]
        if found:
            verdicts = [f.met for f in found]
            state = "mesuré"
            if False in verdicts:
                state = "**objectif manqué**"
                missed += [f"{f.name} ({f.backend}) : {_number(f.value, f.unit)}" for f in found]
            elif True in verdicts:
                state = "objectif atteint"
        elif topic in ran:
            state = f"bench_{topic} a tourné sans chiffre structuré : voir sa sortie ci-dessous"
        else:
            state = "**non mesuré** par cette passe"
            missed.append(f"{what} : non mesuré")
        lines.append(f"| {what} | {target} | {state} |")
    return lines, missed


def _busy(info: dict[str, str]) -> list[str]:
    """A warning when other work shared the machine: the figures are then too low. Only the load
    at the start tells: at the end it is the benchmarks' own (servers, wrk, PostgreSQL)."""
    load = float(info["charge au départ"])
    if load <= (os.cpu_count() or 1):
        return []
    return [
        f"**Machine chargée** (charge {load:.1f} pour {os.cpu_count()} cœurs) : d'autres travaux"
        " tournaient pendant la passe, les chiffres sont plus bas qu'à vide.",
        "",
    ]


def render(info: dict[str, str], figures: list[Figure], runs: list[Run]) -> str:
    coverage, missed = _coverage(figures, runs)
    failed = [r.module for r in runs if r.returncode]
    out = [
        "# Rapport de performance",
        "",
        "Écrit par `make bench` (`python -m bench`) : chaque mesure tourne dans la même passe que",
        "sa référence ; les serveurs sont chargés par wrk. SQLite par défaut, PostgreSQL avec",
        "`DATABASE_URL=postgresql+psycopg://…` (bench_dashboard mesure toujours les deux).",
        "",
        "## Machine",
        "",
        *_busy(info),
        "| | |",
        "|---|---|",
        *[f"| {key} | {value} |" for key, value in info.items()],
        "",
        "## Résultats",
        "",
        *_results(figures),
        "",
        "## Ce que les tickets demandaient",
        "",
        *coverage,
        "",
        "## Objectifs manqués",
        "",
        *([f"- {line}" for line in missed] or ["Aucun."]),
        *([f"- échec de {', '.join(failed)} (voir la sortie)"] if failed else []),
        "",
        "## Sorties",
    ]
    for run in runs:
        state = "ok" if run.returncode == 0 else f"code de sortie {run.returncode}"
        out += ["", f"### {run.module} ({run.seconds:.0f} s, {state})", "", "```text"]
        out += [run.output.rstrip(), "```"]
    return "\n".join(out) + "\n"
