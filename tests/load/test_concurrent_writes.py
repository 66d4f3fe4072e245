"""500 phone calls logged at once through a real server: none lost, none doubled, no 5xx."""

import asyncio
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from live_server import LiveServer, live_server
from sqlalchemy import select

from app.letters.models import Letter

pytestmark = pytest.mark.load

REQUESTS = 500


@dataclass(frozen=True)
class Outcome:
    index: int
    status: int  # 0: no answer (transport error or client time-out)
    retry_after: str | None
    seconds: float
    error: str = ""


async def _log_call(client: httpx.AsyncClient, server: LiveServer, index: int) -> Outcome:
    official_ids = server.seeded.official_ids
    body = {
        "official_id": official_ids[index % len(official_ids)],
        "channel": "phone",
        "notes": f"appel de charge n° {index}",
    }
    started = time.perf_counter()
    try:
        response = await client.post(
            f"/api/campaigns/{server.seeded.campaign_id}/contacts",
            json=body,
            headers=server.headers,
        )
    except httpx.HTTPError as exc:
        return Outcome(index, 0, None, time.perf_counter() - started, repr(exc))
    seconds = time.perf_counter() - started
    return Outcome(index, response.status_code, response.headers.get("retry-after"), seconds)


async def _burst(server: LiveServer, count: int) -> tuple[list[Outcome], float]:
    limits = httpx.Limits(max_connections=count, max_keepalive_connections=count)
    timeout = httpx.Timeout(60.0, pool=None)
    client = httpx.AsyncClient(base_url=server.base_url, limits=limits, timeout=timeout)
    async with client:
        started = time.perf_counter()
        outcomes = await asyncio.gather(*(_log_call(client, server, i) for i in range(count)))
        return list(outcomes), time.perf_counter() - started


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def test_concurrent_writes_hold(
    backend: str,
    make_migrated_url,  # type: ignore[no-untyped-def]
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with live_server(make_migrated_url(backend), tmp_path) as server:
        outcomes, wall = asyncio.run(_burst(server, REQUESTS))
        started = time.perf_counter()
        health = httpx.get(f"{server.base_url}/api/health", timeout=5)
        health_seconds = time.perf_counter() - started
        with server.engine.connect() as connection:
            notes = connection.scalars(
                select(Letter.notes).where(Letter.campaign_id == server.seeded.campaign_id)
            ).all()
        log = server.log.read_text()

    statuses = Counter(outcome.status for outcome in outcomes)
    p50 = _percentile([o.seconds for o in outcomes], 0.50)
    p99 = _percentile([o.seconds for o in outcomes], 0.99)
    with capsys.disabled():
        print(
            f"\n[charge {backend}] {REQUESTS} écritures simultanées : {wall:.2f} s, "
            f"p50 {p50 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, statuts {dict(statuses)}, "
            f"503 : {statuses[503]}, /api/health {health_seconds * 1000:.0f} ms"
        )

    unanswered = [o for o in outcomes if o.status == 0]
    assert unanswered == [], f"sans réponse : {unanswered[:3]}\n{log[-3000:]}"
    server_errors = [o for o in outcomes if o.status >= 500 and o.status != 503]
    assert server_errors == [], f"{len(server_errors)} réponses 5xx\n{log[-3000:]}"
    unavailable = [o for o in outcomes if o.status == 503]
    assert all(o.retry_after for o in unavailable), "503 sans Retry-After"
    if backend == "postgresql":
        assert unavailable == []
    succeeded = {f"appel de charge n° {o.index}" for o in outcomes if 200 <= o.status < 300}
    assert succeeded, "aucune écriture n'a abouti"
    stored = Counter(notes)
    assert {note for note, count in stored.items() if count > 1} == set()
    assert set(stored) == succeeded  # every 2xx stored once, nothing stored for the others
    assert health.status_code == 200
    assert health_seconds < 1.0
