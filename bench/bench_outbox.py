"""Outbox throughput: one worker draining N queued letters to a local aiosmtpd sink.

Floor: raw aiosmtplib sending the same prebuilt messages over one connection, no database.
Usage: python -m bench.bench_outbox [N]
"""

import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiosmtplib
from sqlalchemy import select

from app.config import Settings
from app.db import build_engine, unit_of_work
from app.letters.sending import LetterOutcomes
from app.mailing.message import render
from app.mailing.models import OutboxMessage
from app.mailing.worker import run_worker
from bench.figures import Figure, backend_of, record
from bench.kit import free_port, fresh_database
from tests.factories import migrate, queue_email_letters

BODY = (
    "Madame la Députée,\n\nNotre association vous sollicite au sujet de la protection des "
    "enfants en ligne. Nous portons quatre demandes précises, que vous trouverez ci-dessous.\n\n"
) * 6


SINK = """
import sys
from collections import Counter

from aiosmtpd.controller import Controller

class Sink:
    def __init__(self):
        self.ids = Counter()

    async def handle_DATA(self, server, session, envelope):
        for line in envelope.content.split(b"\\r\\n"):
            if line.lower().startswith(b"message-id:"):
                self.ids[line.split(b":", 1)[1].strip()] += 1
                break
        return "250 OK"

sink = Sink()
controller = Controller(sink, hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
print("ready", flush=True)
sys.stdin.readline()
print(len(sink.ids), sum(sink.ids.values()), flush=True)
sys.stdin.readline()
controller.stop()
"""


class SinkProcess:
    """aiosmtpd in its own process (as a real server would be); counts Message-IDs it accepts."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-c", SINK, str(self.port)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None and self.process.stdout.readline() == "ready\n"

    def counts(self) -> tuple[int, int]:
        """(distinct Message-IDs, messages) accepted so far."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write("\n")
        self.process.stdin.flush()
        distinct, total = self.process.stdout.readline().split()
        return int(distinct), int(total)

    def stop(self) -> None:
        self.process.communicate("\n", timeout=10)


def seed(url: str, settings: Settings, count: int) -> float:
    """Migrates the database, then times queueing `count` letters in one transaction."""
    engine = build_engine(migrate(url))
    started = time.perf_counter()
    with unit_of_work(engine) as session:
        queue_email_letters(session, settings=settings, count=count, body=BODY)
    elapsed = time.perf_counter() - started
    engine.dispose()
    return elapsed


async def raw_send(settings: Settings, payloads: list[tuple[str, list[str], bytes]]) -> None:
    client = aiosmtplib.SMTP(hostname="127.0.0.1", port=settings.smtp_port, start_tls=False)
    await client.connect()
    for from_, to, data in payloads:
        await client.sendmail(from_, to, data)
    await client.quit()


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    sink = SinkProcess()
    with tempfile.TemporaryDirectory() as tmp, fresh_database(Path(tmp)) as url:
        settings = Settings(
            data_dir=Path(tmp),
            mail_backend="smtp",
            mail_from="Association <contact@asso.example>",
            smtp_port=sink.port,
            smtp_timeout_seconds=10,
        )
        enqueue_seconds = seed(url, settings, count)
        engine = build_engine(url)
        started, cpu = time.perf_counter(), time.process_time()
        stats = asyncio.run(
            run_worker(
                engine=engine,
                settings=settings,
                worker_id="bench",
                outcomes=LetterOutcomes(),
                once=True,
            )
        )
        worker_seconds = time.perf_counter() - started
        worker_cpu = time.process_time() - cpu
        assert stats.sent == count and sink.counts() == (count, count), "each message once"

        with unit_of_work(engine) as session:
            messages = [render(row) for row in session.scalars(select(OutboxMessage))]
        payloads = [(m.sender, m.recipients, m.data) for m in messages]
        engine.dispose()
        started, cpu = time.perf_counter(), time.process_time()
        asyncio.run(raw_send(settings, payloads))
        raw_seconds = time.perf_counter() - started
        raw_cpu = time.process_time() - cpu
    sink.stop()

    worker_rate, raw_rate = count / worker_seconds, count / raw_seconds
    print(f"{count} messages, one worker, {backend_of(url)}, aiosmtpd (own process) on 127.0.0.1")
    print(f"  enqueue (letters + outbox, one transaction): {count / enqueue_seconds:8.0f} msg/s")
    # CPU time per message says what one idle core would reach, whatever else the machine runs.
    print(
        f"  outbox worker --once (mark each message):    {worker_rate:8.0f} msg/s"
        f"   CPU {worker_cpu / count * 1000:.2f} ms/msg (~{count / worker_cpu:.0f} msg/s per core)"
    )
    print(
        f"  floor: raw aiosmtplib, one connection, no DB: {raw_rate:8.0f} msg/s"
        f"   CPU {raw_cpu / count * 1000:.2f} ms/msg (~{count / raw_cpu:.0f} msg/s per core)"
    )
    print(f"  worker / floor: {worker_rate / raw_rate:.2f} (target: 200+ msg/s)")
    record(
        Figure(
            topic="outbox",
            name=f"outbox run --once, {count} messages vers aiosmtpd",
            value=worker_rate,
            unit="msg/s",
            baseline_name="aiosmtplib brut, une connexion, sans base",
            baseline=raw_rate,
            backend=backend_of(url),
            target=200.0,
        )
    )
    print(f"  load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
