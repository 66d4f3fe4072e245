"""Render workers: template code runs in small child processes, never in the web process.

Each worker caps its own memory (RLIMIT_AS) and stops a letter that runs past its time with an
alarm; the parent kills and replaces a worker that stops making progress anyway (a long call in
C that no alarm can interrupt). One job renders a whole batch of letters in one round-trip.
"""

import logging
import multiprocessing
import os
import queue
import resource
import threading
import time
from multiprocessing.connection import Connection
from multiprocessing.context import BaseContext
from multiprocessing.process import BaseProcess
from typing import Any

from app.templating.engine import (
    MEMORY_MB,
    RENDER_SECONDS,
    TIME_LIMIT,
    RenderersBusy,
    RenderJob,
    RenderOutcome,
    TemplateProblem,
    Timer,
    run_job,
)

log = logging.getLogger(__name__)

POOL_SIZE = 2
STALL_SECONDS = RENDER_SECONDS + 1  # no progress for that long: the worker is killed
BATCH_SECONDS = 60  # a whole job, however many letters
WAIT_SECONDS = 10  # for a free worker before answering 503
CRASHED = "le rendu a été interrompu : il dépasse les limites du moteur de modèles."
BATCH_LIMIT = f"le rendu dépasse la limite de temps ({BATCH_SECONDS} s pour l'ensemble)."


def _limit_memory() -> None:
    try:
        with open("/proc/self/statm") as statm:
            current = int(statm.read().split()[0]) * resource.getpagesize()
    except OSError:
        return  # not Linux: the parent's time limits still hold
    limit = current + MEMORY_MB * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _serve(conn: Connection, progress: Any) -> None:
    """The worker's loop: one job in, one outcome out, until the parent closes the pipe."""
    _limit_memory()
    timer = Timer(RENDER_SECONDS)

    def step() -> None:
        progress.value += 1

    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            outcome = run_job(job, timer=timer, step=step)
        except MemoryError:
            outcome = RenderOutcome(problems=[TemplateProblem(None, None, CRASHED)])
        conn.send(outcome)


def _context() -> BaseContext:
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["app.templating.engine"])
        return context
    return multiprocessing.get_context("spawn")


class WorkerLost(Exception):
    """The worker had to be killed, or died; the message says which limit."""


class Worker:
    """One child process and the pipe to it."""

    def __init__(self, context: BaseContext) -> None:
        self.conn, child_end = context.Pipe()
        self.progress = context.RawValue("Q", 0)
        self.process: BaseProcess = context.Process(  # type: ignore[attr-defined]
            target=_serve, args=(child_end, self.progress), name="plaidoyer-modeles", daemon=True
        )
        self.process.start()
        child_end.close()

    def run(self, job: RenderJob) -> RenderOutcome:
        """Sends the job and waits, killing the worker if it stalls or runs past the batch limit."""
        try:
            self.conn.send(job)
        except OSError:
            self.kill()
            raise WorkerLost(CRASHED) from None
        started = last = time.monotonic()
        seen = self.progress.value
        while not self.conn.poll(0.1):
            now = time.monotonic()
            if self.progress.value != seen:
                seen, last = self.progress.value, now
            if now - last > STALL_SECONDS:
                self.kill()
                raise WorkerLost(TIME_LIMIT)
            if now - started > BATCH_SECONDS:
                self.kill()
                raise WorkerLost(BATCH_LIMIT)
        try:
            outcome: RenderOutcome = self.conn.recv()
        except (EOFError, OSError):
            self.kill()
            raise WorkerLost(CRASHED) from None
        return outcome

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


class Pool:
    """Up to `size` workers, started on first use and replaced when one is lost."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._idle: queue.LifoQueue[Worker] = queue.LifoQueue()
        self._started = 0
        self._lock = threading.Lock()
        self._pid = os.getpid()
        self._context = _context()

    def _take(self) -> Worker:
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                break
            if worker.process.is_alive():
                return worker
            self._forget(worker)
        with self._lock:
            if self._started < self.size:
                self._started += 1
                try:
                    return Worker(self._context)
                except BaseException:
                    self._started -= 1
                    raise
        try:
            return self._idle.get(timeout=WAIT_SECONDS)
        except queue.Empty:
            raise RenderersBusy() from None

    def run(self, job: RenderJob) -> RenderOutcome:
        """The job's outcome; a lost worker becomes a problem naming the limit."""
        worker = self._take()
        try:
            outcome = worker.run(job)
        except WorkerLost as lost:
            log.warning("Rendu de modèle interrompu : %s", lost)
            self._forget(worker)
            return RenderOutcome(problems=[TemplateProblem(None, None, str(lost))])
        except BaseException:
            self._forget(worker)
            raise
        self._idle.put(worker)
        return outcome

    def _forget(self, worker: Worker) -> None:
        worker.kill()
        with self._lock:
            self._started -= 1


_pool: Pool | None = None
_pool_lock = threading.Lock()


def render(job: RenderJob) -> RenderOutcome:
    """Runs a job in this process's pool (created on first use, again after a fork)."""
    global _pool
    with _pool_lock:
        if _pool is None or _pool._pid != os.getpid():
            _pool = Pool(POOL_SIZE)
        pool = _pool
    return pool.run(job)
