"""Prometheus metrics: request counts and latency per process, domain figures from the database.

Domain figures are read from the database at each scrape, so every process reports the same
truth; request metrics use prometheus-client's multiprocess mode when PROMETHEUS_MULTIPROC_DIR
is set (`plaidoyer serve --workers N` sets it).
"""

import os
import re
from collections.abc import Iterable, Iterator

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from sqlalchemy import Engine, func, literal_column, select

from app.db import utcnow
from app.letters.models import Letter
from app.mailing.models import OutboxMessage, OutboxStatus, WorkerHeartbeat
from app.replies.models import Reply

MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"
SMTP_CODE = re.compile(r"^[2-5]\d\d$")

REQUESTS = Counter(
    "plaidoyer_http_requests",
    "Requêtes HTTP servies, par méthode, modèle de route et statut.",
    ["method", "route", "status"],
    registry=None,
)
LATENCY = Histogram(
    "plaidoyer_http_request_duration_seconds",
    "Durée des requêtes HTTP, par méthode et modèle de route.",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
    registry=None,
)


def observe(*, method: str, route: str, status: int, seconds: float) -> None:
    REQUESTS.labels(method, route, str(status)).inc()
    LATENCY.labels(method, route).observe(seconds)


class DatabaseCollector(Collector):
    """Letters by status, the outbox, replies by channel and the workers' heartbeat."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def collect(self) -> Iterator[Metric]:
        with self.engine.connect() as conn:
            yield _gauge(
                "plaidoyer_letters",
                "Courriers par statut.",
                "status",
                conn.execute(select(Letter.status, func.count()).group_by(Letter.status)),
            )
            yield _gauge(
                "plaidoyer_outbox_messages",
                "Messages de la file d'envoi par statut (sent : envoyés).",
                "status",
                conn.execute(
                    select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
                ),
            )
            # Literal bounds: PostgreSQL must see the same expression in SELECT and GROUP BY.
            prefix = func.substr(OutboxMessage.last_error, literal_column("1"), literal_column("3"))
            errors = select(prefix, func.count()).where(OutboxMessage.last_error != "")
            by_code: dict[str, int] = {}
            for code_or_text, count in conn.execute(errors.group_by(prefix)):
                code = code_or_text if SMTP_CODE.match(code_or_text) else "connexion"
                by_code[code] = by_code.get(code, 0) + count
            yield _gauge(
                "plaidoyer_outbox_errors",
                "Messages dont la dernière tentative a échoué, par code SMTP.",
                "smtp_code",
                by_code.items(),
            )
            yield _gauge(
                "plaidoyer_replies",
                "Réponses reçues par canal.",
                "channel",
                conn.execute(select(Reply.channel, func.count()).group_by(Reply.channel)),
            )
            now = utcnow()
            oldest = conn.scalar(
                select(func.min(OutboxMessage.created_at)).where(
                    OutboxMessage.status == OutboxStatus.pending
                )
            )
            beat = conn.scalar(select(func.max(WorkerHeartbeat.beat_at)))
        yield GaugeMetricFamily(
            "plaidoyer_outbox_oldest_pending_age_seconds",
            "Âge du plus ancien message en attente (0 si la file est vide).",
            value=(now - oldest).total_seconds() if oldest else 0.0,
        )
        if beat is not None:
            yield GaugeMetricFamily(
                "plaidoyer_outbox_worker_heartbeat_age_seconds",
                "Secondes depuis le dernier signe de vie d'un processus d'envoi.",
                value=(now - beat).total_seconds(),
            )


def _gauge(name: str, documentation: str, label: str, rows: Iterable[tuple[str, int]]) -> Metric:
    family = GaugeMetricFamily(name, documentation, labels=[label])
    for value, count in rows:
        family.add_metric([str(value)], count)
    return family


def exposition(engine: Engine) -> bytes:
    """The metrics in Prometheus' text format, this process's and its siblings' included."""
    registry = CollectorRegistry()
    if os.environ.get(MULTIPROCESS_ENV):
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry.register(REQUESTS)
        registry.register(LATENCY)
    registry.register(DatabaseCollector(engine))
    return generate_latest(registry)
