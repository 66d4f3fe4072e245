"""Render workers: template code runs in small child processes, never in the web process.

A worker is `python -m app.templating.workers`, talking pickles over its stdin and stdout. It caps
its own memory (RLIMIT_AS) and stops a letter that runs past its time with an alarm; the parent
kills and replaces a worker that stops making progress anyway (a long call in C that no alarm can
interrupt). One job renders a whole batch of letters in one round-trip.
"""

import atexit
import contextlib
import fcntl
import logging
import mmap
import os
import queue
import resource
import subprocess
import sys
import tempfile
import threading
import time
from multiprocessing.connection import Connection

from app.errors import AppError
from app.templating.engine import (
    MEMORY_MB,
    RENDER_SECONDS,
    TIME_LIMIT,
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
START_SECONDS = 30  # for a new worker to be ready
WAIT_SECONDS = 10  # for a free worker before answering 503
CRASHED = "le rendu a été interrompu : il dépasse les limites du moteur de modèles."
BATCH_LIMIT = f"le rendu dépasse la limite de temps ({BATCH_SECONDS} s pour l'ensemble)."
READY = "ready"
PIPE_BYTES = 1 << 20
NICENESS = 10


class RenderersBusy(AppError):
    status_code = 503
    default_message = "Le moteur de modèles est occupé : réessayez dans quelques secondes."


class WorkerLost(Exception):
    """The worker had to be killed, or died; the message says which limit."""


class Worker:
    """One child process, the pipes to it, and a shared counter of the letters it has done."""

    def __init__(self) -> None:
        with tempfile.TemporaryFile() as counter:
            counter.truncate(8)
            self._counter = mmap.mmap(counter.fileno(), 8)
            self.progress = memoryview(self._counter).cast("Q")
            self.process = subprocess.Popen(  # noqa: S603 (our own module, no user input)
                [sys.executable, "-m", "app.templating.workers", str(counter.fileno())],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                pass_fds=(counter.fileno(),),
            )
        assert self.process.stdin is not None and self.process.stdout is not None
        if resize := getattr(fcntl, "F_SETPIPE_SZ", None):  # Linux: a batch in fewer reads
            for pipe in (self.process.stdin, self.process.stdout):
                with contextlib.suppress(OSError):
                    fcntl.fcntl(pipe.fileno(), resize, PIPE_BYTES)
        self.sender = Connection(os.dup(self.process.stdin.fileno()), readable=False)
        self.receiver = Connection(os.dup(self.process.stdout.fileno()), writable=False)
        try:
            ready = self.receiver.poll(START_SECONDS) and self._receive() == READY
        except WorkerLost:
            ready = False
        if not ready:
            self.kill()
            raise RenderersBusy("Le moteur de modèles n'a pas démarré : réessayez.")

    def _receive(self) -> object:
        try:
            return self.receiver.recv()
        except (EOFError, OSError):
            self.kill()
            raise WorkerLost(CRASHED) from None

    def alive(self) -> bool:
        return self.process.poll() is None

    def run(self, job: RenderJob) -> RenderOutcome:
        """Sends the job and waits, killing the worker if it stalls or runs past the batch limit."""
        try:
            self.sender.send(job)
        except OSError:
            self.kill()
            raise WorkerLost(CRASHED) from None
        started = last = time.monotonic()
        seen = self.progress[0]
        while not self.receiver.poll(0.1):
            now = time.monotonic()
            if self.progress[0] != seen:
                seen, last = self.progress[0], now
            if now - last > STALL_SECONDS:
                self.kill()
                raise WorkerLost(TIME_LIMIT)
            if now - started > BATCH_SECONDS:
                self.kill()
                raise WorkerLost(BATCH_LIMIT)
        outcome = self._receive()
        assert isinstance(outcome, RenderOutcome)
        return outcome

    def stop(self) -> None:
        """Asks an idle worker to end (its input closes), then makes sure it has."""
        self.sender.close()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(1)
        self.kill()

    def kill(self) -> None:
        if self.alive():
            self.process.kill()
        self.process.wait()
        for end in (self.sender, self.receiver, self.process.stdin, self.process.stdout):
            if end is not None:
                end.close()
        self.progress.release()
        self._counter.close()


class Pool:
    """Up to `size` workers, started on first use and replaced when one is lost."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.pid = os.getpid()
        self._idle: queue.LifoQueue[Worker] = queue.LifoQueue()
        self._started = 0
        self._lock = threading.Lock()

    def _take(self) -> Worker:
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                break
            if worker.alive():
                return worker
            self._forget(worker)
        with self._lock:
            start = self._started < self.size
            self._started += start
        if start:
            try:
                return Worker()
            except BaseException:
                with self._lock:
                    self._started -= 1
                raise
        try:
            return self._idle.get(timeout=WAIT_SECONDS)
        except queue.Empty:
            raise RenderersBusy() from None

    def _forget(self, worker: Worker) -> None:
        worker.kill()
        with self._lock:
            self._started -= 1

    def close(self) -> None:
        """Ends the idle workers (at exit)."""
        while True:
            try:
                self._idle.get_nowait().stop()
            except queue.Empty:
                return

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


_pool: Pool | None = None
_pool_lock = threading.Lock()


@atexit.register
def _close_pool() -> None:
    if _pool is not None and _pool.pid == os.getpid():
        _pool.close()


def render(job: RenderJob) -> RenderOutcome:
    """Runs a job in this process's pool (created on first use, and again after a fork)."""
    global _pool
    with _pool_lock:
        if _pool is None or _pool.pid != os.getpid():
            _pool = Pool(POOL_SIZE)
        pool = _pool
    return pool.run(job)


# --- the worker's side -----------------------------------------------------------------------


def _limit_memory() -> None:
    try:
        with open("/proc/self/statm") as statm:
            current = int(statm.read().split()[0]) * resource.getpagesize()
    except OSError:
        return  # not Linux: the parent's time limits still hold
    limit = current + MEMORY_MB * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def serve(counter_fd: int) -> None:
    """The worker's loop: one job in, one outcome out, until the parent closes the pipe."""
    receiver = Connection(os.dup(0), writable=False)
    sender = Connection(os.dup(1), readable=False)
    os.dup2(2, 1)  # a stray print must not corrupt the pipe
    counter = mmap.mmap(counter_fd, 8)
    progress = memoryview(counter).cast("Q")

    def step() -> None:
        progress[0] += 1

    _limit_memory()
    os.nice(NICENESS)  # the web process comes first when both want the CPU
    timer = Timer(RENDER_SECONDS)
    sender.send(READY)
    while True:
        try:
            job = receiver.recv()
        except (EOFError, OSError):
            return
        try:
            outcome = run_job(job, timer=timer, step=step)
        except MemoryError:
            outcome = RenderOutcome(problems=[TemplateProblem(None, None, CRASHED)])
        sender.send(outcome)


if __name__ == "__main__":
    serve(int(sys.argv[1]))
